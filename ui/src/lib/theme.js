// The palette, in one place, applied as CSS custom properties (--c-NAME) at
// start. theme.test.js checks every text/background pair it lists against
// WCAG's 4.5:1 contrast minimum for normal text.

/** palette maps a colour name to its hex value. */
export const palette = {
	bg: '#f4f6f8',
	surface: '#ffffff',
	surfaceAlt: '#eef2f6',
	text: '#1b1f24',
	muted: '#4f5b67',
	border: '#c9d1da',
	primary: '#0b5cad',
	primaryHover: '#094a8c',
	onPrimary: '#ffffff',
	primarySoft: '#e3eefa',
	ok: '#116329',
	okSoft: '#dcf5e3',
	warn: '#7a4d00',
	warnSoft: '#fff1cc',
	danger: '#b42318',
	dangerSoft: '#fde4e1',
	neutral: '#4a525c',
	neutralSoft: '#e7ebef',
	focus: '#f0a500',
	sidebar: '#14263d',
	onSidebar: '#e8eef5',
	sidebarActive: '#24436b',
};

/** contrastPairs lists [foreground, background] pairs that carry text. */
export const contrastPairs = [
	['text', 'bg'],
	['text', 'surface'],
	['text', 'surfaceAlt'],
	['muted', 'bg'],
	['muted', 'surface'],
	['muted', 'surfaceAlt'],
	['primary', 'surface'],
	['primary', 'bg'],
	['primary', 'primarySoft'],
	['onPrimary', 'primary'],
	['onPrimary', 'primaryHover'],
	['ok', 'okSoft'],
	['ok', 'surface'],
	['warn', 'warnSoft'],
	['warn', 'surface'],
	['danger', 'dangerSoft'],
	['danger', 'surface'],
	['neutral', 'neutralSoft'],
	['onSidebar', 'sidebar'],
	['onSidebar', 'sidebarActive'],
];

function channel(c) {
	const s = c / 255;
	return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
}

/** luminance is the WCAG relative luminance of a #rrggbb colour. */
export function luminance(hex) {
	const n = parseInt(hex.slice(1), 16);
	return 0.2126 * channel((n >> 16) & 255) + 0.7152 * channel((n >> 8) & 255) + 0.0722 * channel(n & 255);
}

/** contrast is the WCAG contrast ratio of two #rrggbb colours (1–21). */
export function contrast(a, b) {
	const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
	return (hi + 0.05) / (lo + 0.05);
}

/** applyTheme sets --c-NAME on the document root for every palette entry. */
export function applyTheme(root = document.documentElement) {
	for (const [name, value] of Object.entries(palette)) {
		root.style.setProperty('--c-' + name.replace(/[A-Z]/g, (m) => '-' + m.toLowerCase()), value);
	}
}
