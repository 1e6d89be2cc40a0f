package lrat_test

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strconv"

	"github.com/nashbench/nashbench/instances"
)

// This file holds the tests' own view of LRAT proofs: a step type, a binary
// parser, text, binary and DRAT writers, and the oracle, a deliberately
// simple checker (maps, no arena, no streaming). None of it uses package
// lrat, so that the tests compare two implementations of the rules in the
// package comment.

// step is a proof step as the tests see it: an added clause with its
// hints, or a deletion of the clauses ids.
type step struct {
	del   bool
	id    int64
	lits  []int
	hints []int64 // for a deletion, the deleted ids
}

func (s step) clone() step {
	s.lits, s.hints = slices.Clone(s.lits), slices.Clone(s.hints)
	return s
}

func cloneSteps(steps []step) []step {
	out := make([]step, len(steps))
	for i, s := range steps {
		out[i] = s.clone()
	}
	return out
}

// parseBinary reads a binary LRAT proof.
func parseBinary(b []byte) ([]step, error) {
	var steps []step
	i := 0
	next := func() (int64, error) {
		var u uint64
		for shift := 0; ; shift += 7 {
			if i >= len(b) {
				return 0, errors.New("truncated")
			}
			c := b[i]
			i++
			u |= uint64(c&0x7f) << shift
			if c < 0x80 {
				break
			}
		}
		x := int64(u >> 1)
		if u&1 == 1 {
			x = -x
		}
		return x, nil
	}
	list := func() ([]int64, error) {
		var out []int64
		for {
			x, err := next()
			if err != nil || x == 0 {
				return out, err
			}
			out = append(out, x)
		}
	}
	for i < len(b) {
		kind := b[i]
		i++
		var s step
		var err error
		switch kind {
		case 'd':
			s.del = true
			s.hints, err = list()
		case 'a':
			if s.id, err = next(); err != nil {
				return nil, err
			}
			var lits []int64
			if lits, err = list(); err != nil {
				return nil, err
			}
			for _, l := range lits {
				s.lits = append(s.lits, int(l))
			}
			s.hints, err = list()
		default:
			return nil, fmt.Errorf("byte %d: 0x%02x", i-1, kind)
		}
		if err != nil {
			return nil, err
		}
		steps = append(steps, s)
	}
	return steps, nil
}

// writeText writes steps as text LRAT, as cadical --lrat --no-binary does
// (a deletion carries the latest id before "d").
func writeText(steps []step) []byte {
	var buf bytes.Buffer
	var latest int64
	for _, s := range steps {
		if s.del {
			buf.WriteString(strconv.FormatInt(latest, 10))
			buf.WriteString(" d ")
			for _, h := range s.hints {
				buf.WriteString(strconv.FormatInt(h, 10))
				buf.WriteByte(' ')
			}
			buf.WriteString("0\n")
			continue
		}
		latest = s.id
		buf.WriteString(strconv.FormatInt(s.id, 10))
		buf.WriteByte(' ')
		for _, l := range s.lits {
			buf.WriteString(strconv.Itoa(l))
			buf.WriteByte(' ')
		}
		buf.WriteString("0 ")
		for _, h := range s.hints {
			buf.WriteString(strconv.FormatInt(h, 10))
			buf.WriteByte(' ')
		}
		buf.WriteString("0\n")
	}
	return buf.Bytes()
}

// writeBinary writes steps as binary LRAT.
func writeBinary(steps []step) []byte {
	var buf []byte
	put := func(x int64) {
		u := uint64(x) << 1
		if x < 0 {
			u = uint64(-x)<<1 | 1
		}
		for u >= 0x80 {
			buf = append(buf, byte(u)|0x80)
			u >>= 7
		}
		buf = append(buf, byte(u))
	}
	for _, s := range steps {
		if s.del {
			buf = append(buf, 'd')
			for _, h := range s.hints {
				put(h)
			}
			put(0)
			continue
		}
		buf = append(buf, 'a')
		put(s.id)
		for _, l := range s.lits {
			put(int64(l))
		}
		put(0)
		for _, h := range s.hints {
			put(h)
		}
		put(0)
	}
	return buf
}

// toDRAT strips the hints: the same clauses as a text DRAT proof, each
// deletion written with the literals of the clauses it deletes.
func toDRAT(f *instances.CNF, steps []step) []byte {
	clauses := map[int64][]int{}
	for i, c := range f.Clauses {
		clauses[int64(i+1)] = c
	}
	var buf bytes.Buffer
	line := func(prefix string, lits []int) {
		buf.WriteString(prefix)
		for _, l := range lits {
			buf.WriteString(strconv.Itoa(l))
			buf.WriteByte(' ')
		}
		buf.WriteString("0\n")
	}
	for _, s := range steps {
		if s.del {
			for _, id := range s.hints {
				line("d ", clauses[id])
				delete(clauses, id)
			}
			continue
		}
		clauses[s.id] = s.lits
		line("", s.lits)
	}
	return buf.Bytes()
}

// oracle checks steps against f by the package comment's rules, in the
// plainest way: a map of present clauses, and a set of true literals per
// step.
func oracle(f *instances.CNF, steps []step) error {
	present := map[int64][]int{}
	for i, c := range f.Clauses {
		present[int64(i+1)] = c
	}
	last := int64(len(f.Clauses))
	refuted := false
	for k, s := range steps {
		if s.del {
			for _, id := range s.hints {
				if _, ok := present[id]; !ok {
					return fmt.Errorf("step %d: deletes absent clause %d", k, id)
				}
				delete(present, id)
			}
			continue
		}
		if s.id <= last {
			return fmt.Errorf("step %d: id %d after %d", k, s.id, last)
		}
		last = s.id
		isTrue := map[int]bool{}
		taut := false
		for _, l := range s.lits {
			isTrue[-l] = true
		}
		for _, l := range s.lits {
			if isTrue[l] {
				taut = true
			}
		}
		conflict := taut
		for i, h := range s.hints {
			if h < 0 {
				return fmt.Errorf("step %d: RAT hint", k)
			}
			c, ok := present[h]
			if !ok {
				return fmt.Errorf("step %d: hint %d absent", k, h)
			}
			if taut {
				continue
			}
			var open []int
			for _, l := range c {
				if !isTrue[-l] && !slices.Contains(open, l) {
					open = append(open, l)
				}
			}
			if len(open) > 1 {
				return fmt.Errorf("step %d: hint %d not unit", k, h)
			}
			if len(open) == 0 {
				if i != len(s.hints)-1 {
					return fmt.Errorf("step %d: hints after the conflict", k)
				}
				conflict = true
				break
			}
			isTrue[open[0]] = true
		}
		if !conflict {
			return fmt.Errorf("step %d: no conflict", k)
		}
		present[s.id] = s.lits
		if len(s.lits) == 0 {
			refuted = true
		}
	}
	if !refuted {
		return errors.New("no empty clause")
	}
	return nil
}
