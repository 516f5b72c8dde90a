/**
 * "Sign in with Hugging Face": OpenID Connect's authorization-code flow with
 * PKCE, state and nonce, through openid-client (an OpenID-certified relying
 * party: it checks the ID token's signature, issuer, audience, expiry and nonce,
 * so this module does not). Hugging Face is discovered lazily, on the first
 * sign-in, and the discovery is kept; a failed one is retried on the next.
 *
 * What a flow must remember between the redirect and the callback (state,
 * PKCE verifier, nonce, where to return) rides in a short-lived cookie, so any
 * app node can finish a flow another started. Which member the identity stands
 * for is members/identity.service.ts's business.
 */
import type { Cookies } from '@sveltejs/kit';
import * as oidc from 'openid-client';
import { z } from 'zod';
import { absoluteUrl } from '$lib/links';
import { safeNextPath } from '$lib/core/next-path';
import {
	BadRequestError,
	ForbiddenError,
	HttpMeaningError,
	NotFoundError,
	ServiceUnavailableError
} from '../errors';
import { isLoopbackHttp } from '../config';
import type { Logger } from '../log';
import type { OutsideIdentity } from '../members/identity.service';

/** The provider name under which Hugging Face identities are linked (`member_identities.provider`). */
export const HUGGING_FACE_PROVIDER = 'huggingface';

/** The path Hugging Face sends the browser back to (registered with the OAuth app). */
export const CALLBACK_PATH = '/signin/huggingface/callback';

const SCOPES = 'openid profile email';
const FLOW_COOKIE = 'dp_hf_signin';
const FLOW_SECONDS = 10 * 60;
// Both the redirect and the callback live under this path; the cookie goes nowhere else.
const FLOW_COOKIE_PATH = '/signin/huggingface';
const REQUEST_TIMEOUT_S = 10;
const RETRY_AFTER_S = 30;

const START_AGAIN = 'Start again from the sign-in page.';

/** The settings of the OAuth app registered at Hugging Face (config.auth.huggingFace). */
export interface HuggingFaceSettings {
	clientId: string;
	clientSecret: string;
	issuer: string;
}

/** What the browser carries between the redirect to Hugging Face and the callback. */
const FlowSchema = z.object({
	state: z.string().min(1).max(200),
	verifier: z.string().min(43).max(128),
	nonce: z.string().min(1).max(200),
	next: z.string().max(2000)
});
type Flow = z.infer<typeof FlowSchema>;

/**
 * One site's Hugging Face client. Built once per app (no I/O until the first
 * sign-in); `begin` starts a flow, `finish` checks the callback and returns who
 * signed in.
 */
export class HuggingFaceSignIn {
	#configuration: Promise<oidc.Configuration> | undefined;
	readonly #redirectUri: string;

	constructor(
		private readonly settings: HuggingFaceSettings,
		private readonly publicUrl: string,
		private readonly log?: Logger
	) {
		this.#redirectUri = absoluteUrl(publicUrl, CALLBACK_PATH);
	}

	/**
	 * Starts a flow: sets the flow cookie and returns the URL of Hugging Face's
	 * consent page to redirect to. `next` is where to return afterwards (a path
	 * on this site; anything else becomes `/`).
	 */
	async begin(cookies: Cookies, next: string | null): Promise<URL> {
		const configuration = await this.#discover();
		const flow: Flow = {
			state: oidc.randomState(),
			verifier: oidc.randomPKCECodeVerifier(),
			nonce: oidc.randomNonce(),
			next: safeNextPath(next) ?? '/'
		};
		const url = oidc.buildAuthorizationUrl(configuration, {
			redirect_uri: this.#redirectUri,
			scope: SCOPES,
			state: flow.state,
			nonce: flow.nonce,
			code_challenge: await oidc.calculatePKCECodeChallenge(flow.verifier),
			code_challenge_method: 'S256'
		});
		cookies.set(FLOW_COOKIE, Buffer.from(JSON.stringify(flow)).toString('base64url'), {
			...this.#cookieOptions(),
			maxAge: FLOW_SECONDS
		});
		return url;
	}

	/**
	 * Checks Hugging Face's answer (`query` of the callback) against the flow
	 * this browser started, exchanges the code, and returns the identity and
	 * where to return. The flow cookie is used up whatever happens, so a
	 * callback cannot be replayed. Every refusal is a typed error with a
	 * sentence for the page.
	 */
	async finish(
		cookies: Cookies,
		query: URLSearchParams
	): Promise<{ identity: OutsideIdentity; next: string }> {
		const flow = this.#takeFlow(cookies);
		refuseProviderError(query);
		if (!flow) {
			throw new BadRequestError(
				`This sign-in with Hugging Face was not started in this browser, or it took more than 10 minutes. ${START_AGAIN}`
			);
		}
		if (query.get('state') !== flow.state || !query.get('code')) {
			throw new BadRequestError(
				`This answer from Hugging Face does not belong to the sign-in started in this browser, so it was refused. ${START_AGAIN}`
			);
		}
		const configuration = await this.#discover();
		const callbackUrl = new URL(this.#redirectUri);
		callbackUrl.search = query.toString();
		let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
		try {
			tokens = await oidc.authorizationCodeGrant(configuration, callbackUrl, {
				pkceCodeVerifier: flow.verifier,
				expectedState: flow.state,
				expectedNonce: flow.nonce,
				idTokenExpected: true
			});
		} catch (error) {
			throw this.#explainExchangeFailure(error);
		}
		const claims = tokens.claims();
		if (!claims) {
			throw new BadRequestError(
				`Hugging Face sent no ID token, so you are not signed in. ${START_AGAIN}`
			);
		}
		let profile: Record<string, unknown> = { ...claims };
		// Many providers (oidc-provider by default) put profile and e-mail claims in UserInfo only.
		if (profile.email === undefined || profile.preferred_username === undefined) {
			try {
				const userInfo = await oidc.fetchUserInfo(configuration, tokens.access_token, claims.sub);
				profile = { ...userInfo, ...profile };
			} catch (error) {
				throw this.#explainExchangeFailure(error);
			}
		}
		return {
			identity: {
				provider: HUGGING_FACE_PROVIDER,
				subject: claims.sub,
				email: text(profile.email),
				emailVerified: profile.email_verified === true,
				preferredUsername: text(profile.preferred_username),
				displayName: text(profile.name)
			},
			next: flow.next
		};
	}

	#cookieOptions() {
		return {
			path: FLOW_COOKIE_PATH,
			httpOnly: true,
			sameSite: 'lax' as const,
			secure: this.publicUrl.startsWith('https:')
		};
	}

