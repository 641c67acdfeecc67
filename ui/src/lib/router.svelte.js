// Hash routing (#/screen/sub): works behind any static server and needs no
// server-side fallback. The route is reactive state.

/** parseHash splits "#/community/households" into {screen, sub}. */
export function parseHash(hash) {
	const [screen = '', ...rest] = hash.replace(/^#\/?/, '').split('/');
	return { screen: decodeURIComponent(screen), sub: rest.map(decodeURIComponent).join('/') };
}

const state = $state(parseHash(globalThis.location?.hash ?? ''));

globalThis.addEventListener?.('hashchange', () => {
	Object.assign(state, parseHash(location.hash));
});

/** route is the current {screen, sub}. */
export const route = {
	get screen() {
		return state.screen;
	},
	get sub() {
		return state.sub;
	},
};

/** href builds the link of a screen (and optional sub-route). */
export function href(screen, sub = '') {
	return '#/' + encodeURIComponent(screen) + (sub ? '/' + sub.split('/').map(encodeURIComponent).join('/') : '');
}

/** go navigates to a screen; replace keeps the history entry (redirects). */
export function go(screen, sub = '', { replace = false } = {}) {
	const target = href(screen, sub);
	if (replace) {
		history.replaceState(history.state, '', target);
		Object.assign(state, parseHash(target));
	} else {
		location.hash = target;
	}
}
