import { describe, it, expect } from 'vitest';
import zhCN from './zh-CN.js';
import en from './en.js';
import { translate, interpolate, LANGS, DEFAULT_LANG, dictionaries } from './index.svelte.js';
import { ENUM_PREFIXES, PRESENCE } from '../schema.js';
import { ROLES, NAV } from '../nav.js';

// Every source file of the app, as text (Vite's raw import).
const sources = {
	...import.meta.glob('/src/**/*.svelte', { query: '?raw', import: 'default', eager: true }),
	...import.meta.glob('/src/**/*.js', { query: '?raw', import: 'default', eager: true }),
};
const appSources = Object.entries(sources).filter(([path]) => !path.endsWith('.test.js') && !path.startsWith('/src/lib/i18n/'));

const placeholders = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
const CJK = /[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]/;

describe('dictionaries', () => {
	it('zh-CN is the default and both languages are listed', () => {
		expect(DEFAULT_LANG).toBe('zh-CN');
		expect(LANGS).toEqual(['zh-CN', 'en']);
		expect(Object.keys(dictionaries)).toEqual(LANGS);
	});

	it('have exactly the same keys', () => {
		const zhKeys = Object.keys(zhCN).sort();
		const enKeys = Object.keys(en).sort();
		expect(zhKeys.filter((k) => !(k in en))).toEqual([]);
		expect(enKeys.filter((k) => !(k in zhCN))).toEqual([]);
		expect(zhKeys.length).toBeGreaterThan(100);
	});

	it('have no empty strings and the same placeholders per key', () => {
		for (const key of Object.keys(zhCN)) {
			expect(zhCN[key].trim(), `zh-CN ${key}`).not.toBe('');
			expect(en[key].trim() || key === 'common.listSep', `en ${key}`).toBeTruthy();
			expect(placeholders(en[key]), key).toEqual(placeholders(zhCN[key]));
		}
	});

	it('keep Chinese in zh-CN and out of English', () => {
		for (const [key, value] of Object.entries(en)) {
			expect(CJK.test(value), `en ${key}: ${value}`).toBe(false);
		}
		// Most zh-CN strings are Chinese; the few without CJK are on this list.
		const latinOnly = Object.entries(zhCN).filter(([, v]) => !CJK.test(v)).map(([k]) => k);
		expect(latinOnly).toEqual([]);
	});

	it('translate every option value the UI shows', () => {
		const prefixes = { ...ENUM_PREFIXES, 'role.': ROLES };
		for (const [prefix, values] of Object.entries(prefixes)) {
			for (const v of values) {
				expect(zhCN, `zh-CN ${prefix}${v}`).toHaveProperty([prefix + v]);
				expect(en, `en ${prefix}${v}`).toHaveProperty([prefix + v]);
			}
		}
		for (const p of PRESENCE) expect(zhCN).toHaveProperty([`presence.${p}.hint`]);
		for (const item of NAV) {
			expect(zhCN).toHaveProperty([item.label]);
			expect(zhCN).toHaveProperty([item.short]);
		}
	});
});

describe('translate', () => {
	it('interpolates and falls back', () => {
		expect(translate('zh-CN', 'nav.community')).toBe('社区');
		expect(translate('en', 'nav.community')).toBe('Community');
		expect(translate('en', 'time.minutesAgo', { n: 5 })).toBe('5 min ago');
		expect(translate('zh-CN', 'time.minutesAgo', { n: 5 })).toBe('5 分钟前');
		expect(translate('en', 'no.such.key')).toBe('no.such.key');
		expect(translate('fr', 'nav.community')).toBe('社区');
		expect(interpolate('{a} and {b}', { a: 1 })).toBe('1 and {b}');
	});
});

describe('sources', () => {
	const namespaces = new Set(Object.keys(zhCN).map((k) => k.split('.')[0]));

	it('only use keys that exist', () => {
		const missing = [];
		for (const [path, text] of appSources) {
			for (const m of text.matchAll(/'([a-z][A-Za-z]*\.[A-Za-z0-9_.]*)'/g)) {
				const key = m[1];
				if (!namespaces.has(key.split('.')[0]) || key.endsWith('.')) continue;
				if (/\.(js|svelte|css)$/.test(key)) continue; // a file name
				if (!(key in zhCN)) missing.push(`${path}: ${key}`);
			}
			for (const m of text.matchAll(/\bt\(\s*'([^']+)'\s*\+/g)) {
				// dynamic keys t('kind.' + x) must use a prefix the enum check covers
				const prefix = m[1];
				const known = prefix in ENUM_PREFIXES || prefix === 'role.' || prefix === 'state.' || prefix === 'presence.';
				if (!known) missing.push(`${path}: dynamic prefix ${prefix}`);
			}
		}
		expect(missing).toEqual([]);
	});

	it('have no text outside t() in component markup', () => {
		const offenders = [];
		for (const [path, text] of appSources) {
			if (!path.endsWith('.svelte')) continue;
			let markup = text.replace(/<script[\s\S]*?<\/script>/g, '').replace(/<style[\s\S]*?<\/style>/g, '').replace(/<!--[\s\S]*?-->/g, '');
			markup = stripBraces(markup).replace(/&[a-z]+;/g, '');
			for (const m of markup.matchAll(/\b(aria-label|aria-description|title|placeholder|alt|label)="([^"]*)"/g)) {
				if (/[A-Za-z]/.test(m[2]) || CJK.test(m[2])) offenders.push(`${path}: ${m[0]}`);
			}
			const textOnly = markup.replace(/<[^>]*>/g, ' ');
			for (const line of textOnly.split('\n')) {
				if (/[A-Za-z]/.test(line) || CJK.test(line)) offenders.push(`${path}: ${line.trim()}`);
			}
		}
		expect(offenders).toEqual([]);
	});

	it('have no Chinese outside the dictionaries (comments aside)', () => {
		const offenders = [];
		for (const [path, text] of appSources) {
			const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/<!--[\s\S]*?-->/g, '').replace(/\/\/.*$/gm, '');
			code.split('\n').forEach((line, i) => {
				if (CJK.test(line)) offenders.push(`${path}:${i + 1}: ${line.trim()}`);
			});
		}
		expect(offenders).toEqual([]);
	});
});

// stripBraces removes every {…} expression (nested braces included) from
// Svelte markup, leaving the literal text around it.
function stripBraces(s) {
	let out = '';
	let depth = 0;
	let quote = null;
	for (let i = 0; i < s.length; i++) {
		const c = s[i];
		if (depth > 0) {
			if (quote) {
				if (c === '\\') i++;
				else if (c === quote) quote = null;
			} else if (c === "'" || c === '"' || c === '`') quote = c;
			else if (c === '{') depth++;
			else if (c === '}') depth--;
			continue;
		}
		if (c === '{') depth = 1;
		else out += c;
	}
	return out;
}
