package notify

import (
	"fmt"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/fengqiao/fengqiao/model"
)

// Message is what to say. Alarm and Case are record ids ("" when none);
// Step is the escalation step (0 for the first). Data is passed through to
// the payload; its keys "elder" (the elder's name), "address" and "at" (a
// time.Time or RFC 3339 string: when it happened) override what Enqueue
// would otherwise read from the alarm or case record.
type Message struct {
	Alarm, Case           string
	Severity, Title, Body string
	Data                  map[string]any
	Step                  int
}

// Payload is what a deliveries row carries in its payload field: the
// message, made self-contained so an in-app client can show it and a
// sender can render it without reading anything else.
type Payload struct {
	Alarm    string         `json:"alarm,omitempty"`
	Case     string         `json:"case,omitempty"`
	Severity string         `json:"severity,omitempty"`
	Title    string         `json:"title"`
	Body     string         `json:"body,omitempty"`
	Elder    string         `json:"elder,omitempty"`
	Address  string         `json:"address,omitempty"`
	At       time.Time      `json:"at"`
	Step     int            `json:"step"`
	Audience string         `json:"audience,omitempty"`
	Name     string         `json:"name,omitempty"` // the recipient's name, for a greeting
	Data     map[string]any `json:"data,omitempty"`
}

// describe builds the payload of m, reading what m leaves out (severity,
// title, elder, address, time) from its alarm or case.
func describe(app core.App, m Message, now time.Time) (Payload, error) {
	p := Payload{Alarm: m.Alarm, Case: m.Case, Severity: m.Severity, Title: m.Title, Body: m.Body, Step: m.Step, Data: m.Data}
	p.Elder, _ = m.Data["elder"].(string)
	p.Address, _ = m.Data["address"].(string)
	switch at := m.Data["at"].(type) {
	case time.Time:
		p.At = at
	case string:
		p.At, _ = time.Parse(time.RFC3339, at)
	}
	switch {
	case m.Alarm != "":
		if err := fromAlarm(app, m.Alarm, &p); err != nil {
			return p, err
		}
	case m.Case != "":
		if err := fromCase(app, m.Case, &p); err != nil {
			return p, err
		}
	}
	if p.At.IsZero() {
		p.At = now
	}
	p.At = p.At.UTC()
	return p, nil
}

func fromAlarm(app core.App, id string, p *Payload) error {
	if p.Severity != "" && p.Title != "" && !p.At.IsZero() && p.Elder != "" && p.Address != "" {
		return nil // the caller said it all: no read on the SOS path
	}
	a, err := app.FindRecordById(model.CollectionAlarms, id)
	if err != nil {
		return fmt.Errorf("alarm %s: %w", id, err)
	}
	if p.Severity == "" {
		p.Severity = a.GetString("severity")
	}
	if p.Title == "" {
		p.Title = a.GetString("title")
	}
	if p.At.IsZero() {
		p.At = a.GetDateTime("first_seen").Time()
	}
	if p.Elder == "" && a.GetString("elder") != "" {
		if p.Elder, err = lookup(app, model.CollectionElders, a.GetString("elder"), "name"); err != nil {
			return err
		}
	}
	if p.Address == "" && a.GetString("household") != "" {
		if p.Address, err = lookup(app, model.CollectionHouseholds, a.GetString("household"), "address"); err != nil {
			return err
		}
	}
	return nil
}

func fromCase(app core.App, id string, p *Payload) error {
	c, err := app.FindRecordById(model.CollectionCases, id)
	if err != nil {
		return fmt.Errorf("case %s: %w", id, err)
	}
	if p.Title == "" {
		p.Title = c.GetString("number") + " " + c.GetString("title")
	}
	if p.At.IsZero() {
		p.At = c.GetDateTime("created").Time()
	}
	if p.Address == "" {
		p.Address = c.GetString("address")
	}
	return nil
}
