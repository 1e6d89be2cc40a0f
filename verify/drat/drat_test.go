package drat_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nashbench/nashbench/instances"
	"github.com/nashbench/nashbench/verify/drat"
)

func cnf(vars int, clauses ...[]int) *instances.CNF {
	return &instances.CNF{Vars: vars, Clauses: clauses}
}

// full returns all 2^k clauses over variables 1..k (with more variables
// declared if vars > k): unsatisfiable, but unit propagation alone finds
// nothing.
func full(vars, k int, extra ...[]int) *instances.CNF {
	f := &instances.CNF{Vars: vars}
	for bits := range 1 << k {
		var c []int
		for v := 1; v <= k; v++ {
			if bits>>(v-1)&1 == 1 {
				c = append(c, -v)
			} else {
				c = append(c, v)
			}
		}
		f.Clauses = append(f.Clauses, c)
	}
	f.Clauses = append(f.Clauses, extra...)
	return f
}

// f4 is the four clauses over two variables; f4x adds a clause the
// refutation does not need.
var (
	f4  = full(2, 2)
	f4x = full(3, 2, []int{1, 3})
)

func check(t *testing.T, f *instances.CNF, proof string) (drat.Stats, error) {
	t.Helper()
	return drat.Check(context.Background(), f, strings.NewReader(proof))
}

// binaryOf re-encodes a text proof in binary.
func binaryOf(t *testing.T, proof string) string {
	t.Helper()
	steps, err := parseText(proof)
	require.NoError(t, err)
	return string(writeBinary(steps))
}

