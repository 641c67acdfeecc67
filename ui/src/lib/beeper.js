// The alarm sound, synthesized with the Web Audio API (no audio file, no
// download): two high beeps and a pause, repeated. It is the player of
// SoundController (lib/sound.svelte.js).

/** PATTERN is one repetition: [frequency Hz, start s, length s] and its period. */
export const PATTERN = {
	beeps: [
		[988, 0, 0.18],
		[784, 0.26, 0.18],
		[988, 0.52, 0.3],
	],
	period: 1.8,
};

export class Beeper {
	#ctx = null;
	#timer = null;

	/**
	 * unlock creates or resumes the audio context; inside a user gesture
	 * the browser lets it run. Resolves true when sound may play.
	 */
	async unlock() {
		const AC = globalThis.AudioContext ?? globalThis.webkitAudioContext;
		if (!AC) return false;
		this.#ctx ??= new AC();
		if (this.#ctx.state === 'suspended') {
			// resume() stays pending until a gesture allows it: do not wait.
			await Promise.race([this.#ctx.resume().catch(() => {}), new Promise((r) => setTimeout(r, 300))]);
		}
		return this.#ctx.state === 'running';
	}

	/** start repeats the pattern until stop. */
	start() {
		if (!this.#ctx || this.#timer) return;
		const play = () => this.#once();
		play();
		this.#timer = setInterval(play, PATTERN.period * 1000);
	}

	/** stop ends the repetition (the beep under way finishes). */
	stop() {
		clearInterval(this.#timer);
		this.#timer = null;
	}

	#once() {
		const ctx = this.#ctx;
		const t0 = ctx.currentTime + 0.02;
		for (const [freq, at, len] of PATTERN.beeps) {
			const osc = ctx.createOscillator();
			const gain = ctx.createGain();
			osc.type = 'square';
			osc.frequency.value = freq;
			gain.gain.setValueAtTime(0.0001, t0 + at);
			gain.gain.exponentialRampToValueAtTime(0.25, t0 + at + 0.02);
			gain.gain.exponentialRampToValueAtTime(0.0001, t0 + at + len);
			osc.connect(gain).connect(ctx.destination);
			osc.start(t0 + at);
			osc.stop(t0 + at + len + 0.02);
		}
	}
}
