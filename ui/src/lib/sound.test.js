import { describe, it, expect, beforeEach } from 'vitest';
import { SoundController, needsSound, SOUND_STATES } from './sound.svelte.js';

// A player that records what it was told, and a browser that lets sound
// play (or not) on unlock.
function fakePlayer(allow = true) {
	return {
		allow,
		calls: [],
		unlock() {
			this.calls.push('unlock');
			return Promise.resolve(this.allow);
		},
		start() {
			this.calls.push('start');
		},
		stop() {
			this.calls.push('stop');
		},
	};
}

function memoryStorage(initial = {}) {
	const m = new Map(Object.entries(initial));
	return { getItem: (k) => m.get(k) ?? null, setItem: (k, v) => m.set(k, String(v)), map: m };
}

const crit = (id, status) => ({ id, severity: 'critical', status });

describe('needsSound', () => {
	it('is true only for an active critical alarm', () => {
		expect(needsSound([crit('a', 'active')])).toBe(true);
		expect(needsSound([crit('a', 'acknowledged'), crit('b', 'snoozed'), { severity: 'major', status: 'active' }])).toBe(false);
		expect(needsSound([])).toBe(false);
	});
});

describe('SoundController', () => {
	let player;
	let storage;
	beforeEach(() => {
		player = fakePlayer();
		storage = memoryStorage();
	});

	it('starts on an active critical alarm and stops when all are acknowledged', async () => {
		const s = new SoundController(player, storage);
		await s.enable();
		expect(s.state).toBe('quiet');
		expect(player.calls).toEqual(['unlock']);

		s.update([crit('a', 'active')]);
		expect(s.state).toBe('sounding');
		expect(s.playing).toBe(true);

		s.update([crit('a', 'active'), crit('b', 'active')]);
		s.update([crit('a', 'acknowledged'), crit('b', 'active')]);
		expect(s.state).toBe('sounding');
		expect(player.calls.filter((c) => c === 'start')).toHaveLength(1);

		s.update([crit('a', 'acknowledged'), crit('b', 'acknowledged')]);
		expect(s.state).toBe('quiet');
		expect(s.playing).toBe(false);
		expect(player.calls).toEqual(['unlock', 'start', 'stop']);
	});

	it('says muted while sound is off, and sounds at once when turned on', async () => {
		const s = new SoundController(player, storage);
		s.update([crit('a', 'active')]);
		expect(s.state).toBe('muted');
		expect(player.calls).toEqual([]);
		await s.enable();
		expect(s.state).toBe('sounding');
		expect(storage.map.get('fq.sound')).toBe('1');
		s.disable();
		expect(s.state).toBe('muted');
		expect(storage.map.get('fq.sound')).toBe('0');
		expect(player.calls).toEqual(['unlock', 'start', 'stop']);
	});

	it('remembers sound on, is blocked until a gesture unlocks it', async () => {
		player.allow = false;
		const s = new SoundController(player, memoryStorage({ 'fq.sound': '1' }));
		expect(s.enabled).toBe(true);
		s.update([crit('a', 'active')]);
		expect(s.state).toBe('blocked');
		await s.unlock(); // a click the browser did not count
		expect(s.state).toBe('blocked');
		player.allow = true;
		await s.unlock();
		expect(s.state).toBe('sounding');
		expect(player.calls).toEqual(['unlock', 'unlock', 'start']);
		await s.unlock(); // already unlocked: nothing more
		expect(player.calls).toHaveLength(3);
	});

	it('does not unlock while sound is off, survives a failing player and storage', async () => {
		const broken = { unlock: () => Promise.reject(new Error('no audio')), start() {}, stop() {} };
		const s = new SoundController(broken, {
			getItem() {
				throw new Error('denied');
			},
			setItem() {
				throw new Error('denied');
			},
		});
		expect(s.enabled).toBe(false);
		await s.unlock();
		expect(s.unlocked).toBe(false);
		await s.enable();
		s.update([crit('a', 'active')]);
		expect(s.state).toBe('blocked');
	});

	it('stops for good when closed', async () => {
		const s = new SoundController(player, storage);
		await s.enable();
		s.update([crit('a', 'active')]);
		s.close();
		expect(player.calls.at(-1)).toBe('stop');
		expect(SOUND_STATES).toContain(s.state);
	});
});
