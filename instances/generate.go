package instances

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
)

// Reproducibility: the generators draw only through rand.Rand.Uint64N and
// rand.Rand.Uint64, whose output sequences math/rand/v2 defines identically on
// 32- and 64-bit platforms, so a given source yields the same formula
// everywhere. Spec.Generate seeds instance Index of a run with
// rand.NewPCG(Seed, uint64(Index)), so each instance can be regenerated on its
// own.

// checkSizes rejects k-SAT parameters that are inconsistent or beyond
// defaultLimits.
func checkSizes(n, m, k int) error {
	switch {
	case n < 1:
		return fmt.Errorf("n = %d variables: need n >= 1", n)
	case k < 1:
		return fmt.Errorf("k = %d literals per clause: need k >= 1", k)
	case k > n:
		return fmt.Errorf("k = %d exceeds n = %d: clauses need k distinct variables", k, n)
	case m < 0:
		return fmt.Errorf("m = %d clauses: need m >= 0", m)
	case n > defaultLimits.MaxVars:
		return fmt.Errorf("n = %d exceeds the limit of %d variables", n, defaultLimits.MaxVars)
	case m > defaultLimits.MaxClauses:
		return fmt.Errorf("m = %d exceeds the limit of %d clauses", m, defaultLimits.MaxClauses)
	case m > defaultLimits.MaxLiterals/k:
		return fmt.Errorf("m*k = %d*%d exceeds the limit of %d literals", m, k, defaultLimits.MaxLiterals)
	}
	return nil
}

// clauseDrawer draws clauses of the uniform random k-SAT model.
type clauseDrawer struct {
	rng  *rand.Rand
	n, k int
	seen map[int]struct{} // for large k only
}

// draw fills c (length k) with a clause: k distinct variables, a uniformly
// random k-subset of 1..n in uniformly random order (Floyd's sampling, then a
// Fisher-Yates shuffle), each negated with probability 1/2.
func (d *clauseDrawer) draw(c []int) {
	n, k, rng := d.n, d.k, d.rng
	useMap := k > 16 // else a linear scan of c is cheaper
	if useMap {
		if d.seen == nil {
			d.seen = make(map[int]struct{}, k)
		}
		clear(d.seen)
	}
	// Floyd: for j = n-k+1..n, take t uniform in 1..j; if t was taken, take j.
	for i, j := 0, n-k+1; j <= n; i, j = i+1, j+1 {
		t := 1 + int(rng.Uint64N(uint64(j)))
		var taken bool
		if useMap {
			_, taken = d.seen[t]
		} else {
			for _, u := range c[:i] {
				if u == t {
					taken = true
					break
				}
			}
		}
		if taken {
			t = j
		}
		c[i] = t
		if useMap {
			d.seen[t] = struct{}{}
		}
	}
	for i := k - 1; i > 0; i-- {
		j := int(rng.Uint64N(uint64(i + 1)))
		c[i], c[j] = c[j], c[i]
	}
	for i := range c {
		if rng.Uint64()&1 == 1 {
			c[i] = -c[i]
		}
	}
}

// RandomKSAT draws a formula from SATLIB's uniform random k-SAT model: m
// clauses drawn independently (duplicates allowed), each over k distinct
// variables chosen uniformly from 1..n, each literal negated with probability
// 1/2. It fails if k < 1, k > n, n < 1, m < 0 or the sizes exceed defaultLimits.
func RandomKSAT(rng *rand.Rand, n, m, k int) (*CNF, error) {
	if err := checkSizes(n, m, k); err != nil {
		return nil, err
	}
	d := &clauseDrawer{rng: rng, n: n, k: k}
	lits := make([]int, m*k)
	f := &CNF{Vars: n, Clauses: make([][]int, m)}
	for i := range f.Clauses {
		c := lits[i*k : (i+1)*k : (i+1)*k]
		d.draw(c)
		f.Clauses[i] = c
	}
	return f, nil
}

// ClausesForRatio returns the clause count round(ratio*n) for a clause to
// variable ratio, e.g. 43 for n = 10 at ratio 4.26. It returns -1 (which the
// generators reject) if ratio is negative, NaN or infinite, or the count does
// not fit in an int32.
func ClausesForRatio(n int, ratio float64) int {
	m := math.Round(ratio * float64(n))
	if math.IsNaN(m) || m < 0 || m > math.MaxInt32 {
		return -1
	}
	return int(m)
}

