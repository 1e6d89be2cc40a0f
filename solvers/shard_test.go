package solvers

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestShard(t *testing.T) {
	tests := []struct {
		s     Shard
		whole bool
		str   string
		ok    bool
	}{
		{Shard{}, true, "1/1", true},
		{Shard{Index: 0, Count: 1}, true, "1/1", true},
		{Shard{Index: 2, Count: 3}, false, "3/3", true},
		{Shard{Index: 3, Count: 3}, false, "4/3", false},
		{Shard{Index: -1, Count: 2}, false, "0/2", false},
		{Shard{Index: 1}, true, "2/1", false},
		{Shard{Count: -2}, true, "1/1", false},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.whole, tt.s.Whole(), "%+v", tt.s)
		assert.Equal(t, tt.str, tt.s.String(), "%+v", tt.s)
		assert.Equal(t, tt.ok, tt.s.Check() == nil, "%+v", tt.s)
	}
}
