package encodings

import "testing"

// Internals for the tests of package encodings_test, which check the
// encodings by solving them with solvers/gophersat and cross-check them
// with package verify (imports that this package's own tests cannot make:
// both import it).

// Magnitude is magnitude.
var Magnitude = magnitude

// MaxMagnitude is maxMagnitude.
const MaxMagnitude = maxMagnitude

// MaxDegree returns maxDegree.
func MaxDegree() int64 { return maxDegree }

// MaskOf, Abs and Abs64 are maskOf, abs and abs64.
var (
	MaskOf = maskOf
	Abs    = abs
	Abs64  = abs64
)

// WithVariant sets the switches of the encoding for t: unaryLimit,
// shareSelectors, dedupSelectors, splitMaxVars, maxDegree, and capRows
// (off with noCap).
func WithVariant(t *testing.T, unary int64, share, dedup bool, split int, degree int64, noCap bool) {
	oldU, oldS, oldD, oldP, oldC := unaryLimit, shareSelectors, dedupSelectors, splitMaxVars, capRows
	unaryLimit, shareSelectors, dedupSelectors, splitMaxVars, capRows = unary, share, dedup, split, !noCap
	t.Cleanup(func() {
		unaryLimit, shareSelectors, dedupSelectors, splitMaxVars, capRows = oldU, oldS, oldD, oldP, oldC
	})
	withMaxDegree(t, degree)
}

// WithCapRows sets capRows for t.
func WithCapRows(t *testing.T, on bool) {
	old := capRows
	capRows = on
	t.Cleanup(func() { capRows = old })
}

// WithEncoding is withEncoding.
var WithEncoding = withEncoding
