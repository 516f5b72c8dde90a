import { PassThrough } from 'node:stream';
import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '$support/databases';
import { addMembers } from '$support/fixtures';
import { createRateLimits, type RateLimits } from '../http/rate-limit';
import { createLogger } from '../log';
import { createMailer } from '../mail/mailer';
import { banMember } from '../members/member.service';
import { findMemberByEmail } from '../members/member.repository';
import {
	inspectSignInLink,
	requestSignInLink,
	signInWithLink,
	type SignInLinkSender
} from './login-link.service';
import { resolveSession } from './session.service';

describeEachDialect('sign-in links', (get) => {
	let sender: SignInLinkSender;
	let limits: RateLimits;
	const logged: string[] = [];
	let ip = 0;
	// A fresh client address per request, so the per-IP limit only bites where a test means it to.
	const nextIp = () => `192.0.2.${++ip}`;

	beforeAll(async () => {
		const { store } = get();
		const capture = new PassThrough();
		capture.on('data', (chunk: Buffer) => logged.push(...chunk.toString().split('\n')));
		const log = createLogger('info', { readable: false, destination: capture });
		limits = createRateLimits(store);
		sender = {
			db: store.db,
			mailer: createMailer({ smtpUrl: undefined, mailFrom: 'test@example.org' }, log),
			rateLimits: limits,
			publicUrl: 'https://papers.example.org',
			log
		};
		await addMembers(store.db, ['banned-one', 'known-one']);
		await banMember(store.db, 'banned-one');
	});

	/** Asks for a link and returns its secret, read from the log line of the mail that carried it. */
	async function mailedToken(
		email: string,
		options: { next?: string; now?: Date } = {}
	): Promise<string> {
		const before = logged.length;
		const result = await requestSignInLink(
			sender,
			{ email, next: options.next, clientAddress: nextIp() },
			options.now
		);
		expect(result.delivery).toBe('log');
		await new Promise((resolve) => setImmediate(resolve));
		const line = logged.slice(before).find((l) => l.includes('mail not sent'));
		const text = (JSON.parse(line ?? '{}') as { text?: string }).text ?? '';
		const match = /https:\/\/papers\.example\.org\/signin\/link\?token=([A-Za-z0-9_-]+)/.exec(text);
		if (!match) throw new Error(`no link in the logged mail: ${line}`);
		return match[1];
	}

	it('stores only the hash of a link, valid 15 minutes, and makes no member before it is used', async () => {
		const { db } = get().store;
		const now = new Date('2026-12-04T10:00:00.000Z');
		const token = await mailedToken('New.Person@Example.org', { now });
		const rows = await db
			.selectFrom('login_links')
			.selectAll()
			.where('email', '=', 'new.person@example.org')
			.execute();
		expect(rows).toHaveLength(1);
		expect(rows[0].token_hash).not.toContain(token);
		expect(rows[0].token_hash).toMatch(/^[0-9a-f]{64}$/);
		expect(rows[0].expires_at).toBe('2026-12-04T10:15:00.000Z');
		expect(await findMemberByEmail(db, 'new.person@example.org')).toBeUndefined();
	});

	it('signs a new address in once, making the member only then, and refuses the link a second time', async () => {
		const { db } = get().store;
		const token = await mailedToken('ada@example.org', { next: '/papers/2406.00001?x=1' });
		expect(await inspectSignInLink(db, token)).toEqual({
			email: 'ada@example.org',
			next: '/papers/2406.00001?x=1'
		});
		// Looking does not use it up (a mail scanner's GET).
		expect(await inspectSignInLink(db, token)).toMatchObject({ email: 'ada@example.org' });
		expect(await findMemberByEmail(db, 'ada@example.org')).toBeUndefined();

		const signedIn = await signInWithLink(db, token, { userAgent: 'test' });
		expect(signedIn.created).toBe(true);
		expect(signedIn.next).toBe('/papers/2406.00001?x=1');
		expect(signedIn.member.username).toBe('ada');
		expect((await resolveSession(db, signedIn.session.token))?.member.id).toBe(signedIn.member.id);

		await expect(signInWithLink(db, token)).rejects.toThrow(/already used/);
		await expect(inspectSignInLink(db, token)).rejects.toThrow(/already used/);

		const again = await signInWithLink(db, await mailedToken('ADA@example.org'));
		expect(again.created).toBe(false);
		expect(again.member.id).toBe(signedIn.member.id);
	});

	it('lets exactly one of two concurrent uses of a link win', async () => {
		const { db } = get().store;
		for (let round = 0; round < 5; round++) {
			const token = await mailedToken(`racer${round}@example.org`);
			const results = await Promise.allSettled([
				signInWithLink(db, token),
				signInWithLink(db, token)
			]);
			const won = results.filter((r) => r.status === 'fulfilled');
			const lost = results.filter((r) => r.status === 'rejected');
			expect(won).toHaveLength(1);
			expect(lost).toHaveLength(1);
			expect(String((lost[0] as PromiseRejectedResult).reason)).toMatch(/already used/);
			const sessions = await db
				.selectFrom('sessions')
				.innerJoin('members', 'members.id', 'sessions.member_id')
				.select('sessions.token_hash')
				.where('members.email', '=', `racer${round}@example.org`)
				.execute();
			expect(sessions).toHaveLength(1);
		}
	});

	it('refuses a link after 15 minutes, saying it expired, and leaves it unused', async () => {
		const { db } = get().store;
		const sent = new Date(Date.now() - 16 * 60_000);
		const token = await mailedToken('late@example.org', { now: sent });
		await expect(inspectSignInLink(db, token)).rejects.toThrow(/expired/);
		await expect(signInWithLink(db, token)).rejects.toThrow(/expired/);
		// Still within 15 minutes of sending, it works.
		const fresh = await mailedToken('late@example.org', {
			now: new Date(Date.now() - 14 * 60_000)
		});
		await expect(signInWithLink(db, fresh)).resolves.toMatchObject({ created: true });
		expect(await findMemberByEmail(db, 'late@example.org')).toBeDefined();
	});

	it('refuses forged links, well-formed or not, as not valid', async () => {
		const { db } = get().store;
		const forged = 'A'.repeat(43);
		for (const token of [forged, 'short', '', `${'A'.repeat(42)}!`]) {
			await expect(inspectSignInLink(db, token)).rejects.toMatchObject({
				status: 400,
				message: expect.stringMatching(/not valid/)
			});
			await expect(signInWithLink(db, token)).rejects.toMatchObject({ status: 400 });
		}
		expect(await db.selectFrom('sessions').select('token_hash').execute()).not.toContainEqual({
			token_hash: forged
		});
	});

	it('refuses a banned member with a clear sentence and starts no session', async () => {
		const { db } = get().store;
		const token = await mailedToken('banned-one@example.org');
		await expect(signInWithLink(db, token)).rejects.toMatchObject({
			status: 403,
			message: 'This account is banned.'
		});
		const sessions = await db
			.selectFrom('sessions')
			.select('token_hash')
			.where('member_id', '=', 'banned-one')
			.execute();
		expect(sessions).toEqual([]);
		// The link is spent all the same.
		await expect(signInWithLink(db, token)).rejects.toThrow(/already used/);
	});

	it('keeps only a same-site path to return to', async () => {
		const { db } = get().store;
		for (const [next, kept] of [
			['/trending?window=day', '/trending?window=day'],
			['//evil.example/', undefined],
			['https://evil.example/', undefined],
			['/\\evil.example', undefined],
			[undefined, undefined]
		] as const) {
			const token = await mailedToken('known-one@example.org', { next });
			expect((await signInWithLink(db, token)).next, String(next)).toBe(kept);
		}
	});

	it('refuses a malformed address and stores nothing', async () => {
		const { db } = get().store;
		const before = await db.selectFrom('login_links').select('token_hash').execute();
		for (const email of ['', 'not-an-address', 'a@b', 'ada@example.org\r\nBcc: x@example.org']) {
			await expect(
				requestSignInLink(sender, { email, clientAddress: nextIp() })
			).rejects.toMatchObject({ status: 400 });
		}
		expect(await db.selectFrom('login_links').select('token_hash').execute()).toHaveLength(
			before.length
		);
	});

	it('answers 429 after five links for one address within the hour, and after twenty from one IP', async () => {
		for (let i = 0; i < 5; i++) await mailedToken('limited@example.org');
		await expect(
			requestSignInLink(sender, { email: 'limited@example.org', clientAddress: nextIp() })
		).rejects.toMatchObject({ status: 429, retryAfterSeconds: expect.any(Number) });

		const shared = '198.51.100.7';
		for (let i = 0; i < 20; i++) {
			await requestSignInLink(sender, { email: `ip${i}@example.org`, clientAddress: shared });
		}
		await expect(
			requestSignInLink(sender, { email: 'ip-last@example.org', clientAddress: shared })
		).rejects.toMatchObject({ status: 429 });
	});

	it('answers 503 when the SMTP server cannot be reached, and says to try again', async () => {
		const unreachable = createMailer(
			{ smtpUrl: 'smtp://127.0.0.1:1', mailFrom: 'test@example.org' },
			sender.log
		);
		try {
			await expect(
				requestSignInLink(
					{ ...sender, mailer: unreachable },
					{ email: 'smtp-down@example.org', clientAddress: nextIp() }
				)
			).rejects.toMatchObject({
				status: 503,
				retryAfterSeconds: 60,
				message: expect.stringMatching(/could not be sent/)
			});
		} finally {
			await unreachable.close();
		}
	});
});
