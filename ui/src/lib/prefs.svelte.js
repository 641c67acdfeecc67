// Display preferences: large text. Remembered in this browser and on the
// user's record (users.large_text), so it follows the user to a new phone.
//
// Large text is the default of the mobile layout (residents, silver-age
// volunteers and grid workers on a phone in the street: readable at arm's
// length, big tap targets) and off by default in the console (dense tables
// on a desk screen). An explicit choice always wins over the default.

const STORAGE_KEY = 'fq.largeText';

function stored() {
	try {
		const v = globalThis.localStorage?.getItem(STORAGE_KEY);
		return v === '1' ? true : v === '0' ? false : null;
	} catch {
		return null;
	}
}

const state = $state({ choice: stored() });

/**
 * largeTextFor resolves the mode: the explicit choice, else the user's
 * record saying on, else the layout's default.
 */
export function largeTextFor(choice, userLargeText, layout) {
	if (choice !== null && choice !== undefined) return choice;
	if (userLargeText) return true;
	return layout === 'mobile';
}

/** prefs exposes the explicit large-text choice (null: none made). */
export const prefs = {
	get largeTextChoice() {
		return state.choice;
	},
};

/** setLargeText records an explicit choice in this browser. */
export function setLargeText(on) {
	state.choice = !!on;
	try {
		globalThis.localStorage?.setItem(STORAGE_KEY, on ? '1' : '0');
	} catch {
		// not remembered; still applies now
	}
}
