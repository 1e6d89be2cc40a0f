package history

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Suite is a named, versioned set of benchmarks: what `nashbench track`
// runs on every commit. It runs `go test -bench` in the commit's own tree,
// so a commit is measured by its own code; only the selection (pattern,
// sizes) comes from here, and package bench's BenchmarkSolve has taken it
// the same way since before d5aa1b3.
type Suite struct {
	Name    string
	Version int
	// Solvers are the built-in solvers benchmarked; Extra are external
	// ones named by the user (they need NASHBENCH_BENCH_SOLVERS).
	Solvers, Extra []string
	Ns             []int // sizes of the full suite
	QuickNs        []int // sizes of the counter half
	// GameSolvers are benchmarked by BenchmarkGames on its generated
	// race, uniform and ring games with Ks players (QuickKs in the
	// counter half); none before Version 2.
	GameSolvers []string
	Ks, QuickKs []int
	// Count and Benchtime of the full suite, for times; the counter half
	// runs each benchmark once (its counters are exact).
	Count     int
	Benchtime string
}

// Tracking is the tracking suite. Change its Version whenever what it
// measures changes, so that a history never compares two suites.
// highs-paper is left out: it takes 2-20 s per game already at n = 6.
// Version 2 added search to BenchmarkSolve and BenchmarkGames with the
// game solvers, the pairwise and top-two encodings among them; Version
// 1's benchmarks kept their names and corpus, so their history goes on.
var Tracking = Suite{
	Name:        "track",
	Version:     2,
	Solvers:     []string{"enum", "gophersat", "gophersat-pb", "highs-compact", "search"},
	GameSolvers: []string{"enum", "search", "gophersat-pb", "gophersat-pairwise", "highs-compact", "highs-pairwise", "highs-top2"},
	Ns:          []int{6, 8, 10, 12, 16, 20},
	QuickNs:     []int{6, 8, 10, 12, 16},
	Ks:          []int{8, 12, 16, 20},
	QuickKs:     []int{8, 12, 16},
	Count:       6,
	Benchtime:   "100ms",
}

// ID is the suite's name and version, as entries record it.
func (s Suite) ID() string { return s.Name + "/" + strconv.Itoa(s.Version) }

func joinInts(ns []int) string {
	var f []string
	for _, n := range ns {
		f = append(f, strconv.Itoa(n))
	}
	return strings.Join(f, ",")
}

// Command is the `go test` command line and environment of the suite
// (quick: its counter half).
func (s Suite) Command(quick bool) (args, env []string) {
	names := append(append([]string(nil), s.Solvers...), s.Extra...)
	// One pattern selects both benchmarks' solvers (-bench splits at "/"
	// only): BenchmarkSolve leaves out the game-only encodings unless
	// NASHBENCH_BENCH_SOLVERS names them, and BenchmarkGames runs only
	// game solvers.
	var quoted []string
	seen := map[string]bool{}
	for _, n := range append(append([]string(nil), names...), s.GameSolvers...) {
		if !seen[n] {
			seen[n] = true
			quoted = append(quoted, regexp.QuoteMeta(n))
		}
	}
	ns, ks, count, bt := s.Ns, s.Ks, s.Count, s.Benchtime
	if quick {
		ns, ks, count, bt = s.QuickNs, s.QuickKs, 1, "1x"
	}
	top := "^BenchmarkSolve$"
	if len(ks) > 0 && len(s.GameSolvers) > 0 {
		top = "^Benchmark(Solve|Games)$"
	}
	args = []string{"test", "-run", "^$", "-bench", top + "/^(" + strings.Join(quoted, "|") + ")$/",
		"-benchtime", bt, "-count", strconv.Itoa(count), "-timeout", "20m", "./bench"}
	env = []string{"NASHBENCH_BENCH_N=" + joinInts(ns)}
	if len(ks) > 0 && len(s.GameSolvers) > 0 {
		env = append(env, "NASHBENCH_BENCH_K="+joinInts(ks))
	}
	if len(s.Extra) > 0 {
		env = append(env, "NASHBENCH_BENCH_SOLVERS="+strings.Join(names, ","))
	}
	return args, env
}

