package hooks

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"errors"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	mqtt "github.com/eclipse/paho.mqtt.golang"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"
	"github.com/pocketbase/pocketbase/tools/cron"

	"github.com/fengqiao/fengqiao/model"
)

// mqttClient connects a paho client (TCP or WebSocket URL) and reports a
// lost connection on the returned channel.
func mqttClient(t *testing.T, url, clientID, token string) (mqtt.Client, <-chan error, error) {
	t.Helper()
	lost := make(chan error, 1)
	o := mqtt.NewClientOptions().AddBroker(url).SetClientID(clientID).SetUsername(clientID).SetPassword(token).
		SetAutoReconnect(false).SetConnectRetry(false).SetCleanSession(true).SetConnectTimeout(5 * time.Second).
		SetConnectionLostHandler(func(_ mqtt.Client, err error) { lost <- err })
	c := mqtt.NewClient(o)
	tok := c.Connect()
	if !tok.WaitTimeout(5 * time.Second) {
		return nil, nil, errTimeout
	}
	if err := tok.Error(); err != nil {
		return nil, nil, err
	}
	t.Cleanup(func() { c.Disconnect(0) })
	return c, lost, nil
}

var errTimeout = errors.New("timed out")

func publish(t *testing.T, c mqtt.Client, topic, body string) {
	t.Helper()
	tok := c.Publish(topic, 1, false, body)
	if !tok.WaitTimeout(5*time.Second) || tok.Error() != nil {
		t.Fatalf("publish %s %s: not acknowledged (%v)", topic, body, tok.Error())
	}
}

func readings(t *testing.T, app core.App, deviceID string) []string {
	t.Helper()
	var rows []struct {
		Data string `db:"data"`
	}
	if err := app.DB().NewQuery("SELECT data FROM readings WHERE device = {:d} ORDER BY id").
		Bind(map[string]any{"d": deviceID}).All(&rows); err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = r.Data
	}
	return out
}

func device(t *testing.T, app core.App, clientID string) *model.Device {
	t.Helper()
	r, err := app.FindFirstRecordByData(model.CollectionDevices, "client_id", clientID)
	if err != nil {
		t.Fatal(err)
	}
	return model.AsDevice(r)
}

