/**
 * Every URL the site hands out, built in one place: pages, the JSON API, and
 * (through `absoluteUrl`) the absolute links feeds and e-mails need. Shared by
 * components and the server, so it imports nothing from either.
 *
 * @example
 * links.feed('week', '2024-W23', 2) // → '/papers?week=2024-W23&p=2'
 * links.search('cat:cs.LG diffusion') // → '/search?q=cat%3Acs.LG%20diffusion'
 * absoluteUrl('https://papers.example.org', links.paper('2406.00001'))
 * // → 'https://papers.example.org/papers/2406.00001'
 */

/** The feed views a link can open. */
export type FeedKind = 'day' | 'week' | 'month';

// arXiv ids may hold one slash (old style `hep-th/9901001`); the route keeps it as a path segment.
const idPath = (id: string) => id.split('/').map(encodeURIComponent).join('/');

const withPage = (path: string, page: number | undefined, separator: '?' | '&') =>
	page ? `${path}${separator}p=${page}` : path;

export const links = {
	/** The front page: today's papers, or the latest day with picks. */
	home: (): string => '/',
	/**
	 * A day (`date=YYYY-MM-DD`), week (`week=YYYY-Www`) or month (`month=YYYY-MM`) of the feed; a week
	 * or month may carry the day selected in it (`day=`), so the Day tab returns to that day.
	 */
	feed: (kind: FeedKind, key: string, page?: number, selectedDay?: string): string =>
		withPage(
			`/papers?${kind === 'day' ? 'date' : kind}=${encodeURIComponent(key)}` +
				(kind !== 'day' && selectedDay ? `&day=${encodeURIComponent(selectedDay)}` : ''),
			page,
			'&'
		),
	/** Trending papers of the last day, week or month, page from 0 (`/trending?window=week&p=1`). */
	trending: (window: 'day' | 'week' | 'month' = 'week', page?: number): string =>
		withPage(`/trending?window=${window}`, page, '&'),
	/** A paper's page. */
	paper: (id: string): string => `/papers/${idPath(id)}`,
	/** The search page, for a query and a page from 0; no query opens the empty search page. */
	search: (q = '', page?: number): string =>
		q.trim() ? withPage(`/search?q=${encodeURIComponent(q)}`, page, '&') : '/search',
	/** The search form's action (it adds `q` itself). */
	searchForm: (): string => '/search',
	/** The health check. */
	health: (): string => '/healthz',
	/** The sign-in page; `next` is the site path to return to once signed in. */
	signIn: (next?: string): string =>
		next && next !== '/' ? `/signin?next=${encodeURIComponent(next)}` : '/signin',
	/** "Check your inbox": where asking for a sign-in link leads. */
	signInSent: (): string => '/signin/sent',
	/** Where a sign-in link from an e-mail lands (`token` is the link's secret). */
	signInLink: (token: string): string => `/signin/link?token=${encodeURIComponent(token)}`,
	/** "Sign in with Hugging Face" (OpenID Connect), returning to `next`. */
	signInWithHuggingFace: (next?: string): string =>
		next && next !== '/'
			? `/signin/huggingface?next=${encodeURIComponent(next)}`
			: '/signin/huggingface',
	/** POST here to sign out (form field `scope`: `this` device, or `all` devices). */
	signOut: (): string => '/signout',
	/** A member's settings: profile, API tokens, sessions. */
	settings: (): string => '/settings',
	/** The settings page after a first sign-in (choose a username), then on to `next`. */
	welcome: (next?: string): string =>
		next && next !== '/'
			? `/settings?welcome=1&next=${encodeURIComponent(next)}`
			: '/settings?welcome=1',
	/**
	 * A member's public profile: the papers they submitted (the default) or upvoted, page from 0
	 * (`/u/ada?list=upvoted&p=1`).
	 */
	member: (username: string, list: 'submitted' | 'upvoted' = 'submitted', page?: number): string =>
		withPage(
			`/u/${encodeURIComponent(username)}${list === 'upvoted' ? '?list=upvoted' : ''}`,
			page,
			list === 'upvoted' ? '&' : '?'
		),
	/** A member's generated avatar (SVG), by their id so it survives a change of username. */
	avatar: (memberId: string): string => `/avatars/${encodeURIComponent(memberId)}.svg`,
	/** The page for submitting a paper for today. */
	submit: (): string => '/submit',
	/**
	 * A paper's page right after a submission, saying how it went: `new` (submitted),
	 * `upvoted` (merged into an earlier pick, the upvote added) or `unchanged` (merged, already upvoted).
	 */
	submitted: (id: string, notice: 'new' | 'upvoted' | 'unchanged'): string =>
		`/papers/${idPath(id)}?submitted=${notice}`,
	/** POST here (a form, without JavaScript) to toggle the signed-in member's upvote of a paper. */
	vote: (id: string): string => `/papers/${idPath(id)}/vote`,
	/** One comment in its paper's thread (the paper page at the comment's anchor). */
	comment: (paperId: string, commentId: string): string =>
		// `?comment=` lets the page open the part of a long thread that holds the comment.
		`/papers/${idPath(paperId)}?comment=${encodeURIComponent(commentId)}#comment-${encodeURIComponent(commentId)}`,
	/** A page of a paper's discussion, from 0 (long threads are paginated by top-level comments). */
	commentsPage: (paperId: string, page: number): string =>
		page > 0
			? `/papers/${idPath(paperId)}?comments=${page}#discussion`
			: `/papers/${idPath(paperId)}#discussion`,
	/**
	 * POST here (a form, without JavaScript) to post a comment or reply (`post`: `body`, `parentId`),
	 * edit one (`edit`: `commentId`, `body`) or delete one (`delete`: `commentId`).
	 */
	commentForm: (paperId: string, action: 'post' | 'edit' | 'delete'): string =>
		`/papers/${idPath(paperId)}/comments?/${action}`,
	/** The paper page with the reply form open under a comment (works without JavaScript). */
	commentReply: (paperId: string, commentId: string): string =>
		`/papers/${idPath(paperId)}?reply=${encodeURIComponent(commentId)}#comment-${encodeURIComponent(commentId)}`,
	/** The paper page with the edit form open in place of the member's own comment. */
	commentEdit: (paperId: string, commentId: string): string =>
		`/papers/${idPath(paperId)}?edit=${encodeURIComponent(commentId)}#comment-${encodeURIComponent(commentId)}`,
	/** POST here (a form) to save a paper to the reading list, or take it off (`action=unsave`). */
	save: (id: string): string => `/papers/${idPath(id)}/save`,
	/** The signed-in member's page: what is new from what they follow. */
	me: (): string => '/me',
	/** The signed-in member's reading list. */
	saved: (page?: number): string => withPage('/me/saved', page, '?'),
	/** The signed-in member's notifications (replies, comments on their submissions). */
	notifications: (): string => '/me/notifications',
	/** POST here (a form: `kind`, `target`, `action=follow|unfollow`, `back`) to follow or unfollow. */
	follow: (): string => '/me/follows',
	/** An author's page, by the name as written on papers (one page per written name). */
	author: (name: string, page?: number): string =>
		withPage(`/authors/${encodeURIComponent(name)}`, page, '?'),
	/** An arXiv category's page (`cs.CL`). */
	category: (category: string, page?: number): string =>
		withPage(`/categories/${encodeURIComponent(category)}`, page, '?'),
	/** The page for flagging a comment or paper to the moderators, returning to `back`. */
	flag: (kind: 'comment' | 'paper', id: string, back?: string): string =>
		`/flag?kind=${kind}&id=${encodeURIComponent(id)}` +
		(back ? `&back=${encodeURIComponent(back)}` : ''),
	/** The moderators' queue of flags. */
	moderation: (): string => '/mod',
	/** The admins' audit log of moderator actions. */
	auditLog: (page?: number): string => withPage('/mod/log', page, '?'),
	api: {
		/** `GET /api/daily_papers`: the feed in Hugging Face's shape. */
		dailyPapers: (): string => '/api/daily_papers',
		/** `GET /api/papers/{id}` */
		paper: (id: string): string => `/api/papers/${idPath(id)}`,
		/** `GET /api/papers/{id}/similar` */
		similar: (id: string): string => `/api/papers/${idPath(id)}/similar`,
		/** `POST` (upvote) and `DELETE` (take it back) `/api/papers/{id}/upvote` */
		upvote: (id: string): string => `/api/papers/${idPath(id)}/upvote`,
		/** `POST /api/papers/submit` `{ "arxivId": "…" }`: submit a paper for today. */
		submit: (): string => '/api/papers/submit',
		/** `GET` (the thread as JSON) and `POST` (a new comment or reply) `/api/papers/{id}/comments` */
		comments: (id: string): string => `/api/papers/${idPath(id)}/comments`,
		/** `PATCH` (edit, within 15 minutes) and `DELETE` (soft) `/api/comments/{id}` */
		comment: (commentId: string): string => `/api/comments/${encodeURIComponent(commentId)}`,
		/** `POST /api/comments/preview` `{ "body": "…" }` → `{ "html": "…" }` */
		commentPreview: (): string => '/api/comments/preview',
		/** `GET /api/papers/search?q=` */
		search: (q: string): string => `/api/papers/search?q=${encodeURIComponent(q)}`
	}
} as const;

/** A site path as an absolute URL on the public origin (`DP_PUBLIC_URL`), for feeds and e-mails. */
export function absoluteUrl(publicUrl: string, path: string): string {
	return new URL(path, publicUrl).href;
}
