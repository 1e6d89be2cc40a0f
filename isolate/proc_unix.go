//go:build unix

package isolate

import (
	"os"
	"os/exec"
	"syscall"
)

// NewGroup puts cmd, not yet started, in a process group of its own, and
// makes the end of its context kill the whole group (KillGroup): whatever
// the program starts, such as a wrapper script's children, ends with it.
func NewGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return KillGroup(cmd) }
}

// KillGroup kills the process group of cmd (NewGroup), then cmd itself (in
// case the group kill was refused).
func KillGroup(cmd *exec.Cmd) error {
	_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	return cmd.Process.Kill()
}

// maxRSS is the child's peak resident set in bytes (Linux reports
// kilobytes; the BSDs and macOS bytes, but Linux is where it is used).
func maxRSS(ps *os.ProcessState) int64 {
	if ru, ok := ps.SysUsage().(*syscall.Rusage); ok {
		return ru.Maxrss * 1024
	}
	return 0
}
