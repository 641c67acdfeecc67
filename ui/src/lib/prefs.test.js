import { describe, it, expect } from 'vitest';
import { largeTextFor } from './prefs.svelte.js';

describe('largeTextFor', () => {
	it.each([
		// choice, user record, layout → on
		[null, false, 'mobile', true],
		[null, false, 'console', false],
		[null, true, 'console', true],
		[false, true, 'mobile', false],
		[false, false, 'mobile', false],
		[true, false, 'console', true],
	])('choice %s, record %s, %s → %s', (choice, rec, layout, want) => {
		expect(largeTextFor(choice, rec, layout)).toBe(want);
	});
});
