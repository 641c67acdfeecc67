import { describe, it, expect } from 'vitest';
import { parsePayload, validateDryRun, lineColumn, caretLines, jsonErrorPosition, compileErrorPosition } from './dryrun.js';

describe('parsePayload', () => {
	it('takes a JSON object, an empty text as {}', () => {
		expect(parsePayload('{"sos": true, "battery": 9}')).toEqual({ value: { sos: true, battery: 9 } });
		expect(parsePayload('  ')).toEqual({ value: {} });
	});

	it('refuses what a device could not send', () => {
		expect(parsePayload('{\n  "sos": tru\n}').error).toBe('dryRun.error.payloadJson');
		expect(parsePayload('[1, 2]')).toEqual({ error: 'dryRun.error.payloadObject' });
		expect(parsePayload('42')).toEqual({ error: 'dryRun.error.payloadObject' });
		expect(parsePayload('null')).toEqual({ error: 'dryRun.error.payloadObject' });
	});
});

describe('validateDryRun', () => {
	it('sends a stored rule by id', () => {
		expect(validateDryRun({ mode: 'rule', rule: 'r1', payload: '{"sos":true}', device: 'sos-1-1-102' })).toEqual({
			body: { rule: 'r1', payload: { sos: true }, device: 'sos-1-1-102' },
			errors: {},
		});
		expect(validateDryRun({ mode: 'rule', rule: '', payload: '' }).errors).toEqual({ rule: 'dryRun.error.ruleRequired' });
	});

	it('sends an unsaved rule with its condition and actions', () => {
		const actions = [{ type: 'raise', severity: 'critical', title: 'x' }];
		const { body, errors } = validateDryRun({ mode: 'condition', condition: ' payload.sos ', when: 'telemetry', payload: '{}', actions });
		expect(errors).toEqual({});
		expect(body).toEqual({ rule: { name: 'dry run', when: 'telemetry', condition: 'payload.sos', enabled: true, actions }, payload: {} });
		const bad = validateDryRun({ mode: 'condition', condition: '', payload: '{' });
		expect(bad.errors.condition).toBe('dryRun.error.conditionRequired');
		expect(bad.errors.payload.error).toBe('dryRun.error.payloadJson');
	});
});

describe('positions', () => {
	it('reads where JSON.parse stopped, whatever the engine says', () => {
		const text = '{\n  "sos": tru\n}';
		expect(jsonErrorPosition(`Unexpected token 'u', "tru" is not valid JSON (line 2 column 12)`, text)).toEqual({ line: 2, column: 12 });
		expect(jsonErrorPosition('JSON.parse: unexpected character at line 2 column 10 of the JSON data', text)).toEqual({ line: 2, column: 10 });
		expect(jsonErrorPosition('Unexpected token } in JSON at position 15', text)).toEqual({ line: 3, column: 1 });
		expect(jsonErrorPosition('Unexpected end of JSON input', text)).toEqual({});
	});

	it('reads a compile error position from the server message', () => {
		expect(compileErrorPosition('Line 2, column 9: elder has no field nickname.')).toEqual({ line: 2, column: 9 });
		expect(compileErrorPosition('Actions[0].title: line 1, column 14: elder has no field nme')).toEqual({ line: 1, column: 14 });
		expect(compileErrorPosition('The rule has no actions.')).toBeNull();
		expect(compileErrorPosition(undefined)).toBeNull();
	});

	it('turns offsets into lines and columns and draws a caret', () => {
		expect(lineColumn('ab\ncd', 0)).toEqual({ line: 1, column: 1 });
		expect(lineColumn('ab\ncd', 4)).toEqual({ line: 2, column: 2 });
		expect(caretLines('payload.sos == true &&\n foo.bar', 2, 2)).toEqual({ text: ' foo.bar', pad: ' ' });
		expect(caretLines('x', 5, 1)).toEqual({ text: '', pad: '' });
	});
});
