package shell

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWords(t *testing.T) {
	tests := []struct {
		in   string
		want []string
		err  string
	}{
		{"", nil, ""},
		{"  -p  long\t--time=1:00:00 ", []string{"-p", "long", "--time=1:00:00"}, ""},
		{`--comment='a b' --x="c \"d\" \$e" f\ g`, []string{"--comment=a b", `--x=c "d" $e`, "f g"}, ""},
		{`''`, []string{""}, ""},
		{`--a='b`, nil, "unterminated '"},
		{`--a="b`, nil, `unterminated "`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := Words(tt.in)
			if tt.err != "" {
				assert.ErrorContains(t, err, tt.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestQuote(t *testing.T) {
	for in, want := range map[string]string{
		"/a/b-c_d.e": "/a/b-c_d.e",
		"a b":        "'a b'",
		"it's":       `'it'\''s'`,
		"":           "''",
		"$HOME":      "'$HOME'",
	} {
		assert.Equal(t, want, Quote(in), in)
	}
}