	/** The flow this browser started, if its cookie is there and well formed; the cookie is removed. */
	#takeFlow(cookies: Cookies): Flow | undefined {
		const raw = cookies.get(FLOW_COOKIE);
		if (raw === undefined) return undefined;
		cookies.delete(FLOW_COOKIE, this.#cookieOptions());
		try {
			const parsed = FlowSchema.safeParse(JSON.parse(Buffer.from(raw, 'base64url').toString()));
			return parsed.success ? parsed.data : undefined;
		} catch {
			return undefined;
		}
	}

	/** Hugging Face's configuration, discovered once; a failure is not kept, so the next sign-in retries. */
	#discover(): Promise<oidc.Configuration> {
		this.#configuration ??= this.#runDiscovery().catch((error: unknown) => {
			this.#configuration = undefined;
			throw error;
		});
		return this.#configuration;
	}

	async #runDiscovery(): Promise<oidc.Configuration> {
		const issuer = new URL(this.settings.issuer);
		try {
			return await oidc.discovery(
				issuer,
				this.settings.clientId,
				undefined,
				// OpenID's default method, and the one RFC 6749 requires every server to accept.
				oidc.ClientSecretBasic(this.settings.clientSecret),
				{
					timeout: REQUEST_TIMEOUT_S,
					// Only a test's provider on this machine may be plain http (config.ts refuses others).
					execute: isLoopbackHttp(issuer.href) ? [oidc.allowInsecureRequests] : []
				}
			);
		} catch (error) {
			this.log?.warn({ err: error, issuer: issuer.href }, 'Hugging Face sign-in: discovery failed');
			throw new ServiceUnavailableError(
				`Hugging Face's sign-in service (${issuer.origin}) could not be reached. Try again in a minute, or sign in with an e-mail link.`,
				RETRY_AFTER_S,
				{ cause: error }
			);
		}
	}

	/** A failed code exchange or UserInfo request as the sentence the reader sees. */
	#explainExchangeFailure(error: unknown): HttpMeaningError {
		if (error instanceof HttpMeaningError) return error;
		if (error instanceof oidc.ResponseBodyError) {
			this.log?.info(
				{ error: error.error, status: error.status },
				'Hugging Face sign-in: the token endpoint refused the code'
			);
			return new BadRequestError(
				`Hugging Face did not accept this sign-in: it was already used, or it expired. ${START_AGAIN}`,
				{ cause: error }
			);
		}
		if (isNetworkFailure(error)) {
			this.log?.warn({ err: error }, 'Hugging Face sign-in: the provider did not answer');
			return new ServiceUnavailableError(
				'Hugging Face did not answer while finishing your sign-in. Try again in a minute, or sign in with an e-mail link.',
				RETRY_AFTER_S,
				{ cause: error }
			);
		}
		this.log?.warn({ err: error }, 'Hugging Face sign-in: the answer failed verification');
		return new BadRequestError(
			`Hugging Face's answer could not be verified, so you are not signed in. ${START_AGAIN}`,
			{ cause: error }
		);
	}
}

/** The site's Hugging Face sign-in, or a 404 saying the site does not offer it. */
export function requireHuggingFaceSignIn(signIn: HuggingFaceSignIn | undefined): HuggingFaceSignIn {
	if (!signIn) {
		throw new NotFoundError(
			'Signing in with Hugging Face is not offered on this site; sign in with an e-mail link instead.'
		);
	}
	return signIn;
}

/** Refuses a callback that carries the provider's `error` (the reader declined, or the request was bad). */
function refuseProviderError(query: URLSearchParams): void {
	const code = query.get('error');
	if (code === null) return;
	if (code === 'access_denied') {
		throw new ForbiddenError(
			'You did not allow Daily Papers to use your Hugging Face account, so you are not signed in.'
		);
	}
	// The code only, never error_description: that text comes from the URL, which anyone can write.
	const shown = /^[a-z_]{1,64}$/.test(code) ? ` (${code})` : '';
	throw new BadRequestError(`Hugging Face did not sign you in${shown}. ${START_AGAIN}`);
}

function isNetworkFailure(error: unknown): boolean {
	return (
		error instanceof TypeError ||
		(error instanceof Error && ['TimeoutError', 'AbortError'].includes(error.name)) ||
		(error instanceof oidc.ClientError && error.code === 'OAUTH_RESPONSE_IS_NOT_CONFORM')
	);
}

function text(value: unknown): string | undefined {
	return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}
