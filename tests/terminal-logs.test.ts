import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');

// util-linux `script` runs a command on a pseudo-terminal, so its stdout is a TTY as in `npm start`.
const hasScript = fs.existsSync('/usr/bin/script');
const runSample = ['scripts/run-ts.mjs', 'tests/support/log-sample.ts'];
// eslint-disable-next-line no-control-regex
const withoutColours = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, '').replace(/\r/g, '');

describe('log lines of a real process', () => {
	it('are JSON when stdout is a pipe', () => {
		const output = execFileSync(process.execPath, runSample, { cwd: root, encoding: 'utf8' });
		const entries = output
			.trim()
			.split('\n')
			.map((line) => JSON.parse(line));
		expect(entries.map((entry) => entry.msg)).toEqual([
			'log sample: signed in',
			'log sample: port in use'
		]);
		expect(entries[0].password).toBe('[redacted]');
		expect(output).not.toMatch(/hunter2|abc123/);
	});

	it.skipIf(!hasScript)('are readable lines when stdout is a terminal', () => {
		const command = [process.execPath, ...runSample].join(' ');
		const output = withoutColours(
			execFileSync('script', ['-qec', command, '/dev/null'], { cwd: root, encoding: 'utf8' })
		);
		expect(output).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: log sample: signed in$/m);
		expect(output).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] WARN: log sample: port in use$/m);
		expect(output).toContain('[redacted]');
		expect(output).not.toMatch(/hunter2|abc123/);
		expect(output).not.toMatch(/^\{/m);
	});
});
