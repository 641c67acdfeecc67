package rules

import (
	"strings"
	"time"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/conf"
	"github.com/expr-lang/expr/parser"
	"github.com/expr-lang/expr/vm"
)

// maxProbes bounds the values a dry run reports per rule.
const maxProbes = 24

// A probe is a sub-expression of a rule whose value a dry run reports:
// the environment values the rule reads (payload.sos, elder.lives_alone,
// now) and the helper calls it makes (hour(now), since(device.last_seen)).
type probe struct {
	label string
	prog  *vm.Program
}

// traceHelpers are the helper calls worth reporting.
var traceHelpers = map[string]bool{"hour": true, "weekday": true, "since": true, "count": true, "between": true}

// probeCollector gathers candidate labels; ast.Walk visits children
// before their parents.
type probeCollector struct {
	found   []string
	callees map[string]bool
}

func (pc *probeCollector) Visit(node *ast.Node) {
	switch n := (*node).(type) {
	case *ast.MemberNode, *ast.IdentifierNode:
		pc.found = append(pc.found, n.String())
	case *ast.CallNode:
		pc.callees[n.Callee.String()] = true
		switch callee := n.Callee.(type) {
		case *ast.IdentifierNode:
			if traceHelpers[callee.Value] {
				pc.found = append(pc.found, n.String())
			}
		case *ast.MemberNode: // a method: device.last_seen.IsZero()
			pc.found = append(pc.found, n.String(), callee.Node.String())
		}
	}
}

// appendProbes adds the probes of one expression to list, skipping
// duplicates, prefixes of longer member chains (payload when payload.sos is
// read) and anything that does not compile on its own (closure variables,
// let names, function names).
func appendProbes(list []probe, src string) []probe {
	cfg := conf.CreateNew()
	for _, op := range exprOptions(expr.AsAny()) {
		op(cfg)
	}
	tree, err := parser.ParseWithConfig(src, cfg)
	if err != nil {
		return list
	}
	pc := &probeCollector{callees: map[string]bool{}}
	ast.Walk(&tree.Node, pc)
	var data []string // values read, not functions called
	for _, label := range pc.found {
		if !pc.callees[label] {
			data = append(data, label)
		}
	}
	for _, label := range data {
		if len(list) >= maxProbes {
			break
		}
		if hasProbe(list, label) || isPrefixChain(label, data) {
			continue
		}
		prog, err := compileExpr(label, expr.AsAny())
		if err != nil {
			continue
		}
		list = append(list, probe{label: label, prog: prog})
	}
	return list
}

func hasProbe(list []probe, label string) bool {
	for _, p := range list {
		if p.label == label {
			return true
		}
	}
	return false
}

func isPrefixChain(label string, all []string) bool {
	for _, other := range all {
		if strings.HasSuffix(other, ")") {
			continue // a method call on the chain: still report the receiver
		}
		if len(other) > len(label) && strings.HasPrefix(other, label) &&
			(other[len(label)] == '.' || other[len(label)] == '[' || other[len(label)] == '?') {
			return true
		}
	}
	return false
}

// see evaluates the probes for a dry run. Durations are reported as text
// ("12h"); a probe that fails reports "error: …".
func (c *Compiled) see(env *Env) map[string]any {
	seen := make(map[string]any, len(c.probes))
	for _, p := range c.probes {
		v, err := run(p.prog, env)
		switch {
		case err != nil:
			seen[p.label] = "error: " + firstLine(err.Error())
		default:
			if d, ok := v.(time.Duration); ok {
				v = formatDuration(d)
			}
			seen[p.label] = v
		}
	}
	return seen
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return strings.TrimSpace(s[:i])
	}
	return s
}
