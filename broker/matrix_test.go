package broker

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	pahomqtt "github.com/eclipse/paho.mqtt.golang"
	"github.com/mochi-mqtt/server/v2/packets"
)

// recorder collects the messages a paho client receives.
type recorder struct {
	mu   sync.Mutex
	msgs []received
}

type received struct {
	topic, payload string
	retained       bool
}

func (r *recorder) handle(_ pahomqtt.Client, m pahomqtt.Message) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.msgs = append(r.msgs, received{m.Topic(), string(m.Payload()), m.Retained()})
}

func (r *recorder) all() []received {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]received(nil), r.msgs...)
}

func (r *recorder) wait(t *testing.T, topic, payload string) {
	t.Helper()
	eventually(t, topic+" "+payload, func() bool {
		for _, m := range r.all() {
			if m.topic == topic && m.payload == payload {
				return true
			}
		}
		return false
	})
}

// pahoConnect logs in with the paho 3.1.1 client (no auto-reconnect).
func pahoConnect(url, id, user, pass string, lost chan<- error) (pahomqtt.Client, error) {
	opts := pahomqtt.NewClientOptions().AddBroker(url).SetClientID(id).SetUsername(user).SetPassword(pass).
		SetAutoReconnect(false).SetConnectTimeout(5 * time.Second).SetCleanSession(true)
	if lost != nil {
		opts.SetConnectionLostHandler(func(_ pahomqtt.Client, err error) { lost <- err })
	}
	cl := pahomqtt.NewClient(opts)
	tok := cl.Connect()
	if !tok.WaitTimeout(5 * time.Second) {
		return nil, errors.New("connect timed out")
	}
	return cl, tok.Error()
}

func mustPaho(t *testing.T, url, id string, lost chan<- error) pahomqtt.Client {
	t.Helper()
	cl, err := pahoConnect(url, id, id, "tok-"+id, lost)
	if err != nil {
		t.Fatalf("%s connect: %v", id, err)
	}
	t.Cleanup(func() { cl.Disconnect(0) })
	return cl
}

func subscribeCode(t *testing.T, cl pahomqtt.Client, filter string, h pahomqtt.MessageHandler) byte {
	t.Helper()
	tok := cl.Subscribe(filter, 1, h)
	if !tok.WaitTimeout(5*time.Second) || tok.Error() != nil {
		t.Fatalf("subscribe %s: %v", filter, tok.Error())
	}
	for _, code := range tok.(*pahomqtt.SubscribeToken).Result() {
		return code // one filter; paho keys $share/g/x results by x
	}
	t.Fatalf("subscribe %s: no result", filter)
	return 0
}

// TestACLMatrix attacks the ACL with a real MQTT client over TCP and over
// WebSocket, while an integration account subscribed to "#" and the victim
// device watch: nothing forbidden may reach anyone.
func TestACLMatrix(t *testing.T) {
	for _, transport := range []string{"tcp", "ws"} {
		t.Run(transport, func(t *testing.T) { aclMatrix(t, transport) })
	}
}

