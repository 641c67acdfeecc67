package alarms

import (
	"fmt"
	"math"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/fengqiao/fengqiao/model"
	"github.com/fengqiao/fengqiao/rules"
)

// Figures are the alarm board's numbers for a period: the alarms raised
// in [From, To).
//
// The acknowledgement figures are over the alarms people had to answer:
// every alarm but those the rule cleared before anyone acknowledged them
// (a battery that recovered, a device back online). Means are in seconds,
// null when there is nothing to average.
type Figures struct {
	From  time.Time `json:"from"`
	To    time.Time `json:"to"`
	Total int       `json:"total"`
	// BySeverity has every severity (zero counts included); ByKind the
	// alarm kinds that occurred ("" for alarms without a kind).
	BySeverity map[string]*SeverityFigures `json:"by_severity"`
	ByKind     map[string]int              `json:"by_kind"`
	SeverityFigures
}

// SeverityFigures are the answer figures of a set of alarms.
type SeverityFigures struct {
	Count          int      `json:"count"`
	Answerable     int      `json:"answerable"`
	Acked60s       int      `json:"acknowledged_60s"`
	Acked180s      int      `json:"acknowledged_180s"`
	Acked60sPct    *float64 `json:"acknowledged_60s_pct"`
	Acked180sPct   *float64 `json:"acknowledged_180s_pct"`
	MeanAckSecs    *float64 `json:"mean_time_to_acknowledge_s"`
	MeanSolveSecs  *float64 `json:"mean_time_to_resolve_s"`
	Resolved       int      `json:"resolved"`
	Cleared        int      `json:"cleared"`
	FalseAlarms    int      `json:"false_alarms"`
	Open           int      `json:"open"`
	ackSum, solved float64
	acked          int
}

// figuresRow is one severity's aggregates.
type figuresRow struct {
	Severity   string  `db:"severity"`
	Count      int     `db:"n"`
	Answerable int     `db:"answerable"`
	Acked60    int     `db:"acked60"`
	Acked180   int     `db:"acked180"`
	Acked      int     `db:"acked"`
	AckSum     float64 `db:"ack_sum"`
	Resolved   int     `db:"resolved"`
	SolveSum   float64 `db:"solve_sum"`
	Cleared    int     `db:"cleared"`
	False      int     `db:"false_alarms"`
	Open       int     `db:"open"`
}

// secondsBetween is (b - a) in seconds for two date columns.
func secondsBetween(a, b string) string {
	return "((julianday(" + b + ") - julianday(" + a + ")) * 86400.0)"
}

// ComputeFigures computes the figures of the alarms raised in [from, to).
func ComputeFigures(app core.App, from, to time.Time) (*Figures, error) {
	ack := secondsBetween("first_seen", "acknowledged_at")
	solve := secondsBetween("first_seen", "resolved_at")
	answerable := "NOT (cleared = TRUE AND acknowledged_at = '')"
	period := dbx.NewExp("first_seen >= {:from} AND first_seen < {:to}", dbx.Params{"from": dbDate(from), "to": dbDate(to)})
	var rows []figuresRow
	err := app.DB().Select("severity", "COUNT(*) AS n",
		"SUM(CASE WHEN "+answerable+" THEN 1 ELSE 0 END) AS answerable",
		"SUM(CASE WHEN "+answerable+" AND acknowledged_at != '' AND "+ack+" <= 60 THEN 1 ELSE 0 END) AS acked60",
		"SUM(CASE WHEN "+answerable+" AND acknowledged_at != '' AND "+ack+" <= 180 THEN 1 ELSE 0 END) AS acked180",
		"SUM(CASE WHEN acknowledged_at != '' THEN 1 ELSE 0 END) AS acked",
		"COALESCE(SUM(CASE WHEN acknowledged_at != '' THEN "+ack+" ELSE 0 END), 0) AS ack_sum",
		"SUM(CASE WHEN status = 'resolved' AND resolved_at != '' THEN 1 ELSE 0 END) AS resolved",
		"COALESCE(SUM(CASE WHEN status = 'resolved' AND resolved_at != '' THEN "+solve+" ELSE 0 END), 0) AS solve_sum",
		"SUM(CASE WHEN cleared = TRUE THEN 1 ELSE 0 END) AS cleared",
		"SUM(CASE WHEN false_alarm = TRUE THEN 1 ELSE 0 END) AS false_alarms",
		"SUM(CASE WHEN status != 'resolved' THEN 1 ELSE 0 END) AS open").
		From(model.CollectionAlarms).Where(period).GroupBy("severity").All(&rows)
	if err != nil {
		return nil, fmt.Errorf("alarm figures: %w", err)
	}
	f := &Figures{From: from.UTC(), To: to.UTC(), BySeverity: map[string]*SeverityFigures{}, ByKind: map[string]int{}}
	for _, s := range rules.Severities {
		f.BySeverity[s] = &SeverityFigures{}
	}
	for _, r := range rows {
		s := f.BySeverity[r.Severity]
		if s == nil {
			s = &SeverityFigures{}
			f.BySeverity[r.Severity] = s
		}
		s.add(r)
		f.SeverityFigures.add(r)
	}
	f.Total = f.Count
	f.SeverityFigures.finish()
	for _, s := range f.BySeverity {
		s.finish()
	}
	var kinds []struct {
		Kind  string `db:"kind"`
		Count int    `db:"n"`
	}
	if err := app.DB().Select("kind", "COUNT(*) AS n").From(model.CollectionAlarms).Where(period).
		GroupBy("kind").All(&kinds); err != nil {
		return nil, fmt.Errorf("alarm figures by kind: %w", err)
	}
	for _, k := range kinds {
		f.ByKind[k.Kind] = k.Count
	}
	return f, nil
}

func (s *SeverityFigures) add(r figuresRow) {
	s.Count += r.Count
	s.Answerable += r.Answerable
	s.Acked60s += r.Acked60
	s.Acked180s += r.Acked180
	s.acked += r.Acked
	s.ackSum += r.AckSum
	s.Resolved += r.Resolved
	s.solved += r.SolveSum
	s.Cleared += r.Cleared
	s.FalseAlarms += r.False
	s.Open += r.Open
}

func (s *SeverityFigures) finish() {
	pct := func(n, d int) *float64 {
		if d == 0 {
			return nil
		}
		v := math.Round(float64(n)*1000/float64(d)) / 10
		return &v
	}
	mean := func(sum float64, n int) *float64 {
		if n == 0 {
			return nil
		}
		v := math.Round(sum/float64(n)*10) / 10
		return &v
	}
	s.Acked60sPct, s.Acked180sPct = pct(s.Acked60s, s.Answerable), pct(s.Acked180s, s.Answerable)
	s.MeanAckSecs, s.MeanSolveSecs = mean(s.ackSum, s.acked), mean(s.solved, s.Resolved)
}
