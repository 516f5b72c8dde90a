/**
 * arXiv identifiers: new style (`2401.12345`, `0704.0001`) and old style
 * (`hep-th/9901001`, `math.GT/0309136`), each with an optional version (`v2`).
 * Pure functions: no I/O.
 */

export interface ArxivId {
	/** The id without its version, e.g. `2401.12345` or `hep-th/9901001`. */
	id: string;
	/** The version number when the input named one (`v2` → 2). */
	version: number | null;
}

// New style: YYMM.NNNN (2007-2014) or YYMM.NNNNN (2015 on); month 01-12; versions from v1.
const NEW_STYLE = /^(\d{2}(?:0[1-9]|1[0-2]))\.(\d{4,5})(?:v([1-9]\d*))?$/;
// Old style (1991 to March 2007): archive(.SUBJECT)?/YYMMNNN, e.g. hep-th/9901001, math.GT/0309136.
const OLD_STYLE =
	/^([a-z-]+)(\.[A-Z]{2})?\/((?:9[1-9]|0[0-7])(?:0[1-9]|1[0-2])\d{3})(?:v([1-9]\d*))?$/;
// The archives that had old-style ids; the scheme is frozen, so the list is complete.
const OLD_ARCHIVES = new Set([
	'acc-phys',
	'adap-org',
	'alg-geom',
	'ao-sci',
	'astro-ph',
	'atom-ph',
	'bayes-an',
	'chao-dyn',
	'chem-ph',
	'cmp-lg',
	'comp-gas',
	'cond-mat',
	'cs',
	'dg-ga',
	'funct-an',
	'gr-qc',
	'hep-ex',
	'hep-lat',
	'hep-ph',
	'hep-th',
	'math',
	'math-ph',
	'mtrl-th',
	'nlin',
	'nucl-ex',
	'nucl-th',
	'patt-sol',
	'physics',
	'plasm-ph',
	'q-alg',
	'q-bio',
	'quant-ph',
	'solv-int',
	'stat',
	'supr-con'
]);

/** Parses a bare arXiv id (with or without version); returns null when it is not one. */
export function parseArxivId(input: string): ArxivId | null {
	const text = input.trim();
	const modern = NEW_STYLE.exec(text);
	if (modern) {
		const [, yymm, number, version] = modern;
		// Five-digit numbers began in 1501; before that ids had four.
		const fiveDigits = Number(yymm) >= 1501;
		if (number.length !== (fiveDigits ? 5 : 4)) return null;
		return { id: `${yymm}.${number}`, version: version ? Number(version) : null };
	}
	const legacy = OLD_STYLE.exec(text);
	if (legacy) {
		const [, archive, subject = '', number, version] = legacy;
		if (!OLD_ARCHIVES.has(archive)) return null;
		return { id: `${archive}${subject}/${number}`, version: version ? Number(version) : null };
	}
	return null;
}

/** The id as arXiv writes it, with its version when known: `2401.12345v2`, `hep-th/9901001`. */
export function formatArxivId({ id, version }: ArxivId): string {
	return version === null ? id : `${id}v${version}`;
}

const OAI_IDENTIFIER = /^oai:arxiv\.org:(.+)$/i;

/**
 * The arXiv id in an OAI-PMH record header (`oai:arXiv.org:hep-th/9901001`); null when
 * the identifier is not arXiv's or holds no valid id.
 */
export function parseOaiIdentifier(identifier: string): ArxivId | null {
	const match = OAI_IDENTIFIER.exec(identifier.trim());
	return match ? parseArxivId(match[1]) : null;
}

const URL_FORMS = [
	/^(?:https?:\/\/)?(?:www\.|export\.)?arxiv\.org\/(?:abs|pdf|html)\/(.+?)(?:\.pdf)?\/?(?:[?#].*)?$/i,
	/^(?:https?:\/\/)?(?:www\.)?huggingface\.co\/papers\/(.+?)\/?(?:[?#].*)?$/i,
	/^arxiv:(.+)$/i
];

/**
 * Extracts an arXiv id from an id, an `arXiv:` prefix, or an arXiv / Hugging Face
 * abs, pdf or html URL, as readers paste them; returns null when there is none.
 */
export function extractArxivId(input: string): ArxivId | null {
	const text = input.trim();
	for (const form of URL_FORMS) {
		const match = form.exec(text);
		if (match) return parseArxivId(match[1]);
	}
	return parseArxivId(text);
}

/** The arXiv abstract page of a paper. */
export function arxivAbsUrl(id: string): string {
	return `https://arxiv.org/abs/${id}`;
}

/** The arXiv PDF of a paper. */
export function arxivPdfUrl(id: string): string {
	return `https://arxiv.org/pdf/${id}`;
}
