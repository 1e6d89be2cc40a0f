package lrat

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/nashbench/nashbench/instances"
)

// slot is where a clause is: n > 0 for a present clause of n-1 literals at
// arena[off:], n < 0 for a deleted one (off is then where it was deleted: a
// line in a text proof, a byte offset in a binary one), 0 for an id no
// clause has had.
type slot struct {
	off int64
	n   int32
}

// Bounds of the tables.
const (
	// denseSlack is how far beyond twice the clauses stored so far the ids
	// may run and still be held in the slot table rather than the map.
	denseSlack = 1 << 16
	// compactAt is the least garbage (literals of deleted clauses) for
	// which the arena is compacted, when it is half of the arena.
	compactAt = 1 << 20
	// pollEvery is how many steps go between looks at the context.
	pollEvery = 1 << 10
	// bufSize is the read buffer.
	bufSize = 1 << 16
)

type checker struct {
	ctx   context.Context
	in    input
	line  int // current line of a text proof, 1-based
	stats Stats

	vals  []int8  // by variable: 1 true, -1 false, 0 unassigned
	trail []int32 // variables assigned in the current step

	slots  []slot          // by id, while the ids are dense
	sparse map[int64]*slot // ids beyond, once one is too far out for the table
	arena  []int32         // the literals of the present clauses
	// garbage is the literals of deleted clauses still in the arena.
	garbage int
	stored  int   // clauses stored, formula and proof
	m       int64 // the formula's clauses
	last    int64 // the largest id so far (m before the proof)
	maxVar  int32 // variables literals may name
	steps   int
	refuted bool

	// the step being read
	lits  []int32
	hints []int64
}

func newChecker(ctx context.Context, f *instances.CNF, proof io.Reader) *checker {
	c := &checker{
		ctx:    ctx,
		in:     input{r: proof, buf: make([]byte, bufSize)},
		line:   1,
		vals:   make([]int8, f.Vars+1),
		slots:  make([]slot, len(f.Clauses)+1),
		m:      int64(len(f.Clauses)),
		last:   int64(len(f.Clauses)),
		maxVar: int32(min(int64(f.Vars)+MaxExtraVars, math.MaxInt32)),
	}
	size := 0
	for _, cl := range f.Clauses {
		size += len(cl)
	}
	c.arena = make([]int32, 0, size)
	for i, cl := range f.Clauses {
		c.slots[i+1] = slot{off: int64(len(c.arena)), n: int32(len(cl) + 1)}
		for _, l := range cl {
			c.arena = append(c.arena, int32(l))
		}
	}
	c.stored = len(f.Clauses)
	return c
}

// input is a buffered reader the parsers index directly.
type input struct {
	r        io.Reader
	buf      []byte
	pos, end int
	base     int64 // offset of buf[0] in the proof
	eof      bool
	err      error // a read error other than io.EOF
}

// fill reads more of the proof once the buffer is used up; false at the
// end (or on a read error, kept in err).
func (in *input) fill() bool {
	if in.pos < in.end {
		return true
	}
	if in.eof {
		return false
	}
	in.base += int64(in.end)
	in.pos, in.end = 0, 0
	for range 100 {
		n, err := in.r.Read(in.buf)
		in.end = n
		if err != nil {
			in.eof = true
			if !errors.Is(err, io.EOF) {
				in.err = err
			}
		}
		if n > 0 {
			return true
		}
		if in.eof {
			return false
		}
	}
	in.eof, in.err = true, io.ErrNoProgress
	return false
}

func (in *input) offset() int64 { return in.base + int64(in.pos) }

// run checks the whole proof.
func (c *checker) run() error {
	binary := false
	if c.in.fill() {
		b := c.in.buf[c.in.pos]
		binary = b == 'a' || b == 'd'
	}
	c.stats.Binary = binary
	for {
		if c.steps%pollEvery == 0 {
			if err := c.ctx.Err(); err != nil {
				return fmt.Errorf("lrat: stopped after %d steps: %w", c.steps, err)
			}
		}
		var (
			st  stepHead
			ok  bool
			err error
		)
		if binary {
			st, ok, err = c.readBinary()
		} else {
			st, ok, err = c.readText()
		}
		if c.in.err != nil {
			return fmt.Errorf("lrat: reading the proof: %w", c.in.err)
		}
		if err != nil {
			return err
		}
		if !ok {
			break
		}
		c.steps++
		if st.del {
			err = c.delete(st)
		} else {
			err = c.add(st)
		}
		if err != nil {
			return err
		}
	}
	if !c.refuted {
		return ErrNoEmptyClause
	}
	return nil
}

