// @ts-check
/**
 * Vote buttons without a page reload. Every vote button is a form that works without
 * JavaScript (components/VoteButton.svelte); this script, loaded only on pages with
 * them, sends the vote to the JSON API instead, shows it at once, and puts the button
 * back with a message when the server refuses (signed out, too many votes) or cannot
 * be reached. Plain JavaScript served from /static: no hydration, no inline script,
 * so the page's Content-Security-Policy (script-src 'self') holds.
 */
(() => {
	const flag = /** @type {Record<string, unknown>} */ (/** @type {unknown} */ (window));
	if (flag.dpVoteButtons) return;
	flag.dpVoteButtons = true;

	/** @param {number} n */
	const upvotesText = (n) => `${n} upvote${n === 1 ? '' : 's'}`;

	/**
	 * @param {HTMLFormElement} form
	 * @param {boolean} voted
	 * @param {number} upvotes
	 */
	function show(form, voted, upvotes) {
		const button = form.querySelector('button');
		const count = form.querySelector('.count');
		const direction = /** @type {HTMLInputElement | null} */ (
			form.querySelector('input[name=vote]')
		);
		if (!button || !count || !direction) return;
		button.setAttribute('aria-pressed', String(voted));
		const label = `${voted ? 'Remove your upvote' : 'Upvote'} (${upvotesText(upvotes)})`;
		button.setAttribute('aria-label', label);
		button.title = label;
		count.textContent = String(upvotes);
		direction.value = voted ? 'down' : 'up';
	}

	/** @param {Response} response */
	async function refusal(response) {
		if (response.status === 401) return 'Sign in to upvote; your vote was not saved.';
		try {
			const body = await response.json();
			if (body && typeof body.error === 'string') return `${body.error} Your vote was not saved.`;
		} catch {
			// not JSON: fall through to the generic sentence
		}
		return `The server refused the vote (${response.status}); it was not saved.`;
	}

	document.addEventListener('submit', (event) => {
		const form = event.target;
		if (!(form instanceof HTMLFormElement) || !form.dataset.voteApi) return;
		event.preventDefault();
		const button = form.querySelector('button');
		const count = form.querySelector('.count');
		const problem = form.querySelector('.vote-problem');
		if (!button || !count || button.disabled) return;
		const wasVoted = button.getAttribute('aria-pressed') === 'true';
		const wasCount = Number(count.textContent);
		if (problem) problem.textContent = '';
		// Optimistic: show the new state now, undo it if the server does not confirm.
		show(form, !wasVoted, wasCount + (wasVoted ? -1 : 1));
		button.disabled = true;
		fetch(form.dataset.voteApi, {
			method: wasVoted ? 'DELETE' : 'POST',
			headers: { accept: 'application/json' },
			credentials: 'same-origin'
		})
			.then(async (response) => {
				if (!response.ok) throw new Error(await refusal(response));
				const body = await response.json();
				show(form, Boolean(body.voted), Number(body.upvotes));
			})
			.catch((error) => {
				show(form, wasVoted, wasCount);
				const message =
					error instanceof TypeError
						? 'Could not reach the server; your vote was not saved.'
						: String(error instanceof Error ? error.message : error);
				if (problem) problem.textContent = message;
			})
			.finally(() => {
				button.disabled = false;
			});
	});
})();
