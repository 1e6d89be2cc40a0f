package history

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var t0 = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)

// point is one entry to write: a commit's counters and times.
type point struct {
	commit  string
	machine string
	dirty   bool
	columns []float64 // BenchmarkSolve/highs-compact/n=6 columns/op, one per sample
	ns      []float64 // its ns/op
	version string    // gophersat's version
}

// writeHistory writes one entry per point, a day apart, and loads them.
func writeHistory(t *testing.T, dir string, ps ...point) []*Entry {
	t.Helper()
	for i, p := range ps {
		var b strings.Builder
		v := p.version
		if v == "" {
			v = "v1.4.0"
		}
		fmt.Fprintf(&b, "gophersat: %s\npkg: github.com/nashbench/nashbench/bench\nPASS\n", v)
		for j, c := range p.columns {
			ns := 1e6
			if j < len(p.ns) {
				ns = p.ns[j]
			}
			fmt.Fprintf(&b, "BenchmarkSolve/highs-compact/n=6-2 \t 1\t %.0f ns/op\t %g columns/op\n", ns, c)
		}
		m := p.machine
		if m == "" {
			m = "ci"
		}
		commit := strings.Repeat(p.commit, 40)[:40]
		_, err := Write(dir, Header{Commit: commit, Subject: "commit " + p.commit, Date: t0.Add(time.Duration(i) * 24 * time.Hour),
			RunDate: t0.Add(time.Duration(i)*24*time.Hour + time.Hour), Machine: m, Dirty: p.dirty, Suite: "track/1", Mode: "quick"}, []byte(b.String()))
		require.NoError(t, err)
	}
	es, _, err := Load(dir)
	require.NoError(t, err)
	return es
}

// raw is the go test output of one quick run with this many columns.
func raw(columns int) []byte {
	return fmt.Appendf(nil, "pkg: github.com/nashbench/nashbench/bench\nBenchmarkSolve/highs-compact/n=6-2 1 100 ns/op %d columns/op\n", columns)
}

func find(t *testing.T, r *Report, unit string) Finding {
	t.Helper()
	for _, f := range r.Findings {
		if f.Unit == unit {
			return f
		}
	}
	t.Fatalf("no finding for %s", unit)
	return Finding{}
}

func TestRegressCounters(t *testing.T) {
	tests := []struct {
		name   string
		points []point
		kind   Kind
		old    float64
	}{
		{"unchanged", []point{{commit: "a", columns: []float64{28}}, {commit: "b", columns: []float64{28}}}, Same, 28},
		{"the 67x regression", []point{{commit: "a", columns: []float64{28}}, {commit: "b", columns: []float64{28}}, {commit: "c", columns: []float64{871}}}, Regression, 28},
		{"within the threshold", []point{{commit: "a", columns: []float64{1000}}, {commit: "b", columns: []float64{1009}}}, Same, 1000},
		{"an improvement does not fail", []point{{commit: "a", columns: []float64{871}}, {commit: "b", columns: []float64{28}}}, Improvement, 871},
		// A regression stays one until fixed or accepted: the window's
		// best, not the previous entry, is the reference.
		{"still regressed a commit later", []point{{commit: "a", columns: []float64{28}}, {commit: "b", columns: []float64{871}}, {commit: "c", columns: []float64{871}}}, Regression, 28},
		{"an improvement lost again", []point{{commit: "a", columns: []float64{40}}, {commit: "b", columns: []float64{28}}, {commit: "c", columns: []float64{40}}}, Regression, 28},
		{"beyond the window", []point{{commit: "a", columns: []float64{28}}, {commit: "b", columns: []float64{871}}, {commit: "c", columns: []float64{871}},
			{commit: "d", columns: []float64{871}}, {commit: "e", columns: []float64{871}}, {commit: "f", columns: []float64{871}}, {commit: "g", columns: []float64{871}}}, Same, 871},
		{"counters compare across machines", []point{{commit: "a", machine: "laptop", columns: []float64{28}}, {commit: "b", machine: "ci", columns: []float64{871}}}, Regression, 28},
		{"dirty entries are never in a window", []point{{commit: "a", columns: []float64{28}}, {commit: "a", dirty: true, columns: []float64{20}}, {commit: "b", columns: []float64{28}}}, Same, 28},
		{"a counter that varies within a run", []point{{commit: "a", columns: []float64{28}}, {commit: "b", columns: []float64{28, 30}}}, Warning, 28},
		{"nothing earlier", []point{{commit: "a", columns: []float64{28}}}, New, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			es := writeHistory(t, t.TempDir(), tt.points...)
			r, err := Regress(es, nil, Defaults)
			require.NoError(t, err)
			f := find(t, r, "columns/op")
			assert.Equal(t, tt.kind, f.Kind, "%+v", f)
			assert.Equal(t, tt.old, f.Old)
			assert.Equal(t, tt.kind == Regression, r.Regressions() == 1)
		})
	}
}

