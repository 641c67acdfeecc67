// The board's alarm sound: a beep pattern that repeats while any critical
// alarm is active (nobody has acknowledged it) and stops as soon as none
// is. Browsers let a page play sound only after a user gesture, so sound is
// something the user turns on (remembered in this browser); after a reload
// the first click or key press anywhere unlocks it again.
//
// The state machine is kept apart from the audio (a player with unlock,
// start and stop), so it is unit-tested without Web Audio.

const STORAGE_KEY = 'fq.sound';

/** needsSound says whether alarms hold a critical alarm nobody acknowledged. */
export function needsSound(alarms) {
	return alarms.some((a) => a.severity === 'critical' && a.status === 'active');
}

/**
 * SOUND_STATES: 'quiet' (nothing to sound), 'sounding', 'muted' (something
 * to sound, but sound is off here), 'blocked' (sound is on, but the browser
 * waits for a click or key press before it may play).
 */
export const SOUND_STATES = ['quiet', 'sounding', 'muted', 'blocked'];

export class SoundController {
	/** enabled: the user turned sound on (remembered in this browser). */
	enabled = $state(false);
	/** unlocked: the browser lets the page play sound now. */
	unlocked = $state(false);
	/** alerting: a critical alarm is active. */
	alerting = $state(false);

	#player;
	#storage;
	#playing = false;

	/**
	 * @param {{unlock: () => Promise<boolean>|boolean, start: Function, stop: Function}} player
	 * @param {Storage|null} storage where the choice is remembered (localStorage)
	 */
	constructor(player, storage = safeStorage()) {
		this.#player = player;
		this.#storage = storage;
		try {
			this.enabled = storage?.getItem(STORAGE_KEY) === '1';
		} catch {
			this.enabled = false;
		}
	}

	/** state is one of SOUND_STATES. */
	get state() {
		if (!this.alerting) return 'quiet';
		if (!this.enabled) return 'muted';
		return this.unlocked ? 'sounding' : 'blocked';
	}

	/** playing says whether the player was told to play (for tests). */
	get playing() {
		return this.#playing;
	}

	/** update follows the list of open alarms. */
	update(alarms) {
		this.alerting = needsSound(alarms);
		this.#apply();
	}

	/**
	 * enable turns sound on; call it from a click (the gesture that lets
	 * the page play sound).
	 */
	async enable() {
		this.enabled = true;
		this.#remember('1');
		await this.unlock();
	}

	/** disable turns sound off in this browser. */
	disable() {
		this.enabled = false;
		this.#remember('0');
		this.#apply();
	}

	/**
	 * unlock asks the player to get the browser's permission to play; call
	 * it on any user gesture while sound is on but blocked.
	 */
	async unlock() {
		if (!this.enabled || this.unlocked) return;
		try {
			this.unlocked = !!(await this.#player.unlock());
		} catch {
			this.unlocked = false;
		}
		this.#apply();
	}

	/** close stops the sound for good (the board was left). */
	close() {
		if (this.#playing) this.#player.stop();
		this.#playing = false;
	}

	#apply() {
		const want = this.state === 'sounding';
		if (want && !this.#playing) this.#player.start();
		if (!want && this.#playing) this.#player.stop();
		this.#playing = want;
	}

	#remember(v) {
		try {
			this.#storage?.setItem(STORAGE_KEY, v);
		} catch {
			// not remembered; applies now
		}
	}
}

function safeStorage() {
	try {
		return globalThis.localStorage ?? null;
	} catch {
		return null;
	}
}
