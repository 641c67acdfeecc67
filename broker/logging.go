package broker

import (
	"context"
	"log/slog"
	"strings"
	"time"
)

// Refusal log lines are rate limited: a device stuck in a loop, or an
// attacker, must not flood the appliance's log (PocketBase stores it in
// SQLite). Every refusal is still counted by reason in Stats.
const (
	refusalLogBurst = 200
	refusalLogEvery = 50 * time.Millisecond // 20 lines a second sustained
)

// refuse counts a refusal as "kind: reason" and logs it with the account
// (or the username it claimed), the reason and the remote address.
func (s *Server) refuse(kind, reason, device, remote string, attrs ...any) {
	s.stats.refused(kind + ": " + reason)
	if !s.logLimit.take("refusal", time.Now()) {
		s.stats.quiet.Add(1)
		return
	}
	for i := 1; i < len(attrs); i += 2 {
		if v, ok := attrs[i].(string); ok {
			attrs[i] = clip(v)
		}
	}
	args := append([]any{"kind", kind, "device", clip(device), "reason", reason, "remote", remote}, attrs...)
	s.log.Warn("mqtt refused", args...)
}

// clip bounds a client-chosen string (a claimed username, a topic) in a
// log line; they can be as long as a packet.
func clip(s string) string {
	const limit = 128
	if len(s) <= limit {
		return s
	}
	return strings.ToValidUTF8(s[:limit], "") + "…"
}

// quietHandler passes only records at or above min: mochi logs every bad
// packet with its payload and every keep-alive under 5 s at Warn, which a
// client could use to flood the log; we log what matters ourselves.
type quietHandler struct {
	slog.Handler
	min slog.Level
}

func (h quietHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= h.min && h.Handler.Enabled(ctx, l)
}

func (h quietHandler) WithAttrs(a []slog.Attr) slog.Handler {
	return quietHandler{h.Handler.WithAttrs(a), h.min}
}

func (h quietHandler) WithGroup(name string) slog.Handler {
	return quietHandler{h.Handler.WithGroup(name), h.min}
}