func TestRegressNamesTheChange(t *testing.T) {
	es := writeHistory(t, t.TempDir(), point{commit: "a", columns: []float64{28}}, point{commit: "b", columns: []float64{28}},
		point{commit: "c", columns: []float64{871}}, point{commit: "d", columns: []float64{871}})
	r, err := Regress(es, nil, Defaults)
	require.NoError(t, err)
	f := find(t, r, "columns/op")
	require.Equal(t, Regression, f.Kind)
	assert.Equal(t, "bbbbbbb", f.From.Short())
	require.Len(t, f.Between, 1)
	assert.Equal(t, "ccccccc", f.Between[0].Short())
	var out strings.Builder
	require.NoError(t, r.Write(&out, false))
	assert.Contains(t, out.String(), "REGRESSION BenchmarkSolve/highs-compact/n=6 columns/op: 28 -> 871 (+3010.7%) since bbbbbbb")
	assert.Contains(t, out.String(), "in ccccccc commit c")
	assert.Contains(t, out.String(), "in ddddddd commit d")
}

func TestRegressTimes(t *testing.T) {
	slow := []float64{2e6, 2.1e6, 1.9e6, 2e6, 2.05e6, 1.95e6}
	fast := []float64{1e6, 1.05e6, 0.95e6, 1e6, 1.02e6, 0.98e6}
	cols := []float64{28, 28, 28, 28, 28, 28}
	tests := []struct {
		name   string
		points []point
		kind   Kind
	}{
		{"slower on one machine", []point{{commit: "a", columns: cols, ns: fast}, {commit: "b", columns: cols, ns: slow}}, Regression},
		{"faster", []point{{commit: "a", columns: cols, ns: slow}, {commit: "b", columns: cols, ns: fast}}, Improvement},
		// Times of another machine are not compared.
		{"slower than another machine", []point{{commit: "a", machine: "fast", columns: cols, ns: fast}, {commit: "b", columns: cols, ns: slow}}, New},
		{"one sample each", []point{{commit: "a", columns: []float64{28}, ns: []float64{1e6}}, {commit: "b", columns: []float64{28}, ns: []float64{2e6}}}, Warning},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			es := writeHistory(t, t.TempDir(), tt.points...)
			r, err := Regress(es, nil, Defaults)
			require.NoError(t, err)
			assert.Equal(t, tt.kind, find(t, r, "ns/op").Kind)
			assert.Equal(t, Same, find(t, r, "columns/op").Kind)
		})
	}
}