// TestMQTTSideEndToEnd starts the appliance's hooks (broker, directory,
// pipeline, alarm engine…) on loopback and drives them with a real MQTT
// client over TCP and WebSocket.
func TestMQTTSideEndToEnd(t *testing.T) {
	app := newBrokerTestApp(t)
	cfg := DefaultConfig()
	cfg.MQTT, cfg.MQTTTLS = "127.0.0.1:0", "127.0.0.1:0"
	var roots *x509.CertPool
	cfg.MQTTCert, cfg.MQTTKey, roots = selfSignedCert(t)
	if err := Register(app, cfg); err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(app.Cron().Jobs(), func(j *cron.Job) bool { return j.Id() == pruneJob }) {
		t.Fatal("no readings prune job")
	}
	app.OnServe().Unbind("fengqiaoBanner")
	door := newTestDevice(t, app, "door-1", model.KindDoorMagnet, nil)
	sos := newTestDevice(t, app, "sos-1", model.KindSOSButton, nil)
	base := serveApp(t, app)
	addrs, _ := app.Store().Get(storeKeyMQTT).([2]string)
	if addrs[0] == "" || strings.HasSuffix(addrs[0], ":0") || addrs[1] == "" || strings.HasSuffix(addrs[1], ":0") {
		t.Fatalf("no TCP listener address: %q", addrs)
	}
	tcpURL, wsURL := "tcp://"+addrs[0], strings.Replace(base, "http://", "ws://", 1)+"/mqtt"

	// A device stores telemetry over TCP: acknowledged means on disk.
	c, lost, err := mqttClient(t, tcpURL, "door-1", "tok-door-1")
	if err != nil {
		t.Fatalf("door-1 connect: %v", err)
	}
	publish(t, c, "devices/door-1/up", `{"open":true,"battery":77}`)
	if got := readings(t, app, door.Id); len(got) != 1 || !strings.Contains(got[0], `"open":true`) {
		t.Fatalf("readings right after the PUBACK = %q", got)
	}

	// Over WebSocket, an SOS button's unreadable press is stored flagged.
	ws, _, err := mqttClient(t, wsURL, "sos-1", "tok-sos-1")
	if err != nil {
		t.Fatalf("sos-1 over websocket: %v", err)
	}
	publish(t, ws, "devices/sos-1/up", "SOS!!\xff")
	if got := readings(t, app, sos.Id); len(got) != 1 || !strings.Contains(got[0], `"unreadable":"invalid_utf8"`) {
		t.Fatalf("sos readings = %q", got)
	}

	// Over TLS with --mqtt-cert/--mqtt-key.
	tlsClient := mqtt.NewClient(mqtt.NewClientOptions().AddBroker("ssl://" + addrs[1]).SetClientID("sos-1").
		SetUsername("sos-1").SetPassword("tok-sos-1").SetTLSConfig(&tls.Config{RootCAs: roots, ServerName: "127.0.0.1"}))
	if tok := tlsClient.Connect(); !tok.WaitTimeout(5*time.Second) || tok.Error() != nil {
		t.Fatalf("TLS connect to %s: %v", addrs[1], tok.Error())
	}
	publish(t, tlsClient, "devices/sos-1/up", `{"sos":false}`)
	tlsClient.Disconnect(0)

	// Wrong and foreign credentials are refused.
	if _, _, err := mqttClient(t, tcpURL, "door-1", "tok-sos-1"); err == nil {
		t.Fatal("door-1 logged in with another device's token")
	}

	// Presence reaches the record within the flush interval.
	waitUntil(t, "door-1 online with its battery", func() bool {
		d := device(t, app, "door-1")
		return d.Online() && d.Battery() == 77 && d.Messages() == 1
	})

	// Disabled in the admin UI (a superuser's PATCH): disconnected within a
	// second, refused afterwards.
	patchAsSuperuser(t, app, base, "/api/collections/devices/records/"+door.Id, `{"disabled":true}`)
	select {
	case <-lost:
	case <-time.After(time.Second):
		t.Fatal("disabled device still connected after 1 s")
	}
	if _, _, err := mqttClient(t, tcpURL, "door-1", "tok-door-1"); err == nil {
		t.Fatal("disabled device logged in")
	}
	waitUntil(t, "door-1 offline", func() bool { return !device(t, app, "door-1").Online() })

	// OnServe again (API test scenarios do) keeps the one broker.
	serveApp(t, app)
	if again, _ := app.Store().Get(storeKeyMQTT).([2]string); again != addrs {
		t.Fatalf("second OnServe moved the broker from %v to %v", addrs, again)
	}

	// OnTerminate (twice) stops cleanly: sos-1 is told and marked offline.
	for range 2 {
		if err := app.OnTerminate().Trigger(&core.TerminateEvent{App: app}); err != nil {
			t.Fatal(err)
		}
	}
	if d := device(t, app, "sos-1"); d.Online() {
		t.Fatal("sos-1 still online after the appliance stopped")
	}
}

// patchAsSuperuser sends a JSON PATCH with a superuser's token.
func patchAsSuperuser(t *testing.T, app *tests.TestApp, base, path, body string) {
	t.Helper()
	col, err := app.FindCachedCollectionByNameOrId(core.CollectionNameSuperusers)
	if err != nil {
		t.Fatal(err)
	}
	su := core.NewRecord(col)
	su.SetEmail("admin@example.com")
	su.SetPassword("a-long-password-123")
	if err := app.Save(su); err != nil {
		t.Fatal(err)
	}
	token, err := su.NewAuthToken()
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodPatch, base+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		var e map[string]any
		_ = json.NewDecoder(res.Body).Decode(&e)
		t.Fatalf("PATCH %s: %d %v", path, res.StatusCode, e)
	}
}

// selfSignedCert writes a certificate for 127.0.0.1 and its key to PEM
// files and returns their paths and a pool that trusts it.
func selfSignedCert(t *testing.T) (certFile, keyFile string, roots *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "fengqiao test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	roots = x509.NewCertPool()
	roots.AddCert(cert)
	return certFile, keyFile, roots
}
