// The alarm figures panel: which period is asked for, and how the numbers
// read. Pure, for tests.

const DAY = 24 * 60 * 60 * 1000;

/** PERIODS are the period buttons of the figures panel. */
export const PERIODS = ['today', '7d', '30d', 'custom'];

/** ACK_TARGET is the telecare anchor: 97.5 % of alarms answered within 60 s. */
export const ACK_TARGET = 97.5;

function startOfDay(d) {
	const x = new Date(d);
	x.setHours(0, 0, 0, 0);
	return x;
}

/**
 * periodRange turns a period into {from, to} Dates (local days), or null
 * when a custom period is incomplete or backwards. custom.from and
 * custom.to are "YYYY-MM-DD" (an <input type="date">); to is inclusive.
 */
export function periodRange(period, now = Date.now(), custom = {}) {
	const end = new Date(now);
	switch (period) {
		case 'today':
			return { from: startOfDay(now), to: end };
		case '7d':
			return { from: new Date(now - 7 * DAY), to: end };
		case '30d':
			return { from: new Date(now - 30 * DAY), to: end };
		case 'custom': {
			if (!custom.from || !custom.to) return null;
			const from = new Date(custom.from + 'T00:00:00');
			const to = new Date(new Date(custom.to + 'T00:00:00').getTime() + DAY);
			if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime()) || to <= from) return null;
			return { from, to };
		}
		default:
			return null;
	}
}

/** figuresQuery is the query string of GET /api/fengqiao/alarms/figures. */
export function figuresQuery(range) {
	return new URLSearchParams({ from: range.from.toISOString(), to: range.to.toISOString() }).toString();
}

/** percent formats a share (0–100, or null for "no alarms") as "97.5 %". */
export function percent(v) {
	if (v === null || v === undefined || Number.isNaN(Number(v))) return '—';
	const n = Number(v);
	return `${n.toFixed(n === 100 || n === 0 ? 0 : 1)}%`;
}

/** meetsTarget says whether an acknowledged-within-60-s share meets ACK_TARGET. */
export function meetsTarget(v) {
	return v !== null && v !== undefined && Number(v) >= ACK_TARGET;
}

/** sortedCounts turns {key: n} into [[key, n]] by count, largest first. */
export function sortedCounts(counts) {
	return Object.entries(counts ?? {})
		.filter(([, n]) => Number(n) > 0)
		.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
}
