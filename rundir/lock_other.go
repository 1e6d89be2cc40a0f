//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package rundir

import "os"

// flock does nothing where syscall.Flock is missing: there, nothing keeps
// a second sweep out of a run directory in use.
func flock(*os.File, bool) error { return nil }

func holderGone(string) bool { return false }
