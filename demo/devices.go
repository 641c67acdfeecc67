package demo

import (
	"fmt"
	"strings"

	"github.com/fengqiao/fengqiao/model"
)

// DeviceClientID is the MQTT client id of a demo sensor in a household,
// e.g. "sos-3-2-401".
func DeviceClientID(prefix, household string) string {
	return prefix + "-" + household
}

var elderDeviceKinds = map[bool][]struct{ kind, prefix, name string }{
	true: {
		{model.KindDoorMagnet, "door", "门磁"},
		{model.KindSOSButton, "sos", "一键呼救"},
		{model.KindPIR, "pir", "人体感应"},
	},
	false: {
		{model.KindSOSButton, "sos", "一键呼救"},
		{model.KindSmoke, "smoke", "烟感"},
	},
}

func (s *seeder) devices() error {
	for _, e := range demoElders {
		for _, k := range elderDeviceKinds[e.alone] {
			clientID := DeviceClientID(k.prefix, e.household)
			_, err := s.upsert(model.CollectionDevices, "client_id", clientID, map[string]any{
				"kind": k.kind, "name": fmt.Sprintf("%s · %s", e.name, k.name),
				"token_hash": model.HashToken(DeviceToken(clientID)),
				"elder":      s.id("elder:" + e.phone), "household": s.id("household:" + e.household),
				"battery": 100, "firmware": "1.4.2",
				"location_note": map[string]string{"door": "入户门", "sos": "床头", "pir": "客厅", "smoke": "厨房"}[k.prefix],
			})
			if err != nil {
				return err
			}
		}
	}
	// A siren at the security booth listens for critical alarms.
	_, err := s.upsert(model.CollectionDevices, "client_id", "siren-gate", map[string]any{
		"kind": model.KindSiren, "name": "东门岗亭声光报警器", "token_hash": model.HashToken(DeviceToken("siren-gate")),
		"subscribe_topics": []string{"alarms/critical/+", "alarms/major/+"},
		"publish_topics":   []string{"devices/siren-gate/status"},
	})
	return err
}

// DemoClientIDs lists the client ids of every demo sensor, for simulate.
func DemoClientIDs() []string {
	var out []string
	for _, e := range demoElders {
		for _, k := range elderDeviceKinds[e.alone] {
			out = append(out, DeviceClientID(k.prefix, e.household))
		}
	}
	for _, p := range demoParking() {
		out = append(out, "park-"+strings.ToLower(p.code))
	}
	return out
}
