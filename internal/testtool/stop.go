package testtool

import "time"

// StopAllowance is how long past its own deadline or cancel a test lets
// the work it stopped take to return. A test that asserts that a solve, a
// job or a process stops promptly bounds the wall time by its own
// deadline plus StopAllowance, never by less than its deadline: stops take
// milliseconds, but a loaded 2-core machine under the race detector can
// hold a goroutine or a process off the CPU for seconds. Work that ignored
// its deadline would take minutes (a count of 2^40 models, a 600 s sleep,
// a model building for 200 s), far beyond the allowance.
const StopAllowance = 5 * time.Second
