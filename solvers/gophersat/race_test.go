//go:build race

package gophersat

// raceEnabled makes the long randomized tests run fewer games: under the
// race detector they are ten times slower, and they run on one goroutine.
const raceEnabled = true
