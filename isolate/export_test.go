package isolate

import "io"

// LastPID returns the process id of the most recently started worker.
func LastPID() int {
	pidMu.Lock()
	defer pidMu.Unlock()
	return lastPID
}

// ServeIO runs the worker loop on the given streams and returns its exit
// status.
func ServeIO(stdin io.Reader, stdout, stderr io.Writer) int {
	return serve(stdin, stdout, stderr, false)
}

// SetServed lets tests pretend that the program has (not) called Serve.
func SetServed(v bool) { served.Store(v) }

// UseRlimit makes memory limits fall back to the rlimit, as on a machine
// without a memory cgroup of its own.
func UseRlimit(v bool) { noCgroup.Store(v) }

// RaceEnabled reports whether the test binary has the race detector, whose
// shadow memory an address-space rlimit cannot accommodate.
const RaceEnabled = raceEnabled

// LoopEnv makes a worker a pooled one.
const LoopEnv = loopEnv
