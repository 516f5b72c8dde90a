/**
 * Signing in without a password: a one-time link mailed to the address, valid 15
 * minutes, stored only as the hash of its secret. Asking for a link reads nothing
 * about members, so the answer and the work are the same whether or not the address
 * has an account; the member is found (or made) only when the link is used.
 */
import { links, absoluteUrl } from '$lib/links';
import { normalizeEmail, type Member } from '$lib/core/member';
import { safeNextPath } from '$lib/core/next-path';
import type { Db } from '../db/create-db';
import { toMember } from '../members/member.repository';
import { BadRequestError, ForbiddenError, ServiceUnavailableError } from '../errors';
import type { RateLimits } from '../http/rate-limit';
import type { Logger } from '../log';
import { escapeHtml } from '$lib/core/latex';
import type { MailDelivery, Mailer } from '../mail/mailer';
import { findOrCreateMember } from '../members/member.service';
import {
	claimLoginLink,
	deleteLoginLinksExpiredBefore,
	findLoginLink,
	insertLoginLink
} from './login-link.repository';
import { hashSecret, looksLikeSecret, newSecret } from './secret-token';
import { startSession, type SessionCookie } from './session.service';

export const SIGN_IN_LINK_MINUTES = 15;
const MINUTE_MS = 60_000;
// Used and expired rows are kept a day, so a late click still hears "already used".
const KEEP_SPENT_LINKS_MS = 86_400_000;

/** What asking for a link needs from the app. */
export interface SignInLinkSender {
	db: Db;
	mailer: Mailer;
	rateLimits: RateLimits;
	publicUrl: string;
	log: Logger;
}

/**
 * Mails a sign-in link to `email`, returning to `next` (a same-site path; anything
 * else is dropped) once used. Limited per address and per client IP (429). The
 * result says only how the mail went out, never whether the address has an account.
 */
export async function requestSignInLink(
	sender: SignInLinkSender,
	request: { email: string; next?: string | null; clientAddress: string },
	now = new Date()
): Promise<{ email: string; delivery: MailDelivery }> {
	const email = normalizeEmail(request.email);
	if (!email) throw new BadRequestError('Enter a valid e-mail address, such as ada@example.org.');
	await sender.rateLimits.consume('signin-ip', request.clientAddress);
	await sender.rateLimits.consume('signin-address', email);
	const token = newSecret();
	await deleteLoginLinksExpiredBefore(
		sender.db,
		new Date(now.getTime() - KEEP_SPENT_LINKS_MS).toISOString()
	);
	await insertLoginLink(sender.db, {
		tokenHash: hashSecret(token),
		email,
		nextPath: safeNextPath(request.next) ?? null,
		now: now.toISOString(),
		expiresAt: new Date(now.getTime() + SIGN_IN_LINK_MINUTES * MINUTE_MS).toISOString()
	});
	const url = absoluteUrl(sender.publicUrl, links.signInLink(token));
	try {
		const delivery = await sender.mailer.sendMail({ to: email, ...signInMail(url) });
		return { email, delivery };
	} catch (error) {
		sender.log.error({ err: error }, 'the sign-in mail could not be sent');
		throw new ServiceUnavailableError(
			'The sign-in mail could not be sent just now; try again in a minute.',
			60,
			{ cause: error }
		);
	}
}

/** The message that carries a link: plain text, and HTML built only from escaped text. */
export function signInMail(url: string): { subject: string; text: string; html: string } {
	const lines = [
		'Sign in to Daily Papers with this link:',
		url,
		`It works once, within ${SIGN_IN_LINK_MINUTES} minutes.`,
		'If you did not ask for it, ignore this message: nobody can sign in without the link.'
	];
	return {
		subject: 'Your sign-in link for Daily Papers',
		text: `${lines[0]}\n\n${lines[1]}\n\n${lines[2]}\n\n${lines[3]}\n`,
		html:
			`<p>${escapeHtml(lines[0])}</p>` +
			`<p><a href="${escapeHtml(url)}">Sign in to Daily Papers</a></p>` +
			`<p>${escapeHtml(lines[2])}</p><p>${escapeHtml(lines[3])}</p>`
	};
}

/** Why a link cannot sign anyone in, as the page says it. */
const LINK_PROBLEMS = {
	forged:
		'This sign-in link is not valid: it may have been cut short when copied. Ask for a new one.',
	expired: `This sign-in link has expired: links work for ${SIGN_IN_LINK_MINUTES} minutes. Ask for a new one.`,
	used: 'This sign-in link was already used: each link signs in once. Ask for a new one.'
} as const;

export const BANNED_MESSAGE = 'This account is banned.';

/**
 * What a link would sign in as, without using it (the page a mail scanner may fetch
 * shows this with a button); BadRequestError saying why when it is forged, expired or used.
 */
export async function inspectSignInLink(
	db: Db,
	token: string,
	now = new Date()
): Promise<{ email: string; next: string | undefined }> {
	const link = looksLikeSecret(token) ? await findLoginLink(db, hashSecret(token)) : undefined;
	if (!link) throw new BadRequestError(LINK_PROBLEMS.forged);
	if (link.usedAt !== null) throw new BadRequestError(LINK_PROBLEMS.used);
	if (link.expiresAt <= now.toISOString()) throw new BadRequestError(LINK_PROBLEMS.expired);
	return { email: link.email, next: safeNextPath(link.nextPath) };
}

/** A completed sign-in: the session to set as a cookie, and where to go next. */
export interface SignedIn {
	member: Member;
	/** Whether this sign-in made the member (their first): they should choose a username. */
	created: boolean;
	session: SessionCookie;
	next: string | undefined;
}

/**
 * Uses a link: claims it (once, atomically), finds or makes the member of its
 * address and starts a session, in one transaction. A forged, expired or used link
 * is a BadRequestError saying which; a banned member's link is used up and refused
 * with ForbiddenError, and no session starts.
 */
export async function signInWithLink(
	db: Db,
	token: string,
	options: { userAgent?: string | null; now?: Date } = {}
): Promise<SignedIn> {
	const now = options.now ?? new Date();
	const nowText = now.toISOString();
	if (!looksLikeSecret(token)) throw new BadRequestError(LINK_PROBLEMS.forged);
	const tokenHash = hashSecret(token);
	type Outcome = { signedIn: SignedIn } | { refused: 'forged' | 'used' | 'expired' | 'banned' };
	const outcome = await db.transaction().execute(async (trx): Promise<Outcome> => {
		const claimed = await claimLoginLink(trx, tokenHash, nowText);
		if (!claimed) {
			const link = await findLoginLink(trx, tokenHash);
			return { refused: !link ? 'forged' : link.usedAt !== null ? 'used' : 'expired' };
		}
		const { member, created } = await findOrCreateMember(trx, claimed.email, { now });
		if (member.status === 'banned') return { refused: 'banned' };
		const session = await startSession(trx, member.id, { userAgent: options.userAgent, now });
		return {
			signedIn: {
				member: toMember(member),
				created,
				session,
				next: safeNextPath(claimed.nextPath)
			}
		};
	});
	if ('signedIn' in outcome) return outcome.signedIn;
	if (outcome.refused === 'banned') throw new ForbiddenError(BANNED_MESSAGE);
	throw new BadRequestError(LINK_PROBLEMS[outcome.refused]);
}
