// See https://svelte.dev/docs/kit/types#app.d.ts
import type { App as DailyPapers } from '$lib/server/app';
import type { RequestContext } from '$lib/server/http/request-context';

declare global {
	namespace App {
		interface Error {
			message: string;
			errorId?: string;
		}
		/** Set once per request by `hooks.server.ts`; routes read who is asking only from here. */
		interface Locals extends RequestContext {
			app: DailyPapers;
		}
	}
}

export {};
