/**
 * A real SMTP server for tests (the `smtp-server` package on a free port), keeping every
 * message it receives parsed by `mailparser`: the app sends to it over SMTP exactly as it
 * would to a production relay.
 */
import { simpleParser, type ParsedMail } from 'mailparser';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface SmtpInbox {
	/** `smtp://127.0.0.1:<port>`, for DP_SMTP_URL. */
	url: string;
	messages: ParsedMail[];
	/** The next message to `address` received after `since` messages, waiting up to `timeoutMs`. */
	waitFor(address: string, since?: number, timeoutMs?: number): Promise<ParsedMail>;
	close(): Promise<void>;
}

export async function startSmtpInbox(): Promise<SmtpInbox> {
	const messages: ParsedMail[] = [];
	const server = new SMTPServer({
		authOptional: true,
		// No TLS on a loopback test server (its self-signed certificate would be refused).
		disabledCommands: ['STARTTLS'],
		logger: false,
		onData(stream, _session, callback) {
			simpleParser(stream)
				.then((mail) => {
					messages.push(mail);
					callback();
				})
				.catch((error: Error) => callback(error));
		}
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.server.address() as AddressInfo;
	const recipients = (mail: ParsedMail) =>
		(Array.isArray(mail.to) ? mail.to : mail.to ? [mail.to] : []).flatMap((to) =>
			to.value.map((a) => a.address?.toLowerCase())
		);
	return {
		url: `smtp://127.0.0.1:${port}`,
		messages,
		async waitFor(address, since = 0, timeoutMs = 10_000) {
			const deadline = Date.now() + timeoutMs;
			for (;;) {
				const found = messages
					.slice(since)
					.find((mail) => recipients(mail).includes(address.toLowerCase()));
				if (found) return found;
				if (Date.now() > deadline) throw new Error(`no mail to ${address} within ${timeoutMs} ms`);
				await new Promise((r) => setTimeout(r, 25));
			}
		},
		close: () => new Promise<void>((resolve) => server.close(() => resolve()))
	};
}

/** The site path (with its query) of the sign-in link in a message's text. */
export function signInLinkPath(mail: ParsedMail): string {
	const match = /https?:\/\/\S+\/signin\/link\?token=[A-Za-z0-9_-]+/.exec(mail.text ?? '');
	if (!match) throw new Error(`no sign-in link in: ${mail.text}`);
	const url = new URL(match[0]);
	return url.pathname + url.search;
}
