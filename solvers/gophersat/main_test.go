package gophersat

import (
	"os"
	"testing"

	"github.com/nashbench/nashbench/isolate"
)

// TestMain lets the test binary serve as the worker that timed solves run
// in (isolate starts the running executable).
func TestMain(m *testing.M) {
	isolate.Serve()
	os.Exit(m.Run())
}
