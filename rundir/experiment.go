package rundir

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/nashbench/nashbench/instances"
	"github.com/nashbench/nashbench/internal/atomicfile"
	"github.com/nashbench/nashbench/internal/plural"
	"github.com/nashbench/nashbench/record"
	"github.com/nashbench/nashbench/reduction"
	"github.com/nashbench/nashbench/solvers"
)

// Experiment is what defines a sweep's rows, as run.json records it: two
// sweeps with equal Experiments (and the same code) give the same answers.
// For a corpus sweep the fields of generated instances are zero; for a
// game sweep those of formulas (sizes, ratios, k, planted).
type Experiment struct {
	// Generated instances: Count per (n, ratio) point, of K-SAT, drawn
	// with Seed (instance i of a point from PCG(Seed, i)).
	Sizes   []int     `json:"sizes"`
	Ratios  []float64 `json:"ratios"`
	Count   int       `json:"count"`
	K       int       `json:"k"`
	Seed    uint64    `json:"seed"`
	Planted bool      `json:"planted"`
	// Corpus, when set, replaces the generated instances by the .cnf files
	// below this directory.
	Corpus string `json:"corpus"`
	// Game, when set, replaces the formulas by generated games of this
	// family (instances.GameFamilies, with the family's default ranges):
	// Count games for each number of players in Players, drawn with Seed
	// (game i of a size from PCG(Seed, i)). Absent in older run.json
	// files, which ran formulas.
	Game    string   `json:"game,omitempty"`
	Players []int    `json:"players,omitempty"`
	Solvers []string `json:"solvers"`
	// Timeout limits each job; 0 for none.
	Timeout   Duration          `json:"timeout_seconds"`
	Reduction reduction.Variant `json:"reduction"`
	// Memory caps each job's memory in bytes, with the processes it
	// starts; 0 (absent) for none. A job that hits it is a memout.
	Memory int64 `json:"memory_bytes,omitempty"`
	// Certify says that solvers were asked for proofs of negative answers
	// (--certify); absent in older run.json files, which did not.
	Certify bool `json:"certify,omitempty"`
	// CheckLimit bounds the exhaustive check of negative answers: 0 (absent
	// in older run.json files) is the default limit, a negative value
	// turns the checks off.
	CheckLimit Duration `json:"check_limit_seconds,omitempty"`
}

// Duration is a time.Duration that JSON holds as seconds.
type Duration time.Duration

// MarshalJSON writes d in seconds.
func (d Duration) MarshalJSON() ([]byte, error) {
	return strconv.AppendFloat(nil, time.Duration(d).Seconds(), 'g', -1, 64), nil
}

// UnmarshalJSON reads seconds.
func (d *Duration) UnmarshalJSON(b []byte) error {
	x, err := strconv.ParseFloat(string(b), 64)
	if err != nil || math.IsNaN(x) || math.Abs(x) > math.MaxInt64/1e9 {
		return fmt.Errorf("%s: want a number of seconds", b)
	}
	*d = Duration(math.Round(x * 1e9))
	return nil
}

func (d Duration) String() string { return time.Duration(d).String() }

