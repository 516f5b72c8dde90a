/**
 * The secrets that stand for a member (session cookies, sign-in links, API tokens):
 * 256 random bits, handed out once, and stored only as their SHA-256 so a copy of
 * the database signs nobody in. SHA-256 without salt suffices: the secrets are
 * random, not chosen by people, so there is nothing to guess from a hash.
 */
import { createHash, randomBytes } from 'node:crypto';

/** A new secret, URL-safe, with an optional readable prefix (`dp_` marks API tokens). */
export function newSecret(prefix = ''): string {
	return prefix + randomBytes(32).toString('base64url');
}

/** What the store keeps of a secret. */
export function hashSecret(secret: string): string {
	return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Whether `text` could be a secret from newSecret (cheap shape check before any lookup). */
export function looksLikeSecret(text: string, prefix = ''): boolean {
	return (
		text.length === prefix.length + 43 &&
		text.startsWith(prefix) &&
		/^[A-Za-z0-9_-]+$/.test(text.slice(prefix.length))
	);
}
