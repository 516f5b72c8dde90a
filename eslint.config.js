import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

// Layering (docs/architecture.md): core is pure, routes and components never reach
// SQL, components never reach server code. `import type` counts too: a component
// that names a server type is coupled to the server's module graph.
const repositoryAndKysely = [
	{
		group: ['**/*.repository', '**/*.repository.js', '**/*.repository.ts'],
		message: 'Only services call repositories; call a service instead.'
	},
	{ group: ['kysely', 'kysely/*'], message: 'Only repositories write SQL; call a service instead.' }
];
const serverCode = {
	group: ['$lib/server', '$lib/server/**', '**/lib/server/**', '../server/**', '**/server/*'],
	message: 'Components run in the browser too: take shapes from $lib/core (e.g. paper-views.ts).'
};
const nodeIo = [
	'fs',
	'fs/*',
	'net',
	'http',
	'https',
	'http2',
	'child_process',
	'worker_threads',
	'dgram',
	'readline',
	'os'
];

export default ts.config(
	{ ignores: ['build/', 'dist/', '.svelte-kit/', 'node_modules/', 'test-results/', 'data/'] },
	js.configs.recommended,
	...ts.configs.recommended,
	...svelte.configs.recommended,
	{
		languageOptions: { globals: { ...globals.browser, ...globals.node } }
	},
	{
		files: ['**/*.ts', '**/*.svelte', '**/*.svelte.ts'],
		languageOptions: {
			parserOptions: {
				projectService: true,
				extraFileExtensions: ['.svelte'],
				parser: ts.parser,
				svelteConfig
			}
		},
		rules: {
			'@typescript-eslint/no-floating-promises': 'error',
			'@typescript-eslint/no-explicit-any': 'error',
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
			// The site has no base path and most links are external or carry query strings;
			// resolve() would add ceremony without changing a single URL.
			'svelte/no-navigation-without-resolve': 'off'
		}
	},
	{
		files: ['src/lib/core/**/*.ts'],
		ignores: ['src/lib/core/**/*.test.ts'],
		rules: {
			'no-restricted-imports': [
				'error',
				{
					patterns: [
						{
							group: ['$lib/server', '$lib/server/**', '**/server/**', '**/lib/server/**'],
							message: 'src/lib/core is pure: it imports nothing from the server.'
						},
						{
							group: ['**/routes/**', '$lib/components/**', '**/components/**', '$app/*'],
							message: 'src/lib/core knows no routes, components or SvelteKit runtime.'
						},
						{ group: ['kysely', 'kysely/*'], message: 'src/lib/core does no database work.' },
						{
							group: [...nodeIo, ...nodeIo.map((name) => `node:${name}`)],
							message: 'src/lib/core does no I/O: pass data in instead.'
						}
					]
				}
			]
		}
	},
	{
		// Routes and CLI commands are thin: parse input, call a service, render or print.
		files: ['src/routes/**/*.ts', 'src/routes/**/*.svelte', 'src/cli/**/*.ts'],
		rules: {
			'no-restricted-imports': ['error', { patterns: repositoryAndKysely }]
		}
	},
	{
		files: ['src/lib/components/**/*.ts', 'src/lib/components/**/*.svelte'],
		rules: {
			'no-restricted-imports': ['error', { patterns: [...repositoryAndKysely, serverCode] }]
		}
	}
);
