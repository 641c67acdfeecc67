package payload

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestDecodeAccepts(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want map[string]any
	}{
		{"sos", `{"sos":true}`, map[string]any{"sos": true}},
		{"battery number", `{"battery":87,"ts":1767225600}`, map[string]any{"battery": 87.0, "ts": 1767225600.0}},
		{"whitespace around", " \r\n\t{ \"open\" : false }\n ", map[string]any{"open": false}},
		{"empty object", `{}`, map[string]any{}},
		{"nested to MaxDepth", `{"a":{"b":{"c":{"d":{"e":{"f":{"g":[1]}}}}}}}`,
			map[string]any{"a": map[string]any{"b": map[string]any{"c": map[string]any{"d": map[string]any{"e": map[string]any{"f": map[string]any{"g": []any{1.0}}}}}}}}},
		{"brackets in strings do not nest", `{"s":"[[[[[[[[[[{{{{{{{{"}`, map[string]any{"s": "[[[[[[[[[[{{{{{{{{"}},
		{"escaped quote in string", `{"s":"a\"[[[[[[[[[[","n":null}`, map[string]any{"s": `a"[[[[[[[[[[`, "n": nil}},
		{"unicode", `{"name":"门磁 🚪","esc":"\u95e8"}`, map[string]any{"name": "门磁 🚪", "esc": "门"}},
		{"duplicate key keeps last", `{"a":1,"a":2}`, map[string]any{"a": 2.0}},
		{"negative and exponent", `{"t":-3.5e2}`, map[string]any{"t": -350.0}},
		{"exactly MaxBytes", `{"p":"` + strings.Repeat("x", MaxBytes-8) + `"}`, map[string]any{"p": strings.Repeat("x", MaxBytes-8)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Decode([]byte(tt.in))
			if err != nil {
				t.Fatalf("Decode(%.40q) error %v", tt.in, err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("Decode(%.40q) = %#v, want %#v", tt.in, got, tt.want)
			}
		})
	}
}

func TestDecodeRefuses(t *testing.T) {
	deep := strings.Repeat(`{"a":`, MaxDepth) + `[]` + strings.Repeat(`}`, MaxDepth)
	tests := []struct {
		name, in, reason string
	}{
		{"empty", ``, ReasonNotJSON},
		{"blank", " \n ", ReasonNotJSON},
		{"garbage", `sos`, ReasonNotJSON},
		{"truncated object", `{"sos":tru`, ReasonNotJSON},
		{"trailing data", `{"sos":true} {}`, ReasonNotJSON},
		{"trailing comma", `{"sos":true,}`, ReasonNotJSON},
		{"single quotes", `{'sos':true}`, ReasonNotJSON},
		{"number overflow", `{"n":1e400}`, ReasonNotJSON},
		{"bare number", `42`, ReasonNotObject},
		{"array", `[{"sos":true}]`, ReasonNotObject},
		{"string", `"sos"`, ReasonNotObject},
		{"null", `null`, ReasonNotObject},
		{"boolean", ` true `, ReasonNotObject},
		{"invalid utf8 in string", "{\"name\":\"\xff\"}", ReasonInvalidUTF8},
		{"invalid utf8 outside json", "\xc3\x28", ReasonInvalidUTF8},
		{"one level too deep", deep, ReasonTooDeep},
		{"deep arrays", `{"a":` + strings.Repeat("[", 100) + strings.Repeat("]", 100) + `}`, ReasonTooDeep},
		{"too large", `{"p":"` + strings.Repeat("x", MaxBytes) + `"}`, ReasonTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Decode([]byte(tt.in))
			if got != nil {
				t.Fatalf("Decode returned a value %v with a refusal", got)
			}
			var pe *Error
			if !errors.As(err, &pe) {
				t.Fatalf("Decode(%.40q) error = %v, want *Error", tt.in, err)
			}
			if pe.Reason != tt.reason {
				t.Fatalf("Decode(%.40q) reason = %q (%v), want %q", tt.in, pe.Reason, pe, tt.reason)
			}
			if pe.Detail == "" || !strings.HasPrefix(pe.Error(), "payload "+tt.reason) {
				t.Fatalf("unhelpful error %q", pe.Error())
			}
		})
	}
}

func TestErrorWithoutDetail(t *testing.T) {
	if got := (&Error{Reason: ReasonNotJSON}).Error(); got != "payload not_json" {
		t.Fatalf("Error() = %q", got)
	}
}

// FuzzDecode: Decode never panics, never accepts anything but a JSON object,
// and what it accepts survives a JSON round trip unchanged.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{`{"sos":true}`, `{"battery":14,"ts":1767225600}`, `{"a":[1,{"b":null}]}`,
		`[]`, `"x"`, `{"s":"\ud800"}`, "{\"a\":\"\xff\"}", `{"a":{"b":{"c":{"d":{"e":{"f":{"g":{"h":1}}}}}}}}`,
		`{"s":"\\\"[[[["}`, ` {} `, `{"n":1e308}`, `{"n":-0}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := Decode(b)
		if err != nil {
			var pe *Error
			if !errors.As(err, &pe) || pe.Reason == "" {
				t.Fatalf("error %v is not a payload *Error", err)
			}
			if m != nil {
				t.Fatalf("refusal %v returned a value", err)
			}
			return
		}
		if m == nil {
			t.Fatal("accepted payload decoded to a nil map")
		}
		var std any
		if err := json.Unmarshal(b, &std); err != nil {
			t.Fatalf("accepted %q that encoding/json refuses: %v", b, err)
		}
		if _, ok := std.(map[string]any); !ok {
			t.Fatalf("accepted non-object %q", b)
		}
		again, err := json.Marshal(m)
		if err != nil {
			t.Fatalf("cannot re-encode %q: %v", b, err)
		}
		m2, err := Decode(again)
		if err != nil {
			t.Fatalf("re-encoded %q refused: %v", again, err)
		}
		if !reflect.DeepEqual(m, m2) {
			t.Fatalf("round trip changed %#v into %#v", m, m2)
		}
	})
}

func BenchmarkDecode(b *testing.B) {
	for _, bc := range []struct{ name, in string }{
		{"sos", `{"sos":true,"battery":87,"ts":1767225600}`},
		{"pir", `{"motion":true,"lux":120.5,"battery":64,"rssi":-71,"fw":"1.4.2"}`},
		{"refused", `{"sos":tru`},
	} {
		in := []byte(bc.in)
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(in)))
			for b.Loop() {
				_, _ = Decode(in)
			}
		})
	}
}