// Validate checks the experiment's parameters.
func (e *Experiment) Validate() error {
	switch {
	case len(e.Solvers) == 0:
		return errors.New("no solvers")
	case e.Timeout < 0:
		return errors.New("negative timeout")
	case e.Memory < 0:
		return errors.New("negative memory limit")
	}
	// A repeated solver or size would run its jobs twice and count them
	// twice in the summary.
	for i, name := range e.Solvers {
		sv, err := solvers.New(name)
		if err != nil {
			return err
		}
		// A solver of formulas would refuse every game.
		if d, ok := sv.(solvers.Describer); ok && e.Game != "" && d.Describe(context.Background()).Input == "formula" {
			return fmt.Errorf("%s reads formulas, not games: a game sweep takes game solvers", name)
		}
		if slices.Contains(e.Solvers[:i], name) {
			return fmt.Errorf("solver %s is given twice", name)
		}
	}
	if e.Game != "" {
		return e.validateGames()
	}
	if len(e.Players) > 0 {
		return errors.New("players are for game sweeps: give a game family, or sizes and ratios for formulas")
	}
	if e.Corpus != "" {
		return nil
	}
	switch {
	case len(e.Sizes) == 0 || len(e.Ratios) == 0:
		return errors.New("no sizes or ratios")
	case e.Count < 1 || e.Count > 100000:
		return fmt.Errorf("count %d: want 1..100000 instances per point", e.Count)
	}
	for _, r := range e.Ratios {
		if math.IsNaN(r) || math.IsInf(r, 0) || r < 0 || r > 1000 {
			return fmt.Errorf("ratio %v: want a number in 0..1000", r)
		}
	}
	for i, n := range e.Sizes {
		if slices.Contains(e.Sizes[:i], n) {
			return fmt.Errorf("size n=%d is given twice", n)
		}
		seen := map[int]float64{} // m -> ratio: two ratios giving one m are one point
		for _, r := range e.Ratios {
			spec := instances.Spec{N: n, M: instances.ClausesForRatio(n, r), K: e.K}
			if err := spec.Validate(); err != nil {
				return fmt.Errorf("n=%d ratio=%v: %w", n, r, err)
			}
			if r0, dup := seen[spec.M]; dup && r0 == r {
				return fmt.Errorf("ratio %v is given twice", r)
			} else if dup {
				return fmt.Errorf("at n=%d the ratios %v and %v both give %s: give distinct points", n, r0, r, plural.Count(spec.M, "clause", "clauses"))
			}
			seen[spec.M] = r
		}
	}
	return nil
}

// validateGames checks a game experiment: a family and sizes that
// instances.GameSpec can draw, and none of the formulas' parameters.
func (e *Experiment) validateGames() error {
	switch {
	case e.Corpus != "":
		return errors.New("a game sweep generates its games: it takes no corpus")
	case len(e.Sizes) > 0 || len(e.Ratios) > 0:
		return errors.New("a game sweep takes numbers of players, not sizes or ratios of formulas")
	case e.Planted:
		return errors.New("a game sweep has no planted instances")
	case len(e.Players) == 0:
		return errors.New("no numbers of players")
	case e.Count < 1 || e.Count > 100000:
		return fmt.Errorf("count %d: want 1..100000 games per number of players", e.Count)
	}
	for i, k := range e.Players {
		if slices.Contains(e.Players[:i], k) {
			return fmt.Errorf("%d players is given twice", k)
		}
		if err := (instances.GameSpec{Family: e.Game, Players: k, Seed: e.Seed}).Validate(); err != nil {
			return err
		}
	}
	return nil
}

// Difference is a parameter in which two experiments differ, with both
// values formatted as on the command line.
type Difference struct {
	Field string // the run.json field
	A, B  string // the receiver's value and the other's
}

func (d Difference) String() string {
	return fmt.Sprintf("%s %s and %s", d.Field, orNone(d.A), orNone(d.B))
}