// BenchCommand is the `go test` command that runs one benchmark (its
// name as reported, without the GOMAXPROCS suffix, e.g.
// BenchmarkSolve/highs-compact/n=6) once, for bisect.
func BenchCommand(name string) (args, env []string) {
	name = strings.TrimPrefix(name, "github.com/nashbench/nashbench/bench.")
	parts := strings.Split(name, "/")
	for i, p := range parts {
		parts[i] = "^" + regexp.QuoteMeta(p) + "$"
	}
	args = []string{"test", "-run", "^$", "-bench", strings.Join(parts, "/"), "-benchtime", "1x", "-count", "1", "-timeout", "20m", "./bench"}
	// BenchmarkSolve prepares every size before running the one asked
	// for: name the size so that it prepares only that one.
	last := parts[len(parts)-1]
	if m := regexp.MustCompile(`^\^n=([0-9]+)\$$`).FindStringSubmatch(last); m != nil && strings.HasPrefix(name, "BenchmarkSolve/") {
		env = append(env, "NASHBENCH_BENCH_N="+m[1])
	}
	if m := regexp.MustCompile(`^\^k=([0-9]+)\$$`).FindStringSubmatch(last); m != nil && strings.HasPrefix(name, "BenchmarkGames/") {
		env = append(env, "NASHBENCH_BENCH_K="+m[1])
	}
	return args, env
}

// GoTest runs `go test` with args and env in dir and returns its standard
// output; a failure returns the output's tail with the error.
func GoTest(ctx context.Context, dir string, args, env []string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("go %s in %s: %w\n%s", strings.Join(args, " "), dir, err, tail(out.String()+errb.String(), 20))
	}
	return out.Bytes(), nil
}

func tail(s string, lines int) string {
	l := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(l) > lines {
		l = l[len(l)-lines:]
	}
	return strings.Join(l, "\n")
}

// Commit is what git says of a commit.
type Commit struct {
	Hash, Subject string
	Date          time.Time
}

// Git runs git in dir and returns its trimmed output.
func Git(ctx context.Context, dir string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, "git", args...)
	cmd.Dir = dir
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("git %s: %w: %s", strings.Join(args, " "), err, strings.TrimSpace(errb.String()))
	}
	return strings.TrimSpace(out.String()), nil
}

// Describe returns the commit rev names in the repository at dir.
func Describe(ctx context.Context, dir, rev string) (Commit, error) {
	out, err := Git(ctx, dir, "show", "-s", "--format=%H%n%cI%n%s", rev+"^{commit}")
	if err != nil {
		return Commit{}, err
	}
	f := strings.SplitN(out, "\n", 3)
	if len(f) < 3 {
		f = append(f, "")
	}
	t, err := time.Parse(time.RFC3339, f[1])
	if err != nil {
		return Commit{}, fmt.Errorf("git: commit date %q: %w", f[1], err)
	}
	return Commit{Hash: f[0], Date: t, Subject: f[2]}, nil
}

// Range lists the commits of a range on its first-parent line, oldest
// first: "A..B" as git log reads it (after A, up to B), or one commit.
func Range(ctx context.Context, dir, spec string) ([]Commit, error) {
	var revs []string
	if strings.Contains(spec, "..") {
		out, err := Git(ctx, dir, "rev-list", "--first-parent", "--reverse", spec)
		if err != nil {
			return nil, err
		}
		revs = strings.Fields(out)
	} else {
		revs = []string{spec}
	}
	var cs []Commit
	for _, r := range revs {
		c, err := Describe(ctx, dir, r)
		if err != nil {
			return nil, err
		}
		cs = append(cs, c)
	}
	if len(cs) == 0 {
		return nil, fmt.Errorf("--commits %s: no commits in that range", spec)
	}
	return cs, nil
}

// Worktree checks commit out in a new git worktree under tmp and returns
// its directory and a function that removes it.
func Worktree(ctx context.Context, repo, tmp, commit string) (string, func(), error) {
	dir := filepath.Join(tmp, "wt-"+commit[:min(12, len(commit))])
	if _, err := Git(ctx, repo, "worktree", "add", "--detach", "--force", dir, commit); err != nil {
		return "", nil, err
	}
	return dir, func() {
		// A background context: the worktree goes even after a cancel.
		Git(context.Background(), repo, "worktree", "remove", "--force", dir)
	}, nil
}

// Machine names this machine in entries: the host name.
func Machine() string {
	h, err := os.Hostname()
	if err != nil || h == "" {
		return "unknown"
	}
	return h
}

// GoVersion is the version of the go command that builds in dir.
func GoVersion(ctx context.Context, dir string) (string, error) {
	cmd := exec.CommandContext(ctx, "go", "env", "GOVERSION")
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("go env GOVERSION: %w", err)
	}
	return strings.TrimSpace(string(out)), nil
}
