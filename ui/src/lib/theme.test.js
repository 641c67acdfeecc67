import { describe, it, expect } from 'vitest';
import { palette, contrastPairs, contrast, applyTheme } from './theme.js';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const components = Object.values(import.meta.glob('/src/**/*.svelte', { query: '?raw', import: 'default', eager: true }));
const css = readFileSync(resolve(import.meta.dirname, '../app.css'), 'utf8');

describe('theme', () => {
	it('computes WCAG contrast', () => {
		expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
		expect(contrast('#ffffff', '#ffffff')).toBeCloseTo(1, 5);
		expect(contrast('#767676', '#ffffff')).toBeGreaterThan(4.5);
	});

	it.each(contrastPairs)('%s on %s is at least 4.5:1', (fg, bg) => {
		expect(palette[fg], fg).toBeTruthy();
		expect(palette[bg], bg).toBeTruthy();
		expect(contrast(palette[fg], palette[bg])).toBeGreaterThanOrEqual(4.5);
	});

	it('sets every colour as a CSS variable', () => {
		const root = document.createElement('div');
		applyTheme(root);
		expect(root.style.getPropertyValue('--c-primary')).toBe(palette.primary);
		expect(root.style.getPropertyValue('--c-on-primary')).toBe(palette.onPrimary);
		// every variable the stylesheet uses exists
		expect(css).toContain('var(--c-primary)');
		for (const m of [css, ...components].join('\n').matchAll(/var\(--c-([a-z-]+)\)/g)) {
			expect(root.style.getPropertyValue('--c-' + m[1]), m[1]).not.toBe('');
		}
	});

	it('large-text mode has text ≥ 18 px and tap targets ≥ 60 px', () => {
		const block = css.match(/:root\.large\s*\{([^}]*)\}/)[1];
		const px = (name) => Number(block.match(new RegExp(`--${name}:\\s*(\\d+)px`))[1]);
		expect(px('fs')).toBeGreaterThanOrEqual(18);
		expect(px('fs-small')).toBeGreaterThanOrEqual(18);
		expect(px('tap')).toBeGreaterThanOrEqual(60);
	});
});
