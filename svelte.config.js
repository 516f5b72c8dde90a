import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		adapter: adapter({ out: 'build' }),
		// Colocated *.test.ts files reach the shared test helpers without ../../../../ chains.
		alias: { $support: 'tests/support' }
	}
};

export default config;
