//go:build race

package encodings_test

// raceEnabled makes the long randomized tests run fewer games (see games).
const raceEnabled = true
