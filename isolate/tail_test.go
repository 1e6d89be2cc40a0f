package isolate

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// A worker killed before it wrote to stderr gets no empty quote in the
// error ("its stderr ends: ").
func TestTailEnds(t *testing.T) {
	for _, tc := range []struct{ wrote, want string }{
		{"", "it wrote nothing to stderr"},
		{"\n  \n", "it wrote nothing to stderr"},
		{"fatal error: out of memory\n", "its stderr ends: fatal error: out of memory"},
	} {
		tb := &tailBuffer{max: 64}
		_, _ = tb.Write([]byte(tc.wrote))
		assert.Equal(t, tc.want, tb.ends())
	}
}
