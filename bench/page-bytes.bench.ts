/**
 * Page weight of the feed as a reader receives it: the HTML of `/` and
 * `/trending?window=month` (as rendered and brotli-compressed) and every script it
 * loads (from the HTML and the Link header), signed out and signed in. Used to choose
 * how vote buttons get their JavaScript (docs/architecture.md, "Upvoting"): run it on
 * a build with and without `export const csr = true` on a page. Needs the shared HF
 * data ($DP_SHARED_DATA, default ../shared/data) and build/.
 *
 *   node scripts/run-ts.mjs bench/page-bytes.bench.ts
 */
import zlib from 'node:zlib';
import { SESSION_COOKIE } from '$lib/server/auth/identify';
import { startSession } from '$lib/server/auth/session.service';
import { createDb } from '$lib/server/db/create-db';
import { runCli, spawnAppServer } from '../tests/support/app-server';
import { addMembers } from '../tests/support/fixtures';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dp-bytes-'));
const env = { DP_DB_PATH: path.join(dir, 'a.db'), DP_INDEX_DIR: path.join(dir, 'idx') };
const imp = await runCli(
	[
		'import',
		'hf-daily',
		path.join(process.env.DP_SHARED_DATA ?? '../shared/data', 'hf-daily-papers/raw')
	],
	env
);
if (imp.status !== 0) throw new Error(imp.stderr);
const store = createDb({ kind: 'sqlite', path: env.DP_DB_PATH });
await addMembers(store.db, ['m1']);
const { token } = await startSession(store.db, 'm1');
const server = await spawnAppServer(env);
await server.waitUntilHealthy(60000);
const out: Record<string, unknown> = {};
for (const [who, headers] of [
	['signed out', {}],
	['signed in', { cookie: `${SESSION_COOKIE}=${token}` }]
] as const) {
	for (const p of ['/', '/trending?window=month']) {
		const r = await fetch(server.url + p, {
			headers: { ...headers, 'accept-encoding': 'identity' }
		});
		const html = await r.text();
		const scripts = [
			...(html + (r.headers.get('link') ?? '')).matchAll(
				/([./]*[_a-z/-]*?(?:_app\/immutable\/[^"' >)]+|vote-button)\.js)/g
			)
		].map((m) => m[1].replace(/^\.\//, '/'));
		let js = 0,
			jsBr = 0;
		for (const s of new Set(scripts)) {
			const u = new URL(s, server.url + p).href;
			const b = Buffer.from(
				await (await fetch(u, { headers: { 'accept-encoding': 'identity' } })).arrayBuffer()
			);
			js += b.length;
			jsBr += zlib.brotliCompressSync(b).length;
		}
		out[`${who} ${p}`] = {
			html: html.length,
			htmlBr: zlib.brotliCompressSync(Buffer.from(html)).length,
			scripts: new Set(scripts).size,
			js,
			jsBr
		};
	}
}
console.log(JSON.stringify(out, null, 1));
await server.stop();
await store.close();
fs.rmSync(dir, { recursive: true, force: true });
