// Package alarms is the alarm engine: it turns device messages, silences,
// schedules and alarm changes into alarms through the admins' rules
// (package rules), escalates them along the escalation policies until a
// person acknowledges, and records who did what in alarm_events.
//
// # The hot path
//
// HandleEvent (a telemetry.Handler) gets each committed device message off
// the broker's read loop. It builds the rules' Env from an in-memory
// context cache (device → elder → household → building → grid, kept fresh
// by record hooks; no database read), records the message's flags for
// count(), evaluates the RuleSet and acts on the results. A raise commits
// the alarm, its "raise" event and the deliveries of every escalation step
// already due, in one transaction, before anything is told (PocketBase's
// realtime fires after the commit). Repeats, silence-timer resets and rule
// statistics are kept in memory and written in batches.
//
// # Durability
//
// Every stored reading goes through the rules exactly as if it had been
// handled live, even if the process died between the PUBACK and the
// alarm, or the seam dropped it on a full queue:
//
//   - the engine persists a cursor (alarm_engine_state "cursor"): a reading
//     time up to which every reading has been handled, in the same
//     transaction as the batched state (timer resets, repeats, statistics)
//     those readings produced;
//   - at start, and whenever the pipeline reports dropped events, it
//     replays the readings from the cursor (less a little slack) with Now =
//     the reading's time;
//   - handling is idempotent, so a reading seen twice changes nothing: a
//     firing at a time an alarm of the rule already covers is a no-op, a
//     repeat only counts when it is later than the alarm's last_seen, a
//     timer reset only moves the timer forward, and count() ignores an
//     event it already holds.
//
// Silence timers are rows (alarm_timers) re-armed at start; no timer fires
// until the start-up replay is done, so a motion stored just before a
// crash still resets its timer and no false inactivity alarm is raised.
// Escalation state lives on the alarm (escalation_level,
// next_escalation_at) and is re-armed at start; steps that fell due while
// the appliance was down run at once.
//
// # State changes by people
//
// Acknowledge, Comment, Assign, Snooze, Resolve and ToCase change an alarm
// in one transaction with its alarm_events row; they need no running
// engine. The engine follows every alarm change through ObserveAlarm
// (bound to the alarms record hooks), which also stops or resumes
// escalation.
package alarms
