package bench

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseMemory(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		err  bool
	}{
		{"512M", 512 << 20, false},
		{"4G", 4 << 30, false},
		{"1.5GiB", 3 << 29, false},
		{"2g", 2 << 30, false},
		{" 1tb ", 1 << 40, false},
		{"1048576", 1 << 20, false},
		{"abc", 0, true},
		{"10K", 0, true}, // below 1M: surely a mistake
		{"2000T", 0, true},
		{"-1G", 0, true},
		{"NaN", 0, true},
		{"", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseMemory(tt.in)
			if tt.err {
				assert.ErrorContains(t, err, "want a size from 1M to 1P")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestFormatMemory(t *testing.T) {
	tests := []struct {
		in   int64
		want string
	}{
		{3 << 29, "1.5G"},
		{512 << 20, "512M"},
		{1 << 40, "1T"},
		{1536, "1.5K"},
		{1000, "1000"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			assert.Equal(t, tt.want, formatMemory(tt.in))
			if tt.in >= 1<<20 {
				back, err := ParseMemory(tt.want)
				require.NoError(t, err)
				assert.Equal(t, tt.in, back, "ParseMemory reads it back")
			}
		})
	}
}
