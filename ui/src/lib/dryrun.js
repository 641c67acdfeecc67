// The rules page's dry-run form: its checks before sending, and how a
// compile error's position is shown. Pure, for tests.

/**
 * lineColumn turns a 0-based offset in text into a 1-based {line, column}.
 */
export function lineColumn(text, offset) {
	const before = text.slice(0, Math.max(0, offset));
	const lines = before.split('\n');
	return { line: lines.length, column: lines.at(-1).length + 1 };
}

/**
 * jsonErrorPosition reads where JSON.parse stopped from its message, which
 * differs by engine: "(line 2 column 10)" (Chromium), "at line 2 column 10"
 * (Firefox), "at position 14" (older V8). {} when the message has none.
 */
export function jsonErrorPosition(message, text) {
	const lc = message.match(/line (\d+) column (\d+)/);
	if (lc) return { line: Number(lc[1]), column: Number(lc[2]) };
	const pos = message.match(/position (\d+)/);
	if (pos) return lineColumn(text, Number(pos[1]));
	return {};
}

/**
 * parsePayload reads the sample payload: a JSON object, as devices send.
 * Returns {value} or {error: i18n key, line?, column?}.
 */
export function parsePayload(text) {
	const s = String(text ?? '').trim();
	if (!s) return { value: {} };
	let value;
	try {
		value = JSON.parse(s);
	} catch (err) {
		return { error: 'dryRun.error.payloadJson', ...jsonErrorPosition(String(err?.message ?? ''), s) };
	}
	if (value === null || typeof value !== 'object' || Array.isArray(value)) return { error: 'dryRun.error.payloadObject' };
	return { value };
}

/**
 * validateDryRun checks the form: {mode: 'rule'|'condition', rule,
 * condition, when, deviceKinds, payload, device}. Returns {body, errors}
 * with errors a map of field → i18n key (or {key, line, column}).
 */
export function validateDryRun(form) {
	const errors = {};
	const body = {};
	if (form.mode === 'rule') {
		if (!form.rule) errors.rule = 'dryRun.error.ruleRequired';
		else body.rule = form.rule;
	} else {
		const condition = String(form.condition ?? '').trim();
		if (!condition) errors.condition = 'dryRun.error.conditionRequired';
		body.rule = { name: form.name?.trim() || 'dry run', when: form.when || 'telemetry', condition, enabled: true };
		if (form.deviceKinds?.length) body.rule.device_kinds = form.deviceKinds;
		if (form.actions?.length) body.rule.actions = form.actions;
	}
	const payload = parsePayload(form.payload);
	if (payload.error) errors.payload = payload;
	else body.payload = payload.value;
	if (form.device) body.device = form.device;
	return { body, errors };
}

/**
 * caretLines cuts source around a 1-based {line, column}: {line (its
 * text), pad (spaces up to the column)} to print a caret under the spot.
 */
export function caretLines(source, line, column) {
	const lines = String(source ?? '').split('\n');
	const text = lines[(line || 1) - 1] ?? '';
	return { text, pad: ' '.repeat(Math.max(0, (column || 1) - 1)) };
}

/**
 * compileErrorPosition reads the 1-based {line, column} of a rule compile
 * error from the server's message ("Line 2, column 9: elder has no field
 * nickname."), or null when it names none.
 */
export function compileErrorPosition(message) {
	const m = String(message ?? '').match(/line (\d+), column (\d+)/i);
	return m ? { line: Number(m[1]), column: Number(m[2]) } : null;
}
