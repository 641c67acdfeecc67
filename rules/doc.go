// Package rules is fengqiao's rule language: rules that admins write in the
// admin UI, compiled once when saved and evaluated against every device
// message, silence timer, alarm change and schedule tick.
//
// # The model
//
// A rule is data (type Rule, mirroring the `rules` collection):
//
//   - when: the trigger — telemetry (a device message), silence (nothing
//     matching for a duration), alarm (an open alarm changed or aged) or
//     schedule (a cron tick). case rules arrive with case routing and are
//     refused for now.
//   - match: device kinds and an MQTT topic filter (+ and #). Empty means
//     any.
//   - if: one expr expression (https://expr-lang.org) over a typed
//     environment (Env): payload, device, elder, household, grid, alarm, now,
//     with helpers hour, weekday, since, duration, between and count.
//   - then: typed actions (Action) — raise an alarm with a severity and a
//     title template, clear an alarm, notify a channel or an audience, send
//     a device command.
//   - cooldown, an optional clear condition, an optional active time window
//     (07:00–21:00, may cross midnight) and weekdays.
//
// Compile checks everything — syntax, types, helper arguments, durations,
// time windows, cron specs, action fields, title templates — and returns
// Errors naming the field, line and column, so a broken rule is refused when
// it is saved rather than at 3 a.m. A RuleSet indexes compiled rules by
// trigger and device kind and evaluates one event against only the rules
// that match it. Each evaluation is isolated: a panic in a helper is
// recovered, a memory budget stops runaway collections and strings, and a
// run-time error is returned in that rule's Result while the other rules go
// on.
//
// The package is pure: it knows nothing of PocketBase or MQTT. The alarm
// engine builds an Env per event, calls RuleSet.Evaluate, and acts on the
// Results (dedupe, cooldown, storing silence timers, escalation). The rule
// language is documented for admins in docs/rules.md and by the Example
// tests of this package.
package rules