// stepHead is where a step starts and what it is; its literals and hints
// (the ids of a deletion) are in c.lits and c.hints.
type stepHead struct {
	del  bool
	id   int64
	line int
	off  int64
}

func (c *checker) fail(st stepHead, format string, args ...any) error {
	return &StepError{Line: st.line, Offset: st.off, ID: st.id, Msg: fmt.Sprintf(format, args...)}
}

// where says where a deletion was: a line or a byte offset.
func (c *checker) where(off int64) string {
	if c.stats.Binary {
		return fmt.Sprintf("at byte %d", off)
	}
	return fmt.Sprintf("at line %d", off)
}

func (c *checker) lookup(id int64) *slot {
	if id > 0 && id < int64(len(c.slots)) {
		return &c.slots[id]
	}
	return c.sparse[id]
}

// store adds the clause c.lits under id, which is larger than every id so
// far.
func (c *checker) store(st stepHead) error {
	if len(c.lits) >= math.MaxInt32 {
		return c.fail(st, "a clause of %d literals", len(c.lits))
	}
	s := slot{off: int64(len(c.arena)), n: int32(len(c.lits) + 1)}
	c.arena = append(c.arena, c.lits...)
	c.stored++
	id := st.id
	if c.sparse == nil && id < 2*int64(c.stored)+denseSlack {
		for int64(len(c.slots)) < id {
			c.slots = append(c.slots, slot{})
		}
		c.slots = append(c.slots, s)
		return nil
	}
	if c.sparse == nil {
		c.sparse = map[int64]*slot{}
	}
	c.sparse[id] = &s
	return nil
}

// value is the value of literal l: 1 true, -1 false, 0 unassigned.
func (c *checker) value(l int32) int8 {
	if l < 0 {
		return -c.vals[-l]
	}
	return c.vals[l]
}

// set makes literal l true.
func (c *checker) set(l int32) {
	if l < 0 {
		c.vals[-l] = -1
		c.trail = append(c.trail, -l)
	} else {
		c.vals[l] = 1
		c.trail = append(c.trail, l)
	}
}

func (c *checker) undo() {
	for _, v := range c.trail {
		c.vals[v] = 0
	}
	c.trail = c.trail[:0]
}

// add checks an added clause against its hints and stores it.
func (c *checker) add(st stepHead) error {
	c.stats.Lemmas++
	if st.id <= c.last {
		if c.last == c.m {
			return c.fail(st, "id %d is not larger than the formula's %d clauses", st.id, c.m)
		}
		return c.fail(st, "id %d is not larger than the previous id %d", st.id, c.last)
	}
	c.last = st.id
	for _, l := range c.lits {
		v := max(l, -l)
		if int(v) >= len(c.vals) {
			c.vals = append(c.vals, make([]int8, int(v)+1-len(c.vals))...)
		}
	}
	taut := false
	for _, l := range c.lits {
		switch c.value(l) {
		case 1:
			taut = true // -l is in the clause too
		case 0:
			c.set(-l)
		}
	}
	conflict := taut
	for i, h := range c.hints {
		if h < 0 {
			c.undo()
			e := c.fail(st, "hint %d is %d: %v", i+1, h, ErrRAT).(*StepError)
			e.Err = ErrRAT
			return e
		}
		s := c.lookup(h)
		switch {
		case s == nil || s.n == 0:
			c.undo()
			return c.fail(st, "hint %d: no clause %d in the formula or the proof so far", i+1, h)
		case s.n < 0:
			c.undo()
			return c.fail(st, "hint %d: clause %d was deleted %s", i+1, h, c.where(s.off))
		case taut:
			continue
		}
		c.stats.Hints++
		unit := int32(0)
		for _, l := range c.arena[s.off : s.off+int64(s.n-1)] {
			if c.value(l) < 0 {
				continue
			}
			if unit == 0 {
				unit = l
			} else if l != unit {
				c.undo()
				return c.fail(st, "hint %d: clause %d is not unit: literals %d and %d are not false", i+1, h, unit, l)
			}
		}
		if unit == 0 {
			if i != len(c.hints)-1 {
				c.undo()
				return c.fail(st, "hint %d: clause %d is falsified, yet %d more hints follow (a falsified clause ends the hints)", i+1, h, len(c.hints)-1-i)
			}
			conflict = true
			break
		}
		if c.value(unit) == 0 {
			c.set(unit)
		}
	}
	c.undo()
	if !conflict {
		return c.fail(st, "not implied by its %d hints: none of them is falsified (RAT steps are not supported)", len(c.hints))
	}
	if len(c.lits) == 0 {
		c.refuted = true
	}
	return c.store(st)
}

