import { SIGN_IN_LINK_MINUTES } from '$lib/server/auth/login-link.service';
import type { PageServerLoadEvent } from './$types';

export const load = ({ locals, cookies }: PageServerLoadEvent) => ({
	sentTo: cookies.get('dp_signin_sent_to') ?? null,
	minutes: SIGN_IN_LINK_MINUTES,
	// Development: no SMTP, so the link is in the server's log, not in any inbox.
	printedToLog: locals.app.mailer.delivery === 'log'
});
