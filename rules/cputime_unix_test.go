//go:build unix

package rules

import (
	"syscall"
	"time"
)

// processCPU is the CPU time (user + system) the test process has used.
// Benchmarks report it per operation beside wall time: on a shared,
// loaded machine wall time includes waiting for a core, CPU time does not.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
