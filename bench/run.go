package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"strconv"
	"time"

	"github.com/nashbench/nashbench/isolate"
	"github.com/nashbench/nashbench/reduction"
	"github.com/nashbench/nashbench/solvers"
	"github.com/nashbench/nashbench/verify"
)

// Record is the outcome of one solver on one instance: a line of
// `nashbench solve --json` and a row of a sweep. Field names are a contract
// with users' scripts: extend, never rename.
type Record struct {
	Instance  string `json:"instance"`
	Kind      string `json:"kind"` // "cnf" or "game"
	Solver    string `json:"solver"`
	Reduction string `json:"reduction,omitempty"` // for cnf input
	// Answer is sat, unsat or unknown for a formula (sat: a non-trivial
	// equilibrium exists or all-false satisfies it); pne, no-pne or unknown
	// for a game (pne: a non-trivial pure equilibrium exists).
	Answer string `json:"answer"`
	// Count, when asked for: the formula's number of models, or the game's
	// number of pure equilibria (the all-closed one included when it is one,
	// see TrivialPNE).
	Count      *int64 `json:"count,omitempty"`
	TrivialPNE *bool  `json:"trivial_pne,omitempty"`
	// Witness is a model as DIMACS literals for a formula, a 0/1 profile for
	// a game; null when there is none.
	Witness []int `json:"witness"`
	// Status says how the job ended: solved, timeout, memout, refused (the
	// solver cannot take this input; the reason is in Error), error (the
	// solver failed; the reason is in Error) or bad-input (the input could
	// not be read; no solver ran).
	Status string `json:"status"`
	// Check says how the answer was established independently of the
	// solver: witness, exhaustive, proof or none.
	Check string `json:"check"`
	// CountCheck says, with a count, how the count was checked: exhaustive
	// or none.
	CountCheck string `json:"count_check,omitempty"`
	// Verified says whether the answer passed the independent checks (a
	// witness, or an exhaustive search for a negative answer or a count);
	// null when there was nothing to check.
	Verified *bool   `json:"verified"`
	Seconds  float64 `json:"seconds"`
	// CheckSeconds is the time the harness took to check the answer.
	CheckSeconds float64 `json:"check_seconds,omitempty"`
	Timeout      float64 `json:"timeout,omitempty"` // seconds allowed, 0 for none
	// WallSeconds, CPUSeconds (user + system) and MaxRSSBytes (the peak
	// resident set of the largest process) are what the operating system
	// measured of the process that solved, with its descendants, start-up
	// included; absent when the solve ran inside the harness's process.
	WallSeconds float64 `json:"wall_seconds,omitempty"`
	CPUSeconds  float64 `json:"cpu_seconds,omitempty"`
	MaxRSSBytes int64   `json:"max_rss_bytes,omitempty"`
	// CPUs are the cores the process that solved was bound to; absent
	// when it was free to run anywhere.
	CPUs []int `json:"cpus,omitempty"`
	// Stats are the solver's counters (Result.Stats) and, when its proof
	// was checked, the proof checker's (proof-lemmas, proof-core, ...; see
	// verify.Outcome.Stats).
	Stats map[string]float64 `json:"stats,omitempty"`
	Error string             `json:"error,omitempty"`
	// Workers is how many goroutines the solver was allowed
	// (Options.Workers, at least 1; only enum uses more than one).
	Workers int `json:"workers,omitempty"`
	// Prover, for a negative answer checked by a proof: the solver whose
	// proof it is, the solver itself or the prover that decided the
	// question again to certify it (see Solve); ProofFormat (drat),
	// ProofBytes and ProofSeconds (the prover's own time, 0 when the
	// solver proved during its solve) describe the proof. CheckSeconds
	// includes checking it.
	Prover       string  `json:"prover,omitempty"`
	ProofFormat  string  `json:"proof_format,omitempty"`
	ProofBytes   int     `json:"proof_bytes,omitempty"`
	ProofSeconds float64 `json:"proof_seconds,omitempty"`
	// CheckNote says why a negative answer has check none: certification
	// was turned off, the prover ran out of time, ...
	CheckNote string `json:"check_note,omitempty"`
	// Shard, "i/N", marks the record of part i of N of an enumeration
	// (Options.Shard): its count is that part's, and it answers pne (sat)
	// when the part has an equilibrium (or all-false satisfies the
	// formula) and unknown otherwise, never no-pne (unsat). The N records'
	// counts sum to the full count.
	Shard string `json:"shard,omitempty"`
}

