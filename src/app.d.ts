// See https://svelte.dev/docs/kit/types#app.d.ts
import type { App as DailyPapers } from '$lib/server/app';

declare global {
	namespace App {
		interface Error {
			message: string;
			errorId?: string;
		}
		interface Locals {
			app: DailyPapers;
		}
	}
}

export {};
