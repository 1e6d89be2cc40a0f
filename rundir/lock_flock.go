//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package rundir

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"syscall"
)

// flock takes an exclusive flock on f: waiting for it when wait, else
// failing with errLocked when another open file holds it. The kernel
// releases it when the file is closed or the process dies.
func flock(f *os.File, wait bool) error {
	how := syscall.LOCK_EX
	if !wait {
		how |= syscall.LOCK_NB
	}
	for {
		err := syscall.Flock(int(f.Fd()), how)
		switch {
		case err == nil:
			return nil
		case errors.Is(err, syscall.EINTR):
			continue
		case errors.Is(err, syscall.EWOULDBLOCK):
			return errLocked
		}
		return err
	}
}

// holderGone reports whether a lock file's "pid N on HOST" names a process
// of this host that no longer exists.
func holderGone(holder string) bool {
	var pid int
	var host string
	if _, err := fmt.Sscanf(strings.TrimSpace(holder), "pid %d on %s", &pid, &host); err != nil || pid <= 0 {
		return false
	}
	if me, _ := os.Hostname(); me != host {
		return false
	}
	return errors.Is(syscall.Kill(pid, 0), syscall.ESRCH)
}
