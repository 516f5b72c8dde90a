// The README's configuration table and .env.example are the settings' documentation: this
// keeps them listing every variable config.ts reads.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../../..');
const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');

/** The keys of config.ts's environment schema, in order. */
function variablesConfigReads(): string[] {
	const source = read('src/lib/server/config.ts');
	const schema = source.slice(source.indexOf('const EnvSchema = z.object({'));
	const body = schema.slice(0, schema.indexOf('\n});'));
	return [...body.matchAll(/^\t([A-Z][A-Z0-9_]*): /gm)].map((match) => match[1]);
}

/** Every `VARIABLE` named in the first column of the README's configuration table. */
function variablesReadmeLists(): Set<string> {
	const readme = read('README.md');
	const section = readme.slice(readme.indexOf('## Configuration'));
	const table = section.split('\n').filter((line) => line.startsWith('| `'));
	return new Set(
		table.flatMap((row) => [...row.split('|')[1].matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((m) => m[1]))
	);
}

describe('configuration documentation', () => {
	it('finds the variables config.ts reads', () => {
		expect(variablesConfigReads()).toContain('DATABASE_URL');
		expect(variablesConfigReads().length).toBeGreaterThan(10);
	});

	it('lists every variable config.ts reads in the README table', () => {
		const listed = variablesReadmeLists();
		expect(variablesConfigReads().filter((name) => !listed.has(name))).toEqual([]);
	});

	it('lists no variable in the README table that config.ts does not read', () => {
		const read = new Set(variablesConfigReads());
		expect([...variablesReadmeLists()].filter((name) => !read.has(name))).toEqual([]);
	});

	it('documents every variable in .env.example', () => {
		const example = read('.env.example');
		const missing = variablesConfigReads().filter(
			(name) => !new RegExp(`^#? ?${name}=`, 'm').test(example)
		);
		expect(missing).toEqual([]);
	});
});
