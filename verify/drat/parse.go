package drat

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"
)

// step is one step of the proof: a lemma or a deletion, whose deduplicated
// literals are arena[start:end] (for a lemma, the range of its clause).
type step struct {
	start, end int
	offset     int64 // byte offset of the step's first byte
	line       int   // line of the step's first byte in a text proof, 0 in a binary one
	del        bool
}

// sniffLen is how many leading bytes decide the format, as in drat-trim.
const sniffLen = 12

// textByte reports whether b may occur in a text proof's first bytes:
// drat-trim's alphabet (LF, CR, space, '-', digits, 'c', 'd') plus tab.
func textByte(b byte) bool {
	switch b {
	case '\n', '\r', ' ', '\t', '-', 'c', 'd':
		return true
	}
	return '0' <= b && b <= '9'
}

// isBinary applies drat-trim's test to the first bytes of a proof: binary if
// any byte is outside the text alphabet, where after a leading "c " comment
// letters are allowed too.
func isBinary(head []byte) bool {
	comment := len(head) >= 2 && head[0] == 'c' && head[1] == ' '
	for i, b := range head {
		if textByte(b) {
			continue
		}
		if comment && i >= 2 && 'A' <= b && b <= 'z' {
			continue
		}
		return true
	}
	return false
}

// parser reads a proof into the checker's arena and steps.
type parser struct {
	c      *checker
	r      *bufio.Reader
	offset int64 // offset of the next byte to read
	line   int
	cur    []uint32 // literals of the open step
}

// parse reads the whole proof. Errors name the byte offset, and for a text
// proof the line, where the input is wrong.
func (c *checker) parse(r io.Reader) error {
	p := &parser{c: c, r: bufio.NewReaderSize(r, 64<<10), line: 1}
	head, err := p.r.Peek(sniffLen)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return fmt.Errorf("drat: reading proof: %w", err)
	}
	c.stats.Binary = isBinary(head)
	if c.stats.Binary {
		err = p.binary()
	} else {
		err = p.text()
	}
	if err != nil {
		return err
	}
	c.stats.Lemmas = len(c.lemmaStep)
	c.stats.Deletions = len(c.steps) - len(c.lemmaStep)
	return nil
}

func (p *parser) readByte() (byte, error) {
	b, err := p.r.ReadByte()
	if err == nil {
		p.offset++
		return b, nil
	}
	if errors.Is(err, io.EOF) {
		return 0, io.EOF
	}
	return 0, fmt.Errorf("drat: reading proof: %w", err)
}

// errAt is a syntax error at the given offset (and line, for text).
func (p *parser) errAt(offset int64, line int, format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	if p.c.stats.Binary {
		return fmt.Errorf("drat: proof byte %d: %s", offset, msg)
	}
	return fmt.Errorf("drat: proof line %d: %s", line, msg)
}

// literal adds the DIMACS literal of variable v (1 <= v <= MaxInt32) to the
// open step.
func (p *parser) literal(v int64, neg bool) {
	l := p.c.internalVar(v) << 1
	if neg {
		l |= 1
	}
	p.cur = append(p.cur, l)
}

// endStep closes the open step: it drops duplicate literals and stores it.
func (p *parser) endStep(del bool, offset int64, line int) error {
	c := p.c
	if len(c.steps)%1024 == 0 {
		if err := c.ctx.Err(); err != nil {
			return fmt.Errorf("drat: %w", err)
		}
	}
	start := len(c.arena)
	c.stampGen++
	for _, l := range p.cur {
		if c.stamp[l] != c.stampGen {
			c.stamp[l] = c.stampGen
			c.arena = append(c.arena, l)
		}
	}
	p.cur = p.cur[:0]
	c.steps = append(c.steps, step{start: start, end: len(c.arena), offset: offset, line: line, del: del})
	if !del {
		c.addLemmaClause(len(c.steps) - 1)
	}
	return nil
}

