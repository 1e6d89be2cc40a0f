//go:build !race

package encodings_test

const raceEnabled = false
