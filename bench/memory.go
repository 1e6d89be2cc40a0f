package bench

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// ParseMemory reads a memory size, such as Sweep.Memory, written as
// nashbench sweep --mem takes it: a number of bytes, or a number with a
// binary unit (K, M, G and T are powers of 1024, optionally followed by B
// or iB, in any case), such as 512M, 4G or 1.5GiB. Sizes below 1M or above
// 1P are refused as surely mistaken.
func ParseMemory(s string) (int64, error) {
	t := strings.TrimSuffix(strings.TrimSuffix(strings.ToUpper(strings.TrimSpace(s)), "B"), "I")
	mult := 1.0
	if t != "" {
		switch t[len(t)-1] {
		case 'K':
			mult = 1 << 10
		case 'M':
			mult = 1 << 20
		case 'G':
			mult = 1 << 30
		case 'T':
			mult = 1 << 40
		}
		if mult > 1 {
			t = t[:len(t)-1]
		}
	}
	x, err := strconv.ParseFloat(t, 64)
	if err != nil || math.IsNaN(x) || x*mult < 1<<20 || x*mult > 1<<50 {
		return 0, fmt.Errorf("%q: want a size from 1M to 1P such as 512M or 4G", s)
	}
	return int64(x * mult), nil
}

// formatMemory writes n in the largest binary unit of ParseMemory (K, M,
// G, T) that leaves at most 4 significant digits: 1073741824 is 1G.
func formatMemory(n int64) string {
	for _, u := range []struct {
		suffix string
		size   int64
	}{{"T", 1 << 40}, {"G", 1 << 30}, {"M", 1 << 20}, {"K", 1 << 10}} {
		if n >= u.size {
			return strconv.FormatFloat(float64(n)/float64(u.size), 'g', 4, 64) + u.suffix
		}
	}
	return strconv.FormatInt(n, 10)
}
