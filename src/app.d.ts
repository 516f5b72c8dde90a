// See https://svelte.dev/docs/kit/types#app.d.ts
import type { App as DailyPapers } from '$lib/server/app';
import type { RequestContext } from '$lib/server/http/request-context';

declare global {
	namespace App {
		interface Error {
			message: string;
			errorId?: string;
			/** The typed error's own status when SvelteKit rendered it as a 500 (see `withMeaningStatus`). */
			status?: number;
		}
		/** Set once per request by `hooks.server.ts`; routes read who is asking only from here. */
		interface Locals extends RequestContext {
			app: DailyPapers;
		}
	}
}

export {};
