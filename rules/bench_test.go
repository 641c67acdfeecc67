package rules

import (
	"fmt"
	"testing"
	"time"

	"github.com/fengqiao/fengqiao/payload"
)

// realisticRules are twenty rules of the kinds a community writes: the
// shipped defaults plus local variations. Every one of them applies to any
// device kind or to SOS buttons, so a message from an SOS button is
// evaluated against all twenty (the index cannot skip any).
func realisticRules(kinds func(i int) []string) []Rule {
	src := []struct{ when, cond, clear, from, to, title string }{
		{"telemetry", `payload.sos == true || payload.sos == 1`, "", "", "", `一键呼救：{{ elder.name != "" ? elder.name : device.name }}，{{ household.address }}`},
		{"telemetry", `unreadable`, "", "", "", `无法识别的呼救信号：{{ device.name }}`},
		{"telemetry", `payload.smoke == true`, "", "", "", `烟雾报警：{{ household.address }}`},
		{"telemetry", `payload.gas == true`, "", "", "", `燃气泄漏：{{ household.address }}`},
		{"telemetry", `payload.leak == true || payload.water_leak == true`, "", "", "", `漏水：{{ household.address }}`},
		{"telemetry", `payload.open == true && elder.lives_alone`, "", "23:00", "05:00", `深夜开门：{{ elder.name }}`},
		{"telemetry", `"battery" in payload && payload.battery < 15`, `"battery" in payload && payload.battery >= 30`, "", "", `电量低 {{ payload.battery }}%`},
		{"telemetry", `payload.sos == true && elder.age >= 80`, "", "", "", `高龄老人呼救：{{ elder.name }}`},
		{"telemetry", `payload.sos == true && count("sos", duration("1h")) >= 3`, "", "", "", `一小时内多次呼救：{{ elder.name }}`},
		{"telemetry", `payload.sos == true && between(hour(now), 22, 6)`, "", "", "", `夜间呼救：{{ elder.name }}`},
		{"telemetry", `"temp" in payload && payload.temp > 45`, "", "", "", `高温 {{ payload.temp }}℃`},
		{"telemetry", `"rssi" in payload && payload.rssi < -95`, "", "", "", `信号弱：{{ device.name }}`},
		{"telemetry", `payload.tamper == true`, "", "", "", `设备被拆：{{ device.name }}`},
		{"telemetry", `payload.sos == true && weekday(now) in ["sat", "sun"]`, "", "", "", `周末呼救：{{ elder.name }}`},
		{"telemetry", `payload.fall == true`, "", "", "", `跌倒：{{ elder.name }}`},
		{"telemetry", `"battery" in payload && payload.battery < 5 && !device.online`, "", "", "", `电量耗尽：{{ device.name }}`},
		{"telemetry", `payload.sos == true && elder.lives_alone && household.members <= 1`, "", "", "", `独居呼救：{{ elder.name }}`},
		{"telemetry", `"ts" in payload && since(payload.ts) > duration("10m")`, "", "", "", `延迟上报：{{ device.name }}`},
		{"silence", `elder.id != ""`, `payload.motion == true`, "07:00", "21:00", `无活动：{{ elder.name }}`},
		{"silence", ``, ``, "", "", `设备静默：{{ device.name }}`},
	}
	out := make([]Rule, len(src))
	for i, s := range src {
		r := Rule{ID: fmt.Sprintf("r%02d", i), Name: s.title, Enabled: true, When: s.when, DeviceKinds: kinds(i),
			Condition: s.cond, ClearCondition: s.clear, ActiveFrom: s.from, ActiveTo: s.to,
			Actions: []byte(fmt.Sprintf(`[{"type":"raise","severity":"major","title":%q}]`, s.title))}
		if s.when == "silence" {
			r.SilenceFor, r.Condition, r.ResetCondition, r.ClearCondition = "12h", s.cond, s.clear, s.clear
		}
		out[i] = r
	}
	return out
}

func mustRuleSet(tb testing.TB, rs []Rule) *RuleSet {
	tb.Helper()
	cs := make([]*Compiled, len(rs))
	for i, r := range rs {
		c, err := Compile(r)
		if err != nil {
			tb.Fatalf("rule %d: %v", i, err)
		}
		cs[i] = c
	}
	return NewRuleSet(cs...)
}

type fixedCounter int

func (n fixedCounter) Count(*Env, string, time.Duration) (int, error) { return int(n), nil }

// benchEnv is an SOS press from an elder living alone at 23:30.
func benchEnv() *Env {
	return &Env{
		Event: EventTelemetry, Topic: "devices/sos-3-2-401/up",
		Device:    Device{ID: "d1", ClientID: "sos-3-2-401", Kind: "sos_button", Name: "王阿姨 · 一键呼救", Online: true, Battery: 87},
		Elder:     Elder{ID: "e1", Name: "王秀英", Age: 82, LivesAlone: true, Mode: ModeHome},
		Household: Household{ID: "h1", Address: "3 栋 2 单元 401", Members: 1},
		Grid:      Grid{ID: "g1", Code: "G01", Name: "第一网格"},
		Now:       time.Date(2026, 3, 14, 23, 30, 0, 0, time.FixedZone("CST", 8*3600)),
		Counter:   fixedCounter(1),
	}
}

// BenchmarkDecodeAndEvaluate20Rules is the per-message cost of the rule
// pipeline: payload.Decode, then a RuleSet of twenty realistic rules.
// all_match: all twenty apply to the SOS button (the worst case: every
// condition runs, four fire and render titles). mixed_kinds: the same
// rules spread over device kinds, as a community has them; the index
// offers the message only to those for SOS buttons or any kind. Besides
// wall time, cpu-ns/op is the process's CPU time per message (GC
// included), which a loaded shared machine disturbs less.
func BenchmarkDecodeAndEvaluate20Rules(b *testing.B) {
	msg := []byte(`{"sos":true,"battery":87,"rssi":-71,"ts":1773502200}`)
	kindsOf := map[string]func(int) []string{
		"all_match": func(i int) []string {
			if i%3 == 0 {
				return []string{"sos_button"}
			}
			return nil
		},
		"mixed_kinds": func(i int) []string {
			k := []string{"sos_button", "door_magnet", "pir", "smoke", "gas"}
			if i%5 == 4 {
				return nil
			}
			return []string{k[i%4]}
		},
	}
	for _, name := range []string{"all_match", "mixed_kinds"} {
		set := mustRuleSet(b, realisticRules(kindsOf[name]))
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			base := benchEnv()
			var fired, evaluated int
			cpu0 := processCPU()
			for b.Loop() {
				p, err := payload.Decode(msg)
				if err != nil {
					b.Fatal(err)
				}
				env := *base
				env.Payload = p
				res := set.Evaluate(&env)
				evaluated = len(res)
				fired = 0
				for _, r := range res {
					if r.Err != nil {
						b.Fatalf("%s: %v", r.Rule.Rule.Name, r.Err)
					}
					if r.Fired {
						fired++
					}
				}
			}
			if cpu := processCPU() - cpu0; cpu > 0 {
				b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op")
			}
			b.ReportMetric(float64(evaluated), "rules/msg")
			b.ReportMetric(float64(fired), "fired/msg")
		})
	}
}

func BenchmarkCompile(b *testing.B) {
	r := realisticRules(func(int) []string { return nil })[9]
	for b.Loop() {
		if _, err := Compile(r); err != nil {
			b.Fatal(err)
		}
	}
}
