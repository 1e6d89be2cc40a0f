package solvers_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nashbench/nashbench/solvers"
	_ "github.com/nashbench/nashbench/solvers/enum"
)

func ExampleList() {
	for _, s := range solvers.List(context.Background()) {
		if s.Name == "enum" {
			fmt.Printf("%s: %s solver of a %s, status %s\n", s.Name, s.Kind, s.Input, s.Status)
		}
	}
	// Output:
	// enum: built-in solver of a game, status ok
}

// The solvers of TestList, registered once (the registry refuses a name
// twice, and tests may run more than once).
func init() {
	solvers.Register("list-test-missing", func() solvers.Solver { return listed{} })
	solvers.Register("list-test-plain", func() solvers.Solver { return undescribed{} })
}

// listedClosed counts the closes of listed solvers.
var listedClosed atomic.Int32

// listed is a solver that describes itself as missing.
type listed struct{}

func (listed) Solve(context.Context, *solvers.Problem, solvers.Options) (*solvers.Result, error) {
	return nil, errors.New("not for solving")
}

func (listed) Describe(context.Context) solvers.Description {
	return solvers.Description{Input: "opb", Version: "2.0", Missing: "missing: listed-test not in PATH", Certifies: true}
}

func (listed) Close() error {
	listedClosed.Add(1)
	return nil
}

// undescribed is a solver with no Describe method.
type undescribed struct{}

func (undescribed) Solve(context.Context, *solvers.Problem, solvers.Options) (*solvers.Result, error) {
	return nil, errors.New("not for solving")
}

func TestList(t *testing.T) {
	closed := listedClosed.Load()
	infos := map[string]solvers.Info{}
	var order []string
	for _, in := range solvers.List(context.Background()) {
		infos[in.Name] = in
		order = append(order, in.Name)
	}
	assert.Equal(t, solvers.Names(), order, "in the order of Names")
	assert.Equal(t, closed+1, listedClosed.Load(), "the solver made to describe it is closed")
	tests := []struct {
		name string
		want solvers.Info
		json string
	}{
		{"enum", solvers.Info{Name: "enum", Kind: "built-in", Input: "game", Status: "ok"},
			`{"name":"enum","kind":"built-in","input":"game","status":"ok"}`},
		{"list-test-missing", solvers.Info{Name: "list-test-missing", Kind: "built-in", Input: "opb", Version: "2.0", Status: "missing: listed-test not in PATH", Certifies: true},
			`{"name":"list-test-missing","kind":"built-in","input":"opb","version":"2.0","status":"missing: listed-test not in PATH","certifies":true}`},
		{"list-test-plain", solvers.Info{Name: "list-test-plain", Kind: "built-in", Status: "ok"},
			`{"name":"list-test-plain","kind":"built-in","input":"","status":"ok"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in, ok := infos[tt.name]
			require.True(t, ok, "listed")
			assert.Equal(t, tt.want, in)
			b, err := json.Marshal(in)
			require.NoError(t, err)
			assert.JSONEq(t, tt.json, string(b), "as nashbench solvers --json writes it")
		})
	}
}

// The table names a user's definitions file beside the kind, marks the
// solvers that certify, and shows a missing version as "-".
func TestWriteTable(t *testing.T) {
	var b strings.Builder
	require.NoError(t, solvers.WriteTable(&b, []solvers.Info{
		{Name: "enum", Kind: "built-in", Input: "game", Version: "v1", Status: "ok"},
		{Name: "cadical", Kind: "external", Input: "cnf", Status: "ok", Certifies: true, Source: solvers.ShippedSource},
		{Name: "mine", Kind: "external", Input: "pb", Version: " ", Status: "missing: mine", Source: "/etc/solvers.json"},
	}))
	assert.Equal(t, strings.Join([]string{
		"NAME     KIND                          INPUT        VERSION  STATUS",
		"enum     built-in                      game         v1       ok",
		"cadical  external                      cnf, proofs  -        ok",
		"mine     external (/etc/solvers.json)  pb           -        missing: mine",
		"",
	}, "\n"), b.String())
}
