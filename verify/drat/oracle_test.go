package drat_test

import (
	"bytes"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/nashbench/nashbench/instances"
)

// This file holds the tests' own view of proofs: a step type, a text parser
// and text and binary writers, and the oracle, a deliberately simple forward
// checker. None of it uses package drat, so that the tests compare two
// independent implementations of the semantics in the package comment.

// pstep is a proof step as the tests see it.
type pstep struct {
	del  bool
	lits []int
}

// parseText reads a text proof (as cadical writes it with --no-binary).
func parseText(s string) ([]pstep, error) {
	var steps []pstep
	for i, line := range strings.Split(s, "\n") {
		fields := strings.Fields(line)
		if len(fields) == 0 || fields[0] == "c" {
			continue
		}
		var st pstep
		if fields[0] == "d" {
			st.del = true
			fields = fields[1:]
		}
		if len(fields) == 0 || fields[len(fields)-1] != "0" {
			return nil, fmt.Errorf("line %d: %q does not end in 0", i+1, line)
		}
		for _, t := range fields[:len(fields)-1] {
			l, err := strconv.Atoi(t)
			if err != nil || l == 0 {
				return nil, fmt.Errorf("line %d: bad literal %q", i+1, t)
			}
			st.lits = append(st.lits, l)
		}
		steps = append(steps, st)
	}
	return steps, nil
}

// parseBinary reads a binary proof.
func parseBinary(b []byte) ([]pstep, error) {
	var steps []pstep
	for i := 0; i < len(b); {
		st := pstep{del: b[i] == 'd'}
		if b[i] != 'a' && b[i] != 'd' {
			return nil, fmt.Errorf("byte %d: 0x%02x", i, b[i])
		}
		i++
		for {
			u, shift := 0, 0
			for {
				if i >= len(b) {
					return nil, fmt.Errorf("truncated")
				}
				u |= int(b[i]&0x7f) << shift
				shift += 7
				i++
				if b[i-1] < 0x80 {
					break
				}
			}
			if u == 0 {
				break
			}
			l := u >> 1
			if u&1 == 1 {
				l = -l
			}
			st.lits = append(st.lits, l)
		}
		steps = append(steps, st)
	}
	return steps, nil
}

func writeText(steps []pstep) []byte {
	var b bytes.Buffer
	for _, st := range steps {
		if st.del {
			b.WriteString("d ")
		}
		for _, l := range st.lits {
			fmt.Fprintf(&b, "%d ", l)
		}
		b.WriteString("0\n")
	}
	return b.Bytes()
}

func writeBinary(steps []pstep) []byte {
	var b []byte
	for _, st := range steps {
		if st.del {
			b = append(b, 'd')
		} else {
			b = append(b, 'a')
		}
		for _, l := range append(slices.Clone(st.lits), 0) {
			u := 2 * l
			if l < 0 {
				u = -2*l + 1
			}
			for u >= 0x80 {
				b = append(b, byte(u&0x7f|0x80))
				u >>= 7
			}
			b = append(b, byte(u))
		}
	}
	return b
}

// verdict is the oracle's answer.
type verdict struct {
	accept       bool
	firstInvalid int  // 1-based lemma index of the first lemma that is neither RUP nor RAT, 0 if none
	allValid     bool // accepted with no lemma discarded
	conflict     int  // step after which unit propagation conflicts, -1 for none or the formula's own
}

// oracle decides a proof by the procedure of the package comment, as
// directly as possible: the clause set is a list, unit propagation scans
// every clause until nothing changes, deletions look for the clause by
// sorted literals, and every lemma before the conflict is checked.
func oracle(f *instances.CNF, steps []pstep) verdict {
	type clause struct {
		lits  []int
		alive bool
	}
	vars := f.Vars
	for _, st := range steps {
		for _, l := range st.lits {
			vars = max(vars, l, -l)
		}
	}
	var db []*clause
	dedup := func(ls []int) []int {
		var out []int
		for _, l := range ls {
			if !slices.Contains(out, l) {
				out = append(out, l)
			}
		}
		return out
	}
	for _, cl := range f.Clauses {
		db = append(db, &clause{lits: dedup(cl), alive: true})
	}
	value := func(a []int, l int) int {
		if l > 0 {
			return a[l]
		}
		return -a[-l]
	}
	set := func(a []int, l int) {
		if l > 0 {
			a[l] = 1
		} else {
			a[-l] = -1
		}
	}
	// fixpoint extends a by unit propagation; it reports a conflict.
	fixpoint := func(a []int) bool {
		for {
			changed := false
			for _, c := range db {
				if !c.alive {
					continue
				}
				open, last, sat := 0, 0, false
				for _, l := range c.lits {
					switch value(a, l) {
					case 1:
						sat = true
					case 0:
						open++
						last = l
					}
				}
				switch {
				case sat:
				case open == 0:
					return true
				case open == 1:
					set(a, last)
					changed = true
				}
			}
			if !changed {
				return false
			}
		}
	}
	top := make([]int, vars+1)
	// rup reports whether assuming the negation of ls conflicts.
	rup := func(ls []int) bool {
		a := slices.Clone(top)
		for _, l := range ls {
			switch value(a, l) {
			case 1:
				return true
			case 0:
				set(a, -l)
			}
		}
		return fixpoint(a)
	}
	rat := func(ls []int) bool {
		if len(ls) == 0 {
			return false
		}
		p := ls[0]
		for _, d := range db {
			if !d.alive || !slices.Contains(d.lits, -p) {
				continue
			}
			res := slices.Clone(ls)
			for _, l := range d.lits {
				if l != -p {
					res = append(res, l)
				}
			}
			if !rup(res) {
				return false
			}
		}
		return true
	}
	sorted := func(ls []int) []int {
		s := slices.Clone(ls)
		slices.Sort(s)
		return s
	}

	if fixpoint(top) {
		return verdict{accept: true, allValid: true, conflict: -1}
	}
	out := verdict{conflict: -1}
	lemma := 0
	for i, st := range steps {
		ls := dedup(st.lits)
		if st.del {
			want := sorted(ls)
			for i := len(db) - 1; i >= 0; i-- {
				c := db[i]
				if !c.alive || !slices.Equal(sorted(c.lits), want) {
					continue
				}
				trues, falses := 0, 0
				for _, l := range c.lits {
					switch value(top, l) {
					case 1:
						trues++
					case -1:
						falses++
					}
				}
				if trues != 1 || falses != len(c.lits)-1 {
					c.alive = false
				}
				break
			}
			continue
		}
		lemma++
		if len(ls) == 0 {
			return out // the empty clause without a conflict
		}
		if !rup(ls) && !rat(ls) {
			if out.firstInvalid == 0 {
				out.firstInvalid = lemma
			}
			continue
		}
		db = append(db, &clause{lits: ls, alive: true})
		top = make([]int, vars+1)
		if fixpoint(top) {
			out.accept = true
			out.allValid = out.firstInvalid == 0
			out.conflict = i
			return out.requireEmpty(steps)
		}
	}
	return out // no empty clause
}

// requireEmpty rejects an accepted verdict when the proof never claims the
// empty clause; it is called at the conflict, before which no empty clause
// was met.
func (v verdict) requireEmpty(steps []pstep) verdict {
	for _, st := range steps {
		if !st.del && len(st.lits) == 0 {
			return v
		}
	}
	return verdict{firstInvalid: v.firstInvalid, conflict: v.conflict}
}
