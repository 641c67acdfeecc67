package alarms

import (
	"container/heap"
	"sync"
	"time"
)

// Kinds of scheduled work.
const (
	dueEscalation = iota // an alarm's next escalation step or snooze end
	dueSilence           // a silence timer's deadline
)

// dueItem is one piece of work due at a time. Items are hints: the
// handler checks the current state (an acknowledged alarm, a timer reset
// since) and does nothing, or schedules again, when the hint is stale.
// Per kind and key only the latest item added runs; earlier ones are
// dropped when they come up.
type dueItem struct {
	at   time.Time
	kind int
	key  string
}

type dueHeap []dueItem

func (h dueHeap) Len() int           { return len(h) }
func (h dueHeap) Less(i, j int) bool { return h[i].at.Before(h[j].at) }
func (h dueHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *dueHeap) Push(x any)        { *h = append(*h, x.(dueItem)) }
func (h *dueHeap) Pop() any {
	old := *h
	it := old[len(old)-1]
	*h = old[:len(old)-1]
	return it
}

// scheduler runs work when it falls due, on one goroutine, earliest
// first. Silence items wait while silence is held (during the start-up
// replay, so no timer fires before the readings it missed are applied).
type scheduler struct {
	run func(dueItem)

	mu      sync.Mutex
	items   dueHeap
	latest  map[schedKey]time.Time // the time of the latest item per kind and key
	held    []dueItem              // silence items while holding
	holding bool
	wake    chan struct{}
}

type schedKey struct {
	kind int
	key  string
}

func newScheduler(run func(dueItem)) *scheduler {
	return &scheduler{run: run, holding: true, wake: make(chan struct{}, 1), latest: map[schedKey]time.Time{}}
}

// add schedules an item; on a nil (stopped) scheduler it does nothing.
func (s *scheduler) add(it dueItem) {
	if s == nil {
		return
	}
	s.mu.Lock()
	k := schedKey{it.kind, it.key}
	if at, ok := s.latest[k]; ok && at.Equal(it.at) {
		s.mu.Unlock()
		return // scheduled already
	}
	s.latest[k] = it.at
	first := len(s.items) == 0 || it.at.Before(s.items[0].at)
	heap.Push(&s.items, it)
	s.mu.Unlock()
	if first {
		s.poke()
	}
}

// release lets silence items run from now on.
func (s *scheduler) release() {
	s.mu.Lock()
	s.holding = false
	for _, it := range s.held {
		heap.Push(&s.items, it)
	}
	s.held = nil
	s.mu.Unlock()
	s.poke()
}

func (s *scheduler) poke() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// loop runs due items until stop is closed.
func (s *scheduler) loop(stop <-chan struct{}) {
	t := time.NewTimer(time.Hour)
	defer t.Stop()
	for {
		now := time.Now()
		var due []dueItem
		wait := time.Hour
		s.mu.Lock()
		for len(s.items) > 0 && !s.items[0].at.After(now) {
			it := heap.Pop(&s.items).(dueItem)
			k := schedKey{it.kind, it.key}
			if at, ok := s.latest[k]; !ok || !at.Equal(it.at) {
				continue // superseded by a later add
			}
			if it.kind == dueSilence && s.holding {
				s.held = append(s.held, it)
				continue
			}
			delete(s.latest, k)
			due = append(due, it)
		}
		if len(s.items) > 0 {
			wait = s.items[0].at.Sub(now)
		}
		s.mu.Unlock()
		for _, it := range due {
			select {
			case <-stop:
				return
			default:
			}
			s.run(it)
		}
		if len(due) > 0 {
			continue // the work may have scheduled more, or taken a while
		}
		t.Reset(wait)
		select {
		case <-stop:
			return
		case <-s.wake:
			if !t.Stop() {
				select {
				case <-t.C:
				default:
				}
			}
		case <-t.C:
		}
	}
}
