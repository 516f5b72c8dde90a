import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, prefersReadableLogs } from './log';

/** A stream that keeps what the logger wrote, line by line. */
function captureStream(): { stream: Writable; lines: () => string[] } {
	let text = '';
	const stream = new Writable({
		write(chunk, _encoding, done) {
			text += String(chunk);
			done();
		}
	});
	return { stream, lines: () => text.split('\n').filter((line) => line.length > 0) };
}

// eslint-disable-next-line no-control-regex
const withoutColours = (line: string) => line.replace(/\x1b\[[0-9;]*m/g, '');

describe('log output', () => {
	it('reads as lines only on a terminal', () => {
		expect(prefersReadableLogs({ isTTY: true })).toBe(true);
		expect(prefersReadableLogs({ isTTY: false })).toBe(false);
		expect(prefersReadableLogs({})).toBe(false);
	});

	it('writes one JSON object per line for pipes and files, secrets redacted', () => {
		const { stream, lines } = captureStream();
		const log = createLogger('info', { readable: false, destination: stream });
		log.info({ password: 'hunter2', user: { token: 'abc123' } }, 'signed in');
		const [line] = lines();
		const entry = JSON.parse(line);
		expect(entry).toMatchObject({ level: 30, app: 'dailypapers', msg: 'signed in' });
		expect(entry.password).toBe('[redacted]');
		expect(entry.user.token).toBe('[redacted]');
		expect(line).not.toMatch(/hunter2|abc123/);
	});

	it('redacts the SMTP URL and the OAuth client secret wherever a config part is logged', () => {
		const { stream, lines } = captureStream();
		const log = createLogger('info', { readable: false, destination: stream });
		log.info(
			{
				auth: { smtpUrl: 'smtp://relay:s3cret@mail.example.org', clientSecret: 'hf_client_key' },
				clientSecret: 'hf_client_key'
			},
			'config'
		);
		const [line] = lines();
		expect(JSON.parse(line).auth.smtpUrl).toBe('[redacted]');
		expect(line).not.toMatch(/s3cret|hf_client_key/);
	});

	it('writes readable lines on a terminal, secrets redacted there too', () => {
		const { stream, lines } = captureStream();
		const log = createLogger('info', { readable: true, destination: stream });
		log.info({ password: 'hunter2', user: { token: 'abc123' } }, 'signed in');
		const text = lines().map(withoutColours).join('\n');
		expect(text).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: signed in$/m);
		expect(text).toContain('[redacted]');
		expect(text).not.toMatch(/hunter2|abc123/);
		expect(text.startsWith('{')).toBe(false);
	});

	it('honours the level in readable mode', () => {
		const { stream, lines } = captureStream();
		const log = createLogger('warn', { readable: true, destination: stream });
		log.info('not shown');
		log.warn('shown');
		expect(lines().map(withoutColours).join('\n')).toMatch(/WARN: shown/);
		expect(lines().join('\n')).not.toContain('not shown');
	});
});
