package model

// TopicAlarms is the realtime topic of the alarm feed: every change of an
// alarm the subscriber may see, as {"action", "record"} like a record
// subscription's event, but decided in memory rather than by a database
// check of the view rule per subscriber (hooks/alarms_realtime.go).
// Subscribe with the PocketBase SDK: pb.realtime.subscribe(TopicAlarms, cb).
const TopicAlarms = "fengqiao/alarms"

// AlarmBoardExpand are the relations the alarm board shows (the UI's
// ALARM_EXPAND in ui/src/lib/alarms.js): the alarm feed sends them
// expanded to those who may see every one of them (staff, the secretary).
var AlarmBoardExpand = []string{"elder", "household", "device", "grid", "assignee", "acknowledged_by"}
