package rules

import (
	"reflect"
	"strings"
	"sync"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/conf"
	"github.com/expr-lang/expr/vm/runtime"
)

// The operands of the fast evaluators (fast.go, template.go): typed env
// fields and helper calls, payload keys, literals, and expr's runtime
// comparisons on them.

// fastOperand reads a value for a comparison: a payload key or an env
// field. It must not allocate.
type fastOperand func(env *Env) any

// envField is a scalar field of Env reachable by an expression path such
// as "elder.lives_alone".
type envField struct {
	index []int
	kind  reflect.Kind
}

var (
	envFieldsOnce sync.Once
	envFields     map[string]envField
	parseCfgOnce  sync.Once
	parseCfg      *conf.Config
)

// envFieldPaths maps the expression paths of Env's bool, string and int
// fields, one level of structs deep, to their indexes.
func envFieldPaths() map[string]envField {
	envFieldsOnce.Do(func() {
		envFields = map[string]envField{}
		t := reflect.TypeOf(Env{})
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			name := f.Tag.Get("expr")
			if name == "" || name == "-" {
				continue
			}
			addEnvField(name, []int{i}, f.Type)
			if f.Type.Kind() == reflect.Struct && f.Type.PkgPath() == t.PkgPath() {
				for j := 0; j < f.Type.NumField(); j++ {
					g := f.Type.Field(j)
					if sub := g.Tag.Get("expr"); sub != "" && sub != "-" {
						addEnvField(name+"."+sub, []int{i, j}, g.Type)
					}
				}
			}
		}
	})
	return envFields
}

func addEnvField(path string, index []int, t reflect.Type) {
	switch t.Kind() {
	case reflect.Bool, reflect.String, reflect.Int:
		envFields[path] = envField{index: index, kind: t.Kind()}
	}
}

func parseConfig() *conf.Config {
	parseCfgOnce.Do(func() {
		parseCfg = conf.CreateNew()
		for _, op := range exprOptions(expr.AsBool()) {
			op(parseCfg)
		}
	})
	return parseCfg
}

// typed reads a statically typed env value without allocating: a bool,
// string or int field, hour(now) or weekday(now). Exactly one reader is set.
type typed struct {
	b func(*Env) bool
	s func(*Env) string
	i func(*Env) int
}

func typedOperand(n ast.Node) *typed {
	if call, ok := n.(*ast.CallNode); ok {
		id, ok := call.Callee.(*ast.IdentifierNode)
		if !ok || len(call.Arguments) != 1 {
			return nil
		}
		if arg, ok := call.Arguments[0].(*ast.IdentifierNode); !ok || arg.Value != "now" {
			return nil
		}
		switch id.Value { // the helpers read t in now's zone: for now itself, as is
		case "hour":
			return &typed{i: func(env *Env) int { return env.Now.Hour() }}
		case "weekday":
			return &typed{s: func(env *Env) string { return dayNames[env.Now.Weekday()] }}
		}
		return nil
	}
	f, ok := envFieldPaths()[memberPath(n)]
	if !ok {
		return nil
	}
	idx := f.index
	field := func(env *Env) reflect.Value { return reflect.ValueOf(env).Elem().FieldByIndex(idx) }
	switch f.kind {
	case reflect.Bool:
		return &typed{b: func(env *Env) bool { return field(env).Bool() }}
	case reflect.String:
		return &typed{s: func(env *Env) string { return field(env).String() }}
	default:
		return &typed{i: func(env *Env) int { return int(field(env).Int()) }}
	}
}

// order applies an ordering comparison with expr's runtime semantics; both
// sides are numbers.
func order(cmp string, v, c any) bool {
	switch cmp {
	case "<":
		return runtime.Less(v, c)
	case "<=":
		return runtime.LessOrEqual(v, c)
	case ">":
		return runtime.More(v, c)
	default:
		return runtime.MoreOrEqual(v, c)
	}
}

type lit struct {
	v      any
	number bool
}

func literal(n ast.Node) *lit {
	switch n := n.(type) {
	case *ast.IntegerNode:
		return &lit{v: n.Value, number: true}
	case *ast.FloatNode:
		return &lit{v: n.Value, number: true}
	case *ast.StringNode:
		return &lit{v: n.Value}
	case *ast.BoolNode:
		return &lit{v: n.Value}
	case *ast.NilNode:
		return &lit{v: nil}
	case *ast.UnaryNode: // -95
		if n.Operator == "-" {
			switch x := n.Node.(type) {
			case *ast.IntegerNode:
				return &lit{v: -x.Value, number: true}
			case *ast.FloatNode:
				return &lit{v: -x.Value, number: true}
			}
		}
	}
	return nil
}

// equalLiteral is runtime.Equal with the common cases first.
func equalLiteral(v, c any) bool {
	switch c := c.(type) {
	case bool:
		b, ok := v.(bool)
		return ok && b == c
	case string:
		s, ok := v.(string)
		return ok && s == c
	case nil:
		return v == nil
	}
	return runtime.Equal(v, c)
}

func isNumber(v any) bool {
	switch v.(type) {
	case float64, int:
		return true
	}
	return false
}

// fastValue reads payload.key or payload["key"], or a bool env field
// (for a bare condition such as elder.lives_alone).
func fastValue(n ast.Node) fastOperand {
	path := memberPath(n)
	if k, ok := strings.CutPrefix(path, "payload."); ok && !strings.Contains(k, ".") {
		return func(env *Env) any { return env.Payload[k] }
	}
	f, ok := envFieldPaths()[path]
	if !ok || f.kind != reflect.Bool {
		return nil
	}
	idx := f.index
	return func(env *Env) any { return reflect.ValueOf(env).Elem().FieldByIndex(idx).Bool() }
}

// memberPath spells an identifier or a chain of constant member accesses
// ("elder.lives_alone", "payload.sos"), or "" for anything else.
func memberPath(n ast.Node) string {
	switch n := n.(type) {
	case *ast.IdentifierNode:
		return n.Value
	case *ast.MemberNode:
		prop, ok := n.Property.(*ast.StringNode)
		if !ok || n.Method {
			return ""
		}
		base := memberPath(n.Node)
		if base == "" {
			return ""
		}
		return base + "." + prop.Value
	}
	return ""
}
