package bench

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

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
		})
	}
}