// The workflow: a change regresses a counter on purpose; regress --accept
// records it with its reason on the dirty tree; the commit that carries
// the change (and the accept file) passes the gate, and so do the commits
// after it, measured against the new value.
func TestAccept(t *testing.T) {
	dir := t.TempDir()
	es := writeHistory(t, dir, point{commit: "a", columns: []float64{28}}, point{commit: "b", columns: []float64{28}})
	// The change on b's working tree: the entry of a dirty tree.
	_, err := Write(dir, Header{Commit: es[1].Commit, Subject: es[1].Subject, Date: es[1].Date, RunDate: es[1].RunDate.Add(time.Hour),
		Machine: "ci", Dirty: true, Suite: "track/1"}, raw(40))
	require.NoError(t, err)
	es, as, err := Load(dir)
	require.NoError(t, err)
	r, err := Regress(es, as, Defaults)
	require.NoError(t, err)
	require.Equal(t, 1, r.Regressions())
	a, err := AcceptRegressions(dir, r, "  columns for a stronger\nrelaxation ")
	require.NoError(t, err)
	assert.Equal(t, "columns for a stronger relaxation", a.Reason)
	assert.Equal(t, []Change{{Benchmark: "github.com/nashbench/nashbench/bench.BenchmarkSolve/highs-compact/n=6", Unit: "columns/op", Old: 28, New: 40}}, a.Changes)

	// The dirty entry itself now passes...
	es, as, err = Load(dir)
	require.NoError(t, err)
	require.Len(t, as, 1)
	r, err = Regress(es, as, Defaults)
	require.NoError(t, err)
	assert.Zero(t, r.Regressions())
	// ...and so does the commit that carries the change, and the next.
	os.Remove(filepath.Join(dir, es[len(es)-1].File))
	for i, c := range []string{"c", "d"} {
		_, err = Write(dir, Header{Commit: strings.Repeat(c, 40), Subject: c, Date: t0.Add(time.Duration(2+i) * 24 * time.Hour), Machine: "ci", Suite: "track/1"},
			raw(40))
		require.NoError(t, err)
		es, as, err = Load(dir)
		require.NoError(t, err)
		r, err = Regress(es, as, Defaults)
		require.NoError(t, err)
		assert.Zero(t, r.Regressions(), "commit %s", c)
		f := find(t, r, "columns/op")
		if i == 0 {
			assert.Equal(t, Accepted, f.Kind)
			var out strings.Builder
			require.NoError(t, r.Write(&out, false))
			assert.Contains(t, out.String(), "accepted: BenchmarkSolve/highs-compact/n=6 columns/op: columns for a stronger relaxation")
		} else {
			assert.Equal(t, Same, f.Kind)
			assert.Contains(t, f.Note, "columns for a stronger relaxation")
		}
	}
	// A later growth is a regression again, against the new value.
	_, err = Write(dir, Header{Commit: strings.Repeat("e", 40), Subject: "e", Date: t0.Add(5 * 24 * time.Hour), Machine: "ci", Suite: "track/1"},
		raw(50))
	require.NoError(t, err)
	es, as, err = Load(dir)
	require.NoError(t, err)
	r, err = Regress(es, as, Defaults)
	require.NoError(t, err)
	f := find(t, r, "columns/op")
	assert.Equal(t, Regression, f.Kind)
	assert.Equal(t, 40.0, f.Old)

	_, err = AcceptRegressions(dir, &Report{Newest: es[0]}, "nothing")
	assert.ErrorContains(t, err, "nothing to accept")
	_, err = AcceptRegressions(dir, r, "  ")
	assert.ErrorContains(t, err, "needs a reason")
}

// Two builds of one solver on the same commit are two entries, ordered as
// they ran: regress compares the versions as it compares commits.
func TestSolverVersions(t *testing.T) {
	dir := t.TempDir()
	es := writeHistory(t, dir, point{commit: "a", columns: []float64{28}, version: "v1.4.0"})
	_, err := Write(dir, Header{Commit: es[0].Commit, Subject: es[0].Subject, Date: es[0].Date, RunDate: es[0].RunDate.Add(time.Hour), Machine: "ci", Suite: "track/1"},
		append([]byte("gophersat: v1.5.0\n"), raw(30)...))
	require.NoError(t, err)
	es, _, err = Load(dir)
	require.NoError(t, err)
	require.Len(t, es, 2)
	assert.NotEqual(t, es[0].File, es[1].File)
	assert.Equal(t, "v1.5.0", es[1].Versions["gophersat"])
	assert.Equal(t, "aaaaaaa gophersat=v1.5.0", es[1].Label("gophersat"))
	r, err := Regress(es, nil, Defaults)
	require.NoError(t, err)
	f := find(t, r, "columns/op")
	assert.Equal(t, Regression, f.Kind)
	assert.Equal(t, "v1.4.0", f.From.Versions["gophersat"])
}

func TestBadFiles(t *testing.T) {
	tests := []struct{ name, file, content, err string }{
		{"no header", "x.txt", "BenchmarkX-2 1 100 ns/op\n", "x.txt: not a history entry: no commit or commit-date line"},
		{"bad date", "x.txt", "commit: abc\ncommit-date: yesterday\nmachine: m\nBenchmarkX-2 1 100 ns/op\n", `x.txt:2: commit-date: "yesterday" is not an RFC 3339 time`},
		{"no results", "x.txt", "commit: abc\n", "no benchmark results"},
		{"accept without reason", "accept-x.txt", "cut: 2026-12-01T00:00:00Z\nchange: B x/op 1 2\n", "accept-x.txt: an accepted change needs reason, cut and change lines"},
		{"accept with a bad change", "accept-x.txt", "reason: r\ncut: 2026-12-01T00:00:00Z\nchange: B x/op 1\n", "accept-x.txt:3: change: want benchmark, unit, old and new value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			require.NoError(t, os.WriteFile(filepath.Join(dir, tt.file), []byte(tt.content), 0o666))
			_, _, err := Load(dir)
			assert.ErrorContains(t, err, tt.err)
		})
	}
	_, _, err := Load(filepath.Join(t.TempDir(), "none"))
	assert.ErrorContains(t, err, "no such file")
	_, err = Write(t.TempDir(), Header{Commit: "abc", Date: t0, Machine: "m"}, []byte("PASS\nok x 1s\n"))
	assert.ErrorContains(t, err, "no benchmark results")
}