// delete removes the clauses of a deletion step.
func (c *checker) delete(st stepHead) error {
	at := int64(st.line)
	if c.stats.Binary {
		at = st.off
	}
	for _, id := range c.hints {
		c.stats.Deletions++
		s := c.lookup(id)
		switch {
		case s == nil || s.n == 0:
			return c.fail(st, "deletes clause %d, which is not in the formula or the proof so far", id)
		case s.n < 0:
			return c.fail(st, "deletes clause %d, which was deleted %s", id, c.where(s.off))
		}
		c.garbage += int(s.n - 1)
		s.n, s.off = -1, at
	}
	if c.garbage >= compactAt && 2*c.garbage >= len(c.arena) {
		c.compact()
	}
	return nil
}

// compact moves the present clauses to a new arena without the deleted
// ones.
func (c *checker) compact() {
	arena := make([]int32, 0, len(c.arena)-c.garbage)
	move := func(s *slot) {
		if s.n > 0 {
			off := int64(len(arena))
			arena = append(arena, c.arena[s.off:s.off+int64(s.n-1)]...)
			s.off = off
		}
	}
	for i := range c.slots {
		move(&c.slots[i])
	}
	for _, s := range c.sparse {
		move(s)
	}
	c.arena, c.garbage = arena, 0
}

// literal checks a literal of an added clause.
func (c *checker) literal(st stepHead, x int64) (int32, error) {
	if x < -int64(c.maxVar) || x > int64(c.maxVar) {
		return 0, c.fail(st, "literal %d: at most %d variables beyond the formula's", x, MaxExtraVars)
	}
	return int32(x), nil
}

// readText reads the next step of a text proof: false at the end.
func (c *checker) readText() (stepHead, bool, error) {
	in := &c.in
	// Blank lines and comments.
	for {
		if !in.fill() {
			return stepHead{}, false, nil
		}
		b := in.buf[in.pos]
		switch b {
		case ' ', '\t', '\r':
			in.pos++
			continue
		case '\n':
			in.pos++
			c.line++
			continue
		case 'c':
			for in.fill() && in.buf[in.pos] != '\n' {
				in.pos++
			}
			continue
		}
		break
	}
	st := stepHead{line: c.line, off: in.offset()}
	id, err := c.number(st, "a clause id")
	if err != nil {
		return st, false, err
	}
	if id < 0 {
		return st, false, c.fail(st, "clause id %d: want a positive id", id)
	}
	c.lits, c.hints = c.lits[:0], c.hints[:0]
	c.skipBlanks()
	if in.fill() && in.buf[in.pos] == 'd' {
		in.pos++
		if in.fill() && !isBlank(in.buf[in.pos]) && in.buf[in.pos] != '\n' {
			return st, false, c.fail(st, "want a blank after \"d\"")
		}
		st.del = true
		if err := c.deletions(st, func(what string) (int64, error) { return c.number(st, what) }); err != nil {
			return st, false, err
		}
		return st, true, c.endOfLine(st)
	}
	if id == 0 {
		return st, false, c.fail(st, "clause id 0: want a positive id")
	}
	st.id = id
	if err := c.addition(st, func(what string) (int64, error) { return c.number(st, what) }); err != nil {
		return st, false, err
	}
	return st, true, c.endOfLine(st)
}

// deletions reads the ids of a deletion step up to its 0, with next
// reading one number (of a text or a binary proof).
func (c *checker) deletions(st stepHead, next func(what string) (int64, error)) error {
	for {
		x, err := next("a clause id or 0")
		if err != nil {
			return err
		}
		if x == 0 {
			return nil
		}
		if x < 0 {
			return c.fail(st, "deletes clause %d: want a positive id", x)
		}
		c.hints = append(c.hints, x)
	}
}

// addition reads an added clause's literals and its hints, each list
// ending in 0, with next reading one number.
func (c *checker) addition(st stepHead, next func(what string) (int64, error)) error {
	for {
		x, err := next("a literal or 0")
		if err != nil {
			return err
		}
		if x == 0 {
			break
		}
		l, err := c.literal(st, x)
		if err != nil {
			return err
		}
		c.lits = append(c.lits, l)
	}
	for {
		x, err := next("a hint or 0")
		if err != nil {
			return err
		}
		if x == 0 {
			return nil
		}
		c.hints = append(c.hints, x)
	}
}

