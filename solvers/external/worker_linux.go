package external

import (
	"os/exec"
	"runtime"
	"syscall"
)

// runInWorker runs cmd in a sweep's worker: in the worker's process group,
// which the parent kills at the deadline with everything in it, and with
// SIGKILL as its parent-death signal, so that it does not outlive a worker
// that exits because its own parent went away. The parent-death signal
// comes when the thread that started the program ends: the goroutine keeps
// its thread until the program has exited.
func runInWorker(cmd *exec.Cmd) error {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	if err := cmd.Start(); err != nil {
		return err
	}
	return cmd.Wait()
}
