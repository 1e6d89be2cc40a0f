//go:build !unix

package isolate

import (
	"os"
	"os/exec"
)

// NewGroup makes the end of cmd's context kill it: this system has no
// process groups to kill.
func NewGroup(cmd *exec.Cmd) { cmd.Cancel = func() error { return KillGroup(cmd) } }

// KillGroup kills cmd.
func KillGroup(cmd *exec.Cmd) error { return cmd.Process.Kill() }

func maxRSS(*os.ProcessState) int64 { return 0 }
