/**
 * A comment's Markdown as the HTML pages show, rendered once when the comment is
 * written (comments.body_html). markdown-it parses (raw HTML off, so a member's
 * `<script>` is text), sanitize-html then keeps only an allow-list of tags and
 * attributes, and math goes through KaTeX (comment-math.ts) with its own, narrower
 * allow-list. docs/architecture.md "Comment Markdown" says what is allowed and why.
 */
import MarkdownItParser, { type Env, type MarkdownIt } from 'markdown-it';
import sanitizeHtml from 'sanitize-html';
import { escapeHtml } from '$lib/core/latex';
import { stripUnsafeCharacters } from '$lib/core/paper-safety';
import { mathSourceHtml, renderCommentMath } from './comment-math';
import { mathPlugin } from './markdown-math';

/** Formulas rendered per comment; the rest are shown as their source (KaTeX time is the cost). */
export const MAX_FORMULAS_PER_COMMENT = 100;
/**
 * Characters of TeX rendered per comment, all formulas together; formulas past it are
 * shown as their source. KaTeX's time follows the TeX's length: 20,000 characters of
 * nested roots took up to 0.9 s here, 5,000 take about a quarter of that.
 */
export const MAX_MATH_CHARACTERS_PER_COMMENT = 5_000;

/** The rel every link in a comment carries: no ranking credit, marked as user content, no opener. */
export const COMMENT_LINK_REL = 'nofollow ugc noopener';

// Math is rendered apart and put back after sanitizing, in place of this marker. The
// two private-use characters are removed from every source, so members cannot forge one.
const SLOT_OPEN = '\ue000';
const SLOT_CLOSE = '\ue001';
const SLOT = /\ue000(\d+)\ue001/g;
const SLOT_CHARACTERS = /[\ue000\ue001]/g;

/** http(s), a path on this site, or a fragment; nothing else becomes a link (no javascript:, data:, mailto:…). */
function isAllowedUrl(url: string): boolean {
	const trimmed = url.trim();
	return /^https?:\/\//i.test(trimmed) || /^\/(?!\/)/.test(trimmed) || trimmed.startsWith('#');
}

interface RenderEnv extends Env {
	formulas: string[];
	mathCharacters: number;
}

function createParser(): MarkdownIt {
	const md = new MarkdownItParser('default', {
		html: false,
		linkify: true,
		typographer: false,
		// Deeper nesting (quotes in lists in quotes…) is shown as text: bounded work and depth.
		maxNesting: 20
	});
	// No mailto: links from bare addresses; only http(s) links are made.
	md.linkify.set({ fuzzyEmail: false });
	md.validateLink = isAllowedUrl;
	md.use(mathPlugin);

	// Headings drop to h4–h6: a comment never outranks the page's own headings.
	md.core.ruler.push('demote_headings', (state) => {
		for (const token of state.tokens) {
			if (token.type === 'heading_open' || token.type === 'heading_close') {
				token.tag = `h${Math.min(6, Number(token.tag.slice(1)) + 3)}`;
			}
		}
	});

	// An image is shown as a link to it: loading a member's image would tell its host
	// who reads the page (a tracking pixel), and the site's CSP allows no other origin.
	md.renderer.rules.image = (tokens, index, options, env) => {
		const token = tokens[index];
		const src = String(token.attrGet('src') ?? '');
		const alt = md.renderer.renderInlineAsText(token.children ?? [], options, env);
		return `<a href="${escapeHtml(src)}">${escapeHtml(alt.trim() || src)}</a>`;
	};

	const mathSlot = (content: string, env: RenderEnv, display: boolean): string => {
		env.mathCharacters += content.length;
		env.formulas.push(
			env.formulas.length >= MAX_FORMULAS_PER_COMMENT
				? mathSourceHtml(
						content,
						`Only ${MAX_FORMULAS_PER_COMMENT} formulas per comment are rendered`
					)
				: env.mathCharacters > MAX_MATH_CHARACTERS_PER_COMMENT
					? mathSourceHtml(
							content,
							`Only ${MAX_MATH_CHARACTERS_PER_COMMENT.toLocaleString('en')} characters of math per comment are rendered`
						)
					: renderCommentMath(content, display)
		);
		return `${SLOT_OPEN}${env.formulas.length - 1}${SLOT_CLOSE}`;
	};
	// renderCommentMarkdown always passes a RenderEnv.
	md.renderer.rules.math_inline = (tokens, index, _options, env?: Env) =>
		mathSlot(tokens[index].content, env as RenderEnv, tokens[index].info === 'display');
	md.renderer.rules.math_block = (tokens, index, _options, env?: Env) =>
		`<p>${mathSlot(tokens[index].content, env as RenderEnv, true)}</p>\n`;
	return md;
}

/**
 * What may stay in a comment's HTML. No `style`, no `class`, no `id`, no event
 * handler, no media or embedding tag; links only to http(s) addresses or this
 * site's paths, always with COMMENT_LINK_REL and never a `target`.
 */
const COMMENT_ALLOW_LIST: sanitizeHtml.IOptions = {
	allowedTags: [
		'p',
		'br',
		'hr',
		'h4',
		'h5',
		'h6',
		'em',
		'strong',
		's',
		'code',
		'pre',
		'blockquote',
		'ul',
		'ol',
		'li',
		'a',
		'table',
		'thead',
		'tbody',
		'tr',
		'th',
		'td'
	],
	allowedAttributes: { a: ['href', 'rel'], ol: ['start'] },
	allowedSchemes: ['http', 'https'],
	allowedSchemesByTag: {},
	allowProtocolRelative: false,
	disallowedTagsMode: 'discard',
	transformTags: {
		a: (tagName, attribs) => ({
			tagName,
			attribs: {
				...(attribs.href && isAllowedUrl(attribs.href) ? { href: attribs.href } : {}),
				rel: COMMENT_LINK_REL
			}
		})
	},
	nestingLimit: 40
};

const parser = createParser();

/** Safe HTML for a comment's Markdown source. */
export function renderCommentMarkdown(source: string): string {
	const clean = stripUnsafeCharacters(source).replace(SLOT_CHARACTERS, '');
	const env: RenderEnv = { formulas: [], mathCharacters: 0 };
	const html = sanitizeHtml(parser.render(clean, env), COMMENT_ALLOW_LIST);
	return html.replace(SLOT, (slot, index: string) => env.formulas[Number(index)] ?? '');
}
