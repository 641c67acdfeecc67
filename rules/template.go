package rules

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/parser"
	"github.com/expr-lang/expr/vm"
)

// MaxTitle is the longest rendered title, in characters (alarms.title).
const MaxTitle = 300

// A template is a title with {{ expression }} placeholders, e.g.
// "SOS: {{elder.name}}, {{household.address}}". Each placeholder is an
// expression over the Env, compiled when the rule is saved.
type template struct {
	parts []tplPart
	size  int // a guess at the rendered length, to allocate once
}

type tplPart struct {
	lit  string
	prog *vm.Program // nil for a literal
	// fast writes a placeholder that is a plain env field or payload key
	// without the VM; nil otherwise.
	fast func(env *Env, b *strings.Builder) bool
}

// parseTemplate splits a title into literals and compiled placeholders.
func parseTemplate(s string) (*template, Errors) {
	var errs Errors
	if utf8.RuneCountInString(s) > 1000 {
		errs.add("actions", "", "title template longer than 1000 characters")
		return nil, errs
	}
	t := &template{}
	rest, offset := s, 0 // offset: runes of s before rest
	for rest != "" {
		open := strings.Index(rest, "{{")
		if open < 0 {
			t.parts = append(t.parts, tplPart{lit: rest})
			break
		}
		if open > 0 {
			t.parts = append(t.parts, tplPart{lit: rest[:open]})
		}
		start := offset + utf8.RuneCountInString(rest[:open])
		end := strings.Index(rest[open+2:], "}}")
		if end < 0 {
			errs = append(errs, &Error{Message: "unclosed {{ in title", Line: 1, Column: start + 1})
			return nil, errs
		}
		src := rest[open+2 : open+2+end]
		if strings.TrimSpace(src) == "" {
			errs = append(errs, &Error{Message: "empty {{ }} in title", Line: 1, Column: start + 1})
		} else if prog, err := compileExpr(src, expr.AsAny()); err != nil {
			errs.addExpr("", "", err, start+2)
		} else {
			t.parts = append(t.parts, tplPart{prog: prog, fast: fastPlaceholder(strings.TrimSpace(src))})
		}
		consumed := open + 2 + end + 2
		offset += utf8.RuneCountInString(rest[:consumed])
		rest = rest[consumed:]
	}
	for _, p := range t.parts {
		t.size += len(p.lit)
		if p.prog != nil {
			t.size += 24
		}
	}
	return t, errs
}

// render fills the placeholders. A placeholder that fails renders as "?"
// and its error is returned with the title, so an alarm is never lost to a
// broken title. The result is cut to MaxTitle characters.
func (t *template) render(env *Env) (string, error) {
	var b strings.Builder
	b.Grow(t.size)
	var first error
	for _, p := range t.parts {
		if p.prog == nil {
			b.WriteString(p.lit)
			continue
		}
		if p.fast != nil && p.fast(env, &b) {
			continue
		}
		v, err := run(p.prog, env)
		if err != nil {
			if first == nil {
				first = fmt.Errorf("title {{%s}}: %w", p.prog.Source().String(), err)
			}
			b.WriteString("?")
			continue
		}
		b.WriteString(formatValue(v))
	}
	return truncate(b.String(), MaxTitle), first
}

// formatValue writes a value the way a person reads it in a title.
func formatValue(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case int:
		return strconv.Itoa(x)
	case bool:
		return strconv.FormatBool(x)
	case time.Time:
		if x.IsZero() {
			return ""
		}
		return x.Format("2006-01-02 15:04")
	case time.Duration:
		return formatDuration(x)
	default:
		return fmt.Sprint(x)
	}
}

func truncate(s string, max int) string {
	if len(s) <= max || utf8.RuneCountInString(s) <= max {
		return s
	}
	r := []rune(s)
	return string(r[:max-1]) + "…"
}

// fastPlaceholder renders placeholders of the common shapes without the
// VM: an env field ({{ elder.name }}), a payload key ({{ payload.battery }}),
// or a choice between such ({{ elder.name != "" ? elder.name : device.name }}).
// nil for anything else. The writer returns false, having written
// nothing, when it cannot decide; render then runs the program.
func fastPlaceholder(src string) func(*Env, *strings.Builder) bool {
	tree, err := parser.ParseWithConfig(src, parseConfig())
	if err != nil {
		return nil
	}
	return fastWriter(tree.Node)
}

func fastWriter(n ast.Node) func(*Env, *strings.Builder) bool {
	switch n := n.(type) {
	case *ast.StringNode:
		v := n.Value
		return func(_ *Env, b *strings.Builder) bool { b.WriteString(v); return true }
	case *ast.ConditionalNode:
		cond, yes, no := fastBool(n.Cond), fastWriter(n.Exp1), fastWriter(n.Exp2)
		if cond == nil || yes == nil || no == nil {
			return nil
		}
		return func(env *Env, b *strings.Builder) bool {
			c, ok := cond(env)
			if !ok {
				return false
			}
			if c {
				return yes(env, b)
			}
			return no(env, b)
		}
	}
	path := memberPath(n)
	if k, ok := strings.CutPrefix(path, "payload."); ok && !strings.Contains(k, ".") {
		return func(env *Env, b *strings.Builder) bool { b.WriteString(formatValue(env.Payload[k])); return true }
	}
	t := typedOperand(n)
	switch {
	case t == nil:
		return nil
	case t.s != nil:
		return func(env *Env, b *strings.Builder) bool { b.WriteString(t.s(env)); return true }
	case t.i != nil:
		return func(env *Env, b *strings.Builder) bool { b.WriteString(strconv.Itoa(t.i(env))); return true }
	default:
		return func(env *Env, b *strings.Builder) bool { b.WriteString(strconv.FormatBool(t.b(env))); return true }
	}
}
