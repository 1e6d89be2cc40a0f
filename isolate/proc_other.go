//go:build !unix

package isolate

import "os/exec"

func setProcessGroup(*exec.Cmd) {}

func killTree(cmd *exec.Cmd) error { return cmd.Process.Kill() }
