package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"time"

	"github.com/nashbench/nashbench/isolate"
	"github.com/nashbench/nashbench/record"
	"github.com/nashbench/nashbench/reduction"
	"github.com/nashbench/nashbench/solvers"
	"github.com/nashbench/nashbench/verify"
)

// Executor runs one solve: InProcess in this process, isolate.Run in a child.
type Executor func(ctx context.Context, solver string, p *solvers.Problem, opt solvers.Options) (*solvers.Result, error)

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

// SolveFile solves the input at path (see Load) as Solve does. An input
// that cannot be read gets a record too, whose status is BadInput and
// whose error says why.
func SolveFile(ctx context.Context, run Executor, solver, path string, v reduction.Variant, opt solvers.Options, lim Limits) (record.Record, error) {
	in, err := Load(path, v)
	if err != nil {
		return unreadable(path, solver, record.BadInput, err), nil
	}
	return Solve(ctx, run, solver, in, opt, lim)
}

// unreadable is the record of an input that could not be read.
func unreadable(path, solver string, status record.Status, err error) record.Record {
	return record.Record{Instance: path, Kind: kindOf(path), Solver: solver, Answer: record.Unknown, Status: status, Check: record.CheckNone, Error: err.Error()}
}

// Solve runs the named solver on in with run, within lim.Timeout,
// interprets its answer for the input's kind and verifies it. How the job
// ended is in Record.Status and the reason for any failure in
// Record.Error; the returned error is only for an unknown solver.
func Solve(ctx context.Context, run Executor, solver string, in *Input, opt solvers.Options, lim Limits) (record.Record, error) {
	s, err := solvers.New(solver)
	if err != nil {
		return record.Record{}, err
	}
	rec := record.Record{Instance: in.Path, Kind: record.KindGame, Solver: solver, Timeout: lim.Timeout.Seconds(), Check: record.CheckNone, Workers: max(opt.Workers, 1)}
	rec.InputSHA256 = inputHash(in.Problem)
	if in.IsCNF {
		rec.Kind, rec.Reduction = record.KindCNF, in.Problem.Variant.String()
	}
	sharded := !opt.Shard.Whole()
	if sharded {
		rec.Part = opt.Shard.String()
		// Another solver would answer for the whole game: its count,
		// summed over the shards, would be N times too large.
		_, ok := s.(solvers.Sharder)
		if err := opt.Shard.Check(); err != nil || !ok {
			rec.Answer, rec.Status = record.Unknown, record.Refused
			// "part", the word of solve --part (--shard is its old alias).
			rec.Error = fmt.Sprintf("%s cannot search part %s of a game: only enum splits its search", solver, rec.Part)
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
		rec.Answer, rec.Error = record.Unknown, err.Error()
		// A worker that ran was measured, whatever its end (a memout, a
		// crash, a kill).
		var ue *isolate.UsageError
		if errors.As(err, &ue) && ue.Used != nil {
			u := ue.Used
			rec.WallSeconds, rec.CPUSeconds, rec.MaxRSSBytes, rec.CPUs = u.Wall.Seconds(), u.CPU.Seconds(), u.MaxRSS, u.CPUs
		}
		switch {
		case solvers.IsRefused(err):
			rec.Status = record.Refused
		case timedOut:
			rec.Status, rec.Error = record.Timeout, ""
		case errors.Is(err, isolate.ErrMemout):
			// Only a job under a memory limit can be a memout: running out
			// of memory otherwise (a wasm heap at its 2 GiB, a machine
			// without enough) is the solver's failure, with its reason.
			rec.Status = record.Memout
		default:
			rec.Status = record.Error
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
		rec.Status = record.Solved // a part searched to its end counts as solved
	case timedOut:
		rec.Status = record.Timeout
	case ctx.Err() != nil:
		rec.Status, rec.Error = record.Error, "interrupted"
	default:
		rec.Status, rec.Error = record.Error, "the solver stopped without an answer or a time limit"
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
			rec.CountCheck = record.CheckNone
		}
	}
	if verr != nil {
		fail(verr)
	} else if outcome.Check != record.CheckNone {
		ok := true
		rec.Verified = &ok
	}
	if res.Answer == solvers.None && !sharded && verr == nil && !(in.IsCNF && reduction.AllFalseSatisfies(in.Problem.Formula)) {
		switch outcome.Check {
		case record.CheckProof:
			rec.Prover, rec.ProofFormat, rec.ProofBytes = solver, checked.Proof.Format(), len(checked.Proof.Data())
		case record.CheckNone:
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

// proverOf is the solver that certifies a negative answer on p that no
// other check covers: gophersat on the formula of a corrected reduction,
// gophersat-pb on the game's CNF encoding otherwise (both under
// Options.Certify). Its proof refutes exactly what package verify checks
// it against.
func proverOf(p *solvers.Problem) string {
	if p.Formula != nil && p.Variant == reduction.Corrected {
		return record.Reference
	}
	return "gophersat-pb"
}

// certify decides p again with its prover (proverOf), which proves a "no", and checks
// the proof: the record then says check proof, with the prover and its
// time apart from the solver's. A prover that finds an equilibrium (one
// that verifies) where the solver said there is none fails the
// verification; a prover that cannot answer leaves the check none, and
// the record's CheckNote says why.
func certify(ctx context.Context, run Executor, p *solvers.Problem, on bool, lim Limits, checkLimit time.Duration, rec *record.Record, fail func(error)) {
	cost := verify.Cost(p)
	switch {
	case checkLimit < 0:
		rec.CheckNote = "not checked: --check-limit 0 turns checks off"
		return
	case !on:
		rec.CheckNote = fmt.Sprintf("not certified (--certify=false), and the exhaustive search, estimated at %s, is over the check limit %s", roundCost(cost), checkLimit)
		return
	}
	prover := proverOf(p)
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
	if err != nil || out.Check != record.CheckProof {
		rec.CheckNote = fmt.Sprintf("not certified: the proof of the prover %s does not check: %v", prover, err)
		return
	}
	ok := true
	rec.Check, rec.Verified = record.CheckProof, &ok
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
func interpretCNF(rec *record.Record, p *solvers.Problem, res *solvers.Result, count, allClosed bool, fail func(error)) {
	allFalse := reduction.AllFalseSatisfies(p.Formula)
	var model []bool
	switch {
	case res.Answer == solvers.Found && len(res.Witness) == p.Layout.Players():
		rec.Answer, model = record.SAT, p.Layout.Assignment(res.Witness)
	case res.Answer == solvers.Found: // Verify has failed it already
		rec.Answer = record.SAT
	case allFalse:
		rec.Answer, model = record.SAT, make([]bool, p.Formula.Vars)
	case res.Answer == solvers.None:
		rec.Answer = record.UNSAT
	default:
		rec.Answer = record.Unknown
	}
	if model != nil {
		rec.Witness = literals(model)
		// The formula itself is the check; it catches the literal
		// reduction's equilibria that are no models.
		if !p.Formula.Satisfies(model) && !rec.Failed() {
			fail(errors.New("the witness does not satisfy the formula"))
		} else if !rec.Failed() {
			ok := true
			rec.Verified, rec.Check = &ok, record.CheckWitness
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

func interpretGame(rec *record.Record, p *solvers.Problem, res *solvers.Result, count, allClosed bool) {
	switch res.Answer {
	case solvers.Found:
		rec.Answer = record.PNE
		rec.Witness = bits(res.Witness)
	case solvers.None:
		rec.Answer = record.NoPNE
	default:
		rec.Answer = record.Unknown
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
