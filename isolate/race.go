//go:build race

package isolate

// raceEnabled: the race detector's runtime sleeps a second at exit unless
// told otherwise, which would add a second to every worker.
const raceEnabled = true
