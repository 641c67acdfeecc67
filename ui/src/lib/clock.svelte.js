// A shared clock for "5 min ago" texts: one timer for the whole app.

const state = $state({ now: Date.now() });
let timer = null;

/** clock.now is the current time in ms, refreshed every 20 s once started. */
export const clock = {
	get now() {
		return state.now;
	},
};

/** startClock starts the shared timer (idempotent). */
export function startClock(everyMs = 20_000) {
	if (timer) return;
	timer = setInterval(() => (state.now = Date.now()), everyMs);
}
