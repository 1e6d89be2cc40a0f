package external

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBuildOf(t *testing.T) {
	_, ok := BuildOf(context.Background(), nil, true)
	assert.False(t, ok, "not an external solver")
	d := Definition{Name: "gone", Input: "cnf", Command: []string{"nashbench-no-such-program", "{input}"}, Output: "sat", source: "defs.json"}
	b, ok := BuildOf(context.Background(), New(d), false)
	require.True(t, ok)
	assert.Equal(t, Program{}, b.Program, "the definition alone")
	b, ok = BuildOf(context.Background(), New(d), true)
	require.True(t, ok)
	assert.Equal(t, "missing: nashbench-no-such-program not in PATH", b.Missing)
	assert.Empty(t, b.Path)
	assert.Empty(t, b.SHA256)
	assert.True(t, len(b.Source) > len("defs.json") && b.Source[0] == '/', "an absolute path: %s", b.Source)
}

func TestBuildDiff(t *testing.T) {
	base := Build{Definition: Definition{Name: "x", Input: "cnf", Command: []string{"x", "{input}"}, Output: "sat"},
		Source: "/a.json", Program: Program{Path: "/usr/bin/x", SHA256: "aa", Version: "1"}}
	for _, tc := range []struct {
		name                string
		change              func(*Build)
		field, mine, theirs string
	}{
		{name: "same", change: func(*Build) {}},
		{name: "source, path and version do not count", change: func(b *Build) { b.Source, b.Path, b.Version = "shipped", "/opt/x", "2" }},
		{name: "binary", change: func(b *Build) { b.SHA256 = "bb" }, field: "program sha256", mine: "aa", theirs: "bb"},
		{name: "missing", change: func(b *Build) { b.SHA256, b.Missing = "", "missing: x not in PATH" },
			field: "program sha256", mine: "aa", theirs: "(none: missing: x not in PATH)"},
		{name: "command", change: func(b *Build) { b.Definition.Command = []string{"x", "-q", "{input}"} },
			field: "definition field command", mine: `["x","{input}"]`, theirs: `["x","-q","{input}"]`},
		{name: "added field", change: func(b *Build) { b.Definition.CertifyCommand = []string{"x", "{input}", "{proof}"} },
			field: "definition field certify_command", mine: "(none)", theirs: `["x","{input}","{proof}"]`},
		{name: "description and version reading do not count", change: func(b *Build) {
			b.Definition.Description, b.Definition.Version, b.Definition.VersionPattern = "another text", []string{"x", "--help"}, "v(.*)"
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := base
			o.Definition.Command = append([]string(nil), base.Definition.Command...)
			tc.change(&o)
			field, mine, theirs := base.Diff(&o)
			assert.Equal(t, tc.field, field)
			assert.Equal(t, tc.mine, mine)
			assert.Equal(t, tc.theirs, theirs)
		})
	}
}
