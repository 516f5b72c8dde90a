/** Structured logs (pino, JSON lines on stdout); secrets are redacted by key. */
import pino, { type Logger } from 'pino';

export type { Logger };

/** A logger at the given level; fields that may carry secrets are never printed. */
export function createLogger(level: string): Logger {
	return pino({
		level,
		base: { app: 'dailypapers' },
		redact: {
			paths: [
				'password',
				'*.password',
				'token',
				'*.token',
				'cookie',
				'*.cookie',
				'authorization',
				'*.authorization',
				'databaseUrl'
			],
			censor: '[redacted]'
		}
	});
}
