// Package record defines the outcome of one solver on one input (Record),
// a sweep's row (Row), and their JSON-lines files: the data every later step
// reads, with no dependency on how it was produced.
//
// Field names and the string values of Status, Answer and Check are a
// contract with users' scripts: extend, never rename.
package record

import (
	"fmt"
	"strconv"
)

// Status says how a job ended.
type Status string

// Statuses of a Record.
const (
	Solved  Status = "solved"
	Timeout Status = "timeout"
	Memout  Status = "memout"
	// Refused: the solver cannot take this input; the reason is in Error.
	Refused Status = "refused"
	// Error: the solver failed; the reason is in Error.
	Error Status = "error"
	// BadInput: the input could not be read; no solver ran.
	BadInput Status = "bad-input"
)

// Answer is a record's answer: for a formula SAT, UNSAT or Unknown (SAT: a
// non-trivial equilibrium exists or all-false satisfies it); for a game PNE,
// NoPNE or Unknown (PNE: a non-trivial pure equilibrium exists).
type Answer string

// Answers of a Record.
const (
	SAT     Answer = "sat"
	UNSAT   Answer = "unsat"
	PNE     Answer = "pne"
	NoPNE   Answer = "no-pne"
	Unknown Answer = "unknown"
)

// Decided reports whether a is a yes or a no.
func (a Answer) Decided() bool { return a.Positive() || a.Negative() }

// Positive reports whether a says yes: SAT or PNE.
func (a Answer) Positive() bool { return a == SAT || a == PNE }

// Negative reports whether a says no: UNSAT or NoPNE.
func (a Answer) Negative() bool { return a == UNSAT || a == NoPNE }

// Check says how an answer was established independently of the solver.
type Check string

// Checks of a Record (and of package verify's outcomes).
const (
	// CheckWitness: the witness (a model, an equilibrium) was verified.
	CheckWitness Check = "witness"
	// CheckExhaustive: an exhaustive search confirmed the answer.
	CheckExhaustive Check = "exhaustive"
	// CheckProof: a proof of the negative answer was checked.
	CheckProof Check = "proof"
	// CheckNone: nothing checked the answer.
	CheckNone Check = "none"
)

// Kinds of input.
const (
	KindCNF  = "cnf"
	KindGame = "game"
)

// Reference is the solver whose answer is the ground truth of
// satisfiability in cross-checks.
const Reference = "gophersat"

// Record is the outcome of one solver on one instance: a line of
// `nashbench solve --json` and a row of a sweep.
type Record struct {
	Instance  string `json:"instance"`
	Kind      string `json:"kind"` // KindCNF or KindGame
	Solver    string `json:"solver"`
	Reduction string `json:"reduction,omitempty"` // for cnf input
	// InputSHA256 identifies the input by content: the SHA-256 of the
	// formula's clauses in DIMACS (a cnf input, comments left out), or of
	// the game's JSON; two runs on copies of one corpus match by it.
	// Absent in rows of older versions and of inputs that could not be
	// read.
	InputSHA256 string `json:"input_sha256,omitempty"`
	Answer      Answer `json:"answer"`
	// Count, when asked for: the formula's number of models, or the game's
	// number of pure equilibria (the all-closed one included when it is one,
	// see TrivialPNE).
	Count      *int64 `json:"count,omitempty"`
	TrivialPNE *bool  `json:"trivial_pne,omitempty"`
	// Witness is a model as DIMACS literals for a formula, a 0/1 profile for
	// a game; null when there is none.
	Witness []int  `json:"witness"`
	Status  Status `json:"status"`
	// Check says how the answer was established independently of the
	// solver.
	Check Check `json:"check"`
	// CountCheck says, with a count, how the count was checked:
	// exhaustive, proof (a count of 0 whose "no" a checked proof
	// established) or none.
	CountCheck Check `json:"count_check,omitempty"`
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
	// Stats are the solver's counters and, when its proof was checked, the
	// proof checker's (proof-lemmas, proof-core, ...).
	Stats map[string]float64 `json:"stats,omitempty"`
	Error string             `json:"error,omitempty"`
	// Workers is how many goroutines the solver was allowed (at least 1;
	// only enum uses more than one).
	Workers int `json:"workers,omitempty"`
	// Prover, for a negative answer checked by a proof: the solver whose
	// proof it is, the solver itself or the prover that decided the
	// question again to certify it; ProofFormat (drat, lrat), ProofBytes
	// and ProofSeconds (the prover's own time, 0 when the solver proved
	// during its solve) describe the proof. CheckSeconds includes checking
	// it.
	Prover       string  `json:"prover,omitempty"`
	ProofFormat  string  `json:"proof_format,omitempty"`
	ProofBytes   int     `json:"proof_bytes,omitempty"`
	ProofSeconds float64 `json:"proof_seconds,omitempty"`
	// CheckNote says why a negative answer has check none: certification
	// was turned off, the prover ran out of time, ...
	CheckNote string `json:"check_note,omitempty"`
	// Part, "i/N", marks the record of part i of N of one game's
	// enumeration (written as "shard" in JSON, its first name): its count
	// is that part's, and it answers pne (sat) when the part has an
	// equilibrium (or all-false satisfies the formula) and unknown
	// otherwise, never no-pne (unsat). The N records' counts sum to the
	// full count.
	Part string `json:"shard,omitempty"`
}

// Failed reports whether the record carries a verification failure.
func (r *Record) Failed() bool { return r.Verified != nil && !*r.Verified }

// Solved reports whether the job ended with a decided answer.
func (r *Record) Solved() bool { return r.Outcome() == Solved }

// Outcome returns r's status, inferring it for rows written before records
// had one.
func (r *Record) Outcome() Status {
	switch {
	case r.Status != "":
		return r.Status
	case r.Error != "" && !r.Failed():
		return Error
	case r.Answer.Decided():
		return Solved
	}
	return Timeout
}

// Summary is the readable one-line form of a record.
func (r *Record) Summary() string {
	s := fmt.Sprintf("%s: %s (%s, %.3fs)", r.Instance, r.Answer, r.Solver, r.Seconds)
	switch r.Status {
	case Timeout:
		s += fmt.Sprintf(" TIMEOUT after %gs", r.Timeout)
	case Memout:
		s += " MEMOUT"
	case Refused:
		s += " REFUSED"
	case Error:
		s += " SOLVER ERROR"
	case BadInput:
		s += " BAD INPUT"
	}
	if r.Part != "" {
		// "part", the word of solve --part (--shard is its old alias).
		s += " part " + r.Part + " (sum the counts of all parts)"
	}
	if r.Count != nil {
		s += " count=" + strconv.FormatInt(*r.Count, 10)
		switch {
		case r.CountCheck == CheckExhaustive || r.CountCheck == CheckProof:
			s += " (checked)"
		case r.Verified != nil || !r.Answer.Decided():
			s += " (unchecked)"
		}
		// Else the answer is unchecked too: the " unchecked" below says
		// it of both, instead of "count=7 (unchecked) unchecked".
	}
	switch {
	case r.Verified != nil && !*r.Verified:
		s += " NOT VERIFIED"
	case r.Verified != nil && r.Check == CheckExhaustive:
		s += " verified (exhaustive search)"
	case r.Verified != nil && r.Check == CheckProof && r.Prover != "" && r.Prover != r.Solver:
		s += fmt.Sprintf(" verified (proof by %s, %.3fs)", r.Prover, r.ProofSeconds)
	case r.Verified != nil:
		s += " verified (" + string(r.Check) + ")"
	case r.Answer.Decided():
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
