// Package payload decodes what devices publish: one JSON object per MQTT
// message, e.g. {"sos":true,"battery":87}.
//
// Decode is the single gate between a device's bytes and the rest of the
// appliance (the readings writer, the rule engine). It refuses anything that
// is not a JSON object, not valid UTF-8, larger than MaxBytes or nested
// deeper than MaxDepth, with an *Error whose Reason is a short, stable label
// suitable for a counter ("not_json", "too_deep"…).
//
// Values come out as encoding/json produces them for interface{}: objects
// as map[string]any, arrays as []any, numbers as float64, strings, bools and
// nil. The package has no dependencies beyond the standard library and
// knows nothing of MQTT or PocketBase.
package payload

import (
	"bytes"
	"encoding/json"
	"fmt"
	"unicode/utf8"
)

// MaxBytes is the largest payload Decode accepts; bigger payloads are
// refused with ReasonTooLarge before any parsing.
const MaxBytes = 16 << 10

// MaxDepth is the deepest nesting of objects and arrays Decode accepts. The
// top-level object is depth 1, so {"a":{"b":[1]}} has depth 3.
const MaxDepth = 8

// Reasons a payload is refused: the Reason of an *Error. They are stable
// labels, used as counter labels and shown as a device's last error.
const (
	ReasonNotJSON     = "not_json"
	ReasonNotObject   = "not_object"
	ReasonInvalidUTF8 = "invalid_utf8"
	ReasonTooDeep     = "too_deep"
	ReasonTooLarge    = "too_large"
)

// Error is a refused payload; Reason is one of the Reason… constants (used
// as a counter label), Detail is human readable.
type Error struct {
	Reason string
	Detail string
}

// Error returns "payload <reason>: <detail>".
func (e *Error) Error() string {
	if e.Detail == "" {
		return "payload " + e.Reason
	}
	return "payload " + e.Reason + ": " + e.Detail
}

// Decode parses a device payload: one JSON object, valid UTF-8, at most
// MaxBytes and MaxDepth; numbers as float64. Leading and trailing JSON
// whitespace is allowed; anything after the object is not. Bad input
// returns an *Error and a nil map. Decode never panics and keeps no
// reference to b.
func Decode(b []byte) (map[string]any, error) {
	if len(b) > MaxBytes {
		return nil, &Error{Reason: ReasonTooLarge, Detail: fmt.Sprintf("%d bytes, limit %d", len(b), MaxBytes)}
	}
	if !utf8.Valid(b) {
		return nil, &Error{Reason: ReasonInvalidUTF8, Detail: "payload is not valid UTF-8"}
	}
	trimmed := bytes.TrimLeft(b, " \t\r\n")
	if len(trimmed) == 0 {
		return nil, &Error{Reason: ReasonNotJSON, Detail: "empty payload"}
	}
	if trimmed[0] != '{' {
		if json.Valid(b) {
			return nil, &Error{Reason: ReasonNotObject, Detail: "JSON " + kindOf(trimmed[0]) + ", want an object"}
		}
		return nil, notJSON(json.Unmarshal(b, new(any)))
	}
	if depth := maxDepth(trimmed); depth > MaxDepth {
		return nil, &Error{Reason: ReasonTooDeep, Detail: fmt.Sprintf("nesting deeper than %d", MaxDepth)}
	}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return nil, notJSON(err)
	}
	m, ok := v.(map[string]any)
	if !ok { // unreachable: the first byte is '{' and the whole input parsed
		return nil, &Error{Reason: ReasonNotObject, Detail: "want an object"}
	}
	return m, nil
}

func notJSON(err error) *Error {
	detail := "invalid JSON"
	if err != nil {
		detail = err.Error()
	}
	return &Error{Reason: ReasonNotJSON, Detail: detail}
}

// maxDepth returns how deep objects and arrays nest in b, stopping early
// once the depth passes MaxDepth. Brackets inside strings do not count.
// On malformed input the figure may be wrong; json.Unmarshal then refuses
// the input anyway.
func maxDepth(b []byte) int {
	depth, deepest := 0, 0
	inString := false
	for i := 0; i < len(b); i++ {
		c := b[i]
		if inString {
			switch c {
			case '\\':
				i++ // skip the escaped byte; \uXXXX digits are harmless
			case '"':
				inString = false
			}
			continue
		}
		switch c {
		case '"':
			inString = true
		case '{', '[':
			depth++
			if depth > deepest {
				deepest = depth
				if deepest > MaxDepth {
					return deepest
				}
			}
		case '}', ']':
			depth--
		}
	}
	return deepest
}

// kindOf names the JSON value that starts with c, for error details.
func kindOf(c byte) string {
	switch c {
	case '[':
		return "array"
	case '"':
		return "string"
	case 't', 'f':
		return "boolean"
	case 'n':
		return "null"
	default:
		return "number"
	}
}
