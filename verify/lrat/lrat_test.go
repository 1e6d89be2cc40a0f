package lrat_test

import (
	"bytes"
	"context"
	"errors"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nashbench/nashbench/instances"
	"github.com/nashbench/nashbench/verify/lrat"
)

// square is the four clauses over two variables, unsatisfiable: clause 1 is
// (1 2), 2 (-1 2), 3 (1 -2), 4 (-1 -2).
var square = &instances.CNF{Vars: 2, Clauses: [][]int{{1, 2}, {-1, 2}, {1, -2}, {-1, -2}}}

// squareProof is cadical's LRAT proof of it (cadical --lrat --no-binary).
const squareProof = "5 1 0 1 3 0\n6 2 0 5 2 0\n7 0 5 6 4 0\n"

func TestCheck(t *testing.T) {
	tests := []struct {
		name  string
		f     *instances.CNF
		proof string
		want  lrat.Stats
		err   string // in the error; "" for none
	}{
		{name: "cadical's proof", proof: squareProof, want: lrat.Stats{Lemmas: 3, Hints: 7}},
		{name: "comments, blank lines, CR LF and no final newline",
			proof: "c a comment\n\n5 1 0 1 3 0\r\n  6 2 0 5 2 0\nc\n7 0 5 6 4 0", want: lrat.Stats{Lemmas: 3, Hints: 7}},
		{name: "ids may skip", proof: "10 1 0 1 3 0\n20 2 0 10 2 0\n1000 0 10 20 4 0\n", want: lrat.Stats{Lemmas: 3, Hints: 7}},
		{name: "ids far apart (the map)", proof: "5 1 0 1 3 0\n6 2 0 5 2 0\n100000000000 -1 0 2 4 0\n100000000001 0 5 100000000000 0\n",
			want: lrat.Stats{Lemmas: 4, Hints: 8}},
		{name: "deletions", proof: "5 1 0 1 3 0\n5 d 1 3 0\n6 2 0 5 2 0\n6 d 2 0\n7 0 5 6 4 0\n",
			want: lrat.Stats{Lemmas: 3, Deletions: 3, Hints: 7}},
		{name: "deletions with id 0, of none, of several", proof: "0 d 0\n" + squareProof + "7 d 1 2 3 0\n",
			want: lrat.Stats{Lemmas: 3, Deletions: 3, Hints: 7}},
		{name: "a duplicate literal in a hint clause",
			f:     &instances.CNF{Vars: 2, Clauses: [][]int{{1, 1, 2}, {-1, 2}, {1, -2}, {-1, -2}}},
			proof: squareProof, want: lrat.Stats{Lemmas: 3, Hints: 7}},
		{name: "a hint already satisfied changes nothing", proof: "5 1 0 1 1 3 0\n6 2 0 5 2 0\n7 0 5 6 4 0\n",
			want: lrat.Stats{Lemmas: 3, Hints: 8}},
		{name: "a tautology, its hints not checked", proof: "8 1 -1 0 4 0\n9 1 0 1 3 0\n10 2 0 9 2 0\n11 0 9 10 4 0\n",
			want: lrat.Stats{Lemmas: 4, Hints: 7}},
		{name: "a tautology's hints must be present", proof: "8 1 -1 0 12 0\n", err: "line 1 (clause 8): hint 1: no clause 12"},
		{name: "an extension variable", proof: "5 1 3 0 1 3 0\n6 1 0 1 3 0\n" + "7 2 0 6 2 0\n8 0 6 7 4 0\n",
			want: lrat.Stats{Lemmas: 4, Hints: 9}},
		{name: "an empty formula clause", f: &instances.CNF{Vars: 1, Clauses: [][]int{{1}, {}}}, proof: "3 0 2 0\n",
			want: lrat.Stats{Lemmas: 1, Hints: 1}},
		{name: "steps after the empty clause are checked", proof: squareProof + "8 1 0 9 0\n", err: "line 4 (clause 8): hint 1: no clause 9"},

		{name: "no empty clause", proof: "5 1 0 1 3 0\n6 2 0 5 2 0\n", err: "lrat: the proof has no empty clause"},
		{name: "empty proof", proof: "", err: "no empty clause"},
		{name: "not unit", proof: "5 1 0 1 2 0\n", err: "line 1 (clause 5): hint 2: clause 2 is not unit: literals -1 and 2 are not false"},
		{name: "no conflict", proof: "5 1 0 1 0\n", err: "line 1 (clause 5): not implied by its 1 hints: none of them is falsified"},
		{name: "no hints", proof: "5 1 0 0\n", err: "not implied by its 0 hints"},
		{name: "hints after the conflict", proof: "5 1 0 1 3 2 0\n", err: "hint 2: clause 3 is falsified, yet 1 more hints follow"},
		{name: "a RAT hint", proof: "5 1 0 1 -2 3 0\n", err: "line 1 (clause 5): hint 2 is -2: RAT step not supported"},
		{name: "an unknown hint", proof: "5 1 0 1 9 0\n", err: "hint 2: no clause 9 in the formula or the proof so far"},
		{name: "the step's own id as a hint", proof: "5 1 0 5 0\n", err: "hint 1: no clause 5"},
		{name: "a deleted hint", proof: "5 d 3 0\n5 1 0 1 3 0\n", err: "line 2 (clause 5): hint 2: clause 3 was deleted at line 1"},
		{name: "a deleted lemma as hint", proof: "5 1 0 1 3 0\n5 d 5 0\n6 2 0 5 2 0\n", err: "line 3 (clause 6): hint 1: clause 5 was deleted at line 2"},
		{name: "deleted twice", proof: "0 d 1 0\n0 d 2 1 0\n", err: "line 2: deletes clause 1, which was deleted at line 1"},
		{name: "deleting an unknown clause", proof: "0 d 5 0\n", err: "line 1: deletes clause 5, which is not in the formula"},
		{name: "an id of the formula", proof: "4 1 0 1 3 0\n", err: "line 1 (clause 4): id 4 is not larger than the formula's 4 clauses"},
		{name: "ids not increasing", proof: "6 1 0 1 3 0\n5 2 0 6 2 0\n", err: "line 2 (clause 5): id 5 is not larger than the previous id 6"},
		{name: "id 0", proof: "0 1 0 1 3 0\n", err: "line 1: clause id 0: want a positive id"},
		{name: "a negative id", proof: "-5 1 0 1 3 0\n", err: "line 1: clause id -5: want a positive id"},
		{name: "a negative deleted id", proof: "5 d -1 0\n", err: "line 1: deletes clause -1"},
		{name: "missing the closing 0", proof: "5 1 0 1 3\n6 2 0 5 2 0\n", err: "line 1 (clause 5): the line ends where the step wants a hint or 0"},
		{name: "missing both 0s", proof: "5 1\n", err: "line 1 (clause 5): the line ends where the step wants a literal or 0"},
		{name: "truncated", proof: "5 1 0 1 3", err: "line 1 (clause 5): the proof ends where the step wants a hint or 0"},
		{name: "a bad token", proof: "5 1 0 1 x3 0\n", err: `line 1 (clause 5): want a hint or 0, found "x3"`},
		{name: "a letter after a number", proof: "5 1 0 1 3a 0\n", err: `want a hint or 0, found "a"`},
		{name: "text after the closing 0", proof: "5 1 0 1 3 0 7\n", err: `line 1 (clause 5): "7" after the step's closing 0`},
		{name: "d without a blank", proof: "5 d1 0\n", err: `line 1: want a blank after "d"`},
		{name: "a lone minus", proof: "5 - 0\n", err: `want a literal or 0, found "-"`},
		{name: "a number too large", proof: "5 1 0 99999999999999999999 0\n", err: "a number too large"},
		{name: "a variable too large", proof: "5 99999999 0 1 0\n", err: "literal 99999999: at most 4194304 variables beyond the formula's"},
		{name: "a step on two lines", proof: "5 1 0\n1 3 0\n", err: "line 1 (clause 5): the line ends where the step wants a hint or 0"},
		{name: "on line 3", proof: "5 1 0 1 3 0\n\n6 2 0 5 0\n", err: "line 3 (clause 6): not implied by its 1 hints"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := tt.f
			if f == nil {
				f = square
			}
			st, err := lrat.Check(context.Background(), f, strings.NewReader(tt.proof))
			if tt.err != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, st)
		})
	}
}

