// @ts-check
/**
 * Save buttons without a page reload. Every save button is a form that works without
 * JavaScript (components/SaveButton.svelte); this script posts the same form in the
 * background, shows the new state at once, and puts the button back with a message
 * when the server refuses or cannot be reached. The form's answer is a 303 back to the
 * page, which is not followed (`redirect: 'manual'`): a redirect means it was done.
 */
(() => {
	const flag = /** @type {Record<string, unknown>} */ (/** @type {unknown} */ (window));
	if (flag.dpSaveButtons) return;
	flag.dpSaveButtons = true;

	/**
	 * @param {HTMLFormElement} form
	 * @param {boolean} saved
	 */
	function show(form, saved) {
		const button = form.querySelector('button');
		const action = /** @type {HTMLInputElement | null} */ (
			form.querySelector('input[name=action]')
		);
		if (!button || !action) return;
		button.setAttribute('aria-pressed', String(saved));
		button.title = saved ? 'On your reading list: take it off' : 'Save to your reading list';
		const [mark, label] = button.querySelectorAll('span');
		if (mark) mark.textContent = saved ? '★' : '☆';
		if (label) label.textContent = saved ? 'Saved' : 'Save';
		action.value = saved ? 'unsave' : 'save';
	}

	document.addEventListener('submit', (event) => {
		const form = event.target;
		if (!(form instanceof HTMLFormElement) || !('saveForm' in form.dataset)) return;
		event.preventDefault();
		const button = form.querySelector('button');
		const problem = form.querySelector('.save-problem');
		if (!button || button.disabled) return;
		const wasSaved = button.getAttribute('aria-pressed') === 'true';
		const body = new URLSearchParams(
			/** @type {[string, string][]} */ ([...new FormData(form)].map(([k, v]) => [k, String(v)]))
		);
		if (problem) problem.textContent = '';
		show(form, !wasSaved);
		button.disabled = true;
		// Not `form.action`: the form's field named "action" shadows that property.
		fetch(form.getAttribute('action') ?? '', {
			method: 'POST',
			body,
			credentials: 'same-origin',
			redirect: 'manual',
			headers: { accept: 'text/html' }
		})
			.then((response) => {
				if (response.type === 'opaqueredirect' || response.ok) return;
				throw new Error(
					response.status === 429
						? 'Too many changes to your reading list; try again in a minute.'
						: `The server refused (${response.status}); nothing was changed.`
				);
			})
			.catch((error) => {
				show(form, wasSaved);
				const message =
					error instanceof TypeError
						? 'Could not reach the server; nothing was changed.'
						: String(error instanceof Error ? error.message : error);
				if (problem) problem.textContent = message;
			})
			.finally(() => {
				button.disabled = false;
			});
	});
})();
