package rules

import "slices"

// RuleSet is the rules in force, indexed so that an event is offered only
// to the rules whose trigger and device kinds fit it: for a telemetry
// message from an SOS button, the telemetry and silence rules for any kind
// or for sos_button, in the order given. Topic filters are then checked on
// those few. A RuleSet is immutable and safe for concurrent use; the
// engine builds a new one when rules change.
type RuleSet struct {
	rules []*Compiled
	byID  map[string]*Compiled
	// index[event] is the candidates per device kind, with "" holding the
	// rules for any kind (used for kinds no rule names).
	index map[string]map[string][]*Compiled
}

// NewRuleSet indexes compiled rules. Disabled rules (Rule.Enabled false)
// are left out; nil entries are ignored.
func NewRuleSet(rules ...*Compiled) *RuleSet {
	s := &RuleSet{byID: map[string]*Compiled{}, index: map[string]map[string][]*Compiled{}}
	for _, c := range rules {
		if c == nil || !c.Rule.Enabled {
			continue
		}
		s.rules = append(s.rules, c)
		if c.Rule.ID != "" {
			s.byID[c.Rule.ID] = c
		}
	}
	for _, ev := range []string{EventTelemetry, EventSilence, EventAlarm, EventSchedule} {
		s.index[ev] = s.buildIndex(ev)
	}
	return s
}

// buildIndex lists, per device kind, the rules an event of that kind may
// concern, keeping the given order.
func (s *RuleSet) buildIndex(event string) map[string][]*Compiled {
	byKind := map[string][]*Compiled{"": nil}
	var kinds []string
	for _, c := range s.rules {
		if triggerFits(c.Rule.When, event) {
			for _, k := range c.kinds {
				if !slices.Contains(kinds, k) {
					kinds = append(kinds, k)
				}
			}
		}
	}
	for _, c := range s.rules {
		if !triggerFits(c.Rule.When, event) {
			continue
		}
		if len(c.kinds) == 0 {
			byKind[""] = append(byKind[""], c)
			for _, k := range kinds {
				byKind[k] = append(byKind[k], c)
			}
			continue
		}
		for _, k := range c.kinds {
			if !slices.Contains(byKind[k], c) {
				byKind[k] = append(byKind[k], c)
			}
		}
	}
	return byKind
}

func triggerFits(when, event string) bool {
	return when == event || (event == EventTelemetry && when == WhenSilence)
}

// Candidates returns the rules the index offers an event before topic
// filters are checked.
func (s *RuleSet) Candidates(env *Env) []*Compiled {
	byKind := s.index[env.Event]
	if list, ok := byKind[env.Device.Kind]; ok {
		return list
	}
	return byKind[""]
}

// Evaluate offers one event to the rules that match it and returns one
// Result per matching rule, in rule order. Each rule is evaluated in
// isolation: an error or panic in one is reported in its Result and the
// others go on.
func (s *RuleSet) Evaluate(env *Env) []Result { return s.evaluate(env, false) }

// Trace is Evaluate with Result.Seen filled, for dry runs.
func (s *RuleSet) Trace(env *Env) []Result { return s.evaluate(env, true) }

func (s *RuleSet) evaluate(env *Env, trace bool) []Result {
	cands := s.Candidates(env)
	if env.Payload == nil {
		env.Payload = map[string]any{}
	}
	var out []Result
	for _, c := range cands {
		if env.Event == EventTelemetry && !matchTopic(c.topic, env.Topic) {
			continue
		}
		if out == nil {
			out = make([]Result, 0, len(cands))
		}
		out = append(out, c.evaluate(env, trace, false)) // the index and topic check did Matches' work
	}
	return out
}

// Rules returns the rules in the set, in order (the engine arms silence
// timers and schedules from it).
func (s *RuleSet) Rules() []*Compiled { return slices.Clone(s.rules) }

// Rule finds a rule by record id.
func (s *RuleSet) Rule(id string) (*Compiled, bool) {
	c, ok := s.byID[id]
	return c, ok
}
