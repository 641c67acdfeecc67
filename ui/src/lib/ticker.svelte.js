// A fast clock for screens that count seconds (how long an alarm has
// waited). The app's shared clock (clock.svelte.js) ticks every 20 s; the
// alarm board needs every second, only while it is shown.

export class Ticker {
	/** now is the current time in ms. */
	now = $state(Date.now());
	#timer = null;

	/** start ticks every everyMs; returns stop, for $effect cleanup. */
	start(everyMs = 1000) {
		this.stop();
		this.now = Date.now();
		this.#timer = setInterval(() => (this.now = Date.now()), everyMs);
		return () => this.stop();
	}

	/** stop ends the ticking. */
	stop() {
		clearInterval(this.#timer);
		this.#timer = null;
	}
}
