// A small i18n module: two dictionaries (zh-CN, the default, and English),
// t(key, params) with {name} placeholders, and the current language as
// reactive state so every t() in a template follows a switch at once.
import zhCN from './zh-CN.js';
import en from './en.js';

/** dictionaries holds the flat key → string map of each language. */
export const dictionaries = { 'zh-CN': zhCN, en };

/** LANGS lists the supported languages, the default first. */
export const LANGS = ['zh-CN', 'en'];

/** DEFAULT_LANG is the language of a first visit. */
export const DEFAULT_LANG = 'zh-CN';

const STORAGE_KEY = 'fq.lang';

function stored() {
	try {
		const v = globalThis.localStorage?.getItem(STORAGE_KEY);
		return LANGS.includes(v) ? v : null;
	} catch {
		return null; // storage disabled (private mode): not remembered
	}
}

const state = $state({ lang: stored() ?? DEFAULT_LANG });

/** i18n exposes the current language (read-only; use setLang). */
export const i18n = {
	get lang() {
		return state.lang;
	},
};

/** setLang switches the language and remembers it in this browser. */
export function setLang(lang) {
	if (!LANGS.includes(lang)) return;
	state.lang = lang;
	try {
		globalThis.localStorage?.setItem(STORAGE_KEY, lang);
	} catch {
		// not remembered; the switch still applies
	}
}

/** hasStoredLang says whether this browser remembers a choice. */
export function hasStoredLang() {
	return stored() !== null;
}

/** interpolate replaces {name} placeholders with params.name. */
export function interpolate(s, params) {
	if (!params) return s;
	return s.replace(/\{(\w+)\}/g, (m, name) => (name in params ? String(params[name]) : m));
}

/**
 * translate looks key up in lang's dictionary, falling back to zh-CN and then
 * the key itself (a missing key shows up plainly instead of as blank).
 */
export function translate(lang, key, params) {
	const s = dictionaries[lang]?.[key] ?? dictionaries[DEFAULT_LANG][key] ?? key;
	return interpolate(s, params);
}

/** t translates key into the current language. */
export function t(key, params) {
	return translate(state.lang, key, params);
}

/** otherLang is the language the switch button offers. */
export function otherLang(lang = state.lang) {
	return lang === 'en' ? 'zh-CN' : 'en';
}
