//go:build !unix

package isolate

import (
	"os"
	"os/exec"
)

func setProcessGroup(*exec.Cmd) {}

func killTree(cmd *exec.Cmd) error { return cmd.Process.Kill() }

func maxRSS(*os.ProcessState) int64 { return 0 }