// TestBinary checks binary proofs: the same steps as text give the same
// verdicts and counters, and a binary proof's errors name byte offsets.
func TestBinary(t *testing.T) {
	ctx := context.Background()
	steps := []step{{id: 5, lits: []int{1}, hints: []int64{1, 3}}, {del: true, hints: []int64{1, 3}},
		{id: 6, lits: []int{2}, hints: []int64{5, 2}}, {id: 7, hints: []int64{5, 6, 4}}}
	st, err := lrat.Check(ctx, square, bytes.NewReader(writeBinary(steps)))
	require.NoError(t, err)
	assert.Equal(t, lrat.Stats{Lemmas: 3, Deletions: 2, Hints: 7, Binary: true}, st)
	st, err = lrat.Check(ctx, square, bytes.NewReader(writeText(steps)))
	require.NoError(t, err)
	assert.Equal(t, lrat.Stats{Lemmas: 3, Deletions: 2, Hints: 7}, st)

	tests := []struct {
		name  string
		proof []byte
		err   string
	}{
		{"a RAT hint", writeBinary([]step{{id: 5, lits: []int{1}, hints: []int64{1, -2, 3}}}), "lrat: byte 0 (clause 5): hint 2 is -2: RAT step not supported"},
		{"at byte 7", writeBinary([]step{steps[0], {id: 6, lits: []int{2}, hints: []int64{5}}}), "lrat: byte 7 (clause 6): not implied by its 1 hints"},
		{"truncated", writeBinary(steps)[:5], "lrat: byte 0 (clause 5): the proof ends inside the step"},
		{"a bad byte", append(writeBinary(steps[:1]), 'x'), "lrat: byte 7: byte 0x78: want 'a' (an added clause) or 'd' (a deletion)"},
		{"id 0", []byte{'a', 0, 2, 0, 2, 0}, "clause id 0: want a positive id"},
		{"a negative zero", []byte{'a', 10, 1, 0}, "a negative zero at byte 2"},
		{"a number too large", []byte{'a', 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f}, "a number too large"},
		{"a deleted hint", writeBinary([]step{{del: true, hints: []int64{3}}, steps[0]}), "lrat: byte 3 (clause 5): hint 2: clause 3 was deleted at byte 0"},
		{"a negative deletion", []byte{'d', 3, 0}, "deletes clause -1"},
		{"no empty clause", writeBinary(steps[:3]), "no empty clause"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, err := lrat.Check(ctx, square, bytes.NewReader(tt.proof))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.err)
			assert.True(t, st.Binary)
		})
	}
}