// Statuses of a Record.
const (
	StatusSolved  = "solved"
	StatusTimeout = "timeout"
	StatusMemout  = "memout"
	StatusRefused = "refused"
	StatusError   = "error"
	// StatusBadInput is a record of an input that could not be read: no
	// solver ran.
	StatusBadInput = "bad-input"
)

// Failed reports whether the record carries a verification failure.
func (r *Record) Failed() bool { return r.Verified != nil && !*r.Verified }

// Runner runs one solve: InProcess in this process, isolate.Run in a child.
type Runner func(ctx context.Context, solver string, p *solvers.Problem, opt solvers.Options) (*solvers.Result, error)

// InProcess runs the named solver in this process, timing the solve alone
// (after Prepare, for solvers with a set-up cost of their own).
func InProcess(ctx context.Context, solver string, p *solvers.Problem, opt solvers.Options) (*solvers.Result, error) {
	s, err := solvers.New(solver)
	if err != nil {
		return nil, err
	}
	// Solvers that hold resources (a HiGHS instance) release them here, so
	// that solving many inputs in one process keeps its memory flat.
	if c, ok := s.(io.Closer); ok {
		defer c.Close()
	}
	if pr, ok := s.(solvers.Preparer); ok {
		if err := pr.Prepare(ctx); err != nil {
			return nil, err
		}
	}
	start := time.Now()
	res, err := s.Solve(ctx, p, opt)
	if err == nil && res.Elapsed == 0 {
		res.Elapsed = time.Since(start)
	}
	return res, err
}

// Limits bound one job.
type Limits struct {
	// Timeout is the solver's time limit; 0 for none.
	Timeout time.Duration
	// CheckLimit is how long the exhaustive check of a negative answer (or
	// a count) may be expected to take for it to run (see verify.Answer);
	// 0 means verify.DefaultCheckLimit, a negative value turns it off.
	CheckLimit time.Duration
}

