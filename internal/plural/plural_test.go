package plural

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestCount(t *testing.T) {
	for _, tt := range []struct {
		n    int
		want string
	}{
		{0, "0 entries"},
		{1, "1 entry"},
		{-1, "-1 entry"},
		{2, "2 entries"},
		{11, "11 entries"},
	} {
		assert.Equal(t, tt.want, Count(tt.n, "entry", "entries"))
	}
}