func isSpace(b byte) bool {
	return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '\v' || b == '\f'
}

// text reads a text proof: steps of decimal literals ended by 0, deletions
// prefixed by "d", comment lines starting with "c" between steps.
func (p *parser) text() error {
	var (
		open      bool // a step is open
		del       bool
		stepOff   int64
		stepLine  int
		pending   = -1 // a byte read ahead, or -1
		pendingAt int64
	)
	next := func() (byte, int64, error) {
		if pending >= 0 {
			b := byte(pending)
			pending = -1
			return b, pendingAt, nil
		}
		at := p.offset
		b, err := p.readByte()
		return b, at, err
	}
	for {
		b, at, err := next()
		if errors.Is(err, io.EOF) {
			if open {
				return p.errAt(stepOff, stepLine, "the proof ends inside a step (no terminating 0)")
			}
			return nil
		}
		if err != nil {
			return err
		}
		switch {
		case b == '\n':
			p.line++
			continue
		case isSpace(b):
			continue
		case !open && b == 'c':
			for {
				b, _, err := next()
				if errors.Is(err, io.EOF) {
					return nil
				}
				if err != nil {
					return err
				}
				if b == '\n' {
					p.line++
					break
				}
			}
			continue
		case !open && b == 'd':
			open, del, stepOff, stepLine = true, true, at, p.line
			continue
		case b != '-' && (b < '0' || b > '9'):
			return p.errAt(at, p.line, "unexpected character %q", b)
		}
		// An integer: optional '-', then digits, ended by space or EOF.
		if !open {
			open, del, stepOff, stepLine = true, false, at, p.line
		}
		neg := b == '-'
		var v int64
		digits := 0
		if !neg {
			v, digits = int64(b-'0'), 1
		}
		for {
			b, bat, err := next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				return err
			}
			if '0' <= b && b <= '9' {
				v = v*10 + int64(b-'0')
				digits++
				if v > math.MaxInt32 {
					return p.errAt(at, p.line, "literal beyond %d", math.MaxInt32)
				}
				continue
			}
			if !isSpace(b) {
				return p.errAt(bat, p.line, "unexpected character %q in a number", b)
			}
			pending, pendingAt = int(b), bat
			break
		}
		if digits == 0 {
			return p.errAt(at, p.line, "'-' without digits")
		}
		if v != 0 {
			p.literal(v, neg)
			continue
		}
		if err := p.endStep(del, stepOff, stepLine); err != nil {
			return err
		}
		open = false
	}
}

// binary reads a binary proof: 'a' or 'd', then literals in variable-byte
// encoding of 2*|l| + (l < 0), then 0.
func (p *parser) binary() error {
	for {
		stepOff := p.offset
		b, err := p.readByte()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		var del bool
		switch b {
		case 'a':
		case 'd':
			del = true
		default:
			return p.errAt(stepOff, 0, "step starts with byte 0x%02x, not 'a' or 'd'", b)
		}
		for {
			litOff := p.offset
			var u uint64
			for shift := 0; ; shift += 7 {
				b, err := p.readByte()
				if errors.Is(err, io.EOF) {
					return p.errAt(stepOff, 0, "the proof ends inside a step (no terminating 0)")
				}
				if err != nil {
					return err
				}
				if shift >= 35 {
					return p.errAt(litOff, 0, "literal encoding longer than 5 bytes")
				}
				u |= uint64(b&0x7f) << shift
				if b < 0x80 {
					break
				}
			}
			if u == 0 {
				break
			}
			v := int64(u >> 1)
			if v == 0 {
				return p.errAt(litOff, 0, "encoded literal %d names variable 0", u)
			}
			if v > math.MaxInt32 {
				return p.errAt(litOff, 0, "literal beyond %d", math.MaxInt32)
			}
			p.literal(v, u&1 == 1)
		}
		if err := p.endStep(del, stepOff, 0); err != nil {
			return err
		}
	}
}