func TestErrors(t *testing.T) {
	ctx := context.Background()
	_, err := lrat.Check(ctx, square, strings.NewReader("5 1 0 -1 3 0\n"))
	assert.ErrorIs(t, err, lrat.ErrRAT)
	var se *lrat.StepError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, lrat.StepError{Line: 1, ID: 5, Msg: "hint 1 is -1: RAT step not supported (negative hint)", Err: lrat.ErrRAT}, *se)

	_, err = lrat.Check(ctx, square, strings.NewReader("5 1 0 1 3 0\n"))
	assert.ErrorIs(t, err, lrat.ErrNoEmptyClause)

	_, err = lrat.Check(ctx, nil, strings.NewReader(squareProof))
	assert.EqualError(t, err, "lrat: nil formula")
	_, err = lrat.Check(ctx, &instances.CNF{Vars: 1, Clauses: [][]int{{2}}}, strings.NewReader(squareProof))
	assert.ErrorContains(t, err, "lrat: formula: clause 1: literal 2 outside 1..1")

	// A read error is the reader's, not the proof's.
	boom := errors.New("boom")
	_, err = lrat.Check(ctx, square, iotest.TimeoutReader(iotest.OneByteReader(strings.NewReader(squareProof))))
	assert.ErrorIs(t, err, iotest.ErrTimeout)
	_, err = lrat.Check(ctx, square, iotest.ErrReader(boom))
	assert.ErrorIs(t, err, boom)
	// A reader that gives a byte at a time is read to the end.
	_, err = lrat.Check(ctx, square, iotest.OneByteReader(strings.NewReader(squareProof)))
	assert.NoError(t, err)
}

