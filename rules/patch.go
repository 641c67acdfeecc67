package rules

import (
	"reflect"
	"time"

	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/file"
)

// patcher rewrites a checked expression before it is compiled:
//
//   - hour(t), weekday(t), since(t) and count(k, w) get the Env as a hidden
//     first argument ($env), so they can read now and the counter;
//   - duration("12h") with a literal becomes a constant, and a literal that
//     is not a duration is a compile error at its position;
//   - a + that may join strings becomes __add($env, a, b) (or __concat when
//     both are known strings), which charges the per-evaluation string
//     budget;
//   - the body of every predicate (all, any, map, filter…) becomes
//     __step($env, body), which charges the per-evaluation step budget, so
//     nested loops cannot run for minutes.
//
// It keeps the first error it finds. It declares itself an expr
// "repeatable" patcher (that never asks to repeat) so that it runs last,
// just before the final type check: expr re-checks the tree once between
// its two patcher phases, and that pass would again cache call types that
// hide errors in call arguments (see call).
type patcher struct {
	err *file.Error
}

// Reset and ShouldRepeat make patcher an expr repeatable patcher.
func (p *patcher) Reset()             {}
func (p *patcher) ShouldRepeat() bool { return false }

func (p *patcher) Visit(node *ast.Node) {
	switch n := (*node).(type) {
	case *ast.CallNode:
		p.call(node, n)
	case *ast.PredicateNode:
		if call, ok := n.Node.(*ast.CallNode); ok {
			if id, ok := call.Callee.(*ast.IdentifierNode); ok && id.Value == stepHelper {
				return // already patched
			}
		}
		env := &ast.IdentifierNode{Value: "$env"}
		env.SetLocation(n.Node.Location())
		step := &ast.CallNode{Callee: &ast.IdentifierNode{Value: stepHelper}, Arguments: []ast.Node{env, n.Node}}
		step.SetLocation(n.Node.Location())
		n.Node = step
	case *ast.BinaryNode:
		if n.Operator == "+" && mayJoinStrings(n.Left.Type(), n.Right.Type()) {
			fn := addHelper
			if n.Left.Type().Kind() == reflect.String && n.Right.Type().Kind() == reflect.String {
				fn = concatHelper
			}
			env := &ast.IdentifierNode{Value: "$env"}
			env.SetLocation(n.Location())
			ast.Patch(node, &ast.CallNode{
				Callee:    &ast.IdentifierNode{Value: fn},
				Arguments: []ast.Node{env, n.Left, n.Right},
			})
		}
	}
}

func (p *patcher) call(node *ast.Node, n *ast.CallNode) {
	// Forget the type the first checker pass gave the call: expr skips the
	// arguments of a call whose type is already known, which would let
	// hour(now()) or since(elder.nmae) through the final check.
	n.SetType(nil)
	id, ok := n.Callee.(*ast.IdentifierNode)
	if !ok {
		return
	}
	if envHelpers[id.Value] {
		if len(n.Arguments) > 0 {
			if first, ok := n.Arguments[0].(*ast.IdentifierNode); ok && first.Value == "$env" {
				return // already patched
			}
		}
		env := &ast.IdentifierNode{Value: "$env"}
		env.SetLocation(n.Location())
		n.Arguments = append([]ast.Node{env}, n.Arguments...)
		return
	}
	if id.Value != "duration" || len(n.Arguments) != 1 {
		return
	}
	lit, ok := n.Arguments[0].(*ast.StringNode)
	if !ok {
		return
	}
	d, err := parseDuration(lit.Value)
	if err != nil {
		if p.err == nil {
			p.err = &file.Error{Location: lit.Location(), Message: err.Error()}
		}
		return
	}
	c := &ast.ConstantNode{Value: d}
	ast.Patch(node, c)
	c.SetType(durationType)
}

// mayJoinStrings reports whether a + between values of these static types
// may concatenate strings: both are strings, or either is unknown (any).
func mayJoinStrings(l, r reflect.Type) bool {
	unknown := func(t reflect.Type) bool { return t == nil || t.Kind() == reflect.Interface }
	str := func(t reflect.Type) bool { return t != nil && t.Kind() == reflect.String }
	switch {
	case str(l) && str(r):
		return true
	case unknown(l) || unknown(r):
		return !isTimeLike(l) && !isTimeLike(r)
	}
	return false
}

func isTimeLike(t reflect.Type) bool {
	return t == timeType || t == durationType || t == reflect.TypeOf(time.Month(0))
}
