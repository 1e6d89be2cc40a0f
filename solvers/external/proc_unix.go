//go:build unix

package external

import (
	"os/exec"
	"syscall"
)

// setProcessGroup puts the solver in a process group of its own, so that
// killGroup reaches whatever it starts (a wrapper script's children).
func setProcessGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
}

// killGroup kills the solver's process group, then the solver itself (in
// case the group kill was refused).
func killGroup(cmd *exec.Cmd) error {
	_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	return cmd.Process.Kill()
}
