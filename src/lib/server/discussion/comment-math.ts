/**
 * One formula of a comment to safe HTML: KaTeX with trust off and small limits,
 * then sanitize-html with an allow-list of exactly what KaTeX's HTML output uses
 * (spans with KaTeX's own classes, and `style` properties with numeric or colour
 * values only; the SVG KaTeX draws roots and stretchy arrows with). This is the
 * only place a comment's HTML may carry `style`: the Markdown around it is
 * sanitized with no `style` at all (markdown.ts).
 */
import katex from 'katex';
import sanitizeHtml from 'sanitize-html';
import { escapeHtml } from '$lib/core/latex';

/** A longer formula is shown as its source: KaTeX's time grows with it, and nobody writes one. */
export const MAX_FORMULA_LENGTH = 2_000;

const KATEX_OPTIONS = {
	throwOnError: false,
	// \href, \url, \includegraphics and \html… then render as red errors, never as links or attributes.
	trust: false,
	strict: 'ignore',
	// HTML only: MathML would widen the allow-list by some thirty tags whose parsing in the
	// browser (foreign content) differs from the sanitizer's, the classic ground for mutation XSS.
	output: 'html',
	// \rule, \kern, \hspace and sizes in em: nothing larger than a few lines of text.
	maxSize: 5,
	// Macro expansions per formula: stops \def bombs that double with each level.
	maxExpand: 1_000
} as const;

/**
 * The classes KaTeX's HTML output uses: every class katex.css styles (0.16.x)
 * plus the atom classes (mord, mbin…) it sets without styling. `\htmlClass`
 * needs trust, so members never choose one.
 */
const KATEX_CLASSES = `
	accent accent-body accent-full accentunder amsrm angl anglpad arraycolsep base boldsymbol
	boxpad brace-center brace-left brace-right cancel-lap cancel-pad cd-arrow-pad
	cd-label-left cd-label-right cd-vert-arrow clap col-align-c col-align-l col-align-r
	colorbox delim-size1 delim-size4 delimcenter delimsizing eqn-num fbox fcolorbox fix fleqn
	fontsize-ensurer frac-line halfarrow-left halfarrow-right hbox hdashline hide-tail hline
	inner katex katex-display katex-error katex-html large-op leqno llap mainrm mathbb mathbf
	mathboldfrak mathboldsf mathcal mathfrak mathit mathitsf mathnormal mathrm mathscr mathsf
	mathsfit mathtt mbin mclose mfrac minner mop mopen mord mover mpunct mrel mspace msupsub
	mtable mtight mtr-glue mult munder newline nobreak nulldelimiter op-limits op-symbol
	overlay overline overline-line pstrut reset-size1 reset-size2 reset-size3 reset-size4
	reset-size5 reset-size6 reset-size7 reset-size8 reset-size9 reset-size10 reset-size11 rlap
	root rule size1 size2 size3 size4 size5 size6 size7 size8 size9 size10 size11 small-op
	smash sout sqrt stretchy strut svg-align tag text textbb textbf textboldfrak textboldsf
	textfrak textit textitsf textmd textrm textscr textsf texttt textup thinbox underline
	underline-line vbox vertical-separator vlist vlist-r vlist-s vlist-t vlist-t2 x-arrow
	x-arrow-pad
`
	.trim()
	.split(/\s+/);

/** A CSS length as KaTeX writes one (`-0.25em`, `0`, `100%`), or several separated by spaces (`margin`). */
const LENGTHS = /^-?\d*\.?\d+(?:em|ex|px|pt|%)?(?: -?\d*\.?\d+(?:em|ex|px|pt|%)?){0,3}$/;
/** `\color`'s argument as KaTeX accepts it: a name or a hex colour; never a url() or an expression. */
const COLOR = /^(?:#[0-9a-f]{3,8}|[a-z]+)$/i;
const BORDER_STYLE = /^(?:solid|dashed|dotted)$/;

const lengthProperties = [
	'height',
	'width',
	'min-width',
	'top',
	'bottom',
	'left',
	'vertical-align',
	'margin',
	'margin-left',
	'margin-right',
	'margin-top',
	'margin-bottom',
	'padding-left',
	'padding-right',
	'border-width',
	'border-top-width',
	'border-bottom-width',
	'border-right-width',
	'border-left-width'
];

const SPAN_STYLES: Record<string, RegExp[]> = {
	...Object.fromEntries(lengthProperties.map((property) => [property, [LENGTHS]])),
	// KaTeX's boxes are relative; never absolute or fixed (they could cover the page).
	position: [/^relative$/],
	color: [COLOR],
	'background-color': [COLOR],
	'border-color': [COLOR],
	'border-style': [BORDER_STYLE],
	'border-top-style': [BORDER_STYLE],
	'border-bottom-style': [BORDER_STYLE],
	'border-right-style': [BORDER_STYLE],
	'border-left-style': [BORDER_STYLE]
};

const KATEX_ALLOW_LIST: sanitizeHtml.IOptions = {
	allowedTags: ['span', 'svg', 'path', 'line'],
	allowedAttributes: {
		span: ['class', 'style', 'aria-hidden', 'title'],
		svg: ['xmlns', 'width', 'height', 'viewBox', 'preserveAspectRatio', 'style'],
		path: ['d'],
		line: ['x1', 'x2', 'y1', 'y2', 'stroke-width']
	},
	allowedClasses: { span: KATEX_CLASSES },
	allowedStyles: {
		span: SPAN_STYLES,
		svg: { width: [LENGTHS], height: [LENGTHS], 'min-width': [LENGTHS] }
	},
	allowedSchemes: [],
	disallowedTagsMode: 'discard',
	// SVG's viewBox and preserveAspectRatio are case-sensitive.
	parser: { lowerCaseAttributeNames: false }
};

/** A formula that was not rendered (too long, too many, or KaTeX gave up), as its escaped source. */
export function mathSourceHtml(tex: string, why: string): string {
	return `<code class="math-source" title="${escapeHtml(why)}">${escapeHtml(tex)}</code>`;
}

/** Safe HTML for one formula of a comment; the escaped source when it cannot be rendered. */
export function renderCommentMath(tex: string, displayMode: boolean): string {
	if (tex.length > MAX_FORMULA_LENGTH) {
		return mathSourceHtml(
			tex,
			`Formulas longer than ${MAX_FORMULA_LENGTH} characters are not rendered`
		);
	}
	let html: string;
	try {
		html = katex.renderToString(tex, { ...KATEX_OPTIONS, displayMode });
	} catch {
		// throwOnError: false covers parse errors only; deep nesting can still overflow the stack.
		return mathSourceHtml(tex, 'This formula could not be rendered');
	}
	// KaTeX's HTML is hidden from screen readers (it would be read glyph by glyph): they read the TeX.
	return `<span role="math" aria-label="${escapeHtml(tex.trim())}">${sanitizeHtml(html, KATEX_ALLOW_LIST)}</span>`;
}