// Solve runs the named solver on in with run, within lim.Timeout,
// interprets its answer for the input's kind and verifies it. How the job
// ended is in Record.Status and the reason for any failure in
// Record.Error; the returned error is only for an unknown solver.
func Solve(ctx context.Context, run Runner, solver string, in *Input, opt solvers.Options, lim Limits) (Record, error) {
	s, err := solvers.New(solver)
	if err != nil {
		return Record{}, err
	}
	rec := Record{Instance: in.Path, Kind: "game", Solver: solver, Timeout: lim.Timeout.Seconds(), Check: verify.CheckNone, Workers: max(opt.Workers, 1)}
	if in.IsCNF {
		rec.Kind, rec.Reduction = "cnf", in.Problem.Variant.String()
	}
	sharded := !opt.Shard.Whole()
	if sharded {
		rec.Shard = opt.Shard.String()
		// Another solver would answer for the whole game: its count,
		// summed over the shards, would be N times too large.
		_, ok := s.(solvers.Sharder)
		if err := opt.Shard.Check(); err != nil || !ok {
			rec.Answer, rec.Status = "unknown", StatusRefused
			rec.Error = fmt.Sprintf("%s cannot search shard %s of a game: only enum splits its search", solver, rec.Shard)
			if err != nil {
				rec.Error = err.Error()
			}
			return rec, nil
		}
	}
	sctx := ctx
	if lim.Timeout > 0 {
		var cancel context.CancelFunc
		sctx, cancel = context.WithTimeout(ctx, lim.Timeout)
		defer cancel()
	}
	// The solver proves its own "no" only when it can without changing
	// what is measured (solvers.Certifier); any other negative answer
	// is certified after it, apart from its time (see certify).
	certifyNo := opt.Certify
	if c, ok := s.(solvers.Certifier); !ok || !c.Certifies() {
		opt.Certify = false
	}
	start := time.Now()
	res, err := run(sctx, solver, in.Problem, opt)
	rec.Seconds = time.Since(start).Seconds()
	timedOut := ctx.Err() == nil && errors.Is(sctx.Err(), context.DeadlineExceeded)
	if err != nil {
		rec.Answer, rec.Error = "unknown", err.Error()
		switch {
		case solvers.IsRefused(err):
			rec.Status = StatusRefused
		case timedOut:
			rec.Status, rec.Error = StatusTimeout, ""
		case errors.Is(err, isolate.ErrMemout):
			// Only a job under a memory limit can be a memout: running out
			// of memory otherwise (a wasm heap at its 2 GiB, a machine
			// without enough) is the solver's failure, with its reason.
			rec.Status = StatusMemout
		default:
			rec.Status = StatusError
		}
		return rec, nil
	}
	if res.Elapsed > 0 {
		rec.Seconds = res.Elapsed.Seconds()
	}
	if u := res.Usage; u != nil {
		rec.WallSeconds, rec.CPUSeconds, rec.MaxRSSBytes, rec.CPUs = u.Wall.Seconds(), u.CPU.Seconds(), u.MaxRSS, u.CPUs
	}
	checked := res // what the independent checks see
	if sharded {
		// A part answers for itself: no equilibrium in it is no answer
		// about the game (Sharders say Unknown, never None), and its count
		// is not the game's, so neither is checked against the exhaustive
		// search; a witness still is.
		part := *res
		if part.Answer == solvers.None {
			part.Answer = solvers.Unknown
		}
		res = &part
		unc := part
		unc.Counted = false
		checked = &unc
	}
	rec.Stats = res.Stats
	switch {
	case res.Answer != solvers.Unknown || sharded && !timedOut && ctx.Err() == nil && (res.Counted || !opt.Count):
		rec.Status = StatusSolved // a part searched to its end counts as solved
	case timedOut:
		rec.Status = StatusTimeout
	case ctx.Err() != nil:
		rec.Status, rec.Error = StatusError, "interrupted"
	default:
		rec.Status, rec.Error = StatusError, "the solver stopped without an answer or a time limit"
	}
	fail := func(e error) {
		f := false
		rec.Verified = &f
		rec.Error = "verification failed: " + e.Error()
	}
	checkStart := time.Now()
	checkLimit := lim.CheckLimit
	if checkLimit == 0 {
		checkLimit = verify.DefaultCheckLimit
	}
	outcome, verr := verify.Answer(ctx, in.Problem, checked, checkLimit)
	rec.CheckSeconds = time.Since(checkStart).Seconds()
	rec.Check = outcome.Check
	if ps := outcome.Stats(); ps != nil {
		// The proof checker's counters (proof-lemmas, ...; see
		// verify.Outcome.Stats) beside the solver's, in a copy: the
		// result's map is the solver's.
		stats := make(map[string]float64, len(rec.Stats)+len(ps))
		maps.Copy(stats, rec.Stats)
		maps.Copy(stats, ps)
		rec.Stats = stats
	}
	if opt.Count {
		rec.CountCheck = outcome.CountCheck
		if sharded && res.Counted {
			rec.CountCheck = verify.CheckNone
		}
	}
	if verr != nil {
		fail(verr)
	} else if outcome.Check != verify.CheckNone {
		ok := true
		rec.Verified = &ok
	}
	if res.Answer == solvers.None && !sharded && verr == nil && !(in.IsCNF && reduction.AllFalseSatisfies(in.Problem.Formula)) {
		switch outcome.Check {
		case verify.CheckProof:
			rec.Prover, rec.ProofFormat, rec.ProofBytes = solver, checked.Proof.Format(), len(checked.Proof.Data())
		case verify.CheckNone:
			certify(ctx, run, in.Problem, certifyNo, lim, checkLimit, &rec, fail)
		}
	}
	// The all-closed profile (all-false, for a formula) is in part 0.
	allClosed := opt.Shard.Index == 0
	if in.IsCNF {
		interpretCNF(&rec, in.Problem, res, opt.Count, allClosed, fail)
	} else {
		interpretGame(&rec, in.Problem, res, opt.Count, allClosed)
	}
	return rec, nil
}

