package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
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

// machineBusy reads the machine's busy time from /proc/stat: every CPU's
// time but idle and iowait (Linux counts it in USER_HZ, 100 a second).
func machineBusy() time.Duration {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0
	}
	line, _, _ := strings.Cut(string(b), "\n")
	fields := strings.Fields(line)
	var busy int64
	for i, f := range fields[1:] {
		if i == 3 || i == 4 { // idle, iowait
			continue
		}
		n, _ := strconv.ParseInt(f, 10, 64)
		busy += n
	}
	return time.Duration(busy) * 10 * time.Millisecond
}

// perThousand says what the run since m cost per 1,000 of n deliveries.
func (m cpuMark) perThousand(n int) string {
	now := markCPU()
	self, machine := now.self-m.self, now.machine-m.machine
	per := func(d time.Duration) float64 { return float64(d.Milliseconds()) * 1000 / float64(n) }
	return fmt.Sprintf("CPU per 1,000 deliveries: %.1f ms in this process (pipeline and fakes), %.1f ms on the whole machine (%.1f ms outside it: PostgreSQL, Redis and anything else running)",
		per(self), per(machine), per(machine-self))
}
