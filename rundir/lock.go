package rundir

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"time"
)

// ErrInUse is the error of a run directory (or shard) that another sweep
// or merge is writing.
var ErrInUse = errors.New("in use by another sweep")

var errLocked = errors.New("locked")

// fileLock is a lock file held with flock. The holder that removes it
// does so while holding it; a process that was waiting for it then holds
// a lock on a file no longer there, which it notices (lock compares the
// open file with the path's) and takes the new file instead.
type fileLock struct {
	f    *os.File
	path string
}

// lock takes the lock file path: waiting for it when wait, else failing
// with errLocked when another process holds it.
func lock(path string, wait bool) (*fileLock, error) {
	for {
		f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
		if err != nil {
			return nil, err
		}
		if err := flock(f, wait); err != nil {
			f.Close()
			return nil, err
		}
		held, err1 := f.Stat()
		now, err2 := os.Stat(path)
		if err1 == nil && err2 == nil && os.SameFile(held, now) {
			return &fileLock{f, path}, nil
		}
		f.Close() // removed (or replaced) by the holder we waited for
	}
}

// lockShard takes the lock of a sweep's shard, naming its holder in the
// file, or fails with ErrInUse naming the holder.
func lockShard(dir string, shard, shards int) (*fileLock, error) {
	path := lockFile(dir, shard, shards)
	l, err := lock(path, false)
	if errors.Is(err, errLocked) {
		// A sweep killed while starting a worker leaves the lock to the
		// child until its exec closes the inherited descriptor: when the
		// recorded holder is gone, wait for that moment.
		holder, _ := os.ReadFile(path)
		for deadline := time.Now().Add(5 * time.Second); errors.Is(err, errLocked) && holderGone(string(holder)) && time.Now().Before(deadline); {
			time.Sleep(10 * time.Millisecond)
			l, err = lock(path, false)
		}
	}
	if err != nil {
		if !errors.Is(err, errLocked) {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		holder, _ := os.ReadFile(path)
		who := ""
		if h := strings.TrimSpace(string(holder)); h != "" {
			who = " (" + h + ")"
		}
		return nil, fmt.Errorf("%s: %w%s; lock file %s", dir, ErrInUse, who, path)
	}
	host, _ := os.Hostname()
	if err := l.f.Truncate(0); err != nil {
		l.unlock()
		return nil, err
	}
	if _, err := l.f.WriteAt(fmt.Appendf(nil, "pid %d on %s\n", os.Getpid(), host), 0); err != nil {
		l.unlock()
		return nil, err
	}
	return l, nil
}

// unlock removes the lock file and releases the lock: a run directory
// keeps no lock file once its writers are gone (a killed one leaves it,
// which the next lock takes over).
func (l *fileLock) unlock() {
	os.Remove(l.path)
	l.f.Close()
}