// Planted draws a satisfiable formula: first a hidden assignment, variable 1
// to n in turn, each true with probability 1/2 (the top bit of rng.Uint64),
// then m clauses from the uniform random k-SAT model (see RandomKSAT),
// redrawing any clause the hidden assignment falsifies. It returns the formula
// and the hidden assignment (model[v-1] is the value of variable v).
func Planted(rng *rand.Rand, n, m, k int) (*CNF, []bool, error) {
	if err := checkSizes(n, m, k); err != nil {
		return nil, nil, err
	}
	model := make([]bool, n)
	for i := range model {
		model[i] = rng.Uint64()>>63 == 1
	}
	d := &clauseDrawer{rng: rng, n: n, k: k}
	lits := make([]int, m*k)
	f := &CNF{Vars: n, Clauses: make([][]int, m)}
	for i := range f.Clauses {
		c := lits[i*k : (i+1)*k : (i+1)*k]
		for {
			// Each draw is falsified with probability 2^-k, so this ends.
			d.draw(c)
			if clauseTrue(c, model) {
				break
			}
		}
		f.Clauses[i] = c
	}
	return f, model, nil
}

// Spec describes one generated instance: a formula from the uniform random
// k-SAT model (or the planted model) with N variables and M clauses, drawn
// with rand.New(rand.NewPCG(Seed, uint64(Index))). Instances that differ only
// in Index are independent; instances with the same Seed and Index but other
// sizes share their random stream.
type Spec struct {
	N, M, K int
	Ratio   float64 // informational: the ratio M was derived from, or 0
	Planted bool
	Seed    uint64
	Index   int
}

// Validate reports whether Generate can draw the instance: the errors of
// RandomKSAT for N, M and K, or a negative Index.
func (s Spec) Validate() error {
	if s.Index < 0 {
		return fmt.Errorf("instance index %d: need index >= 0", s.Index)
	}
	return checkSizes(s.N, s.M, s.K)
}

// Generate draws the instance. The hidden model is nil unless s.Planted.
func (s Spec) Generate() (*CNF, []bool, error) {
	if err := s.Validate(); err != nil {
		return nil, nil, err
	}
	rng := rand.New(rand.NewPCG(s.Seed, uint64(s.Index)))
	if s.Planted {
		return Planted(rng, s.N, s.M, s.K)
	}
	f, err := RandomKSAT(rng, s.N, s.M, s.K)
	return f, nil, err
}

// FileName names the instance after its parameters, e.g.
// "uf3-n10-m43-s1-i000000.cnf" or "planted3-n10-m43-s1-i000000.cnf" (k = 3,
// n = 10, m = 43, seed 1, index 0). The index is zero-padded to six digits so
// the files of a run (at most a million) sort in index order.
func (s Spec) FileName() string {
	kind := "uf"
	if s.Planted {
		kind = "planted"
	}
	return fmt.Sprintf("%s%d-n%d-m%d-s%d-i%06d.cnf", kind, s.K, s.N, s.M, s.Seed, s.Index)
}

// Comments returns the comment lines WriteDIMACS should put in the instance's
// file: generator, parameters, seed derivation and, if model is not nil, the
// hidden model as DIMACS literals over as many lines as it takes.
func (s Spec) Comments(model []bool) []string {
	kind := "uniform random"
	if s.Planted {
		kind = "planted"
	}
	ratio := s.Ratio
	if ratio == 0 && s.N > 0 {
		ratio = float64(s.M) / float64(s.N)
	}
	cs := []string{
		fmt.Sprintf("nashbench %s %d-SAT", kind, s.K),
		fmt.Sprintf("n=%d m=%d k=%d ratio=%s seed=%d index=%d",
			s.N, s.M, s.K, strconv.FormatFloat(ratio, 'g', -1, 64), s.Seed, s.Index),
		"rng: math/rand/v2 PCG(seed, index)",
	}
	if model == nil {
		return cs
	}
	const perLine = 20
	var b strings.Builder
	for i := 0; i < len(model); i += perLine {
		b.Reset()
		b.WriteString("model:")
		for v := i + 1; v <= min(i+perLine, len(model)); v++ {
			b.WriteByte(' ')
			if !model[v-1] {
				b.WriteByte('-')
			}
			b.WriteString(strconv.Itoa(v))
		}
		cs = append(cs, b.String())
	}
	return cs
}
