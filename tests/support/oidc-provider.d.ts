// The few parts of oidc-provider 8 (which ships no types) that tests/support/oidc-test-provider.ts uses.
declare module 'oidc-provider' {
	import type { IncomingMessage, ServerResponse } from 'node:http';

	export interface Account {
		accountId: string;
		claims(): Promise<Record<string, unknown>>;
	}

	export interface ProviderConfiguration {
		clients?: Record<string, unknown>[];
		findAccount?: (ctx: unknown, sub: string) => Promise<Account | undefined>;
		claims?: Record<string, string[]>;
		features?: Record<string, unknown>;
		pkce?: Record<string, unknown>;
		cookies?: Record<string, unknown>;
		ttl?: Record<string, number>;
		[key: string]: unknown;
	}

	export default class Provider {
		constructor(issuer: string, configuration?: ProviderConfiguration);
		callback(): (req: IncomingMessage, res: ServerResponse) => void;
		on(event: string, listener: (...args: unknown[]) => void): this;
	}
}
