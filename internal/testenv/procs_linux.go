package testenv

import (
	"os/exec"
	"syscall"
)

// setDeathSignal kills the server with the test binary, should that die
// before its cleanups run (a panic, a timeout).
func setDeathSignal(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
