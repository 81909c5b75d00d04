package main

import (
	"fmt"
	"syscall"
	"time"

	"github.com/prometheus/procfs"
)

// cpuMark is the CPU time this process and the whole machine had used at
// one moment: a run's difference says what it cost, the database and
// Redis included when nothing else runs on the machine.
type cpuMark struct {
	self, machine time.Duration
}

func markCPU() cpuMark {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	self := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	return cpuMark{self: self, machine: machineBusy()}
}

// machineBusy is the machine's busy CPU time so far: every CPU's time
// but idle and iowait (guest time is already in user time).
func machineBusy() time.Duration {
	fs, err := procfs.NewDefaultFS()
	if err != nil {
		return 0
	}
	st, err := fs.Stat()
	if err != nil {
		return 0
	}
	c := st.CPUTotal
	busy := c.User + c.Nice + c.System + c.IRQ + c.SoftIRQ + c.Steal
	return time.Duration(busy * float64(time.Second))
}

// perThousand says what the run since m cost per 1,000 of n deliveries.
func (m cpuMark) perThousand(n int) string {
	now := markCPU()
	self, machine := now.self-m.self, now.machine-m.machine
	per := func(d time.Duration) float64 { return float64(d.Milliseconds()) * 1000 / float64(n) }
	return fmt.Sprintf("CPU per 1,000 deliveries: %.1f ms in this process (pipeline and fakes), %.1f ms on the whole machine (%.1f ms outside it: PostgreSQL, Redis and anything else running)",
		per(self), per(machine), per(machine-self))
}