// TestCancel checks that a check stops when its context ends.
func TestCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var sb strings.Builder
	for i := range 5000 {
		sb.WriteString(strconv.Itoa(5+i) + " 1 0 1 3 0\n")
	}
	st, err := lrat.Check(ctx, square, strings.NewReader(sb.String()))
	require.ErrorIs(t, err, context.Canceled)
	assert.Zero(t, st.Lemmas)

	// A context that ends during the check: the first poll after it.
	ctx, cancel = context.WithCancel(context.Background())
	r := &cancelAfter{r: strings.NewReader(sb.String()), n: 20000, cancel: cancel}
	st, err = lrat.Check(ctx, square, r)
	require.ErrorIs(t, err, context.Canceled)
	assert.Positive(t, st.Lemmas)
	assert.Less(t, st.Lemmas, 5000)
}

// cancelAfter cancels once n bytes have been read.
type cancelAfter struct {
	r      *strings.Reader
	n      int
	cancel func()
}

func (c *cancelAfter) Read(p []byte) (int, error) {
	k, err := c.r.Read(p[:min(len(p), 1024)])
	c.n -= k
	if c.n <= 0 {
		c.cancel()
	}
	return k, err
}

// satisfiable has no refutation, so no proof of it may be accepted.
var satisfiable = &instances.CNF{Vars: 3, Clauses: [][]int{{1, 2}, {-1, 2}, {1, -2}, {2, 3}, {-3, 1}}}

// garbage returns a random proof: lines of random tokens, numbers that are
// often ids and literals of the formula, and bytes that are not.
func garbage(rng *rand.Rand) []byte {
	var b []byte
	tokens := []string{"0", "d", "c", "-", " ", "\t", "\r", "\n", "x", "1", "-1", "2", "-2", "3", "6", "7", "8", "-6", "99999999999999999999", "a", "\x00"}
	for range rng.IntN(12) {
		if rng.IntN(4) == 0 {
			for range rng.IntN(20) {
				b = append(b, byte(rng.IntN(256)))
			}
		} else {
			for range rng.IntN(12) {
				b = append(b, tokens[rng.IntN(len(tokens))]...)
				b = append(b, ' ')
			}
		}
		b = append(b, '\n')
	}
	return b
}

// TestGarbage checks that random proofs of a satisfiable formula are
// errors, not panics or acceptance, read as text and (with an 'a' or 'd'
// first) as binary.
func TestGarbage(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 20000 {
		proof := garbage(rng)
		if i%2 == 1 {
			proof = append([]byte{"ad"[rng.IntN(2)]}, proof...)
		}
		_, err := lrat.Check(context.Background(), satisfiable, bytes.NewReader(proof))
		require.Error(t, err, "%q", proof)
	}
}

// FuzzCheck checks that no proof of a satisfiable formula is accepted and
// that none makes the checker panic.
func FuzzCheck(f *testing.F) {
	f.Add([]byte(squareProof))
	f.Add([]byte("6 1 0 1 3 0\n7 2 0 6 2 0\n8 0 6 7 4 0\n"))
	f.Add([]byte("6 -2 0 2 0\n6 d 1 0\n7 0 6 4 0\n"))
	f.Add(writeBinary([]step{{id: 6, lits: []int{2}, hints: []int64{1, 2}}, {del: true, hints: []int64{1}}, {id: 7}}))
	rng := rand.New(rand.NewPCG(3, 4))
	for range 20 {
		f.Add(garbage(rng))
	}
	f.Fuzz(func(t *testing.T, proof []byte) {
		_, err := lrat.Check(context.Background(), satisfiable, bytes.NewReader(proof))
		if err == nil {
			t.Fatalf("accepted a proof of a satisfiable formula: %q", proof)
		}
	})
}
