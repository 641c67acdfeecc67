package rules

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
)

// compileActions validates the actions JSON and compiles each title
// template. Every problem is recorded under the "actions" field with a path
// like "actions[1].severity".
func compileActions(errs *Errors, raw json.RawMessage) ([]Action, []*template) {
	actions, err := decodeActions(raw)
	if err != nil {
		errs.add("actions", "", err.Error())
		return nil, nil
	}
	if len(actions) > MaxActions {
		errs.add("actions", "", fmt.Sprintf("at most %d actions", MaxActions))
		return nil, nil
	}
	titles := make([]*template, len(actions))
	for i := range actions {
		a := &actions[i]
		path := func(f string) string { return fmt.Sprintf("actions[%d]%s", i, f) }
		bad := func(f, msg string) { errs.add("actions", path(f), msg) }
		switch a.Type {
		case ActionRaise:
			if !slices.Contains(Severities, a.Severity) {
				bad(".severity", fmt.Sprintf("severity %q: use critical, major, minor, warning or info", a.Severity))
			}
			if a.Kind != "" && !isIdent(a.Kind, 50) {
				bad(".kind", fmt.Sprintf("alarm kind %q: use lowercase letters, digits and _", a.Kind))
			}
		case ActionClear:
			if a.Rule != "" && !isIdent(a.Rule, 64) {
				bad(".rule", fmt.Sprintf("rule key %q: use lowercase letters, digits and _", a.Rule))
			}
		case ActionNotify:
			if a.Channel == "" && len(a.Audience) == 0 {
				bad("", "a notify action needs a channel, an audience, or both")
			}
			if len(a.Channel) > 100 {
				bad(".channel", "channel name longer than 100 characters")
			}
			for j, who := range a.Audience {
				if !slices.Contains(Audiences, who) {
					bad(fmt.Sprintf(".audience[%d]", j), fmt.Sprintf("unknown audience %q: use one of %v", who, Audiences))
				}
			}
		case ActionCommand:
			if len(a.Command) == 0 {
				bad(".command", "a command action needs a command object, e.g. {\"beep\":3}")
			} else if b, err := json.Marshal(a.Command); err != nil || len(b) > 4096 {
				bad(".command", "command must encode to at most 4096 bytes of JSON")
			}
			if a.Device != "" && !isClientID(a.Device) {
				bad(".device", fmt.Sprintf("device %q is not a client id ([A-Za-z0-9_-], up to 64)", a.Device))
			}
		case "":
			bad(".type", "an action needs a type: raise, clear, notify or command")
			continue
		default:
			bad(".type", fmt.Sprintf("unknown action type %q: use raise, clear, notify or command", a.Type))
			continue
		}
		needsTitle := a.Type == ActionRaise || a.Type == ActionNotify
		if needsTitle && a.Title == "" {
			bad(".title", "a title is required, e.g. \"SOS: {{elder.name}}\"")
			continue
		}
		if a.Title != "" {
			t, terrs := parseTemplate(a.Title)
			for _, e := range terrs {
				e.Field, e.Path = "actions", path(".title")
				*errs = append(*errs, e)
			}
			titles[i] = t
		}
	}
	return actions, titles
}

func isClientID(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// decodeActions reads the actions JSON strictly: unknown fields are errors,
// so a typo ("severty") is refused instead of ignored.
func decodeActions(raw json.RawMessage) ([]Action, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return nil, nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	var out []Action
	if err := dec.Decode(&out); err != nil {
		return nil, fmt.Errorf("actions must be a JSON list of actions: %w", err)
	}
	if dec.More() {
		return nil, fmt.Errorf("actions: unexpected data after the list")
	}
	return out, nil
}

// isIdent reports whether s is a non-empty [a-z0-9_] name of at most max bytes.
func isIdent(s string, max int) bool {
	if s == "" || len(s) > max {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}
