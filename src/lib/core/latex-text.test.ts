import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { displayText, latexToUnicode } from './latex-text';

const raw = String.raw;

describe('latexToUnicode', () => {
	it('turns every accent form arXiv uses into the composed letter', () => {
		const cases: [string, string][] = [
			[raw`{\"o}`, 'ö'],
			[raw`\"{o}`, 'ö'],
			[raw`\"o`, 'ö'],
			[raw`{\'e}`, 'é'],
			[raw`\'{e}`, 'é'],
			[raw`\`a`, 'à'],
			[raw`\^o`, 'ô'],
			[raw`\~n`, 'ñ'],
			[raw`\c{c}`, 'ç'],
			[raw`\c c`, 'ç'],
			[raw`\v{s}`, 'š'],
			[raw`\v{S}`, 'Š'],
			[raw`\u{g}`, 'ğ'],
			[raw`\H{o}`, 'ő'],
			[raw`\k{a}`, 'ą'],
			[raw`\={a}`, 'ā'],
			[raw`\.{z}`, 'ż'],
			[raw`\r{a}`, 'å'],
			[raw`\'{\i}`, 'í'],
			[raw`\"\i`, 'ï']
		];
		for (const [latex, text] of cases) expect(latexToUnicode(latex), latex).toBe(text);
	});

	it('turns special letters into Unicode, with or without braces', () => {
		const cases: [string, string][] = [
			[raw`{\aa}`, 'å'],
			[raw`{\AA}`, 'Å'],
			[raw`{\o}`, 'ø'],
			[raw`{\O}`, 'Ø'],
			[raw`{\ss}`, 'ß'],
			[raw`{\l}`, 'ł'],
			[raw`{\L}`, 'Ł'],
			[raw`{\ae}`, 'æ'],
			[raw`{\i}`, 'ı'],
			[raw`Mikkel {\O}bro`, 'Mikkel Øbro'],
			[raw`\AA ngstr\"om`, 'Ångström'],
			[raw`Stra\ss e`, 'Straße'],
			[raw`Stra\ss{}e`, 'Straße']
		];
		for (const [latex, text] of cases) expect(latexToUnicode(latex), latex).toBe(text);
	});

	it('converts names as they appear in the arXiv snapshot', () => {
		expect(latexToUnicode(raw`C. Bal\'azs, E. L. Berger`)).toBe('C. Balázs, E. L. Berger');
		expect(
			latexToUnicode(raw`Rastislav \v{S}r\'amek, Bro\v{n}a Brejov\'a, Tom\'a\v{s} Vina\v{r}`)
		).toBe('Rastislav Šrámek, Broňa Brejová, Tomáš Vinař');
		expect(latexToUnicode(raw`A. Esteban-Pretel, R. Tom\`as`)).toBe('A. Esteban-Pretel, R. Tomàs');
		expect(latexToUnicode(raw`Garc\'\i a`)).toBe('García');
	});

	it('converts titles: dashes, ties, quotes, escaped symbols and case-protecting braces', () => {
		expect(latexToUnicode('Anisotropic thermo-elasticity in 2D -- Part I')).toBe(
			'Anisotropic thermo-elasticity in 2D – Part I'
		);
		expect(latexToUnicode('pages 2--3, a---b')).toBe('pages 2–3, a—b');
		expect(latexToUnicode(raw`A Note About the {Ki(z)} Functions`)).toBe(
			'A Note About the Ki(z) Functions'
		);
		expect(latexToUnicode(raw`{T}he {BABAR} detector \& more`)).toBe('The BABAR detector & more');
		expect(latexToUnicode("``Kurchatov Institute''")).toBe('\u201cKurchatov Institute\u201d');
		expect(latexToUnicode('see Fig.~3 by A.~Smith and~others')).toBe(
			'see Fig. 3 by A. Smith and others'
		);
		expect(latexToUnicode(raw`\emph{in vivo} study`)).toBe('in vivo study');
	});

	it('keeps arrows, lone quotes, URLs and tildes that mean "about"', () => {
		const unchanged = [
			'D0 --> K- e+ nue Decays',
			'the z~2.56 Cloverleaf QSO',
			'at a magnetic field B_0 ~ 30 T',
			'Models with V_{DM}~ 4500km/s ~ V_{gas}',
			'at http://www.sron.rug.nl/~vdtak/radex/index.shtml .',
			"A Bit-String-Driven ''Recipe Theory''"
		];
		for (const text of unchanged) expect(latexToUnicode(text), text).toBe(text);
		expect(latexToUnicode('as in Section~2 and Eq.~(3)')).toBe('as in Section 2 and Eq. (3)');
	});

	it('leaves math exactly as written', () => {
		const title = raw`From dyadic $\Lambda_{\alpha}$ to $\Lambda_{\alpha}$ and $x--y \"o$`;
		expect(latexToUnicode(title)).toBe(title);
		expect(latexToUnicode(raw`$$\{a\}$$ {\"o} $b~c$`)).toBe(raw`$$\{a\}$$ ö $b~c$`);
		expect(latexToUnicode(raw`1T-TiSe$_{2}$ {T}`)).toBe(raw`1T-TiSe$_{2}$ T`);
	});

	it('leaves a line break (\\\\) and unknown commands alone', () => {
		expect(latexToUnicode(raw`a\\"o`)).toBe(raw`a\\"o`);
		expect(latexToUnicode(raw`\foo{bar} \vec{x}`)).toBe(raw`\foo{bar} \vec{x}`);
	});

	it('returns NFC text even when nothing is LaTeX', () => {
		expect(latexToUnicode('Mu\u0308ller')).toBe('Müller');
		expect(latexToUnicode('plain ascii')).toBe('plain ascii');
	});

	it('is idempotent and never throws on any text', () => {
		const latexish = fc.stringMatching(/^[a-zA-Z{}\\"'`^~=.$\-ijosuvcHk &_ ]{0,30}$/);
		fc.assert(
			fc.property(fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), latexish), (text) => {
				const once = latexToUnicode(text);
				expect(latexToUnicode(once)).toBe(once);
			}),
			{ numRuns: 2000 }
		);
	});
});

describe('displayText', () => {
	it('undoes arXiv 80-column wrapping and converts LaTeX', () => {
		expect(
			displayText(
				'Approximation for extinction probability of the contact process based on\n  the Gr\\"obner basis'
			)
		).toBe(
			'Approximation for extinction probability of the contact process based on the Gröbner basis'
		);
	});
});
