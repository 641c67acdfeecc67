/**
 * latest returns a runner for requests where only the newest one counts:
 * when the search, page or period changes while an answer is on its way,
 * the older answer (or its error) must not overwrite the newer one, nor
 * clear the newer one's loading state.
 *
 *   const run = latest();
 *   run(() => pb.collection('x').getList(…), { ok: (r) => …, fail: (e) => …, settled: () => … });
 *
 * ok or fail, then settled, are called only if no newer request has been
 * started since this one.
 */
export function latest() {
	let seq = 0;
	return async function run(request, { ok, fail, settled }) {
		const mine = ++seq;
		try {
			const r = await request();
			if (mine === seq) ok(r);
		} catch (err) {
			if (mine === seq) fail(err);
		} finally {
			if (mine === seq) settled?.();
		}
	};
}