func TestAccepts(t *testing.T) {
	for _, tc := range []struct {
		name  string
		f     *instances.CNF
		proof string
		want  drat.Stats // the fields compared: Lemmas, Deletions, Core, RAT, Discarded, Ignored
	}{
		{"RUP", f4, "1 0\n0\n", drat.Stats{Lemmas: 2, Core: 1}},
		// "text:" cases are text the tests' parser does not read.
		{"text: comments and blank lines", f4, "c a comment\n\n  1   0 c\n0\n", drat.Stats{Lemmas: 2, Core: 1}}, // "c" after a step is a comment
		{"text: several steps per line", f4, "1 0 0", drat.Stats{Lemmas: 2, Core: 1}},
		{"unused lemmas not checked", f4, "-1 0\n1 0\n0\n", drat.Stats{Lemmas: 3, Core: 1}},
		{"steps after the empty clause unused", f4, "1 0\n0\n-1 0\n5 7 0\n", drat.Stats{Lemmas: 4, Core: 1}},
		// (1) is not RUP (under -1 the four clauses over 2, 3 give no
		// unit) but is RAT on 1: each resolvent is a formula clause.
		{"RAT, not RUP", full(3, 3), "1 0\n2 0\n0\n", drat.Stats{Lemmas: 3, Core: 2, RAT: 1}},
		// (1 5) is RAT on 1, not on 5: the clauses -5 6 and -5 -6 block it.
		{"RAT on the first literal", full(6, 3, []int{-5, 6}, []int{-5, -6}), "1 5 0\n1 0\n2 0\n0\n", drat.Stats{Lemmas: 4, Core: 3, RAT: 1}},
		// The same lemma with 5 first is neither; it is discarded and
		// (1) is then RAT on its own.
		{"invalid lemma discarded", full(6, 3, []int{-5, 6}, []int{-5, -6}), "5 1 0\n1 0\n2 0\n0\n", drat.Stats{Lemmas: 4, Core: 2, RAT: 1, Discarded: 1}},
		{"extension variable", f4, "-2147483647 1 0\n1 0\n0\n", drat.Stats{Lemmas: 3, Core: 1}},
		{"tautology", f4, "1 -1 0\n1 0\n0\n", drat.Stats{Lemmas: 3, Core: 1}},
		{"duplicate literals", f4, "1 1 1 0\n0\n", drat.Stats{Lemmas: 2, Core: 1}},
		// The deletion of the unit (1) is ignored: (2) needs it.
		{"unit deletion ignored", cnf(3, []int{1}, []int{-1, 2, 3}, []int{-1, 2, -3}, []int{-1, -2, 3}, []int{-1, -2, -3}),
			"d 1 0\n2 0\n0\n", drat.Stats{Lemmas: 2, Deletions: 1, Core: 1, Ignored: 1}},
		// (-1 4) is the reason of 4: its deletion is ignored.
		{"reason deletion ignored", cnf(4, []int{1}, []int{-1, 4}, []int{-4, 2, 3}, []int{-4, 2, -3}, []int{-4, -2, 3}, []int{-4, -2, -3}),
			"d 4 -1 0\n2 0\n0\n", drat.Stats{Lemmas: 2, Deletions: 1, Core: 1, Ignored: 1}},
		{"deletion of an absent clause ignored", f4, "d 1 3 0\n1 0\n0\n", drat.Stats{Lemmas: 2, Deletions: 1, Core: 1, Ignored: 1}},
		{"deletion applied", f4x, "d 3 1 0\n1 0\n0\n", drat.Stats{Lemmas: 2, Deletions: 1, Core: 1}},
		// (1) is RAT only once (-1 4) is gone.
		{"deletion enables RAT", full(4, 3, []int{-1, 4}), "d 4 -1 0\n1 0\n2 0\n0\n", drat.Stats{Lemmas: 3, Deletions: 1, Core: 2, RAT: 1}},
		{"formula refuted by unit propagation", cnf(2, []int{1}, []int{-1, 2}, []int{-2}), "", drat.Stats{}},
		{"formula with the empty clause", cnf(1, []int{1}, []int{}), "", drat.Stats{}},
		{"formula refuted, any proof", cnf(1, []int{1}, []int{-1}), "1 -1 0\nd 1 0\n", drat.Stats{Lemmas: 1, Deletions: 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, binary := range []bool{false, true} {
				proof := tc.proof
				if binary && strings.HasPrefix(tc.name, "text:") {
					continue
				}
				if binary {
					proof = binaryOf(t, proof)
				}
				st, err := check(t, tc.f, proof)
				require.NoError(t, err, "binary %v", binary)
				got := drat.Stats{Lemmas: st.Lemmas, Deletions: st.Deletions, Core: st.Core, RAT: st.RAT, Discarded: st.Discarded, Ignored: st.Ignored}
				assert.Equal(t, tc.want, got, "binary %v", binary)
				assert.Equal(t, binary && proof != tc.proof, st.Binary)
			}
		})
	}
}

func TestRejects(t *testing.T) {
	sat := cnf(2, []int{1, 2}, []int{1, -2}) // satisfiable: no refutation exists
	for _, tc := range []struct {
		name  string
		f     *instances.CNF
		proof string
		lemma int // the lemma the error names, 0 for ErrNoEmptyClause
		msg   string
	}{
		{"neither RUP nor RAT", sat, "1 2 0\n-1 0\n0\n", 2, "neither RUP nor RAT on its first literal -1"},
		{"invalid extension lemma", sat, "-2147483647 -1 0\n2147483647 -1 0\n1 0\n0\n", 2, "neither RUP nor RAT on its first literal 2147483647"},
		{"empty clause not implied", f4, "1 2 0\n0\n1 0\n0\n", 2, "the empty clause is not implied"},
		{"empty proof", f4, "", 0, ""},
		{"no empty clause after a conflict", f4, "1 0\n", 0, ""},
		{"deletion applied", f4, "d 1 2 0\n1 0\n0\n", 1, "neither RUP nor RAT"},
		{"RAT blocked by a clause", full(4, 3, []int{-1, 4}), "1 0\n2 0\n0\n", 1, "neither RUP nor RAT on its first literal 1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, binary := range []bool{false, true} {
				proof := tc.proof
				if binary {
					proof = binaryOf(t, proof)
				}
				_, err := check(t, tc.f, proof)
				require.Error(t, err, "binary %v", binary)
				if tc.lemma == 0 {
					require.ErrorIs(t, err, drat.ErrNoEmptyClause)
					continue
				}
				var le *drat.LemmaError
				require.True(t, errors.As(err, &le), "%v", err)
				assert.Equal(t, tc.lemma, le.Lemma, "%v", err)
				assert.Contains(t, le.Msg, tc.msg)
				// The step of the lemma: one step per line here.
				steps, err := parseText(tc.proof)
				require.NoError(t, err)
				at, lemmas := 0, 0
				for i, st := range steps {
					if !st.del {
						lemmas++
					}
					if lemmas == tc.lemma {
						at = i
						break
					}
				}
				if binary {
					assert.Equal(t, 0, le.Line)
					assert.Equal(t, int64(len(writeBinary(steps[:at]))), le.Offset)
					assert.Contains(t, le.Error(), "byte")
				} else {
					assert.Equal(t, at+1, le.Line)
					assert.Equal(t, int64(len(writeText(steps[:at]))), le.Offset)
					assert.Contains(t, le.Error(), "line")
				}
			}
		})
	}
}

