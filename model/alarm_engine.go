package model

// The alarm engine's own collections (system collections: visible to
// admins, written only by the engine, with raw batched upserts).
const (
	// CollectionAlarmTimers holds silence timers and alarm-rule marks.
	CollectionAlarmTimers = "alarm_timers"
	// CollectionAlarmEngineState holds the replay cursor.
	CollectionAlarmEngineState = "alarm_engine_state"
)

// Timer kinds (alarm_timers.kind).
const (
	TimerSilence = "silence" // a silence rule watching a device
	TimerAlarm   = "alarm"   // an alarm rule's mark on an alarm it acted on
)
