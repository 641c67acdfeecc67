package rules

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"time"
)

// Step is one rung of an escalation policy's ladder (the JSON list in
// escalation_policies.steps), e.g.
//
//	{"after":"2m","audiences":["volunteer"],"channels":["inapp","sms"]}
//
// After counts from when the alarm was raised (not from the previous step);
// the steps of a policy are in non-decreasing order of After.
type Step struct {
	After string `json:"after"`
	// Audiences are the people this step reaches (Audience… constants).
	Audiences []string `json:"audiences"`
	// Channels say how the audiences are reached: "inapp" (realtime in the
	// console and the app), "sms", "email", and "mqtt": the alarm itself
	// on alarms/{severity}/{id} for sirens and LED boards (StepChannels).
	Channels []string `json:"channels"`
	// Targets optionally name channels records (a group robot, a webhook, an
	// MQTT siren) to post the alarm to at this step as well.
	Targets []string `json:"targets,omitempty"`

	// Delay is After parsed, filled by ParseSteps.
	Delay time.Duration `json:"-"`
}

// StepChannels are the ways a step reaches people.
var StepChannels = []string{"inapp", "sms", "email", "mqtt"}

// MaxSteps bounds the steps of one policy.
const MaxSteps = 20

// ParseSteps decodes and checks an escalation policy's steps: known fields
// only, a valid non-decreasing After on each, at least one audience or
// target, known audiences and channels.
func ParseSteps(raw []byte) ([]Step, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	var steps []Step
	if err := dec.Decode(&steps); err != nil {
		return nil, fmt.Errorf("steps must be a JSON list of steps: %w", err)
	}
	if len(steps) == 0 || len(steps) > MaxSteps {
		return nil, fmt.Errorf("a policy needs 1 to %d steps, got %d", MaxSteps, len(steps))
	}
	var prev time.Duration
	for i := range steps {
		s := &steps[i]
		d, err := parseDuration(s.After)
		if err != nil {
			return nil, fmt.Errorf("steps[%d].after: %w", i, err)
		}
		if d < prev {
			return nil, fmt.Errorf("steps[%d].after: %s comes before the previous step's %s", i, s.After, formatDuration(prev))
		}
		s.Delay, prev = d, d
		if len(s.Audiences) == 0 && len(s.Targets) == 0 {
			return nil, fmt.Errorf("steps[%d]: needs audiences, targets, or both", i)
		}
		for _, a := range s.Audiences {
			if !slices.Contains(Audiences, a) {
				return nil, fmt.Errorf("steps[%d].audiences: unknown audience %q: use one of %v", i, a, Audiences)
			}
		}
		if len(s.Audiences) > 0 && len(s.Channels) == 0 {
			return nil, fmt.Errorf("steps[%d].channels: say how to reach the audiences: %v", i, StepChannels)
		}
		for _, c := range s.Channels {
			if !slices.Contains(StepChannels, c) {
				return nil, fmt.Errorf("steps[%d].channels: unknown channel %q: use one of %v", i, c, StepChannels)
			}
		}
	}
	return steps, nil
}
