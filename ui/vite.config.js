import { writeFileSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { svelteTesting } from '@testing-library/svelte/vite';

const outDir = resolve(import.meta.dirname, 'dist');

// keepPlaceholder puts back dist/.keep after Vite empties dist/: the file is
// committed so that a fresh clone (without Node) still has something for
// ui/embed.go's //go:embed to embed, and the server says "UI not built".
function keepPlaceholder() {
	return {
		name: 'fengqiao-keep-placeholder',
		apply: 'build',
		closeBundle() {
			mkdirSync(outDir, { recursive: true });
			writeFileSync(resolve(outDir, '.keep'), '');
		},
	};
}

// In development (`npm run dev`) the API is proxied to a running appliance:
// FENGQIAO_URL=http://127.0.0.1:8090 by default.
const api = process.env.FENGQIAO_URL || 'http://127.0.0.1:8090';

export default defineConfig({
	plugins: [svelte(), keepPlaceholder(), svelteTesting()],
	build: { outDir, emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 300 },
	server: { proxy: { '/api': { target: api, changeOrigin: true } } },
	test: {
		environment: 'happy-dom',
		include: ['src/**/*.test.js'],
	},
});
