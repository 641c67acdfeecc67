package rules

import (
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/parser"
	"github.com/expr-lang/expr/vm/runtime"
)

// A fastCond evaluates a common, simple condition without expr's VM: the
// shape of nearly every rule about sensor messages —
//
//	payload.sos == true || payload.sos == 1
//	payload.open == true && elder.lives_alone
//	"battery" in payload && payload.battery < 15
//	unreadable, elder.mode != "away", elder.age >= 80, !device.online
//
// It uses expr's own runtime comparisons, so where it decides it agrees
// with the VM; ok is false whenever it cannot decide (a comparison the VM
// would refuse, a non-boolean operand…) and the caller then runs the
// compiled program, which gives the authoritative result or error. The
// differential test in fast_test.go holds the two together.
type fastCond func(env *Env) (result, ok bool)

// compileFast returns a fast evaluator for src, or nil when src is not
// of the simple shape. src must already have compiled with compileExpr.
func compileFast(src string) fastCond {
	tree, err := parser.ParseWithConfig(src, parseConfig())
	if err != nil {
		return nil
	}
	return fastBool(tree.Node)
}

func fastBool(n ast.Node) fastCond {
	switch n := n.(type) {
	case *ast.BoolNode:
		v := n.Value
		return func(*Env) (bool, bool) { return v, true }
	case *ast.UnaryNode:
		if n.Operator != "!" && n.Operator != "not" {
			return nil
		}
		inner := fastBool(n.Node)
		if inner == nil {
			return nil
		}
		return func(env *Env) (bool, bool) {
			v, ok := inner(env)
			return !v, ok
		}
	case *ast.BinaryNode:
		return fastBinary(n)
	case *ast.CallNode:
		return fastBetween(n)
	}
	// A bare operand used as a condition: a bool env field or payload key.
	op := fastValue(n)
	if op == nil {
		return nil
	}
	return func(env *Env) (bool, bool) {
		b, ok := op(env).(bool)
		return b, ok
	}
}

func fastBinary(n *ast.BinaryNode) fastCond {
	switch n.Operator {
	case "&&", "and", "||", "or":
		l, r := fastBool(n.Left), fastBool(n.Right)
		if l == nil || r == nil {
			return nil
		}
		and := n.Operator == "&&" || n.Operator == "and"
		return func(env *Env) (bool, bool) {
			a, ok := l(env)
			if !ok || a != and { // short circuit: false && …, true || …
				return a, ok
			}
			return r(env)
		}
	case "in":
		return fastIn(n)
	case "==", "!=", "<", "<=", ">", ">=":
		return fastCompare(n)
	}
	return nil
}

// fastCompare handles operand OP literal (either way round).
func fastCompare(n *ast.BinaryNode) fastCond {
	opNode, l, flipped := n.Left, literal(n.Right), false
	if l == nil {
		opNode, l, flipped = n.Right, literal(n.Left), true
	}
	if l == nil {
		return nil
	}
	cmp := n.Operator
	if flipped { // 15 > x is x < 15
		cmp = map[string]string{"==": "==", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}[cmp]
	}
	if t := typedOperand(opNode); t != nil {
		return fastCompareTyped(t, cmp, l)
	}
	op := fastValue(opNode)
	if op == nil {
		return nil
	}
	c := l.v
	switch cmp {
	case "==", "!=":
		neq := cmp == "!="
		return func(env *Env) (bool, bool) { return equalLiteral(op(env), c) != neq, true }
	}
	if !l.number {
		return nil
	}
	return func(env *Env) (bool, bool) {
		v := op(env)
		if !isNumber(v) {
			return false, false // the VM reports the type error
		}
		return order(cmp, v, c), true
	}
}

// fastCompareTyped compares a typed value with a literal of its type;
// other pairings are left to the VM.
func fastCompareTyped(t *typed, cmp string, l *lit) fastCond {
	eq, neq := cmp == "==", cmp == "!="
	switch c := l.v.(type) {
	case bool:
		if t.b == nil || !(eq || neq) {
			return nil
		}
		return func(env *Env) (bool, bool) { return (t.b(env) == c) != neq, true }
	case string:
		if t.s == nil || !(eq || neq) {
			return nil
		}
		return func(env *Env) (bool, bool) { return (t.s(env) == c) != neq, true }
	case int, float64:
		if t.i == nil {
			return nil
		}
		return func(env *Env) (bool, bool) {
			v := t.i(env)
			if eq || neq {
				return runtime.Equal(v, c) != neq, true
			}
			return order(cmp, v, c), true
		}
	}
	return nil
}

// fastIn handles "key" in payload and weekday(now) in ["sat", "sun"].
func fastIn(n *ast.BinaryNode) fastCond {
	if key, ok := n.Left.(*ast.StringNode); ok {
		if id, ok := n.Right.(*ast.IdentifierNode); ok && id.Value == "payload" {
			k := key.Value
			return func(env *Env) (bool, bool) {
				_, found := env.Payload[k]
				return found, true
			}
		}
		return nil
	}
	t := typedOperand(n.Left)
	arr, ok := n.Right.(*ast.ArrayNode)
	if t == nil || t.s == nil || !ok {
		return nil
	}
	set := make([]string, 0, len(arr.Nodes))
	for _, e := range arr.Nodes {
		str, ok := e.(*ast.StringNode)
		if !ok {
			return nil
		}
		set = append(set, str.Value)
	}
	return func(env *Env) (bool, bool) {
		v := t.s(env)
		for _, x := range set {
			if x == v {
				return true, true
			}
		}
		return false, true
	}
}

// fastBetween handles between(x, lo, hi) with number literals for lo and
// hi, and hour(now), an int field or a payload key for x.
func fastBetween(call *ast.CallNode) fastCond {
	if id, ok := call.Callee.(*ast.IdentifierNode); !ok || id.Value != "between" || len(call.Arguments) != 3 {
		return nil
	}
	lo, hi := literal(call.Arguments[1]), literal(call.Arguments[2])
	if lo == nil || hi == nil || !lo.number || !hi.number {
		return nil
	}
	l, _ := toFloat(lo.v)
	h, _ := toFloat(hi.v)
	if t := typedOperand(call.Arguments[0]); t != nil && t.i != nil {
		return func(env *Env) (bool, bool) { return between(float64(t.i(env)), l, h), true }
	}
	op := fastValue(call.Arguments[0])
	if op == nil {
		return nil
	}
	return func(env *Env) (bool, bool) {
		x, ok := toFloat(op(env))
		if !ok {
			return false, false
		}
		return between(x, l, h), true
	}
}
