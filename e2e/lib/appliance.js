// Starts the REAL fengqiao appliance for a test: the binary from
// FENGQIAO_BIN (the Makefile passes the one it built) or one built here with
// `go build`, a fresh data dir, a free port on 127.0.0.1, the demo community
// and a superuser for API calls. stop() ends it and removes the data.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, createWriteStream, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const E2E_DIR = resolve(import.meta.dirname, '..');
const REPO = resolve(E2E_DIR, '..');
// Built inside e2e/ (ignored), not under the OS temp dir: PocketBase turns on
// its noisy dev logging when the executable lives in the temp dir.
const WORK = join(E2E_DIR, '.work');

export const SUPERUSER = { email: 'e2e@fengqiao.test', password: 'e2e-superuser-password' };

/** binary returns FENGQIAO_BIN or builds the appliance from the repo root. */
export function binary() {
	if (process.env.FENGQIAO_BIN) return resolve(process.env.FENGQIAO_BIN);
	mkdirSync(WORK, { recursive: true });
	const out = join(WORK, 'fengqiao');
	execFileSync('go', ['build', '-o', out, '.'], { cwd: REPO, stdio: 'inherit' });
	return out;
}

/** freePort asks the kernel for a free TCP port on 127.0.0.1. */
export function freePort() {
	return new Promise((res, rej) => {
		const srv = createServer();
		srv.unref();
		srv.on('error', rej);
		srv.listen(0, '127.0.0.1', () => {
			const { port } = srv.address();
			srv.close(() => res(port));
		});
	});
}

async function waitHealthy(base, proc, logFile, timeoutMs) {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (proc.exitCode !== null) {
			throw new Error(`fengqiao exited with ${proc.exitCode} before it was healthy:\n${readFileSync(logFile, 'utf8')}`);
		}
		try {
			const r = await fetch(base + '/api/health');
			if (r.ok) return;
		} catch {
			// not listening yet
		}
		await new Promise((r) => setTimeout(r, 200));
	}
	throw new Error(`fengqiao not healthy after ${timeoutMs} ms:\n${readFileSync(logFile, 'utf8')}`);
}

/**
 * startAppliance runs `fengqiao serve --demo` on a free port and resolves
 * once /api/health answers. The log goes to <data dir>/appliance.log. The
 * MQTT broker listens on its own free port too (mqttPort), never the
 * default 1883 another appliance on this machine may hold.
 */
export async function startAppliance() {
	const bin = binary();
	const dir = mkdtempSync(join(tmpdir(), 'fengqiao-e2e-'));
	execFileSync(bin, ['superuser', 'upsert', SUPERUSER.email, SUPERUSER.password, '--dir', dir], { stdio: 'pipe' });
	const port = await freePort();
	const mqttPort = await freePort();
	const base = `http://127.0.0.1:${port}`;
	const logFile = join(dir, 'appliance.log');
	const log = createWriteStream(logFile);
	const proc = spawn(bin, ['serve', '--demo', '--dev=false', '--dir', dir, '--http', `127.0.0.1:${port}`, '--mqtt', `127.0.0.1:${mqttPort}`], { stdio: ['ignore', 'pipe', 'pipe'] });
	proc.stdout.pipe(log);
	proc.stderr.pipe(log);
	await waitHealthy(base, proc, logFile, 60_000);

	let token = null;
	return {
		base,
		mqttPort,
		dir,
		logFile,
		/** api calls the REST API as the superuser and returns the JSON. */
		async api(method, path, body) {
			token ??= (await request(base, 'POST', '/api/collections/_superusers/auth-with-password', { identity: SUPERUSER.email, password: SUPERUSER.password })).token;
			return request(base, method, path, body, token);
		},
		/** stop ends the appliance (SIGTERM, then SIGKILL) and deletes its data. */
		async stop() {
			if (proc.exitCode === null) {
				const exited = new Promise((r) => proc.once('exit', r));
				proc.kill('SIGTERM');
				const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
				await exited;
				clearTimeout(timer);
			}
			log.end();
			if (!process.env.E2E_KEEP_DATA) rmSync(dir, { recursive: true, force: true });
		},
	};
}

async function request(base, method, path, body, token) {
	const r = await fetch(base + path, {
		method,
		headers: { 'content-type': 'application/json', ...(token ? { Authorization: token } : {}) },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const json = await r.json().catch(() => null);
	if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(json)}`);
	return json;
}
