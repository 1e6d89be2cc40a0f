package search

import (
	"fmt"
	"strconv"
)

// The certificate of a "no" (solvers.ProofSearch; checked by package
// verify/searchcert, which shares no code with this one):
//
//	c comment lines
//	p nash <players> <lemmas>
//	<lemma lines: witnesses a b, literals (+u open, -u closed, players
//	 from 1), then 0>
//	lrat
//	<an LRAT refutation, text>
//
// Clause 1 is the non-triviality clause (x1 ∨ … ∨ xk); clauses 2..m+1 are
// the theory lemmas' literals in order, each a player's literal first (the
// pivot) and then literals of other players. A lemma is valid when, for
// every completion of the partial profile that makes its other literals
// false, the pivot's player gains strictly by playing the pivot's action
// rather than the other: the checker recomputes the pairwise bound
// (bounds.go) with the lemma's witnesses from the game to see it. The
// LRAT part then refutes the formula of clause 1 and the lemmas: every
// profile falsifies a lemma (it is then no equilibrium) or clause 1 (it
// is then all-closed), so no non-trivial equilibrium exists. With free
// players the search does not use clause 1 (every equilibrium then has a
// non-trivial copy), and the refutation covers every profile.
//
// The engines log what conflict analysis used: the lemmas it explained
// (deleted again once their player is unassigned), each learned clause
// with its hints (the level-0 units, the reasons resolved in trail order,
// the conflict), the units of level 0, and the clause refuting each cube;
// the driver joins the cubes' clauses by resolution up to the empty one.

// pid is a clause's id in an engine's proof log: low two bits a tag,
// the rest an index.
type pid int64

const (
	tagExt     = 0 // a clause of another log (the driver's combination steps)
	tagTheory  = 1
	tagDerived = 2
	pidNT      = pid(3) // the non-triviality clause
)

const (
	opAdd = 1
	opDel = 2
)

// proofLog is one engine's part of a certificate: its theory lemmas, and
// the LRAT steps of its derived clauses and deletions, in order.
type proofLog struct {
	th    []int32 // DIMACS literals, each lemma ended by 0
	nTh   int
	steps []int64
	nDer  int
	ext   []extRef // for tagExt ids
}

type extRef struct {
	log int
	p   pid
}

// size is the number of entries the log holds.
func (l *proofLog) size() int { return len(l.th) + len(l.steps) }

func (l *proofLog) theory(lits []lit, a, b int) pid {
	l.th = append(l.th, int32(a+1), int32(b+1))
	for _, q := range lits {
		l.th = append(l.th, dimacs(q))
	}
	l.th = append(l.th, 0)
	l.nTh++
	return pid(l.nTh-1)<<2 | tagTheory
}

func (l *proofLog) derive(lits []lit, hints []pid) pid {
	l.steps = append(l.steps, opAdd, int64(len(lits)))
	for _, q := range lits {
		l.steps = append(l.steps, int64(dimacs(q)))
	}
	l.steps = append(l.steps, int64(len(hints)))
	for _, h := range hints {
		l.steps = append(l.steps, int64(h))
	}
	l.nDer++
	return pid(l.nDer-1)<<2 | tagDerived
}

// deriveDimacs is derive for literals already in DIMACS form.
func (l *proofLog) deriveDimacs(lits []int32, hints []pid) pid {
	l.steps = append(l.steps, opAdd, int64(len(lits)))
	for _, q := range lits {
		l.steps = append(l.steps, int64(q))
	}
	l.steps = append(l.steps, int64(len(hints)))
	for _, h := range hints {
		l.steps = append(l.steps, int64(h))
	}
	l.nDer++
	return pid(l.nDer-1)<<2 | tagDerived
}

func (l *proofLog) external(log int, p pid) pid {
	l.ext = append(l.ext, extRef{log, p})
	return pid(len(l.ext)-1)<<2 | tagExt
}

func (l *proofLog) del(p pid) {
	if p != 0 && p != pidNT {
		l.steps = append(l.steps, opDel, int64(p))
	}
}

// writeCertificate joins the logs, in order, into one certificate of a
// k-player game. Ids of tagExt in a log name clauses of earlier logs.
func writeCertificate(k int, logs []*proofLog) []byte {
	thOff := make([]int64, len(logs)+1)
	derOff := make([]int64, len(logs)+1)
	for w, l := range logs {
		thOff[w+1] = thOff[w] + int64(l.nTh)
		derOff[w+1] = derOff[w] + int64(l.nDer)
	}
	m := thOff[len(logs)]
	var global func(w int, p pid) int64
	global = func(w int, p pid) int64 {
		idx := int64(p >> 2)
		switch p & 3 {
		case tagTheory:
			return 2 + thOff[w] + idx
		case tagDerived:
			return 2 + m + derOff[w] + idx
		case tagExt:
			r := logs[w].ext[idx]
			return global(r.log, r.p)
		}
		return 1 // pidNT
	}
	b := make([]byte, 0, 1<<16)
	b = append(b, "c nashbench search certificate: theory lemmas checked on the game, then an LRAT refutation\n"...)
	b = fmt.Appendf(b, "p nash %d %d\n", k, m)
	for _, l := range logs {
		for _, x := range l.th {
			b = strconv.AppendInt(b, int64(x), 10)
			if x == 0 {
				b = append(b, '\n')
			} else {
				b = append(b, ' ')
			}
		}
	}
	b = append(b, "lrat\n"...)
	last := 1 + m
	for w, l := range logs {
		s := l.steps
		d := derOff[w]
		for at := 0; at < len(s); {
			switch s[at] {
			case opAdd:
				last = 2 + m + d
				d++
				b = strconv.AppendInt(b, last, 10)
				n := int(s[at+1])
				at += 2
				for _, x := range s[at : at+n] {
					b = append(b, ' ')
					b = strconv.AppendInt(b, x, 10)
				}
				at += n
				b = append(b, " 0"...)
				n = int(s[at])
				at++
				for _, x := range s[at : at+n] {
					b = append(b, ' ')
					b = strconv.AppendInt(b, global(w, pid(x)), 10)
				}
				at += n
				b = append(b, " 0\n"...)
			case opDel:
				b = strconv.AppendInt(b, last, 10)
				b = append(b, " d "...)
				b = strconv.AppendInt(b, global(w, pid(s[at+1])), 10)
				b = append(b, " 0\n"...)
				at += 2
			default:
				panic("search: bad proof step")
			}
		}
	}
	return b
}
