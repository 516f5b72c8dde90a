import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

const slow = { testTimeout: 60_000, hookTimeout: 120_000 };

export default defineConfig({
	plugins: [sveltekit()],
	build: {
		// KaTeX's smallest fonts would be inlined as data: URLs, which the CSP's font-src 'self' refuses.
		assetsInlineLimit: (file) => (/\.(woff2?|ttf)$/.test(file) ? false : undefined)
	},
	test: {
		projects: [
			{
				extends: true,
				test: {
					name: 'unit',
					include: ['src/**/*.test.ts'],
					exclude: ['src/**/*.db.test.ts']
				}
			},
			{
				extends: true,
				test: {
					name: 'db',
					include: ['src/**/*.db.test.ts', 'tests/**/*.test.ts'],
					// Each file owns its own SQLite file and PostgreSQL schema, so files may run in parallel.
					...slow
				}
			},
			{
				extends: true,
				test: { name: 'e2e', include: ['e2e/**/*.spec.ts'], fileParallelism: false, ...slow }
			}
		]
	}
});
