import { describe, it, expect } from 'vitest';
import { parseHash, href } from './router.svelte.js';

describe('router', () => {
	it.each([
		['', { screen: '', sub: '' }],
		['#/', { screen: '', sub: '' }],
		['#/devices', { screen: 'devices', sub: '' }],
		['#/community/households', { screen: 'community', sub: 'households' }],
		['#community/a/b', { screen: 'community', sub: 'a/b' }],
	])('parses %s', (hash, want) => expect(parseHash(hash)).toEqual(want));

	it('builds links that parse back', () => {
		expect(href('community', 'people')).toBe('#/community/people');
		expect(parseHash(href('notices'))).toEqual({ screen: 'notices', sub: '' });
	});
});