func TestMalformed(t *testing.T) {
	for _, tc := range []struct{ name, proof, msg string }{
		{"letter", "1 2 0\n-1 2 0\n1 x 0\n", "line 3: unexpected character 'x'"}, // after the first 12 bytes
		{"letter at the start", "1 x 0\n", "byte 0: step starts with byte 0x31"}, // so binary, as in drat-trim
		{"unterminated", "1 0\n1 2\n", "line 2: the proof ends inside a step"},
		{"lone d", "1 0\nd\n", "line 2: the proof ends inside a step"},
		{"double minus", "--1 0\n", "line 1: unexpected character '-' in a number"},
		{"minus inside", "1-2 0\n", "line 1: unexpected character '-' in a number"},
		{"lone minus", "1 - 0\n", "line 1: '-' without digits"},
		{"too large", "1 0\n2147483648 0\n", "line 2: literal beyond"},
		{"comment inside a step", "1 c 0\n", "line 1: unexpected character 'c'"},
		{"binary: bad step byte", "a\x02\x00q\x02\x00", "byte 3: step starts with byte 0x71"},
		{"binary: truncated literal", "a\x02\x80", "byte 0: the proof ends inside a step"},
		{"binary: no terminator", "a\x02\x04", "byte 0: the proof ends inside a step"},
		{"binary: variable 0", "a\x01\x00", "byte 1: encoded literal 1 names variable 0"},
		{"binary: long encoding", "a\x80\x80\x80\x80\x80\x01\x00", "byte 1: literal encoding longer than 5 bytes"},
		{"binary: too large", "a\xff\xff\xff\xff\x1f\x00", "byte 1: literal beyond"},
		{"garbage after the empty clause", "1 2 0\n1 -2 0\n1 0\n0\nfoo\n", "line 5: unexpected character 'f'"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := check(t, f4, tc.proof)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.msg)
			var le *drat.LemmaError
			assert.False(t, errors.As(err, &le), "a syntax error is not about a lemma")
		})
	}
}

// TestFormat checks drat-trim's format detection.
func TestFormat(t *testing.T) {
	for _, tc := range []struct {
		proof  string
		binary bool
	}{
		{"1 0\n0\n", false},
		{"c Proof by Someone, 2024\n1 0\n0\n", false}, // letters after "c " at the start
		{"d 1 3 0\n1 0\n0\n", false},
		{"\t1 0\r\n0\r\n", false},
		{"a\x02\x00a\x00", true},
		{"d\x02\x06\x00a\x02\x00a\x00", true},
	} {
		st, err := check(t, f4x, tc.proof)
		require.NoError(t, err, "%q", tc.proof)
		assert.Equal(t, tc.binary, st.Binary, "%q", tc.proof)
	}
}

