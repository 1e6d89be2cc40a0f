package instances

import (
	"bytes"
	"errors"
	"testing"

	"github.com/stretchr/testify/require"
)

// FuzzReadDIMACS checks that ReadDIMACS never panics, fails only with a
// *ParseError, and accepts only formulas WriteDIMACS writes back to the same
// formula.
func FuzzReadDIMACS(f *testing.F) {
	for _, seed := range []string{
		"",
		"p cnf 3 2\n1 -2 0\n2 3 -1 0\n",
		"c comment\r\np cnf 3 2\r\n1 -2 0 2\r\n3 -1 0\r\n",
		"p\tcnf 3 3\n\t1 -2 0 0\n-3 0\n%\n0\n",
		"p cnf 0 1\n0\n",
		"p cnf 3 1\n1 2\n",
		"p cnf 10000000 50000000\n1 0\n",
		"p cnf 2 1\n-0 1 002 0\n",
		"p cnf 3 2\n1 99999999999999999999 0\n",
		"p cnf 3 1\np cnf 3 1\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		g, err := ReadDIMACS(bytes.NewReader(in), "fuzz", Limits{})
		if err != nil {
			var pe *ParseError
			require.True(t, errors.As(err, &pe), "error %v is not a *ParseError", err)
			require.Nil(t, g)
			return
		}
		require.NoError(t, g.Validate())
		var out bytes.Buffer
		require.NoError(t, WriteDIMACS(&out, g, "fuzz"))
		h, err := ReadDIMACS(bytes.NewReader(out.Bytes()), "rewritten", Limits{})
		require.NoError(t, err, "written:\n%s", out.String())
		require.Equal(t, g, h)
		var again bytes.Buffer
		require.NoError(t, WriteDIMACS(&again, h, "fuzz"))
		require.Equal(t, out.String(), again.String())
	})
}