// Diff lists the parameters in which e and o differ, in the order of
// run.json. The order of the sizes, ratios and solvers does not matter:
// the jobs are the same set (a sweep that matches a run.json takes the
// run's order, which decides how its instances fall into shards).
func (e *Experiment) Diff(o *Experiment) []Difference {
	e, o = e.normalized(), o.normalized()
	ints := func(xs []int) string {
		parts := make([]string, len(xs))
		for i, x := range xs {
			parts[i] = strconv.Itoa(x)
		}
		return strings.Join(parts, ",")
	}
	floats := func(xs []float64) string {
		parts := make([]string, len(xs))
		for i, x := range xs {
			parts[i] = strconv.FormatFloat(x, 'g', -1, 64)
		}
		return strings.Join(parts, ",")
	}
	fields := []struct {
		name string
		a, b string
		same bool
	}{
		{name: "sizes", a: ints(e.Sizes), b: ints(o.Sizes), same: sameSorted(e.Sizes, o.Sizes)},
		{name: "ratios", a: floats(e.Ratios), b: floats(o.Ratios), same: sameSorted(e.Ratios, o.Ratios)},
		{name: "count", a: strconv.Itoa(e.Count), b: strconv.Itoa(o.Count)},
		{name: "k", a: strconv.Itoa(e.K), b: strconv.Itoa(o.K)},
		{name: "seed", a: strconv.FormatUint(e.Seed, 10), b: strconv.FormatUint(o.Seed, 10)},
		{name: "planted", a: strconv.FormatBool(e.Planted), b: strconv.FormatBool(o.Planted)},
		{name: "corpus", a: e.Corpus, b: o.Corpus},
		{name: "game", a: e.Game, b: o.Game},
		{name: "players", a: ints(e.Players), b: ints(o.Players), same: sameSorted(e.Players, o.Players)},
		{name: "solvers", a: strings.Join(e.Solvers, ","), b: strings.Join(o.Solvers, ","),
			same: sameSorted(e.Solvers, o.Solvers)},
		{name: "timeout_seconds", a: e.Timeout.String(), b: o.Timeout.String()},
		{name: "reduction", a: e.Reduction.String(), b: o.Reduction.String()},
		{name: "memory_bytes", a: strconv.FormatInt(e.Memory, 10), b: strconv.FormatInt(o.Memory, 10)},
		{name: "certify", a: strconv.FormatBool(e.Certify), b: strconv.FormatBool(o.Certify)},
		{name: "check_limit_seconds", a: checkLimitString(e.CheckLimit), b: checkLimitString(o.CheckLimit)},
	}
	var out []Difference
	for _, f := range fields {
		if !f.same && f.a != f.b {
			out = append(out, Difference{f.name, f.a, f.b})
		}
	}
	return out
}

func checkLimitString(d Duration) string {
	switch {
	case d == 0:
		return "default"
	case d < 0:
		return "0 (never)"
	}
	return d.String()
}

// normalized returns e as run.json records it: a corpus experiment has
// no generated instances' fields, and its path is clean; a game
// experiment has no formulas' fields, a formula experiment no players.
func (e *Experiment) normalized() *Experiment {
	n := *e
	if n.Game != "" {
		n.Sizes, n.Ratios, n.K, n.Planted = nil, nil, 0, false
	} else {
		n.Players = nil
	}
	if n.Corpus != "" {
		n.Corpus = filepath.Clean(n.Corpus)
		n.Sizes, n.Ratios, n.Count, n.K, n.Seed, n.Planted = nil, nil, 0, 0, 0, false
	}
	return &n
}

