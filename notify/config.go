package notify

import (
	"net/http"
	"time"
)

// Config tunes the worker. The zero value of a field means its default.
type Config struct {
	// PollInterval is how often the worker looks for due deliveries when
	// nothing wakes it (default 10s). New deliveries wake it at once
	// (Wake), and it sleeps only until the next retry is due.
	PollInterval time.Duration
	// BatchSize caps the deliveries claimed in one transaction (default 50).
	BatchSize int
	// Concurrency is how many deliveries are sent at once (default 8), so a
	// slow webhook does not hold up an SOS in-app notification.
	Concurrency int
	// BackoffBase and BackoffMax shape the retries: after n failed
	// attempts the next waits BackoffBase·2^(n-1), at most BackoffMax
	// (defaults 10s and 10m). There is no last attempt.
	BackoffBase, BackoffMax time.Duration
	// SendTimeout bounds one attempt: an HTTP request, an e-mail (default 15s).
	SendTimeout time.Duration
	// HTTPClient sends webhooks, robot messages and SMS requests (default:
	// a client of its own with SendTimeout).
	HTTPClient *http.Client
}

// DefaultConfig returns the defaults.
func DefaultConfig() Config {
	return Config{PollInterval: 10 * time.Second, BatchSize: 50, Concurrency: 8,
		BackoffBase: 10 * time.Second, BackoffMax: 10 * time.Minute, SendTimeout: 15 * time.Second}
}

// withDefaults fills the zero fields of c.
func (c Config) withDefaults() Config {
	d := DefaultConfig()
	if c.PollInterval <= 0 {
		c.PollInterval = d.PollInterval
	}
	if c.BatchSize <= 0 {
		c.BatchSize = d.BatchSize
	}
	if c.Concurrency <= 0 {
		c.Concurrency = d.Concurrency
	}
	if c.BackoffBase <= 0 {
		c.BackoffBase = d.BackoffBase
	}
	if c.BackoffMax <= 0 {
		c.BackoffMax = d.BackoffMax
	}
	if c.BackoffMax < c.BackoffBase {
		c.BackoffMax = c.BackoffBase
	}
	if c.SendTimeout <= 0 {
		c.SendTimeout = d.SendTimeout
	}
	if c.HTTPClient == nil {
		c.HTTPClient = &http.Client{Timeout: c.SendTimeout, Transport: http.DefaultTransport.(*http.Transport).Clone()}
	}
	return c
}
