import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		// Built JS and CSS also as .br and .gz, served by adapter-node to clients that take them
		// (pages and JSON are compressed as they are rendered: src/lib/server/http/compression.ts).
		adapter: adapter({ out: 'build', precompress: true }),
		// Colocated *.test.ts files reach the shared test helpers without ../../../../ chains.
		alias: { $support: 'tests/support' },
		// The cross-site form check is made in hooks.server.ts (http/cross-site.ts), with the same
		// rule, so that under /api its 403 is JSON like every other API answer.
		csrf: { trustedOrigins: ['*'] },
		// SvelteKit puts a fresh nonce on its own inline scripts and styles and sends this as a
		// header on every rendered page. Nothing else may run: no inline script, no other origin.
		csp: {
			mode: 'nonce',
			directives: {
				'default-src': ['none'],
				'script-src': ['self'],
				'style-src': ['self'],
				// KaTeX sizes its boxes with style="…" attributes (attributes cannot run script).
				'style-src-attr': ['unsafe-inline'],
				'font-src': ['self'],
				// The favicon is an empty data: URL (app.html).
				'img-src': ['self', 'data:'],
				'connect-src': ['self'],
				'manifest-src': ['self'],
				'form-action': ['self'],
				'base-uri': ['none'],
				'frame-ancestors': ['none']
			}
		}
	}
};

export default config;
