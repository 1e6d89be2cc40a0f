package testtool

import (
	"fmt"
	"os/exec"
	"testing"

	"github.com/stretchr/testify/assert"
)

// recorder is a testing.TB that records how a test ended instead of
// ending it.
type recorder struct {
	testing.TB
	logs, skipped, failed string
}

type ended struct{}

func (r *recorder) Helper()                   {}
func (r *recorder) Logf(f string, a ...any)   { r.logs = fmt.Sprintf(f, a...) }
func (r *recorder) Skipf(f string, a ...any)  { r.skipped = fmt.Sprintf(f, a...); panic(ended{}) }
func (r *recorder) Fatalf(f string, a ...any) { r.failed = fmt.Sprintf(f, a...); panic(ended{}) }

// run calls f with a recorder and returns it once f returns or ends the
// test.
func run(t *testing.T, f func(tb testing.TB)) *recorder {
	r := &recorder{TB: t}
	func() {
		defer func() {
			if v := recover(); v != nil {
				if _, ok := v.(ended); !ok {
					panic(v)
				}
			}
		}()
		f(r)
	}()
	return r
}

const missing = "nashbench-no-such-program"

func TestNeedMissingFails(t *testing.T) {
	t.Setenv(NoExternal, "")
	r := run(t, func(tb testing.TB) { Need(tb, missing) })
	assert.Equal(t, missing+" not found in PATH: install it (put it in PATH), or set NASHBENCH_NO_EXTERNAL=1 to skip", r.failed)
	assert.Empty(t, r.skipped)

	r = run(t, func(tb testing.TB) { Need(tb, "minisat+") })
	if _, err := exec.LookPath("minisat+"); err != nil {
		assert.Contains(t, r.failed, "apt-get install -y minisat+, or run scripts/test")
	}
}

func TestNeedMissingSkipsWithNoExternal(t *testing.T) {
	t.Setenv(NoExternal, "1")
	r := run(t, func(tb testing.TB) { Need(tb, missing) })
	assert.Empty(t, r.failed)
	assert.Equal(t, missing+" not found in PATH: install it (put it in PATH); NASHBENCH_NO_EXTERNAL=1", r.skipped)

	have := "unset"
	r = run(t, func(tb testing.TB) { have = Have(tb, missing) })
	assert.Empty(t, have)
	assert.Empty(t, r.failed)
	assert.Empty(t, r.skipped)
	assert.Contains(t, r.logs, "NASHBENCH_NO_EXTERNAL=1: left out")
}

func TestHaveMissingFails(t *testing.T) {
	t.Setenv(NoExternal, "")
	r := run(t, func(tb testing.TB) { Have(tb, missing) })
	assert.Contains(t, r.failed, "or set NASHBENCH_NO_EXTERNAL=1 to leave it out")
}

// A program that is there is used whatever NASHBENCH_NO_EXTERNAL says.
func TestNeedPresent(t *testing.T) {
	want, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go in PATH to find")
	}
	for _, v := range []string{"", "1"} {
		t.Setenv(NoExternal, v)
		var got string
		r := run(t, func(tb testing.TB) { got = Need(tb, "go") })
		assert.Equal(t, want, got)
		assert.Empty(t, r.failed+r.skipped)
		assert.Equal(t, want, Have(t, "go"))
	}
}