func TestBadFormula(t *testing.T) {
	_, err := drat.Check(context.Background(), nil, strings.NewReader(""))
	require.Error(t, err)
	_, err = check(t, cnf(1, []int{2}), "0\n")
	require.ErrorContains(t, err, "formula")
}

func TestContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := drat.Check(ctx, f4, strings.NewReader("1 0\n0\n"))
	require.ErrorIs(t, err, context.Canceled)

	// A long proof, cancelled while checking: thousands of redundant
	// lemmas before the refutation.
	var b bytes.Buffer
	for range 20000 {
		b.WriteString("1 2 0\n")
	}
	b.WriteString("1 0\n0\n")
	ctx, cancel = context.WithCancel(context.Background())
	r := &cancelAfter{r: bytes.NewReader(b.Bytes()), n: b.Len() / 2, cancel: cancel}
	_, err = drat.Check(ctx, f4, r)
	require.ErrorIs(t, err, context.Canceled)
}

// cancelAfter cancels a context once n bytes have been read.
type cancelAfter struct {
	r      *bytes.Reader
	n      int
	cancel func()
}

func (c *cancelAfter) Read(p []byte) (int, error) {
	k, err := c.r.Read(p[:min(len(p), 512)])
	c.n -= k
	if c.n <= 0 {
		c.cancel()
	}
	return k, err
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errors.New("disk on fire") }

func TestReadError(t *testing.T) {
	_, err := drat.Check(context.Background(), f4, failingReader{})
	require.ErrorContains(t, err, "disk on fire")
}

// FuzzCheck feeds arbitrary bytes as proofs of small formulas: Check must
// not panic, must never accept a proof of a satisfiable formula, and must
// decide well-formed proofs as the oracle does.
func FuzzCheck(f *testing.F) {
	formulas := []*instances.CNF{
		f4,
		full(3, 3),
		full(6, 3, []int{-5, 6}, []int{-5, -6}),
		cnf(3, []int{1, 2}, []int{1, -2}, []int{-1, 3}), // satisfiable
		cnf(3, full(3, 3).Clauses[1:]...),               // satisfiable
	}
	for _, seed := range []struct {
		f     byte
		proof string
	}{
		{0, "1 0\n0\n"},
		{0, "d 1 2 0\n1 0\n0\n"},
		{1, "1 0\n2 0\n0\n"},
		{1, "c comment\n1 0\n2 0\n0\n"},
		{2, "1 5 0\n1 0\n2 0\n0\n"},
		{2, "5 1 0\n1 0\n2 0\n0\n"},
		{3, "-1 0\n0\n"},
		{4, "1 0\n2 0\n0\n"},
		{1, "a\x02\x00a\x04\x00a\x00"},
		{0, "d\x02\x04\x00a\x02\x00a\x00"},
		{0, "a\x80\x80\x80\x80\x80\x01\x00"},
		{0, "1 -"},
	} {
		f.Add(seed.f, []byte(seed.proof))
	}
	f.Fuzz(func(t *testing.T, which byte, proof []byte) {
		g := formulas[int(which)%len(formulas)]
		st, err := drat.Check(context.Background(), g, bytes.NewReader(proof))
		if err == nil && int(which)%len(formulas) >= 3 {
			t.Fatalf("accepted a proof of a satisfiable formula: %+v\n%q", st, proof)
		}
		// Compare with the oracle on proofs the tests' parser reads
		// the same way: text made of digits, '-', 'd', spaces and LFs.
		for _, b := range proof {
			if !strings.ContainsRune("0123456789-d \n", rune(b)) {
				return
			}
		}
		steps, perr := parseText(string(proof))
		if perr != nil || len(proof) == 0 {
			return
		}
		for _, s := range steps {
			for _, l := range s.lits {
				if l > 1000 || l < -1000 {
					return // the oracle allocates by variable
				}
			}
		}
		want := oracle(g, steps)
		require.Equal(t, want.accept, err == nil, "oracle %+v, Check %v\n%q", want, err, proof)
	})
}
