/**
 * The site's outgoing mail: one pooled SMTP transport per app (nodemailer, at
 * DP_SMTP_URL), made when the app starts and closed when it stops. Without SMTP
 * (development) a message is written to the log at info instead, and the caller
 * is told so, so a page can say where the sign-in link went.
 */
import nodemailer from 'nodemailer';
import type { Logger } from '../log';

/** A message to send. `text` is required; `html`, when given, must escape what it holds (`escapeHtml` of core/latex.ts). */
export interface OutgoingMail {
	to: string;
	subject: string;
	text: string;
	html?: string;
}

/** Where a message went: out over SMTP, or into the server's log (no SMTP configured). */
export type MailDelivery = 'smtp' | 'log';

export interface Mailer {
	/** How this app delivers mail. */
	readonly delivery: MailDelivery;
	/** Sends one message; rejects when the SMTP server refuses it or cannot be reached. */
	sendMail(mail: OutgoingMail): Promise<MailDelivery>;
	/** Closes the pooled connections (app shutdown). */
	close(): Promise<void>;
}

/** Makes the app's mailer from its settings (`config.auth`). */
export function createMailer(
	settings: { smtpUrl: string | undefined; mailFrom: string },
	log: Logger
): Mailer {
	if (!settings.smtpUrl) {
		return {
			delivery: 'log',
			async sendMail(mail) {
				// The whole text, so a developer can follow the link from the log.
				log.info(
					{ mailTo: mail.to, subject: mail.subject, text: mail.text },
					'mail not sent (no DP_SMTP_URL): its text is in this log line'
				);
				return 'log';
			},
			async close() {}
		};
	}
	const transport = nodemailer.createTransport({
		url: settings.smtpUrl,
		pool: true,
		maxConnections: 3,
		// Fail a request within seconds rather than hang on an unreachable server.
		connectionTimeout: 10_000,
		greetingTimeout: 10_000,
		socketTimeout: 20_000
	});
	return {
		delivery: 'smtp',
		async sendMail(mail) {
			await transport.sendMail({
				from: settings.mailFrom,
				to: mail.to,
				subject: mail.subject,
				text: mail.text,
				...(mail.html ? { html: mail.html } : {})
			});
			return 'smtp';
		},
		async close() {
			transport.close();
		}
	};
}
