//go:build !linux

package external

import "os/exec"

// runInWorker runs cmd in a sweep's worker: in the worker's process group,
// which the parent kills at the deadline with everything in it.
func runInWorker(cmd *exec.Cmd) error {
	if err := cmd.Start(); err != nil {
		return err
	}
	return cmd.Wait()
}
