package broker

import (
	"hash/maphash"
	"net"
	"sync"
	"time"
)

// limiter is a set of token buckets keyed by a string (an address or a
// username) that only failures drain. A key whose bucket is empty is
// throttled: its next login is refused before the token is even compared.
// A bucket refilled to its burst holds no information and is dropped, so
// memory is bounded by the keys that failed recently, and by maxKeys.
type limiter struct {
	mu      sync.Mutex
	burst   float64
	every   time.Duration
	maxKeys int
	keys    map[string]*bucket
}

type bucket struct {
	tokens float64
	at     time.Time
}

func newLimiter(burst int, every time.Duration, maxKeys int) *limiter {
	return &limiter{burst: float64(burst), every: every, maxKeys: maxKeys, keys: map[string]*bucket{}}
}

// level returns the bucket's tokens at now.
func (l *limiter) level(b *bucket, now time.Time) float64 {
	t := b.tokens + float64(now.Sub(b.at))/float64(l.every)
	return min(t, l.burst)
}

// allowed reports whether key may try to log in at now. It does not drain.
func (l *limiter) allowed(key string, now time.Time) bool {
	if key == "" {
		return true
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.keys[key]
	return !ok || l.level(b, now) >= 1
}

// fail records a failed login for key at now and reports whether the key
// became throttled by it.
func (l *limiter) fail(key string, now time.Time) (throttled bool) {
	if key == "" {
		return false
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.keys[key]
	if !ok {
		if len(l.keys) >= l.maxKeys {
			l.evict(now)
		}
		b = &bucket{tokens: l.burst, at: now}
		l.keys[key] = b
	}
	b.tokens = max(l.level(b, now)-1, 0)
	b.at = now
	return b.tokens < 1
}

// take drains one token from key if it has one and reports whether it did:
// a plain rate limit (used for log lines).
func (l *limiter) take(key string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.keys[key]
	if !ok {
		b = &bucket{tokens: l.burst, at: now}
		l.keys[key] = b
	}
	t := l.level(b, now)
	if t < 1 {
		return false
	}
	b.tokens, b.at = t-1, now
	return true
}

// evict makes room for one key: first every bucket that has refilled, then,
// if the map is still full (an attack from very many addresses), arbitrary
// ones, so a flood of new keys can never grow the map.
func (l *limiter) evict(now time.Time) {
	for k, b := range l.keys {
		if l.level(b, now) >= l.burst {
			delete(l.keys, k)
		}
	}
	for k := range l.keys {
		if len(l.keys) < l.maxKeys {
			return
		}
		delete(l.keys, k)
	}
}

// size returns the number of keys tracked.
func (l *limiter) size() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.keys)
}

// throttle combines the per-address and per-username limiters with a
// memory of recent good logins. An address whose bucket is empty (say, fifty
// decommissioned sensors behind the community's NAT retrying with stale
// tokens) still lets through usernames that logged in correctly from it
// recently, so the other devices behind that address are not locked out;
// guessing the tokens of those usernames stays bounded by their own
// per-username buckets.
type throttle struct {
	addr, user *limiter
	good       *recent
}

// goodLoginMemory is how long a successful login vouches for its
// address and username pair.
const goodLoginMemory = 24 * time.Hour

func newThrottle(c ThrottleConfig, maxClients int) *throttle {
	return &throttle{
		addr: newLimiter(c.AddrBurst, c.AddrEvery, c.MaxKeys),
		user: newLimiter(c.UserBurst, c.UserEvery, c.MaxKeys),
		good: newRecent(goodLoginMemory, 2*maxClients),
	}
}

// allowed reports whether a login from addr for username may be checked.
func (t *throttle) allowed(addr, username string, now time.Time) bool {
	if !t.user.allowed(username, now) {
		return false
	}
	return t.addr.allowed(addr, now) || (username != "" && t.good.has(t.good.key(addr, username), now))
}

// succeeded records a correct login.
func (t *throttle) succeeded(addr, username string, now time.Time) {
	t.good.add(t.good.key(addr, username), now)
}

// fail records a failed login; it reports whether either key became
// throttled by this failure.
func (t *throttle) fail(addr, username string, now time.Time) bool {
	a := t.addr.fail(addr, now)
	u := t.user.fail(username, now)
	return a || u
}

// recent is a bounded set of (address, username) pairs seen within ttl.
// It holds one entry per device, so a pair is kept as a 64-bit hash with
// a per-process random seed and a Unix time: 16 bytes instead of a string
// and a time.Time. A collision (about 2⁻⁶⁴ per pair) would only let a login
// skip the per-address bucket; the per-username one still applies.
type recent struct {
	mu   sync.Mutex
	ttl  time.Duration
	max  int
	seed maphash.Seed
	seen map[uint64]int64 // key → Unix nanoseconds
}

func newRecent(ttl time.Duration, max int) *recent {
	return &recent{ttl: ttl, max: max, seed: maphash.MakeSeed(), seen: map[uint64]int64{}}
}

// key identifies the pair addr, username.
func (r *recent) key(addr, username string) uint64 {
	var h maphash.Hash
	h.SetSeed(r.seed)
	h.WriteString(addr)
	h.WriteByte(0)
	h.WriteString(username)
	return h.Sum64()
}

func (r *recent) has(key uint64, now time.Time) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	at, ok := r.seen[key]
	return ok && now.UnixNano()-at < int64(r.ttl)
}

func (r *recent) add(key uint64, now time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.seen[key]; !ok && len(r.seen) >= r.max {
		for k, at := range r.seen {
			if now.UnixNano()-at >= int64(r.ttl) {
				delete(r.seen, k)
			}
		}
		for k := range r.seen {
			if len(r.seen) < r.max {
				break
			}
			delete(r.seen, k)
		}
	}
	r.seen[key] = now.UnixNano()
}

// hostOf returns the address part of "host:port" (the whole string if it
// has no port), so one device reconnecting from new ports is one key.
func hostOf(remote string) string {
	if h, _, err := net.SplitHostPort(remote); err == nil {
		return h
	}
	return remote
}