// Prover is the solver that certifies a negative answer on p that no
// other check covers: gophersat on the formula of a corrected reduction,
// gophersat-pb on the game's CNF encoding otherwise (both under
// Options.Certify). Its proof refutes exactly what package verify checks
// it against.
func Prover(p *solvers.Problem) string {
	if p.Formula != nil && p.Variant == reduction.Corrected {
		return Reference
	}
	return "gophersat-pb"
}

// certify decides p again with its Prover, which proves a "no", and checks
// the proof: the record then says check proof, with the prover and its
// time apart from the solver's. A prover that finds an equilibrium (one
// that verifies) where the solver said there is none fails the
// verification; a prover that cannot answer leaves the check none, and
// the record's CheckNote says why.
func certify(ctx context.Context, run Runner, p *solvers.Problem, on bool, lim Limits, checkLimit time.Duration, rec *Record, fail func(error)) {
	cost := verify.Cost(p)
	switch {
	case checkLimit < 0:
		rec.CheckNote = "not checked: --check-limit 0 turns checks off"
		return
	case !on:
		rec.CheckNote = fmt.Sprintf("not certified (--certify=false), and the exhaustive search, estimated at %s, is over the check limit %s", roundCost(cost), checkLimit)
		return
	}
	prover := Prover(p)
	pctx := ctx
	if lim.Timeout > 0 {
		var cancel context.CancelFunc
		pctx, cancel = context.WithTimeout(ctx, lim.Timeout)
		defer cancel()
	}
	start := time.Now()
	pr, err := run(pctx, prover, p, solvers.Options{Certify: true})
	rec.ProofSeconds = time.Since(start).Seconds()
	if err == nil && pr.Elapsed > 0 {
		rec.ProofSeconds = pr.Elapsed.Seconds()
	}
	switch {
	case err != nil:
		rec.CheckNote = fmt.Sprintf("not certified: the prover %s failed: %v", prover, err)
		return
	case pr.Answer == solvers.Unknown:
		rec.CheckNote = fmt.Sprintf("not certified: the prover %s did not finish within %s", prover, lim.Timeout)
		return
	case pr.Answer == solvers.Found:
		if err := verify.Result(p, pr); err != nil {
			rec.CheckNote = fmt.Sprintf("not certified: the prover %s claims an equilibrium that does not verify: %v", prover, err)
			return
		}
		fail(fmt.Errorf("the solver said no non-trivial equilibrium exists, but the prover %s found one (%v), which verifies", prover, pr.Witness))
		return
	case pr.Proof == nil:
		rec.CheckNote = fmt.Sprintf("not certified: the prover %s gave no proof", prover)
		return
	}
	checkStart := time.Now()
	out, err := verify.Answer(ctx, p, pr, 0)
	rec.CheckSeconds += time.Since(checkStart).Seconds()
	if err != nil || out.Check != verify.CheckProof {
		rec.CheckNote = fmt.Sprintf("not certified: the proof of the prover %s does not check: %v", prover, err)
		return
	}
	ok := true
	rec.Check, rec.Verified = verify.CheckProof, &ok
	rec.Prover, rec.ProofFormat, rec.ProofBytes = prover, pr.Proof.Format(), len(pr.Proof.Data())
	if ps := out.Stats(); ps != nil {
		stats := make(map[string]float64, len(rec.Stats)+len(ps))
		maps.Copy(stats, rec.Stats)
		maps.Copy(stats, ps)
		rec.Stats = stats
	}
}

// roundCost writes an estimate of the exhaustive search's time.
func roundCost(d time.Duration) string {
	if d == time.Duration(math.MaxInt64) {
		return "beyond reach (more than 62 variables or players)"
	}
	return d.Round(time.Millisecond).String()
}

