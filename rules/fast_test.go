package rules

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/expr-lang/expr"
)

// fastCorpus builds conditions of the simple shape: comparisons of payload
// keys and env fields with literals, combined with !, && and ||.
func fastCorpus() []string {
	operands := []string{"payload.v", `payload["v"]`, "elder.age", "elder.lives_alone", "elder.mode", "device.online", "unreadable",
		"household.members", "hour(now)", "weekday(now)"}
	literals := []string{"true", "false", "1", "15", "-95", "1.5", `"home"`, `""`, "nil", "0"}
	ops := []string{"==", "!=", "<", "<=", ">", ">="}
	var out []string
	for _, o := range operands {
		out = append(out, o, "!"+o, "not "+o)
		for _, op := range ops {
			for _, l := range literals {
				out = append(out, fmt.Sprintf("%s %s %s", o, op, l), fmt.Sprintf("%s %s %s", l, op, o))
			}
		}
	}
	out = append(out,
		`"v" in payload`, `"w" in payload && payload.w < 15`, `"v" in payload || payload.v == 1`,
		`payload.v == true || payload.v == 1`, `payload.v == true && elder.lives_alone`,
		`!(payload.v == true) and elder.age >= 80 or unreadable`, `true`, `false && payload.v`,
		`payload.v && true`, `payload.v || false`, `elder.mode != "away" && elder.mode != "hospital"`,
		`between(hour(now), 22, 6)`, `between(hour(now), 7, 21)`, `between(payload.v, 0, 10)`, `between(payload.v, 10, 0.5)`,
		`between(elder.age, 75, 80)`, `weekday(now) in ["sat", "sun"]`, `weekday(now) in []`, `elder.mode in ["away", "hospital"]`,
		`payload.v == true && between(hour(now), 23, 5)`, `!between(hour(now), 7, 21) || weekday(now) == "sun"`,
	)
	return out
}

func fastEnvs() []*Env {
	vals := []any{nil, true, false, 0.0, 1.0, 15.0, 14.99, -96.0, 1.5, "home", "", "x", 1, []any{1.0}, map[string]any{}}
	var out []*Env
	for i, v := range vals {
		p := map[string]any{"v": v}
		if i%3 == 0 {
			p["w"] = 3.0
		}
		out = append(out, &Env{Event: EventTelemetry, Payload: p, Now: at(0, 0).Add(time.Duration(i) * 7 * time.Hour),
			Elder:     Elder{Age: 70 + i, LivesAlone: i%2 == 0, Mode: []string{"", "home", "away"}[i%3]},
			Device:    Device{Online: i%4 == 0},
			Household: Household{Members: i % 3}, Unreadable: i%5 == 0})
	}
	out = append(out, &Env{Event: EventTelemetry, Payload: map[string]any{}})
	return out
}

// TestFastAgreesWithVM: wherever the fast evaluator decides, it agrees with
// expr's VM; where the VM fails, the fast evaluator does not decide.
func TestFastAgreesWithVM(t *testing.T) {
	decided, shapes := 0, 0
	for _, src := range fastCorpus() {
		prog, err := compileExpr(src, expr.AsBool())
		if err != nil {
			continue // e.g. elder.age == "home": refused when saved
		}
		fast := compileFast(src)
		if fast == nil {
			continue
		}
		shapes++
		for _, env := range fastEnvs() {
			got, ok := fast(env)
			want, err := run(prog, env)
			if err != nil {
				if ok {
					t.Errorf("%s with v=%#v: fast decided %v, VM failed: %v", src, env.Payload["v"], got, err)
				}
				continue
			}
			if !ok {
				continue
			}
			decided++
			if got != want {
				t.Errorf("%s with v=%#v: fast %v, VM %v", src, env.Payload["v"], got, want)
			}
		}
	}
	t.Logf("%d fast shapes, %d decisions compared with the VM", shapes, decided)
	if shapes < 300 || decided < 3000 {
		t.Errorf("only %d shapes and %d decisions covered", shapes, decided)
	}
}

func TestFastShapes(t *testing.T) {
	for src, want := range map[string]bool{
		`payload.sos == true || payload.sos == 1`:      true,
		`"battery" in payload && payload.battery < 15`: true,
		`payload.open == true && elder.lives_alone`:    true,
		`elder.id != ""`: true,
		`"rssi" in payload && payload.rssi < -95`:  true,
		`payload.a.b == 1`:                         false,
		`payload.a == payload.b`:                   false,
		`all(payload.list, # > 1)`:                 false,
		`let x = 1; x == 1`:                        false,
		`device.last_seen.IsZero()`:                false,
		`elder.name < "b"`:                         false,
		`payload.v in [1, 2]`:                      false,
		`hour(now) > 3`:                            true,
		`between(hour(now), 22, 6)`:                true,
		`weekday(now) in ["sat", "sun"]`:           true,
		`hour(device.last_seen) > 3`:               false,
		`between(hour(now), payload.a, 6)`:         false,
		`weekday(now) in ["sat", payload.d]`:       false,
		`since(device.last_seen) > duration("1h")`: false,
	} {
		if got := compileFast(src) != nil; got != want {
			t.Errorf("compileFast(%s) != nil is %v, want %v", src, got, want)
		}
	}
}

// TestFastTitlesAgreeWithVM: placeholders rendered without the VM read the
// same as with it.
func TestFastTitlesAgreeWithVM(t *testing.T) {
	placeholders := []string{`elder.name`, `payload.v`, `payload["v"]`, `elder.age`, `device.online`, `hour(now)`, `weekday(now)`,
		`elder.name != "" ? elder.name : device.name`, `payload.v == true ? "是" : "否"`, `elder.lives_alone ? elder.age : household.address`,
		`payload.v > 1 ? payload.v : "small"`, `household.members`, `unreadable_reason`}
	fastOnes := 0
	for _, src := range placeholders {
		prog, err := compileExpr(src, expr.AsAny())
		if err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		w := fastPlaceholder(src)
		if w == nil {
			t.Errorf("%s has no fast writer", src)
			continue
		}
		for _, env := range fastEnvs() {
			env.Elder.Name = fmt.Sprint("老人", env.Elder.Age%2)
			var b strings.Builder
			if !w(env, &b) {
				if b.Len() > 0 {
					t.Errorf("%s: undecided writer wrote %q", src, b.String())
				}
				continue
			}
			fastOnes++
			v, err := run(prog, env)
			if err != nil {
				t.Errorf("%s: fast wrote %q, VM failed: %v", src, b.String(), err)
				continue
			}
			if want := formatValue(v); b.String() != want {
				t.Errorf("%s with v=%#v: fast %q, VM %q", src, env.Payload["v"], b.String(), want)
			}
		}
	}
	if fastOnes < 150 {
		t.Errorf("only %d fast renderings compared", fastOnes)
	}
}
