import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { signInMail } from '../auth/login-link.service';
import { createLogger } from '../log';
import { escapeHtml } from '$lib/core/latex';
import { createMailer } from './mailer';

describe('the mailer without SMTP', () => {
	it('writes the whole message to the log at info and says it went there', async () => {
		const lines: string[] = [];
		const capture = new PassThrough();
		capture.on('data', (chunk: Buffer) => lines.push(chunk.toString()));
		const mailer = createMailer(
			{ smtpUrl: undefined, mailFrom: 'x@example.org' },
			createLogger('info', { readable: false, destination: capture })
		);
		expect(mailer.delivery).toBe('log');
		const delivery = await mailer.sendMail({
			to: 'ada@example.org',
			subject: 'Hello',
			text: 'Follow https://papers.example.org/signin/link?token=abc'
		});
		await new Promise((resolve) => setImmediate(resolve));
		expect(delivery).toBe('log');
		const logged = JSON.parse(lines.join('')) as Record<string, unknown>;
		expect(logged).toMatchObject({
			level: 30,
			mailTo: 'ada@example.org',
			subject: 'Hello',
			text: 'Follow https://papers.example.org/signin/link?token=abc'
		});
		await mailer.close();
	});
});

describe('HTML in mail', () => {
	it('escapes markup and quotes', () => {
		expect(escapeHtml(`<a href="x" onclick='y'>&</a>`)).toBe(
			'&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;'
		);
	});

	it('builds the sign-in message from escaped text only', () => {
		const mail = signInMail('https://papers.example.org/signin/link?token=a"b<c>&d');
		expect(mail.html).toContain(
			'href="https://papers.example.org/signin/link?token=a&quot;b&lt;c&gt;&amp;d"'
		);
		expect(mail.html).not.toMatch(/<c>|"b</);
		expect(mail.text).toContain('https://papers.example.org/signin/link?token=a"b<c>&d');
		expect(mail.text).toContain('15 minutes');
	});
});