func TestSuiteCommand(t *testing.T) {
	args, env := Tracking.Command(true)
	assert.Equal(t, []string{"test", "-run", "^$", "-bench", "^Benchmark(Solve|Games)$/^(enum|gophersat|gophersat-pb|highs-compact|search|gophersat-pairwise|highs-pairwise|highs-top2)$/", "-benchtime", "1x", "-count", "1", "-timeout", "20m", "./bench"}, args)
	assert.Equal(t, []string{"NASHBENCH_BENCH_N=6,8,10,12,16", "NASHBENCH_BENCH_K=8,12,16"}, env)
	s := Tracking
	s.Extra = []string{"minisat+"}
	args, env = s.Command(false)
	assert.Contains(t, args, "^Benchmark(Solve|Games)$/^(enum|gophersat|gophersat-pb|highs-compact|search|minisat\\+|gophersat-pairwise|highs-pairwise|highs-top2)$/")
	assert.Contains(t, env, "NASHBENCH_BENCH_SOLVERS=enum,gophersat,gophersat-pb,highs-compact,search,minisat+")
	assert.Contains(t, env, "NASHBENCH_BENCH_K=8,12,16,20")
	// Version 1's suite: BenchmarkSolve alone, as older entries ran it.
	s = Suite{Name: "track", Version: 1, Solvers: []string{"enum"}, QuickNs: []int{6}}
	args, env = s.Command(true)
	assert.Contains(t, args, "^BenchmarkSolve$/^(enum)$/")
	assert.Equal(t, []string{"NASHBENCH_BENCH_N=6"}, env)
	args, env = BenchCommand("github.com/nashbench/nashbench/bench.BenchmarkSolve/highs-compact/n=6")
	assert.Contains(t, args, "^BenchmarkSolve$/^highs-compact$/^n=6$")
	assert.Equal(t, []string{"NASHBENCH_BENCH_N=6"}, env)
	args, env = BenchCommand("BenchmarkGames/search/ring/k=16")
	assert.Contains(t, args, "^BenchmarkGames$/^search$/^ring$/^k=16$")
	assert.Equal(t, []string{"NASHBENCH_BENCH_K=16"}, env)
}

// A benchmark the window has and the newest entry lacks is named, unless
// the newest is a quick entry (the counter half runs fewer sizes).
func TestMissing(t *testing.T) {
	for _, mode := range []string{"quick", "full"} {
		t.Run(mode, func(t *testing.T) {
			dir := t.TempDir()
			both := "pkg: github.com/nashbench/nashbench/bench\nBenchmarkSolve/enum/n=6-2 1 100 ns/op 61 profiles/op\nBenchmarkSolve/enum/n=20-2 1 100 ns/op 999 profiles/op\n"
			_, err := Write(dir, Header{Commit: strings.Repeat("a", 40), Date: t0, Machine: "m", Suite: "track/1", Mode: "full"}, []byte(both))
			require.NoError(t, err)
			_, err = Write(dir, Header{Commit: strings.Repeat("b", 40), Date: t0.Add(time.Hour), Machine: "m", Suite: "track/1", Mode: mode},
				[]byte("pkg: github.com/nashbench/nashbench/bench\nBenchmarkSolve/enum/n=6-2 1 100 ns/op 61 profiles/op\n"))
			require.NoError(t, err)
			es, _, err := Load(dir)
			require.NoError(t, err)
			r, err := Regress(es, nil, Defaults)
			require.NoError(t, err)
			if mode == "quick" {
				assert.Empty(t, r.Missing)
			} else {
				assert.Equal(t, []string{"github.com/nashbench/nashbench/bench.BenchmarkSolve/enum/n=20"}, r.Missing)
			}
		})
	}
}
