import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '$support/databases';
import { makePaper } from '$support/fixtures';
import { addSubmission } from '$support/member-fixtures';
import { NotFoundError } from '../errors';
import { savePapers } from '../papers/paper.service';
import { castVote, retractVote } from '../votes/vote.service';
import { loadProfile } from './member-profile.service';
import {
	banMember,
	changeProfileFromForm,
	findOrCreateMember,
	memberExists,
	setRole,
	unbanMember
} from './member.service';

describeEachDialect('member profiles', (get) => {
	const papers = Array.from({ length: 5 }, (_, i) =>
		makePaper({ title: `Profile paper ${i}`, publishedAt: `2030-03-0${i + 1}T12:00:00.000Z` })
	);
	let adaId = '';

	beforeAll(async () => {
		const { db } = get().store;
		await savePapers(db, papers);
		const { member: ada } = await findOrCreateMember(db, 'Ada.Lovelace@example.org');
		adaId = ada.id;
		await changeProfileFromForm(db, ada.id, { username: 'Ada', displayName: 'Ada Lovelace' });
		await findOrCreateMember(db, 'grace@example.org');
		// Ada submits papers 0–2 on three days (paper 2 twice), and upvotes 3, 4 then 0.
		for (const [i, day] of [
			[0, '2030-03-01'],
			[1, '2030-03-02'],
			[2, '2030-03-03'],
			[2, '2030-03-04']
		] as const) {
			await addSubmission(db, {
				paperId: papers[i].id,
				day,
				memberId: ada.id,
				username: 'Ada',
				at: `${day}T08:00:00.000Z`
			});
		}
		for (const [i, minute] of [
			[3, 1],
			[4, 2],
			[0, 3]
		] as const) {
			await castVote(
				db,
				{ paperId: papers[i].id, memberId: ada.id },
				new Date(`2030-03-05T10:0${minute}:00.000Z`)
			);
		}
	});

	it('lists the papers a member submitted, newest first, each submission once', async () => {
		const profile = await loadProfile(get().store.db, 'Ada', {
			list: 'submitted',
			page: 0,
			pageSize: 10
		});
		expect(profile.member).toMatchObject({ username: 'Ada', displayName: 'Ada Lovelace' });
		expect(profile.member).not.toHaveProperty('email');
		expect(profile.counts).toEqual({ submitted: 4, upvoted: 3 });
		expect(profile.papers.map((p) => [p.id, p.pickDay])).toEqual([
			[papers[2].id, '2030-03-04'],
			[papers[2].id, '2030-03-03'],
			[papers[1].id, '2030-03-02'],
			[papers[0].id, '2030-03-01']
		]);
		expect(profile.papers[0]).toMatchObject({ submittedBy: 'Ada', title: 'Profile paper 2' });
	});

	it('lists the papers a member upvotes, latest vote first, and drops a vote taken back', async () => {
		const { db } = get().store;
		const load = () => loadProfile(db, 'ada', { list: 'upvoted', page: 0, pageSize: 10 });
		expect((await load()).papers.map((p) => p.id)).toEqual([
			papers[0].id,
			papers[4].id,
			papers[3].id
		]);
		await retractVote(db, { paperId: papers[4].id, memberId: adaId });
		const after = await load();
		expect(after.papers.map((p) => p.id)).toEqual([papers[0].id, papers[3].id]);
		expect(after.counts.upvoted).toBe(2);
		// A paper never picked for a day shows its publication day on the card.
		expect(after.papers[1]).toMatchObject({ pickDay: '2030-03-04', submittedBy: '' });
		await castVote(
			db,
			{ paperId: papers[4].id, memberId: adaId },
			new Date('2030-03-05T10:02:00Z')
		);
	});

	it('pages each list, and a page past the end is empty rather than wrong', async () => {
		const { db } = get().store;
		const page = (p: number) => loadProfile(db, 'Ada', { list: 'submitted', page: p, pageSize: 3 });
		expect((await page(0)).papers).toHaveLength(3);
		expect((await page(1)).papers.map((p) => p.pickDay)).toEqual(['2030-03-01']);
		expect((await page(7)).papers).toEqual([]);
	});

	it('finds a member whatever the case, and says so for an unknown or absurd username', async () => {
		const { db } = get().store;
		const request = { list: 'submitted', page: 0, pageSize: 10 } as const;
		expect((await loadProfile(db, 'ADA', request)).member.username).toBe('Ada');
		await expect(loadProfile(db, 'nobody-here', request)).rejects.toThrow(NotFoundError);
		await expect(loadProfile(db, 'x'.repeat(1000), request)).rejects.toThrow(
			/There is no member called "x{64}"/
		);
	});

	it('shows a suspended member with no lists, and everything again once the ban is lifted', async () => {
		const { db } = get().store;
		const request = { list: 'submitted', page: 0, pageSize: 10 } as const;
		await banMember(db, 'ada');
		const banned = await loadProfile(db, 'Ada', request);
		expect(banned.member.suspended).toBe(true);
		expect(banned.papers).toEqual([]);
		expect(banned.counts).toEqual({ submitted: 0, upvoted: 0 });
		await unbanMember(db, 'ada');
		expect((await loadProfile(db, 'Ada', request)).papers).toHaveLength(4);
	});

	it('shows the role a member was given', async () => {
		const { db } = get().store;
		await setRole(db, 'ada', 'moderator');
		const request = { list: 'submitted', page: 0, pageSize: 1 } as const;
		expect((await loadProfile(db, 'Ada', request)).member.role).toBe('moderator');
		await setRole(db, 'ada', 'member');
	});

	it('knows which member ids exist, for avatars', async () => {
		const { db } = get().store;
		expect(await memberExists(db, adaId)).toBe(true);
		expect(await memberExists(db, 'no-such-id')).toBe(false);
		expect(await memberExists(db, 'x'.repeat(10_000))).toBe(false);
	});
});

