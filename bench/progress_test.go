package bench

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/nashbench/nashbench/record"
	"github.com/stretchr/testify/assert"
)

// The progress line says how many jobs are left and estimates the time
// left from the pace so far.
func TestProgressEstimatesTimeLeft(t *testing.T) {
	var buf bytes.Buffer
	p := newProgress(&buf, false, 4, 0)
	p.start = time.Now().Add(-10 * time.Second) // 10 s for the first job
	p.step(&record.Row{})
	p.mu.Lock()
	line := p.status()
	p.mu.Unlock()
	assert.Contains(t, line, "1/4 jobs done, 3 left, 10s elapsed, about 30s left")
	for range 3 {
		p.step(&record.Row{})
	}
	p.finish()
	out := buf.String()
	assert.True(t, strings.HasPrefix(out, "sweep: 4 jobs to run\n"), out)
	assert.Contains(t, out, "sweep: 4/4 jobs done, 0 left, ")
	assert.NotContains(t, strings.TrimSpace(out[strings.LastIndex(out, "sweep:"):]), "about", "no estimate when done")
}
