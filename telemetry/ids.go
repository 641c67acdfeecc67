package telemetry

import (
	"crypto/rand"
	"sync"
	"time"
)

// idAlphabet is PocketBase's record id alphabet, in ascending byte order
// so that ids sort like the numbers they encode.
const idAlphabet = "0123456789abcdefghijklmnopqrstuvwxyz"

// idGen makes 15-character record ids (PocketBase's id shape) that grow
// with time: 10 base-36 digits of Unix microseconds, then 5 random ones.
// Readings are inserted in id order, so the primary-key index is appended
// to instead of split at random places; at millions of rows that keeps
// inserts fast. Within one microsecond the counter part keeps ids unique
// and increasing.
type idGen struct {
	mu   sync.Mutex
	last int64
	seq  uint32
}

// next returns a new id, greater than every id this generator returned.
func (g *idGen) next(now time.Time) string {
	us := now.UnixMicro()
	g.mu.Lock()
	if us <= g.last {
		us = g.last
		g.seq++
		if g.seq >= 36*36*36*36*36 { // the tail is exhausted: borrow a microsecond
			us++
			g.seq = randomTail()
		}
	} else {
		g.seq = randomTail()
	}
	g.last = us
	seq := g.seq
	g.mu.Unlock()

	var b [15]byte
	for i := 9; i >= 0; i-- {
		b[i] = idAlphabet[us%36]
		us /= 36
	}
	for i := 14; i >= 10; i-- {
		b[i] = idAlphabet[seq%36]
		seq /= 36
	}
	return string(b[:])
}

// randomTail starts a microsecond's sequence at a random point in its
// lower half, so two appliances' ids (a restored backup, say) rarely meet
// and there is room left to count up.
func randomTail() uint32 {
	var r [4]byte
	_, _ = rand.Read(r[:]) // crypto/rand.Read never fails on Linux
	v := uint32(r[0]) | uint32(r[1])<<8 | uint32(r[2])<<16 | uint32(r[3])<<24
	return v % (36 * 36 * 36 * 36 * 36 / 2)
}