func aclMatrix(t *testing.T, transport string) {
	auth := newFakeAuth().device("dev-a", "dev-b", "dev-c", "dev-d").integration("spy", nil, []string{"#"})
	b := startBroker(t, Config{}, auth)
	url, dial := "tcp://"+b.TCPAddress(), func(v byte) *rawClient { return dialRaw(t, b.TCPAddress(), v) }
	if transport == "ws" {
		url, dial = b.wsURL(), func(v byte) *rawClient { return dialRawWS(t, b.wsURL(), v) }
	}

	spy, victim, attacker := &recorder{}, &recorder{}, &recorder{}
	spyC := mustPaho(t, url, "spy", nil)
	if code := subscribeCode(t, spyC, "#", spy.handle); code != 1 {
		t.Fatalf("spy subscription: %#x", code)
	}
	victimLost := make(chan error, 1)
	victimC := mustPaho(t, url, "dev-b", victimLost)
	if code := subscribeCode(t, victimC, "devices/dev-b/cmd", victim.handle); code != 1 {
		t.Fatalf("victim subscription: %#x", code)
	}

	t.Run("logins refused", func(t *testing.T) {
		for _, tc := range []struct{ name, id, user, pass string }{
			{"wrong token", "dev-a", "dev-a", "nope"},
			{"another device's token", "dev-b", "dev-b", "tok-dev-a"},
			{"username is not the client id", "dev-a", "dev-b", "tok-dev-b"},
			{"no username", "dev-a", "", "tok-dev-a"},
			{"unknown device", "dev-z", "dev-z", "tok-dev-z"},
			{"client id with a slash", "dev-b/x", "dev-b/x", "tok-dev-b"},
		} {
			if cl, err := pahoConnect(url, tc.id, tc.user, tc.pass, nil); err == nil {
				cl.Disconnect(0)
				t.Errorf("%s: login accepted", tc.name)
			}
		}
	})

	attackerC := mustPaho(t, url, "dev-a", nil)
	t.Run("subscriptions refused", func(t *testing.T) {
		for _, f := range []string{"devices/dev-b/cmd", "devices/+/cmd", "#", "devices/dev-b/#", "+/+/+",
			"$SYS/#", "$share/g/devices/dev-a/cmd", "devices/dev-a/up", "alarms/#"} {
			if code := subscribeCode(t, attackerC, f, attacker.handle); code != 0x80 {
				t.Errorf("subscribe %q granted %#x", f, code)
			}
		}
		if code := subscribeCode(t, attackerC, "devices/dev-a/cmd", attacker.handle); code != 1 {
			t.Errorf("own cmd refused: %#x", code)
		}
	})

	t.Run("publishes dropped", func(t *testing.T) {
		for _, topic := range []string{"devices/dev-b/up", "devices/dev-b/cmd", "devices/dev-a/cmd", "devices/dev-a",
			"alarms/critical/1", "ingest/110", "$SYS/broker/clients", "devices/dev-a//up"} {
			if tok := attackerC.Publish(topic, 0, false, "LEAK "+topic); !tok.WaitTimeout(5 * time.Second) {
				t.Fatalf("publish %s", topic)
			}
		}
		attackerC.Publish("devices/dev-b/status", 0, true, "LEAK retained on a foreign topic").Wait()
		b.Publish("devices/dev-b/cmd", []byte("CMD-B"), false, 1)
		// Same connection, after all of the above: once this arrives, any
		// leak of the above would have arrived before it.
		attackerC.Publish("devices/dev-a/up", 1, false, `{"end":true}`).Wait()
		spy.wait(t, "devices/dev-a/up", `{"end":true}`)
		victim.wait(t, "devices/dev-b/cmd", "CMD-B")
	})

	t.Run("connection-ending attacks", func(t *testing.T) {
		// 3.1.1 has no negative PUBACK: a refused QoS 1 publish ends the connection.
		c := dial(4)
		c.login("dev-c")
		c.send(publishPacket("devices/dev-b/up", []byte("LEAK qos1"), 1, 1))
		for _, pk := range c.expectClosed() {
			if pk.FixedHeader.Type == packets.Puback {
				t.Error("refused QoS 1 publish acknowledged")
			}
		}
		// A wildcard in a topic name is a protocol violation.
		d := dial(4)
		d.login("dev-d")
		d.send(publishPacket("devices/+/up", []byte("LEAK wildcard"), 0, 0))
		d.expectClosed()
		// A will on another device's topic, then a dropped connection.
		w := dial(4)
		pk := connectPacket("dev-c", "dev-c", "tok-dev-c", 30)
		pk.Connect.WillFlag, pk.Connect.WillTopic, pk.Connect.WillPayload, pk.Connect.WillRetain, pk.Connect.WillQos =
			true, "devices/dev-b/status", []byte("LEAK will"), true, 1
		w.send(pk)
		if ack := w.expect(packets.Connack); ack.ReasonCode != 0 {
			t.Fatalf("login with will: %#x", ack.ReasonCode)
		}
		_ = w.c.Close()
		spy.wait(t, "devices/dev-c/status", "offline")
	})

	t.Run("revoked while connected", func(t *testing.T) {
		auth.revoke("dev-b")
		start := time.Now()
		b.Kick("dev-b", "disabled by admin")
		select {
		case <-victimLost:
		case <-time.After(time.Second):
			t.Fatal("kicked device still connected after 1s")
		}
		t.Logf("kick took %v", time.Since(start))
		b.sink.waitPresence(t, "kicked offline", func(ev PresenceEvent) bool {
			return ev.Account.ID == "dev-b" && !ev.Online && ev.Reason == "kicked: disabled by admin"
		})
		if _, err := pahoConnect(url, "dev-b", "dev-b", "tok-dev-b", nil); err == nil {
			t.Error("revoked device logged in again")
		}
		b.Publish("devices/dev-b/cmd", []byte("CMD after kick"), false, 1)
	})

	t.Run("zero leaks", func(t *testing.T) {
		late := &recorder{}
		lateC := mustPaho(t, url, "spy", nil) // takes over the spy session: gets the retained set
		subscribeCode(t, lateC, "#", late.handle)
		attackerC.Publish("devices/dev-a/up", 1, false, `{"end":2}`).Wait()
		late.wait(t, "devices/dev-a/up", `{"end":2}`)
		late.wait(t, "devices/dev-c/status", "offline") // retained: the forced will
		for _, m := range append(spy.all(), late.all()...) {
			if strings.Contains(m.payload, "LEAK") {
				t.Errorf("leak to the integration account: %+v", m)
			}
		}
		for topic, pk := range b.mochi.Topics.Retained.GetAll() {
			if strings.Contains(string(pk.Payload), "LEAK") || (strings.HasPrefix(topic, "devices/") && pk.Origin != strings.Split(topic, "/")[1]) {
				t.Errorf("retained %q = %q from %s", topic, pk.Payload, pk.Origin)
			}
		}
		if got := victim.all(); len(got) != 1 || got[0].payload != "CMD-B" { // not "CMD after kick"
			t.Errorf("victim received %+v", got)
		}
		if got := attacker.all(); len(got) != 0 {
			t.Errorf("attacker received %+v", got)
		}
		for _, m := range b.sink.committed() {
			if !strings.HasPrefix(m.Topic, "devices/"+m.Account.ID+"/") || strings.Contains(string(m.Payload), "LEAK") {
				t.Errorf("committed %q from %s", m.Topic, m.Account.ID)
			}
		}
	})

	t.Run("refusals counted and logged", func(t *testing.T) {
		for _, reason := range []string{"login: bad credentials", "login: username is not the client id", "login: bad client id",
			"subscribe: foreign topic", "subscribe: wildcard subscription", "subscribe: $ topic", "subscribe: shared subscription",
			"publish: foreign topic", "publish: downlink topic", "publish: $ topic", "publish: wildcard in topic name",
			"publish: empty topic level", "will: foreign topic, forced to own status"} {
			if b.refusals(reason) == 0 {
				t.Errorf("refusal %q not counted: %v", reason, b.Stats().Refusals)
			}
		}
		logs := b.logs.String()
		for _, want := range []string{`msg="mqtt refused" component=mqtt kind=publish device=dev-a reason="foreign topic" remote=127.0.0.1:`,
			`kind=login device=dev-a reason="bad credentials" remote=127.0.0.1:`} {
			if !strings.Contains(logs, want) {
				t.Errorf("log lacks %q", want)
			}
		}
	})
}