// interpretCNF and interpretGame set the record's answer, witness and count;
// allClosed says whether the search covered the all-closed profile, which
// the count then includes when it is an equilibrium.
func interpretCNF(rec *Record, p *solvers.Problem, res *solvers.Result, count, allClosed bool, fail func(error)) {
	allFalse := reduction.AllFalseSatisfies(p.Formula)
	var model []bool
	switch {
	case res.Answer == solvers.Found && len(res.Witness) == p.Layout.Players():
		rec.Answer, model = "sat", p.Layout.Assignment(res.Witness)
	case res.Answer == solvers.Found: // Verify has failed it already
		rec.Answer = "sat"
	case allFalse:
		rec.Answer, model = "sat", make([]bool, p.Formula.Vars)
	case res.Answer == solvers.None:
		rec.Answer = "unsat"
	default:
		rec.Answer = "unknown"
	}
	if model != nil {
		rec.Witness = literals(model)
		// The formula itself is the check; it catches the literal
		// reduction's equilibria that are no models.
		if !p.Formula.Satisfies(model) && !rec.Failed() {
			fail(errors.New("the witness does not satisfy the formula"))
		} else if !rec.Failed() {
			ok := true
			rec.Verified, rec.Check = &ok, verify.CheckWitness
		}
	}
	if count && res.Counted {
		c := res.Count
		if allFalse && allClosed {
			c++
		}
		rec.Count = &c
	}
}

func interpretGame(rec *Record, p *solvers.Problem, res *solvers.Result, count, allClosed bool) {
	switch res.Answer {
	case solvers.Found:
		rec.Answer = "pne"
		rec.Witness = bits(res.Witness)
	case solvers.None:
		rec.Answer = "no-pne"
	default:
		rec.Answer = "unknown"
	}
	if count && res.Counted {
		zero := make([]bool, p.Game.Players())
		_, trivial, err := p.Game.Check(zero)
		if err != nil {
			rec.Error = err.Error()
			return
		}
		c := res.Count
		rec.Count = &c
		if allClosed { // a part without it says nothing about it
			if trivial {
				c++
			}
			rec.TrivialPNE = &trivial
		}
	}
}

func literals(model []bool) []int {
	out := make([]int, len(model))
	for i, v := range model {
		out[i] = i + 1
		if !v {
			out[i] = -out[i]
		}
	}
	return out
}

func bits(a []bool) []int {
	out := make([]int, len(a))
	for i, v := range a {
		if v {
			out[i] = 1
		}
	}
	return out
}

// Summary is the readable one-line form of a record.
func (r *Record) Summary() string {
	s := fmt.Sprintf("%s: %s (%s, %.3fs)", r.Instance, r.Answer, r.Solver, r.Seconds)
	switch r.Status {
	case StatusTimeout:
		s += fmt.Sprintf(" TIMEOUT after %gs", r.Timeout)
	case StatusMemout:
		s += " MEMOUT"
	case StatusRefused:
		s += " REFUSED"
	case StatusError:
		s += " SOLVER ERROR"
	case StatusBadInput:
		s += " BAD INPUT"
	}
	if r.Shard != "" {
		s += " shard " + r.Shard + " (a part: sum the counts of all shards)"
	}
	if r.Count != nil {
		s += " count=" + strconv.FormatInt(*r.Count, 10)
		if r.CountCheck == verify.CheckExhaustive {
			s += " (checked)"
		} else {
			s += " (unchecked)"
		}
	}
	switch {
	case r.Verified != nil && !*r.Verified:
		s += " NOT VERIFIED"
	case r.Verified != nil && r.Check == verify.CheckExhaustive:
		s += " verified (exhaustive search)"
	case r.Verified != nil && r.Check == verify.CheckProof && r.Prover != "" && r.Prover != r.Solver:
		s += fmt.Sprintf(" verified (proof by %s, %.3fs)", r.Prover, r.ProofSeconds)
	case r.Verified != nil:
		s += " verified (" + r.Check + ")"
	case decided(r.Answer):
		s += " unchecked"
		if r.CheckNote != "" {
			s += " (" + r.CheckNote + ")"
		}
	}
	if r.Witness != nil {
		s += " witness=" + fmt.Sprint(r.Witness)
	}
	if r.Error != "" {
		s += ": " + r.Error
	}
	return s
}
