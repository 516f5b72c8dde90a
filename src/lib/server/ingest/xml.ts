/**
 * Reading arXiv's XML (the API's Atom feeds, OAI-PMH responses) with
 * fast-xml-parser: one parser configuration and the helpers that turn its
 * loosely typed output into text, lists and attributes.
 */
import { XMLParser } from 'fast-xml-parser';
import { collapseWhitespace } from '$lib/core/paper';

export type XmlNode = Record<string, unknown>;

/**
 * A parser for arXiv's XML. `repeated` names the elements that may occur more than
 * once: they always come back as arrays, or a one-record page (or a one-author
 * paper) would come back as a bare object.
 */
export function arxivXmlParser(repeated: readonly string[]): XMLParser {
	const arrays = new Set(repeated);
	return new XMLParser({
		ignoreAttributes: false,
		attributeNamePrefix: '@_',
		// arXiv's namespaces are fixed; dropping prefixes reads a document whether or not
		// (and wherever) it declares them — some recorded responses do not.
		removeNSPrefix: true,
		// Ids such as `1706.05371` and titles such as `0` (2104.12255) must stay strings.
		parseTagValue: false,
		parseAttributeValue: false,
		// Numeric character references (`&#233;`, used in names) are only decoded in this
		// mode; the default decodes just the five XML entities.
		htmlEntities: true,
		isArray: (name, _path, _isLeaf, isAttribute) => !isAttribute && arrays.has(name)
	});
}

export function isNode(value: unknown): value is XmlNode {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function listOf(value: unknown): unknown[] {
	if (value === undefined || value === null) return [];
	return Array.isArray(value) ? value : [value];
}

/** The text content of an element, whether or not it also carries attributes. */
export function textOf(value: unknown): string | null {
	if (typeof value === 'string') return value;
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	if (isNode(value)) {
		const text = value['#text'];
		// An element with attributes but no text, e.g. <title type="html"/>, is empty.
		return typeof text === 'string' || typeof text === 'number' ? String(text) : '';
	}
	if (Array.isArray(value)) return textOf(value[0]);
	return null;
}

export function attrOf(value: unknown, name: string): string | null {
	const attr = isNode(value) ? value[`@_${name}`] : undefined;
	return typeof attr === 'string' ? attr : null;
}

/** Text with whitespace collapsed, or null when absent or blank. */
export function optionalText(value: unknown): string | null {
	const text = textOf(value);
	if (text === null) return null;
	const collapsed = collapseWhitespace(text);
	return collapsed ? collapsed : null;
}
