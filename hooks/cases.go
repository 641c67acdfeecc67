package hooks

import (
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"

	"github.com/fengqiao/fengqiao/model"
)

// bindCaseIntake gives every new case, however it arrives, its number, its
// first status and its deadline, and opens its timeline.
func bindCaseIntake(app core.App, _ Config) error {
	app.OnRecordCreate(model.CollectionCases).Bind(&hook.Handler[*core.RecordEvent]{
		Id: "caseIntake",
		Func: func(e *core.RecordEvent) error {
			c := e.Record
			if c.GetString("status") == "" {
				c.Set("status", "submitted")
			}
			if c.GetString("number") == "" {
				n, err := nextCaseNumber(e.App, time.Now())
				if err != nil {
					return err
				}
				c.Set("number", n)
			}
			if c.GetDateTime("due_at").IsZero() && c.GetString("category") != "" {
				cat, err := e.App.FindRecordById(model.CollectionCategories, c.GetString("category"))
				if err != nil {
					return fmt.Errorf("case category: %w", err)
				}
				c.Set("due_at", time.Now().Add(time.Duration(cat.GetInt("deadline_hours"))*time.Hour))
			}
			if err := e.Next(); err != nil {
				return err
			}
			return appendCaseEvent(e.App, c, "submit", "", c.GetString("status"))
		},
	})
	app.OnRecordCreateRequest(model.CollectionCases).Bind(&hook.Handler[*core.RecordRequestEvent]{
		Id: "caseIntakeReporter",
		Func: func(e *core.RecordRequestEvent) error {
			// A member reports as themself; staff may record walk-ins for others.
			if e.Auth != nil && e.Auth.Collection().Name == model.CollectionUsers && e.Record.GetString("reporter") == "" {
				e.Record.Set("reporter", e.Auth.Id)
			}
			return e.Next()
		},
	})
	return nil
}

// nextCaseNumber returns the next human-readable number of the year, e.g.
// 2026-000124. Saves are serialized by SQLite and the number is unique, so a
// race fails loudly instead of duplicating.
func nextCaseNumber(app core.App, now time.Time) (string, error) {
	prefix := fmt.Sprintf("%04d-", now.Year())
	var last struct {
		Number string `db:"number"`
	}
	err := app.DB().Select("number").From(model.CollectionCases).
		Where(dbx.Like("number", prefix).Match(false, true)).
		OrderBy("number DESC").Limit(1).One(&last)
	if errors.Is(err, sql.ErrNoRows) {
		return prefix + "000001", nil
	}
	if err != nil {
		return "", fmt.Errorf("last case number: %w", err)
	}
	seq, err := strconv.Atoi(strings.TrimPrefix(last.Number, prefix))
	if err != nil {
		return "", fmt.Errorf("last case number %q: %w", last.Number, err)
	}
	return fmt.Sprintf("%s%06d", prefix, seq+1), nil
}

// appendCaseEvent writes one timeline row for case c.
func appendCaseEvent(app core.App, c *core.Record, action, from, to string) error {
	col, err := app.FindCachedCollectionByNameOrId(model.CollectionCaseEvents)
	if err != nil {
		return err
	}
	ev := core.NewRecord(col)
	ev.Load(map[string]any{"case": c.Id, "action": action, "from_status": from, "to_status": to,
		"actor": c.GetString("reporter"), "actor_name": c.GetString("reporter_name")})
	if err := app.Save(ev); err != nil {
		return fmt.Errorf("case timeline: %w", err)
	}
	return nil
}
