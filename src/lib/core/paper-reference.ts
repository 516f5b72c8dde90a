/**
 * What a member pastes to submit a paper: an arXiv id, or a link that names one.
 * Pure: no I/O. The one rule is that every accepted form leads to exactly one
 * arXiv id; anything else gets a sentence saying what is accepted.
 *
 * @example
 * parsePaperReference('https://arxiv.org/pdf/2406.01234v2.pdf') // → { ok: true, id: '2406.01234', version: 2 }
 * parsePaperReference('hf.co/papers/2406.01234')                // → { ok: true, id: '2406.01234', version: null }
 * parsePaperReference('javascript:alert(1)')                    // → { ok: false, reason: 'Enter an arXiv id …' }
 */
import { parseArxivId } from './arxiv-id';

/** The arXiv id a reference names, or why it names none. */
export type PaperReference =
	{ ok: true; id: string; version: number | null } | { ok: false; reason: string };

/** Longer than any id or link to one; longer input is refused unread. */
export const PAPER_REFERENCE_MAX = 300;

export const PAPER_REFERENCE_HELP =
	'Enter an arXiv id such as 2406.01234 or hep-th/9901001, or a link to the paper on arxiv.org, huggingface.co/papers, alphaxiv.org or doi.org (10.48550/arXiv.…).';

const ARXIV_HOSTS = new Set(['arxiv.org', 'www.arxiv.org', 'export.arxiv.org']);
const HF_HOSTS = new Set(['huggingface.co', 'www.huggingface.co', 'hf.co']);
const ALPHAXIV_HOSTS = new Set(['alphaxiv.org', 'www.alphaxiv.org']);
const DOI_HOSTS = new Set(['doi.org', 'dx.doi.org', 'www.doi.org']);

// arXiv's DOIs (2022 on): 10.48550/arXiv.{id}, the id in any case.
const ARXIV_DOI = /^10\.48550\/arxiv\.(.+)$/i;

const refused = (reason = PAPER_REFERENCE_HELP): PaperReference => ({ ok: false, reason });

function fromId(text: string): PaperReference {
	const parsed = parseArxivId(text);
	return parsed ? { ok: true, id: parsed.id, version: parsed.version } : refused();
}

/** The id in a URL's path on one of the known sites, or why there is none. */
function fromUrl(url: URL): PaperReference {
	if (url.protocol !== 'https:' && url.protocol !== 'http:') return refused();
	if (url.username || url.password) return refused();
	const host = url.hostname.toLowerCase();
	let path: string;
	try {
		path = decodeURIComponent(url.pathname);
	} catch {
		return refused();
	}
	path = path.replace(/\/+$/, '');
	let match: RegExpExecArray | null = null;
	if (ARXIV_HOSTS.has(host)) {
		match = /^\/(?:abs|pdf|html)\/(.+?)(?:\.pdf)?$/i.exec(path);
	} else if (HF_HOSTS.has(host)) {
		match = /^\/papers\/(.+)$/.exec(path);
	} else if (ALPHAXIV_HOSTS.has(host)) {
		match = /^\/(?:abs|overview|pdf)\/(.+?)(?:\.pdf)?$/i.exec(path);
	} else if (DOI_HOSTS.has(host)) {
		const doi = ARXIV_DOI.exec(path.slice(1));
		return doi ? fromId(doi[1]) : refused(`Only arXiv's DOIs (10.48550/arXiv.…) can be submitted.`);
	} else {
		return refused(`Links to ${host.slice(0, 80)} cannot be submitted. ${PAPER_REFERENCE_HELP}`);
	}
	return match ? fromId(match[1]) : refused();
}

/**
 * Reads an arXiv id from what a member pasted: a new-style (`2406.01234v2`) or
 * old-style (`hep-th/9901001`) id, `arXiv:…`, an arXiv abs/pdf/html link
 * (export.arxiv.org too), a Hugging Face or alphaXiv paper link, or arXiv's DOI
 * (`10.48550/arXiv.…`, bare, `doi:` or on doi.org). Only ASCII is read: digits
 * from other scripts are refused rather than guessed at.
 */
export function parsePaperReference(input: string): PaperReference {
	if (input.length > PAPER_REFERENCE_MAX) {
		return refused(`That is too long to be an arXiv id or a link to one. ${PAPER_REFERENCE_HELP}`);
	}
	const text = input.trim();
	if (text === '') return refused();
	if (!/^[\x21-\x7e]+$/.test(text)) return refused();
	const prefixed = /^(arxiv|doi):(.+)$/i.exec(text);
	if (prefixed) {
		if (prefixed[1].toLowerCase() === 'arxiv') return fromId(prefixed[2]);
		const doi = ARXIV_DOI.exec(prefixed[2]);
		return doi ? fromId(doi[1]) : refused(`Only arXiv's DOIs (10.48550/arXiv.…) can be submitted.`);
	}
	const doi = ARXIV_DOI.exec(text);
	if (doi) return fromId(doi[1]);
	const direct = parseArxivId(text);
	if (direct) return { ok: true, id: direct.id, version: direct.version };
	// A scheme, or a bare host such as `arxiv.org/abs/…`, reads as a link.
	const hasScheme = /^[a-z][a-z0-9+.-]*:/i.test(text);
	if (!hasScheme && !/^[a-z0-9.-]+\.[a-z]{2,}\//i.test(text)) return refused();
	let url: URL;
	try {
		url = new URL(hasScheme ? text : `https://${text}`);
	} catch {
		return refused();
	}
	return fromUrl(url);
}