// sameSorted says whether a and b hold the same values, in any order.
func sameSorted[T cmp.Ordered](a, b []T) bool {
	return slices.Equal(slices.Sorted(slices.Values(a)), slices.Sorted(slices.Values(b)))
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

// Instance is one formula of an experiment.
type Instance struct {
	// Path names it in rows: relative to the run directory for generated
	// instances (under instances/), the corpus path otherwise.
	Path string
	// Spec generates it; nil for a corpus file or a game.
	Spec *instances.Spec
	// Game generates it when it is a game (a game sweep's); nil otherwise.
	Game *instances.GameSpec
	// Params are the instance's fields of a row (N, M, K, Ratio, Seed,
	// Index, Planted; for a game N = its players and Family); for a
	// corpus file only after Instances with read.
	Params record.Row
}

// File is where to read the instance in the run directory dir.
func (in *Instance) File(dir string) string {
	if in.Spec != nil || in.Game != nil {
		return filepath.Join(dir, in.Path)
	}
	return in.Path
}

// Instances lists the experiment's formulas in their fixed order. With
// read, a corpus's files are parsed for their parameters (and a bad one is
// an error); without, only listed.
func (e *Experiment) Instances(read bool) ([]Instance, error) {
	if e.Corpus != "" {
		return corpus(e.Corpus, read)
	}
	var out []Instance
	if e.Game != "" {
		// By increasing players, whatever the order given: the order of
		// the instances decides how shards split them.
		for _, k := range slices.Sorted(slices.Values(e.Players)) {
			for i := range e.Count {
				spec := instances.GameSpec{Family: e.Game, Players: k, Seed: e.Seed, Index: i}
				seed, index := e.Seed, i
				out = append(out, Instance{Path: filepath.Join(InstancesDir, spec.FileName()), Game: &spec,
					Params: record.Row{N: k, Seed: &seed, Index: &index, Family: e.Game}})
			}
		}
		return out, nil
	}
	for _, n := range e.Sizes {
		for _, r := range e.Ratios {
			for i := range e.Count {
				spec := instances.Spec{N: n, M: instances.ClausesForRatio(n, r), K: e.K, Ratio: r, Planted: e.Planted, Seed: e.Seed, Index: i}
				seed, index := e.Seed, i
				out = append(out, Instance{Path: filepath.Join(InstancesDir, spec.FileName()), Spec: &spec,
					Params: record.Row{N: spec.N, M: spec.M, K: e.K, Ratio: r, Seed: &seed, Index: &index, Planted: e.Planted}})
			}
		}
	}
	return out, nil
}

// corpus lists the .cnf files below dir, plain or compressed (.cnf.gz,
// .cnf.xz, .cnf.bz2, .cnf.zst; in any case), in a fixed order. Reading
// one decompresses it by its content (instances.ReadFile).
func corpus(dir string, read bool) ([]Instance, error) {
	var out []Instance
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := strings.ToLower(d.Name())
		for _, ext := range []string{".gz", ".xz", ".bz2", ".zst"} {
			if s, ok := strings.CutSuffix(name, ext); ok {
				name = s
				break
			}
		}
		if !d.IsDir() && strings.HasSuffix(name, ".cnf") {
			out = append(out, Instance{Path: path})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no .cnf files (plain, or compressed: .cnf.gz, .cnf.xz, .cnf.bz2, .cnf.zst)", dir)
	}
	if read {
		for i := range out {
			f, err := instances.ReadFile(out[i].Path)
			if err != nil {
				return nil, err
			}
			r := record.Row{N: f.Vars, M: len(f.Clauses)}
			if f.Vars > 0 {
				r.Ratio = math.Round(float64(len(f.Clauses))/float64(f.Vars)*100) / 100
			}
			out[i].Params = r
		}
	}
	return out, nil
}

// WriteInstances writes the generated instances into the run directory
// dir, formulas as DIMACS and games as JSON (the same bytes every time;
// files that hold them are left alone).
func WriteInstances(dir string, insts []Instance) error {
	var buf bytes.Buffer
	for _, in := range insts {
		buf.Reset()
		var err error
		switch {
		case in.Game != nil:
			err = in.Game.Encode(&buf)
		case in.Spec != nil:
			err = in.Spec.Encode(&buf)
		default:
			continue
		}
		if err != nil {
			return err
		}
		file := in.File(dir)
		if old, err := os.ReadFile(file); err != nil || !bytes.Equal(old, buf.Bytes()) {
			if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
				return err
			}
			if err := atomicfile.Write(file, buf.Bytes()); err != nil {
				return err
			}
		}
	}
	return nil
}

// Job is one solver on one instance.
type Job struct {
	Instance *Instance
	Solver   string
}

// Key identifies the job as record.Row.Key does its row.
func (j Job) Key() string { return j.Instance.Path + "\x00" + j.Solver }

// Plan lists the jobs of shard (0-based) of shards over insts, the
// experiment's instances. Shards split the instances, so that every
// solver's answer on an instance is in the same shard and can be
// cross-checked there: shard i runs the instances whose index is i modulo
// shards.
func (e *Experiment) Plan(insts []Instance, shard, shards int) []Job {
	var out []Job
	for i := range insts {
		if i%shards != shard {
			continue
		}
		for _, sv := range e.Solvers {
			out = append(out, Job{&insts[i], sv})
		}
	}
	return out
}
