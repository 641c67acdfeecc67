package rules

import (
	"errors"
	"strconv"
	"strings"

	"github.com/expr-lang/expr/file"
)

// Error is one reason a rule is refused when saved. Field is the `rules`
// collection field at fault ("condition", "actions", "active_from"…), so an
// API can answer with a validation error naming it; Path narrows it down
// ("actions[1].title"). Line and Column are 1-based positions in that
// field's text, 0 when the fault has no position; Snippet shows the line
// with a caret under the column, as expr prints it.
type Error struct {
	Field   string `json:"field"`
	Path    string `json:"path"`
	Message string `json:"message"`
	Line    int    `json:"line,omitempty"`
	Column  int    `json:"column,omitempty"`
	Snippet string `json:"snippet,omitempty"`
}

// Error reads like "condition: line 1, column 12: unknown name foo".
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Path)
	b.WriteString(": ")
	if e.Line > 0 {
		b.WriteString("line ")
		b.WriteString(strconv.Itoa(e.Line))
		b.WriteString(", column ")
		b.WriteString(strconv.Itoa(e.Column))
		b.WriteString(": ")
	}
	b.WriteString(e.Message)
	return b.String()
}

// Errors is every reason a rule was refused, in field order. Compile
// returns it as its error; use errors.As to reach the list.
type Errors []*Error

// Error joins the reasons with "; ".
func (es Errors) Error() string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = e.Error()
	}
	return strings.Join(parts, "; ")
}

// add records a plain error for a field.
func (es *Errors) add(field, path, msg string) {
	if path == "" {
		path = field
	}
	*es = append(*es, &Error{Field: field, Path: path, Message: msg})
}

// addExpr records an expr compile error with its position; shift is added
// to the column of errors on the first line (for placeholders in titles).
func (es *Errors) addExpr(field, path string, err error, shift int) {
	if path == "" {
		path = field
	}
	e := &Error{Field: field, Path: path, Message: err.Error()}
	var fe *file.Error
	if errors.As(err, &fe) {
		e.Message = typeNames.Replace(strings.TrimSpace(fe.Message))
		if fe.Snippet != "" || fe.Line > 0 {
			e.Line, e.Column, e.Snippet = fe.Line, fe.Column+1, fe.Snippet
			if e.Line == 1 {
				e.Column += shift
			}
		}
	}
	*es = append(*es, e)
}

// typeNames turns Go type names in expr's messages into the names a rule
// uses: "type rules.Elder has no field x" reads "elder has no field x".
var typeNames = strings.NewReplacer(
	"type rules.Env ", "the environment ", "rules.Env", "the environment",
	"type rules.Elder ", "elder ", "rules.Elder", "elder",
	"type rules.Device ", "device ", "rules.Device", "device",
	"type rules.Household ", "household ", "rules.Household", "household",
	"type rules.Grid ", "grid ", "rules.Grid", "grid",
	"type rules.Alarm ", "alarm ", "rules.Alarm", "alarm",
)
