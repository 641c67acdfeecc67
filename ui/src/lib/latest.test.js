import { describe, it, expect } from 'vitest';
import { latest } from './latest.js';

// deferred is a promise settled from outside, to order answers by hand.
function deferred() {
	let resolve, reject;
	const promise = new Promise((res, rej) => ((resolve = res), (reject = rej)));
	return { promise, resolve, reject };
}

describe('latest', () => {
	it('keeps only the newest answer when an older one arrives last', async () => {
		const run = latest();
		const seen = [];
		const first = deferred();
		const second = deferred();
		const a = run(() => first.promise, { ok: (r) => seen.push('ok ' + r), fail: (e) => seen.push('fail ' + e), settled: () => seen.push('settled') });
		const b = run(() => second.promise, { ok: (r) => seen.push('ok ' + r), fail: (e) => seen.push('fail ' + e), settled: () => seen.push('settled') });
		second.resolve('new');
		await b;
		first.reject('old');
		await a;
		expect(seen).toEqual(['ok new', 'settled']);
	});

	it('reports the newest request’s error', async () => {
		const run = latest();
		const seen = [];
		await run(() => Promise.reject(new Error('refused')), { ok: () => seen.push('ok'), fail: (e) => seen.push(e.message) });
		expect(seen).toEqual(['refused']);
	});
});
