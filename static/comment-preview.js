// @ts-check
/**
 * Live preview of a comment while it is written. For every `textarea[name="body"]` in a
 * form that holds an element marked `data-comment-preview`, a pause in typing (300 ms)
 * sends the text to POST /api/comments/preview and shows the HTML the server renders,
 * the same HTML the comment will have once posted (Markdown, sanitized, KaTeX). Without
 * JavaScript nothing happens and the form simply posts. Plain JavaScript served from
 * /static, listening on the document, so forms added later are covered too and the
 * page's Content-Security-Policy (script-src 'self') holds.
 */
(() => {
	const flag = /** @type {Record<string, unknown>} */ (/** @type {unknown} */ (window));
	if (flag.dpCommentPreview) return;
	flag.dpCommentPreview = true;

	const DEBOUNCE_MS = 300;
	const DEFAULT_API = '/api/comments/preview';

	/** @type {WeakMap<HTMLTextAreaElement, { timer: number, sequence: number }>} */
	const pending = new WeakMap();

	/** @param {HTMLTextAreaElement} textarea */
	function previewOf(textarea) {
		const form = textarea.form;
		const preview = form && form.querySelector('[data-comment-preview]');
		return preview instanceof HTMLElement ? preview : null;
	}

	/** @param {Response} response */
	async function refusal(response) {
		if (response.status === 401) return 'Sign in to see a preview.';
		try {
			const body = await response.json();
			if (body && typeof body.error === 'string') return body.error;
		} catch {
			// not JSON: fall through to the generic sentence
		}
		return `The preview is not available (${response.status}).`;
	}

	/**
	 * @param {HTMLElement} preview
	 * @param {string} message
	 */
	function showProblem(preview, message) {
		const problem = document.createElement('p');
		problem.className = 'comment-preview-problem';
		problem.textContent = message;
		preview.replaceChildren(problem);
	}

	/**
	 * @param {HTMLTextAreaElement} textarea
	 * @param {HTMLElement} preview
	 * @param {number} sequence
	 */
	async function render(textarea, preview, sequence) {
		const body = textarea.value;
		if (body.trim() === '') {
			preview.replaceChildren();
			return;
		}
		const isCurrent = () => pending.get(textarea)?.sequence === sequence;
		preview.setAttribute('aria-busy', 'true');
		try {
			const response = await fetch(preview.dataset.commentPreview || DEFAULT_API, {
				method: 'POST',
				headers: { accept: 'application/json', 'content-type': 'application/json' },
				credentials: 'same-origin',
				body: JSON.stringify({ body })
			});
			if (!isCurrent()) return; // a later keystroke has its own request
			if (!response.ok) {
				showProblem(preview, await refusal(response));
				return;
			}
			const answer = await response.json();
			// The server's own rendering: sanitized against an allow-list before it is sent.
			if (isCurrent()) preview.innerHTML = typeof answer.html === 'string' ? answer.html : '';
		} catch {
			if (isCurrent()) showProblem(preview, 'Could not reach the server for a preview.');
		} finally {
			if (isCurrent()) preview.removeAttribute('aria-busy');
		}
	}

	document.addEventListener('input', (event) => {
		const textarea = event.target;
		if (!(textarea instanceof HTMLTextAreaElement) || textarea.name !== 'body') return;
		const preview = previewOf(textarea);
		if (!preview) return;
		if (!preview.hasAttribute('aria-live')) preview.setAttribute('aria-live', 'polite');
		const previous = pending.get(textarea);
		if (previous) clearTimeout(previous.timer);
		const sequence = (previous?.sequence ?? 0) + 1;
		const timer = window.setTimeout(() => render(textarea, preview, sequence), DEBOUNCE_MS);
		pending.set(textarea, { timer, sequence });
	});
})();
