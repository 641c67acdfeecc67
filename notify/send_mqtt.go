package notify

import (
	"context"
	"encoding/json"
	"errors"
	"time"
)

// mqttQoS: sirens and boards get alarms at least once.
const mqttQoS = 1

// mqttAlarm is what sirens and LED boards receive on
// alarms/{severity}/{alarm id}.
type mqttAlarm struct {
	ID       string    `json:"id"`
	Severity string    `json:"severity"`
	Title    string    `json:"title"`
	Elder    string    `json:"elder"`
	Address  string    `json:"address"`
	At       time.Time `json:"at"`
}

// mqtt publishes the alarm with QoS 1, not retained (see the package doc
// for why), on the delivery's target topic.
func (s *senders) mqtt(_ context.Context, j *job) error {
	if s.pub == nil {
		return errors.New("mqtt broker not running")
	}
	topic := j.d.Target()
	if topic == "" {
		if j.p.Alarm == "" {
			return permanent("an mqtt delivery needs an alarm")
		}
		topic = alarmTopic(j.p.Severity, j.p.Alarm)
	}
	payload, err := json.Marshal(mqttAlarm{ID: j.p.Alarm, Severity: j.p.Severity, Title: j.p.Title,
		Elder: j.p.Elder, Address: j.p.Address, At: j.p.At})
	if err != nil {
		return permanent("encode mqtt alarm: %v", err)
	}
	return s.pub.Publish(topic, payload, false, mqttQoS)
}
