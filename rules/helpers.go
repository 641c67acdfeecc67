package rules

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"time"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/vm/runtime"
)

// Limits on what one rule may cost. They are generous for rules about
// sensor messages and stop runaway expressions before they hurt the
// appliance.
const (
	// MaxNodes bounds the size of an expression (expr AST nodes).
	MaxNodes = 400
	// MemoryBudget bounds the collection elements one evaluation may
	// create (expr's vm.MemoryBudget): map(1..100000000, #) stops with
	// "memory budget exceeded".
	MemoryBudget = 100_000
	// StringBudget bounds the bytes of strings one evaluation may build
	// with +, so repeated doubling cannot exhaust memory.
	StringBudget = 1 << 20
	// StepBudget bounds the predicate steps (one per element visited by
	// all, any, map, filter…) of one evaluation, so nested loops stop with
	// "step budget exceeded" within milliseconds.
	StepBudget = 100_000
)

// builtins are the expr builtins rules may use. Builtins that build large
// strings or collections from small inputs (repeat, replace, join, concat,
// flatten, split, toJSON…), that read the clock (now, date) or whose name
// the rule language uses for its own helper (count, duration) are off.
var builtins = []string{
	"all", "none", "any", "one", "filter", "map", "find", "findIndex", "findLast", "findLastIndex",
	"sum", "len", "type", "abs", "ceil", "floor", "round", "int", "float",
	"trim", "trimPrefix", "trimSuffix", "indexOf", "lastIndexOf", "hasPrefix", "hasSuffix",
	"max", "min", "mean", "median", "first", "last", "get",
}

// envHelpers receive the Env as a hidden first argument: the compiler
// rewrites since(t) into since($env, t). Their declared types say Env (the
// static type of $env, compiled as a struct so fields load by index) while
// at run time $env is the *Env given to run.
var envHelpers = map[string]bool{"hour": true, "weekday": true, "since": true, "count": true}

// addHelper replaces + whenever either side may be a string, to charge the
// string budget; concatHelper when both sides are known strings, keeping the
// static type.
const (
	addHelper    = "__add"
	concatHelper = "__concat"
)

// stepHelper wraps predicate bodies to charge the step budget.
const stepHelper = "__step"

var (
	timeType     = reflect.TypeOf(time.Time{})
	durationType = reflect.TypeOf(time.Duration(0))
)

// helperOptions registers the rule helpers with their static types, so a
// call with the wrong arguments is refused when the rule is saved.
func helperOptions() []expr.Option {
	return []expr.Option{
		expr.Function("hour", func(p ...any) (any, error) {
			t, err := timeArg("hour", p[1])
			return t.In(p[0].(*Env).Now.Location()).Hour(), err
		}, new(func(Env, time.Time) int)),
		expr.Function("weekday", func(p ...any) (any, error) {
			t, err := timeArg("weekday", p[1])
			return dayNames[t.In(p[0].(*Env).Now.Location()).Weekday()], err
		}, new(func(Env, time.Time) string)),
		expr.Function("since", func(p ...any) (any, error) {
			t, err := timeArg("since", p[1])
			return p[0].(*Env).Now.Sub(t), err
		}, new(func(Env, time.Time) time.Duration)),
		expr.Function("duration", func(p ...any) (any, error) {
			s, ok := p[0].(string)
			if !ok {
				return nil, fmt.Errorf("duration: want a string like \"12h\", got %T", p[0])
			}
			return parseDuration(s)
		}, new(func(string) time.Duration)),
		expr.Function("between", func(p ...any) (any, error) {
			x, lo, hi, err := floats3(p)
			if err != nil {
				return nil, fmt.Errorf("between: %w", err)
			}
			return between(x, lo, hi), nil
		}, new(func(float64, float64, float64) bool)),
		expr.Function("count", func(p ...any) (any, error) {
			env := p[0].(*Env)
			kind, ok := p[1].(string)
			if !ok {
				return nil, fmt.Errorf("count: want an event kind string, got %T", p[1])
			}
			window, ok := p[2].(time.Duration)
			if !ok || window <= 0 {
				return nil, fmt.Errorf("count: want a positive window like duration(\"1h\"), got %v", p[2])
			}
			if env.Counter == nil {
				return nil, errors.New("count: no event counter in this evaluation")
			}
			n, err := safeCount(env, kind, window)
			if err != nil {
				return nil, fmt.Errorf("count(%q, %v): %w", kind, window, err)
			}
			return n, nil
		}, new(func(Env, string, time.Duration) int)),
		expr.Function(addHelper, func(p ...any) (any, error) {
			env := p[0].(*Env)
			a, aok := p[1].(string)
			b, bok := p[2].(string)
			if !aok || !bok {
				return runtime.Add(p[1], p[2]), nil // numbers, time + duration; panics like + on a type mismatch
			}
			env.budget -= len(a) + len(b)
			if env.budget < 0 {
				return nil, errors.New("string budget exceeded")
			}
			return a + b, nil
		}, new(func(Env, any, any) any)),
		expr.Function(concatHelper, func(p ...any) (any, error) {
			env, a, b := p[0].(*Env), p[1].(string), p[2].(string)
			env.budget -= len(a) + len(b)
			if env.budget < 0 {
				return nil, errors.New("string budget exceeded")
			}
			return a + b, nil
		}, new(func(Env, string, string) string)),
		expr.Function(stepHelper, func(p ...any) (any, error) {
			env := p[0].(*Env)
			env.steps--
			if env.steps < 0 {
				return nil, errors.New("step budget exceeded")
			}
			return p[1], nil
		}, new(func(Env, any) any)),
	}
}

var dayNames = [7]string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}

// between reports whether lo <= x < hi; when lo > hi the range wraps, as
// clock hours do: between(hour(now), 22, 6) is true from 22:00 to 05:59.
func between(x, lo, hi float64) bool {
	if lo <= hi {
		return lo <= x && x < hi
	}
	return x >= lo || x < hi
}

// timeArg accepts a time, or a number of Unix seconds as devices send "ts".
func timeArg(fn string, v any) (time.Time, error) {
	switch t := v.(type) {
	case time.Time:
		return t, nil
	case float64:
		if math.IsNaN(t) || math.IsInf(t, 0) {
			return time.Time{}, fmt.Errorf("%s: %v is not a time", fn, t)
		}
		sec, frac := math.Modf(t)
		return time.Unix(int64(sec), int64(frac*1e9)), nil
	case int:
		return time.Unix(int64(t), 0), nil
	case int64:
		return time.Unix(t, 0), nil
	default:
		return time.Time{}, fmt.Errorf("%s: want a time or Unix seconds, got %T", fn, v)
	}
}

func floats3(p []any) (x, lo, hi float64, err error) {
	var out [3]float64
	for i := range out {
		f, ok := toFloat(p[i])
		if !ok {
			return 0, 0, 0, fmt.Errorf("argument %d: want a number, got %T", i+1, p[i])
		}
		out[i] = f
	}
	return out[0], out[1], out[2], nil
}

func toFloat(v any) (float64, bool) {
	switch n := v.(type) {
	case float64:
		return n, true
	case int:
		return float64(n), true
	case int64:
		return float64(n), true
	case float32:
		return float64(n), true
	case int32:
		return float64(n), true
	default:
		return 0, false
	}
}

// safeCount asks the engine's counter, turning a panic into an error.
func safeCount(env *Env, kind string, window time.Duration) (n int, err error) {
	defer func() {
		if r := recover(); r != nil {
			n, err = 0, fmt.Errorf("counter panicked: %v", r)
		}
	}()
	return env.Counter.Count(env, kind, window)
}
