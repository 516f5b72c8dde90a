/**
 * Comment sources that try to run script, load something, or restyle the page
 * once rendered: raw HTML, Markdown links and images, autolinks, entity and
 * case tricks, KaTeX commands that take URLs or attributes, expansion bombs and
 * sizes, and bidi or zero-width text. Shared by the renderer's unit test and the
 * browser test (e2e/xss.spec.ts). A payload that runs sets `window.__xss` or
 * opens a dialog; either fails the browser test.
 */
const MARK = 'window.__xss=1';

export const XSS_PAYLOADS: { name: string; source: string }[] = [
	{ name: 'script tag', source: `<script>${MARK}</script>` },
	{ name: 'script alert', source: '<script>alert(1)</script>' },
	{ name: 'img onerror', source: `<img src=x onerror="${MARK}">` },
	{ name: 'img onerror in text', source: `hello <img src=x onerror=alert(1)> world` },
	{ name: 'svg onload', source: `<svg onload="${MARK}"></svg>` },
	{ name: 'svg script', source: `<svg><script>${MARK}</script></svg>` },
	{ name: 'iframe srcdoc', source: `<iframe srcdoc="<script>parent.${MARK}</script>"></iframe>` },
	{ name: 'details ontoggle', source: `<details open ontoggle="${MARK}">x</details>` },
	{ name: 'body onload', source: `<body onload=alert(1)>` },
	{ name: 'style tag', source: '<style>body{display:none}</style>' },
	{ name: 'inline style', source: '<p style="position:fixed;top:0;left:0">cover</p>' },
	{ name: 'math mxss', source: `<math><mtext><table><mglyph><style><img src=x onerror=${MARK}>` },
	{ name: 'noscript mxss', source: `<noscript><p title="</noscript><img src=x onerror=${MARK}>">` },
	{ name: 'html comment', source: `<!--><img src=x onerror=${MARK}>-->` },
	{ name: 'form', source: '<form action="javascript:alert(1)"><button>go</button></form>' },
	{ name: 'markdown javascript link', source: '[click](javascript:alert(1))' },
	{ name: 'markdown javascript link, upper case', source: '[click](JaVaScRiPt:alert(1))' },
	{ name: 'markdown javascript link, entity', source: '[click](&#106;avascript:alert(1))' },
	{
		name: 'markdown javascript link, hex entity',
		source: '[click](&#x6A;avascript&#x3A;alert(1))'
	},
	{ name: 'markdown javascript link, tab', source: '[click](java\tscript:alert(1))' },
	{ name: 'markdown javascript link, newline', source: '[click](<java\nscript:alert(1)>)' },
	{ name: 'markdown javascript link, percent', source: '[click](javascript%3Aalert(1))' },
	{ name: 'markdown javascript link, leading space', source: '[click](< javascript:alert(1)>)' },
	{ name: 'markdown vbscript link', source: '[click](vbscript:msgbox(1))' },
	{
		name: 'markdown data link',
		source: '[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)'
	},
	{ name: 'markdown file link', source: '[click](file:///etc/passwd)' },
	{ name: 'markdown protocol-relative link', source: '[click](//evil.example/x)' },
	{
		name: 'markdown link title breakout',
		source: `[click](https://a.example "a\\" onmouseover=\\"${MARK}")`
	},
	{
		name: 'markdown link with quote in url',
		source: `[click](https://a.example/"onmouseover="${MARK})`
	},
	{ name: 'markdown javascript image', source: '![x](javascript:alert(1))' },
	{
		name: 'markdown data image',
		source: '![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)'
	},
	{ name: 'markdown image onerror alt', source: `![x" onerror="${MARK}](https://a.example/i.png)` },
	{ name: 'markdown image tracker', source: '![pixel](https://tracker.example/p.gif)' },
	{ name: 'autolink javascript', source: '<javascript:alert(1)>' },
	{ name: 'autolink data', source: '<data:text/html,<script>alert(1)</script>>' },
	{ name: 'autolink vbscript', source: '<vbscript:msgbox(1)>' },
	{ name: 'autolink email', source: '<someone@example.com>' },
	{ name: 'linkify javascript', source: 'see javascript:alert(1) now' },
	{ name: 'reference link javascript', source: '[click][x]\n\n[x]: javascript:alert(1)' },
	{
		name: 'reference link data',
		source: '[click][x]\n\n[x]: data:text/html,<script>alert(1)</script>'
	},
	{ name: 'reference image javascript', source: '![img][x]\n\n[x]: javascript:alert(1)' },
	{ name: 'html entity script', source: '&lt;script&gt;alert(1)&lt;/script&gt;' },
	{ name: 'a tag href', source: `<a href="javascript:${MARK}">x</a>` },
	{ name: 'code fence with html', source: '```html\n<script>alert(1)</script>\n```' },
	{ name: 'code fence info breakout', source: '```"><img src=x onerror=alert(1)>\ncode\n```' },
	{ name: 'inline code with html', source: '`<img src=x onerror=alert(1)>`' },
	{ name: 'math with html', source: `$<img src=x onerror=${MARK}>$` },
	{ name: 'math text with html', source: `$\\text{<script>${MARK}</script>}$` },
	{ name: 'katex href', source: '$\\href{javascript:alert(1)}{click}$' },
	{ name: 'katex href https', source: '$\\href{https://evil.example}{click}$' },
	{ name: 'katex url', source: '$\\url{javascript:alert(1)}$' },
	{ name: 'katex htmlData', source: '$\\htmlData{onclick=alert(1)}{x}$' },
	{ name: 'katex htmlClass', source: '$\\htmlClass{action}{x}$' },
	{ name: 'katex htmlId', source: '$\\htmlId{main}{x}$' },
	{ name: 'katex htmlStyle', source: '$\\htmlStyle{position:fixed;top:0;left:0;width:100%}{x}$' },
	{ name: 'katex includegraphics', source: '$\\includegraphics{https://tracker.example/p.png}$' },
	{
		name: 'katex color expression',
		source: '$\\color{red;background:url(https://tracker.example)}{x}$'
	},
	{ name: 'katex in display block', source: '$$\n\\href{javascript:alert(1)}{x}\n$$' },
	{ name: 'katex in \\( \\)', source: '\\(\\url{javascript:alert(1)}\\)' },
	{ name: 'katex in \\[ \\]', source: '\\[\\htmlStyle{color:red}{x}\\]' },
	{ name: 'deeply nested braces', source: `$${'{'.repeat(900)}x${'}'.repeat(900)}$` },
	{ name: 'too deeply nested braces', source: `$${'{'.repeat(5000)}x${'}'.repeat(5000)}$` },
	{
		name: 'exponential \\def',
		source: `$\\def\\a{xx}\\def\\b{\\a\\a}\\def\\c{\\b\\b}\\def\\d{\\c\\c}\\def\\e{\\d\\d}\\def\\f{\\e\\e}\\def\\g{\\f\\f}\\def\\h{\\g\\g}\\def\\i{\\h\\h}\\def\\j{\\i\\i}\\def\\k{\\j\\j}\\k\\k\\k$`
	},
	{
		name: 'exponential \\newcommand',
		source: `$\\newcommand{\\a}{x\\,x}\\newcommand{\\b}{\\a\\a\\a}\\newcommand{\\c}{\\b\\b\\b}\\newcommand{\\d}{\\c\\c\\c}\\newcommand{\\e}{\\d\\d\\d}\\newcommand{\\f}{\\e\\e\\e}\\newcommand{\\g}{\\f\\f\\f}\\g\\g$`
	},
	{ name: 'recursive macro', source: '$\\def\\a{\\a\\a}\\a$' },
	{ name: 'huge rule', source: '$\\rule{10000em}{10000em}$' },
	{ name: 'huge kern', source: '$x\\kern-10000em y\\hspace{10000em}z$' },
	{ name: 'huge sized text', source: '$\\Huge\\Huge\\Huge\\sizing{10}{x}\\Huge{\\Huge X}$' },
	{ name: 'raisebox far', source: '$\\raisebox{-10000em}{x}\\raisebox{10000em}{y}$' },
	{ name: 'many formulas', source: '$x$ '.repeat(500) },
	{ name: 'long formula', source: `$${'x+'.repeat(3000)}x$` },
	{
		name: 'rtl override',
		source: 'file\u202Egnp.exe and [link\u202E](https://a.example/\u202Eexe)'
	},
	{ name: 'bidi isolates', source: 'a\u2066b\u2067c\u2068d\u2069e\u202Af\u202Bg\u202Ch\u202Di' },
	{
		name: 'zero-width joiners',
		source: 'ja\u200Dva\u200Bscript:alert(1) [x](java\u200Dscript:alert(1))'
	},
	{ name: 'control characters', source: 'a\u0000b\u0001c\u0008d\u001Be\u007Ff\u0085g' },
	{ name: 'slot marker forgery', source: '\uE0000\uE001 and $x$ \uE0000\uE001' },
	{ name: 'very long line', source: 'A'.repeat(19_000) },
	{ name: 'very long link', source: `[x](https://a.example/${'a'.repeat(15_000)})` },
	{ name: 'deep blockquote', source: '>'.repeat(5000) + ' deep' },
	{
		name: 'deep list',
		source: Array.from({ length: 120 }, (_, i) => `${'  '.repeat(i)}- item`).join('\n')
	},
	{ name: 'heading levels', source: '# one\n## two\n### three\n###### six' },
	{
		name: 'table with html',
		source: '| a | b |\n|---|---|\n| <img src=x onerror=alert(1)> | [x](javascript:alert(1)) |'
	},
	{ name: 'attribute in link text', source: `[<img src=x onerror=${MARK}>](https://a.example)` },
	{ name: 'nested markdown link', source: '[[x](javascript:alert(1))](https://a.example)' },
	{ name: 'unicode escape in url', source: '[x](\\u006aavascript:alert(1))' },
	{ name: 'backslash escaped url', source: '[x](javascript\\:alert(1))' }
];