func isBlank(b byte) bool { return b == ' ' || b == '\t' || b == '\r' }

func (c *checker) skipBlanks() {
	in := &c.in
	for in.fill() && isBlank(in.buf[in.pos]) {
		in.pos++
	}
}

// endOfLine checks that only blanks follow a step's closing 0 on its line.
func (c *checker) endOfLine(st stepHead) error {
	c.skipBlanks()
	if c.in.fill() && c.in.buf[c.in.pos] != '\n' {
		return c.fail(st, "%s after the step's closing 0", c.token())
	}
	return nil
}

// token quotes what is at the read position, for messages.
func (c *checker) token() string {
	in := &c.in
	if !in.fill() {
		return "the end of the proof"
	}
	end := in.pos
	for end < in.end && end-in.pos < 20 && !isBlank(in.buf[end]) && in.buf[end] != '\n' {
		end++
	}
	return strconv.Quote(string(in.buf[in.pos:max(end, in.pos+1)]))
}

// number reads a decimal integer on the current line.
func (c *checker) number(st stepHead, want string) (int64, error) {
	c.skipBlanks()
	in := &c.in
	if !in.fill() {
		return 0, c.fail(st, "the proof ends where the step wants %s (each step ends in 0)", want)
	}
	if in.buf[in.pos] == '\n' {
		return 0, c.fail(st, "the line ends where the step wants %s (each step ends in 0)", want)
	}
	start := in.offset()
	neg := false
	if in.buf[in.pos] == '-' {
		neg = true
		in.pos++
	}
	var x int64
	digits := 0
	for in.fill() {
		b := in.buf[in.pos]
		if b < '0' || b > '9' {
			if !isBlank(b) && b != '\n' {
				return 0, c.fail(st, "want %s, found %s", want, c.token())
			}
			break
		}
		if x > (math.MaxInt64-9)/10 {
			return 0, c.fail(st, "a number too large at byte %d", start)
		}
		x = x*10 + int64(b-'0')
		digits++
		in.pos++
	}
	if digits == 0 {
		if neg {
			return 0, c.fail(st, "want %s, found \"-\"", want)
		}
		return 0, c.fail(st, "want %s, found %s", want, c.token())
	}
	if neg {
		x = -x
	}
	return x, nil
}

// readBinary reads the next step of a binary proof: false at the end.
func (c *checker) readBinary() (stepHead, bool, error) {
	in := &c.in
	if !in.fill() {
		return stepHead{}, false, nil
	}
	st := stepHead{off: in.offset()}
	kind := in.buf[in.pos]
	in.pos++
	c.lits, c.hints = c.lits[:0], c.hints[:0]
	next := func(string) (int64, error) { return c.varint(st) }
	switch kind {
	case 'd':
		st.del = true
		if err := c.deletions(st, next); err != nil {
			return st, false, err
		}
		return st, true, nil
	case 'a':
	default:
		return st, false, c.fail(st, "byte 0x%02x: want 'a' (an added clause) or 'd' (a deletion)", kind)
	}
	id, err := c.varint(st)
	if err != nil {
		return st, false, err
	}
	if id <= 0 {
		return st, false, c.fail(st, "clause id %d: want a positive id", id)
	}
	st.id = id
	if err := c.addition(st, next); err != nil {
		return st, false, err
	}
	return st, true, nil
}

// varint reads a number of a binary proof: the variable-byte encoding of
// 2|x| + (x < 0).
func (c *checker) varint(st stepHead) (int64, error) {
	in := &c.in
	var u uint64
	for shift := uint(0); ; shift += 7 {
		if !in.fill() {
			return 0, c.fail(st, "the proof ends inside the step (each step ends in 0)")
		}
		b := in.buf[in.pos]
		in.pos++
		if shift > 63 || shift == 63 && b > 1 {
			return 0, c.fail(st, "a number too large at byte %d", in.offset()-1)
		}
		u |= uint64(b&0x7f) << shift
		if b < 0x80 {
			break
		}
	}
	x := int64(u >> 1)
	if u&1 == 1 {
		if x == 0 {
			return 0, c.fail(st, "a negative zero at byte %d", in.offset()-1)
		}
		x = -x
	}
	return x, nil
}
