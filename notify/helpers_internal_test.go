package notify

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"github.com/fengqiao/fengqiao/model"
	_ "github.com/fengqiao/fengqiao/pb_migrations" // the schema under test
)

// newBareApp is an app with fengqiao's schema and no hooks (the package
// tests cannot import internal/testapp: it imports hooks, which imports
// this package).
func newBareApp(t testing.TB) *tests.TestApp {
	t.Helper()
	app, err := tests.NewTestApp(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(app.Cleanup)
	return app
}

// testChannel is an unsaved channels record.
func testChannel(t testing.TB, app core.App, kind, url, secret string, config any) *model.Channel {
	t.Helper()
	c, err := model.NewChannel(app)
	if err != nil {
		t.Fatal(err)
	}
	c.Id = "ch" + kind
	c.SetName(kind + " channel")
	c.SetKind(kind)
	c.SetURL(url)
	c.SetSecret(secret)
	if config != nil {
		c.SetConfig(config)
	}
	return c
}

// testJob is a job for kind with a fixed payload.
func testJob(t testing.TB, app core.App, kind, target string, ch *model.Channel) *job {
	t.Helper()
	d, err := model.NewDelivery(app)
	if err != nil {
		t.Fatal(err)
	}
	d.Id = "dlv" + kind
	d.SetKind(kind)
	d.SetTarget(target)
	p := Payload{Alarm: "alarm1", Severity: "critical", Title: "SOS: 陈阿婆", Body: "按下了紧急按钮",
		Elder: "陈阿婆", Address: "枫桥花园1栋302", At: time.Date(2026, 3, 1, 2, 30, 0, 0, time.UTC), Step: 1}
	d.SetTitle(p.Title)
	d.SetPayload(p)
	return &job{d: d, p: p, ch: ch}
}

func testSenders(app core.App, pub Publisher) *senders {
	return &senders{app: app, client: &http.Client{Timeout: 5 * time.Second}, pub: pub}
}

func ctx(t testing.TB) context.Context { return t.Context() }