describeEachDialect('profile changes from the settings form', (get) => {
	let memberId = '';

	beforeAll(async () => {
		const { db } = get().store;
		memberId = (await findOrCreateMember(db, 'lin@example.org')).member.id;
		await findOrCreateMember(db, 'taken@example.org');
	});

	it('saves a valid username and display name', async () => {
		const { db } = get().store;
		const result = await changeProfileFromForm(db, memberId, {
			username: 'Lin_Yu',
			displayName: '  Lín   Yǔ  '
		});
		expect(result).toEqual({ ok: true });
		const profile = await loadProfile(db, 'lin_yu', { list: 'upvoted', page: 0, pageSize: 5 });
		expect(profile.member).toMatchObject({ username: 'Lin_Yu', displayName: 'Lín Yǔ' });
	});

	it.each([
		[
			'a username another member has, in any case',
			{ username: 'TAKEN' },
			409,
			'username',
			/is taken/
		],
		['a reserved username', { username: 'admin' }, 400, 'username', /reserved/],
		['a Cyrillic look-alike', { username: 'аdа' }, 400, 'username', /only the letters a–z/],
		['a 1 kB username', { username: 'a'.repeat(1024) }, 400, 'username', /2 to 32 characters/],
		[
			'control characters in the display name',
			{ displayName: 'Eve\u0000\u202eevil' },
			400,
			'displayName',
			/control or text-direction/
		],
		['an empty display name', { displayName: '   ' }, 400, 'displayName', /Enter a display name/]
	] as const)(
		'refuses %s, saying why next to the field, and changes nothing',
		async (_, change, status, fieldName, reason) => {
			const { db } = get().store;
			const result = await changeProfileFromForm(db, memberId, {
				username: 'Lin_Yu',
				displayName: 'Lín Yǔ',
				...change
			});
			expect(result).toMatchObject({ ok: false, status });
			expect(!result.ok && result.problems[fieldName]).toMatch(reason);
			const profile = await loadProfile(db, 'lin_yu', { list: 'upvoted', page: 0, pageSize: 5 });
			expect(profile.member).toMatchObject({ username: 'Lin_Yu', displayName: 'Lín Yǔ' });
		}
	);

	it('reports a bad username and a bad display name together', async () => {
		const result = await changeProfileFromForm(get().store.db, memberId, {
			username: '-',
			displayName: ''
		});
		expect(!result.ok && Object.keys(result.problems).sort()).toEqual(['displayName', 'username']);
	});
});
