//go:build !race

package gophersat

const raceEnabled = false
