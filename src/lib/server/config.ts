/**
 * The one place that reads the environment: a zod schema parses it once, fails
 * fast listing every problem, and hands out a frozen, typed object.
 */
import path from 'node:path';
import { z } from 'zod';

const optionalText = z
	.string()
	.trim()
	.optional()
	.transform((value) => (value ? value : undefined));

const flag = (fallback: boolean) =>
	z
		.enum(['1', '0', 'true', 'false', 'yes', 'no', ''])
		.optional()
		.transform((value) =>
			value === undefined || value === '' ? fallback : ['1', 'true', 'yes'].includes(value)
		);

/** Whether `text` is an http(s) origin: scheme, host and optional port, nothing after. */
function isPublicOrigin(text: string): boolean {
	let url: URL;
	try {
		url = new URL(text);
	} catch {
		return false;
	}
	return (
		(url.protocol === 'http:' || url.protocol === 'https:') &&
		url.username === '' &&
		url.password === '' &&
		url.pathname === '/' &&
		url.search === '' &&
		url.hash === '' &&
		!/[?#]/.test(text)
	);
}

/** Whether `text` is a plain-http URL on this machine (localhost, 127.0.0.1, [::1]): a test's server. */
export function isLoopbackHttp(text: string): boolean {
	try {
		const url = new URL(text);
		return url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
	} catch {
		return false;
	}
}

const EnvSchema = z.object({
	PORT: z.coerce.number().int().min(0).max(65535).default(3000),
	HOST: z.string().default('0.0.0.0'),
	DP_PUBLIC_URL: optionalText.refine(
		(url) => url === undefined || isPublicOrigin(url),
		"must be the site's public origin: an http(s) URL without a path, query or fragment, such as https://papers.example.org"
	),
	DATABASE_URL: optionalText.refine(
		(url) => url === undefined || /^postgres(ql)?:\/\//.test(url),
		'must be a postgres:// or postgresql:// URL (leave it unset for the embedded SQLite database)'
	),
	DP_DB_PATH: z.string().default('./data/dailypapers.db'),
	DP_DB_START_TIMEOUT_S: z.coerce.number().int().min(0).max(86_400).default(60),
	DP_SEED: optionalText,
	DP_SEED_FROM_HF: flag(true),
	DP_HF_API_URL: z.url().default('https://huggingface.co/api/daily_papers'),
	DP_ARXIV_API_URL: z.url().default('https://export.arxiv.org/api/query'),
	DP_ARXIV_OAI_URL: z.url().default('https://export.arxiv.org/oai2'),
	DP_ARXIV_OAI_DELAY_MS: z.coerce.number().int().min(0).max(600_000).default(3000),
	DP_HARVEST_SETS: z
		.string()
		.default('')
		.transform((text) =>
			text
				.split(',')
				.map((set) => set.trim())
				.filter(Boolean)
		)
		.refine(
			(sets) => sets.every((set) => /^[A-Za-z0-9:._-]+$/.test(set)),
			'must be a comma-separated list of OAI-PMH sets such as cs,math,physics:hep-th'
		),
	DP_HARVEST_HOUR_UTC: z.coerce.number().int().min(0).max(23).default(3),
	DP_INDEX_DIR: z.string().default('./data/index'),
	DP_INDEX_SYNC_MS: z.coerce.number().int().min(50).max(600_000).default(1000),
	DP_INDEX_SAVE_MS: z.coerce.number().int().min(50).max(86_400_000).default(60_000),
	DP_EMBEDDING_MODEL: optionalText,
	DP_EMBEDDING_CACHE: z.string().default('./data/models'),
	DP_EMBEDDING_HUB_URL: z.url().default('https://huggingface.co'),
	DP_EMBEDDING_BATCH: z.coerce.number().int().min(1).max(1024).default(32),
	DP_SMTP_URL: optionalText.refine(
		(url) => url === undefined || /^smtps?:\/\//.test(url),
		'must be an smtp:// or smtps:// URL, such as smtp://user:pass@mail.example.org:587 (leave it unset to print sign-in links to the log)'
	),
	DP_MAIL_FROM: z.string().trim().min(3).default('Daily Papers <no-reply@localhost>'),
	DP_HF_OAUTH_CLIENT_ID: optionalText,
	DP_HF_OAUTH_CLIENT_SECRET: optionalText,
	DP_HF_OAUTH_ISSUER: z
		.url()
		.default('https://huggingface.co')
		.refine(
			(url) => url.startsWith('https://') || isLoopbackHttp(url),
			'must be an https URL (plain http only on localhost or 127.0.0.1, for a test provider)'
		),
	DP_SUBMIT_MAX_AGE_DAYS: z.coerce.number().int().min(1).max(3650).default(14),
	DP_SUBMIT_DAILY_LIMIT: z.coerce.number().int().min(1).max(1000).default(5),
	DP_LOG_LEVEL: z
		.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
		.default('info')
});

export type DatabaseConfig =
	{ kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string; schema?: string };

/** The optional pretrained embedding model (search/embeddings/). */
export interface EmbeddingConfig {
	/** A model folder or a Hugging Face Hub id (`owner/name`); undefined for none. */
	model: string | undefined;
	/** Where Hub models are downloaded to, once. */
	cacheDir: string;
	/** The Hub's base URL (a mirror can stand in). */
	hubUrl: string;
	/** Texts per inference call of an ONNX model. */
	batchSize: number;
}

/** The arXiv OAI-PMH harvest (ingest/arxiv-oai.harvest.ts, jobs/arxiv-harvest.job.ts). */
export interface HarvestConfig {
	oaiUrl: string;
	/** Courtesy spacing between OAI-PMH requests. */
	delayMs: number;
	/** Sets harvested daily; empty turns the scheduled harvest off. */
	sets: string[];
	/** The hour (UTC) of the daily harvest. */
	hourUtc: number;
}

/** Signing in and mail (auth/, mail/). */
export interface AuthConfig {
	/** SMTP server for magic links; undefined prints them to the log (development). */
	smtpUrl: string | undefined;
	/** The From header of the site's mail. */
	mailFrom: string;
	/** "Sign in with Hugging Face" (OpenID Connect); undefined when no client is configured. */
	huggingFace: { clientId: string; clientSecret: string; issuer: string } | undefined;
}

/** The rules of submitting a paper for today (submissions/). */
export interface SubmitConfig {
	/** Papers first published longer ago than this are refused. */
	maxAgeDays: number;
	/** Submissions per member per UTC day. */
	dailyLimit: number;
}

export interface Config {
	port: number;
	host: string;
	/** The site's public origin (no trailing slash), for absolute links in feeds and e-mails. */
	publicUrl: string;
	database: DatabaseConfig;
	/** How long a start waits (retrying) for a database that does not answer, before giving up. */
	databaseStartTimeoutS: number;
	/** A file, folder or URL of Hugging Face daily-papers JSON to seed an empty database from. */
	seed: string | undefined;
	/** Whether an empty database without DP_SEED tries the live Hugging Face API. */
	seedFromHuggingFace: boolean;
	huggingFaceApiUrl: string;
	arxivApiUrl: string;
	harvest: HarvestConfig;
	logLevel: z.infer<typeof EnvSchema>['DP_LOG_LEVEL'];
	/** The search replica's folder (derived data: deleting it triggers a rebuild). */
	indexDir: string;
	/** How often the replica follows the store's change feed. */
	indexSyncMs: number;
	/** How often (at most) the replica is saved to DP_INDEX_DIR after changes. */
	indexSaveMs: number;
	embeddings: EmbeddingConfig;
	auth: AuthConfig;
	submit: SubmitConfig;
}

export class ConfigError extends Error {
	constructor(readonly problems: string[]) {
		super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
		this.name = 'ConfigError';
	}
}

/** Parses an environment (process.env by default) into the app's frozen configuration. */
export function loadConfig(
	env: Record<string, string | undefined> = process.env
): Readonly<Config> {
	const parsed = EnvSchema.safeParse(env);
	if (!parsed.success) {
		throw new ConfigError(
			parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`)
		);
	}
	const e = parsed.data;
	if (Boolean(e.DP_HF_OAUTH_CLIENT_ID) !== Boolean(e.DP_HF_OAUTH_CLIENT_SECRET)) {
		throw new ConfigError([
			'DP_HF_OAUTH_CLIENT_ID and DP_HF_OAUTH_CLIENT_SECRET: set both to offer "Sign in with Hugging Face", or neither'
		]);
	}
	const database: DatabaseConfig = e.DATABASE_URL
		? { kind: 'postgres', url: e.DATABASE_URL }
		: { kind: 'sqlite', path: path.resolve(e.DP_DB_PATH) };
	return Object.freeze({
		port: e.PORT,
		host: e.HOST,
		publicUrl: new URL(e.DP_PUBLIC_URL ?? `http://localhost:${e.PORT}`).origin,
		database,
		databaseStartTimeoutS: e.DP_DB_START_TIMEOUT_S,
		seed: e.DP_SEED,
		seedFromHuggingFace: e.DP_SEED_FROM_HF,
		huggingFaceApiUrl: e.DP_HF_API_URL,
		arxivApiUrl: e.DP_ARXIV_API_URL,
		harvest: Object.freeze({
			oaiUrl: e.DP_ARXIV_OAI_URL,
			delayMs: e.DP_ARXIV_OAI_DELAY_MS,
			sets: Object.freeze(e.DP_HARVEST_SETS) as string[],
			hourUtc: e.DP_HARVEST_HOUR_UTC
		}),
		logLevel: e.DP_LOG_LEVEL,
		indexDir: path.resolve(e.DP_INDEX_DIR),
		indexSyncMs: e.DP_INDEX_SYNC_MS,
		indexSaveMs: e.DP_INDEX_SAVE_MS,
		embeddings: Object.freeze({
			model: e.DP_EMBEDDING_MODEL,
			cacheDir: path.resolve(e.DP_EMBEDDING_CACHE),
			hubUrl: e.DP_EMBEDDING_HUB_URL,
			batchSize: e.DP_EMBEDDING_BATCH
		}),
		auth: Object.freeze({
			smtpUrl: e.DP_SMTP_URL,
			mailFrom: e.DP_MAIL_FROM,
			huggingFace:
				e.DP_HF_OAUTH_CLIENT_ID && e.DP_HF_OAUTH_CLIENT_SECRET
					? Object.freeze({
							clientId: e.DP_HF_OAUTH_CLIENT_ID,
							clientSecret: e.DP_HF_OAUTH_CLIENT_SECRET,
							issuer: e.DP_HF_OAUTH_ISSUER
						})
					: undefined
		}),
		submit: Object.freeze({
			maxAgeDays: e.DP_SUBMIT_MAX_AGE_DAYS,
			dailyLimit: e.DP_SUBMIT_DAILY_LIMIT
		})
	});
}
