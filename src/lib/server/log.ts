/**
 * Structured logs (pino): JSON lines for pipes, files and log collectors, readable lines on a
 * terminal. Secrets are redacted by key before either is written.
 */
import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';

export type { Logger };

/** Where log lines go and in which form. */
export interface LogOutput {
	/** Readable lines (time, level, message, fields) instead of JSON; defaults to {@link prefersReadableLogs}. */
	readable?: boolean;
	/** The stream written to; stdout when absent. */
	destination?: NodeJS.WritableStream;
}

/** Whether logs should be readable lines: only when a person watches the terminal, never for a pipe or file. */
export function prefersReadableLogs(stdout: { isTTY?: boolean } = process.stdout): boolean {
	return stdout.isTTY === true;
}

/** A logger at the given level; fields that may carry secrets are never printed. */
export function createLogger(level: string, output: LogOutput = {}): Logger {
	const options: pino.LoggerOptions = {
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
				'databaseUrl',
				// The SMTP URL carries the relay's password; the OAuth client secret is Hugging Face's key to us.
				'smtpUrl',
				'*.smtpUrl',
				'clientSecret',
				'*.clientSecret'
			],
			censor: '[redacted]'
		}
	};
	if (output.readable ?? prefersReadableLogs()) {
		// In-process and synchronous (no worker thread), so a line is on screen before a crash.
		const stream = pretty({
			sync: true,
			destination: output.destination ?? 1,
			translateTime: 'SYS:HH:MM:ss.l',
			ignore: 'pid,hostname,app'
		});
		return pino(options, stream);
	}
	return output.destination ? pino(options, output.destination) : pino(options);
}
