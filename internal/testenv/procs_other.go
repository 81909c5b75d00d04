//go:build !linux

package testenv

import "os/exec"

// setDeathSignal has no equivalent here: cleanups alone stop the servers.
func setDeathSignal(*exec.Cmd) {}
