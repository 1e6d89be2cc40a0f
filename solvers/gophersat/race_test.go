//go:build race

package gophersat

// raceEnabled makes the long randomized tests run fewer games (see games).
const raceEnabled = true
