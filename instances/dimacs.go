package instances

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/nashbench/nashbench/internal/input"
)

// Limits bounds what ReadDIMACS accepts, so that a hostile or corrupt file
// cannot make it allocate without bound. A zero (or negative) field means the
// default: 10,000,000 variables, 50,000,000 clauses, 200,000,000 literals.
type Limits struct {
	MaxVars     int // largest variable count a header may declare
	MaxClauses  int // largest clause count a header may declare
	MaxLiterals int // largest total number of literals over all clauses
	// Header, if set, is called with the header's counts before anything is
	// allocated from them; its error is reported at the p line. It lets a
	// caller refuse a formula too large for what it will build from it.
	Header func(vars, clauses int) error
}

// defaultLimits are the limits used for zero fields of a Limits value;
// unexported, so that no importer can change them for everyone.
var defaultLimits = Limits{
	MaxVars:     10_000_000,
	MaxClauses:  50_000_000,
	MaxLiterals: 200_000_000,
}

func (l Limits) withDefaults() Limits {
	if l.MaxVars <= 0 {
		l.MaxVars = defaultLimits.MaxVars
	}
	if l.MaxClauses <= 0 {
		l.MaxClauses = defaultLimits.MaxClauses
	}
	if l.MaxLiterals <= 0 {
		l.MaxLiterals = defaultLimits.MaxLiterals
	}
	return l
}

// MaxLineLength is the longest line, in bytes without its line terminator,
// that ReadDIMACS accepts. Longer lines are an error.
const MaxLineLength = 16 << 20

// wrapLength is the line length beyond which WriteDIMACS continues a clause on
// the next line.
const wrapLength = 1 << 20

// ParseError is a syntax or limit error in DIMACS input, at a 1-based line.
type ParseError struct {
	File string
	Line int
	Msg  string
}

func (e *ParseError) Error() string {
	return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
}

// ReadFile reads a DIMACS CNF file with defaultLimits; errors name the path.
// See ReadFileLimits.
func ReadFile(path string) (*CNF, error) {
	return ReadFileLimits(path, Limits{})
}

// ReadFileLimits reads a DIMACS CNF file within lim; errors name the path.
// The path "-" is standard input. The file is read once, whole (at most
// 1 GiB, once decompressed): it may be compressed (gzip, xz, bzip2 or zstd,
// told by its content, whatever its name) and may start with a UTF-8
// byte-order mark. A file that is not a formula, such as a game JSON or a
// tar archive, is refused with an error that says what it looks like.
func ReadFileLimits(path string, lim Limits) (*CNF, error) {
	f, err := input.Read(path)
	if err != nil {
		return nil, err
	}
	if _, err := f.As(input.CNF); err != nil {
		return nil, err
	}
	return ReadDIMACS(bytes.NewReader(f.Data), f.Name, lim)
}

// chunkSize is how many literals the reader allocates at a time to carve
// clauses from, so each clause does not cost an allocation of its own.
const chunkSize = 1 << 14

// preallocCap caps the Clauses capacity taken from a header, which is not
// trusted for allocation sizes.
const preallocCap = 1 << 12

// ReadDIMACS parses a formula in DIMACS CNF format from r; name is used in
// error messages, which are *ParseError values of the form "name:line: msg"
// (read errors from r are returned wrapped, not as *ParseError).
//
// Accepted: a UTF-8 byte-order mark at the start; "c" comment lines
// anywhere; blank lines; CRLF line ends; spaces and tabs between tokens;
// clauses spanning several lines or several clauses on one line; empty
// clauses (a lone 0); the SATLIB trailer, a line starting with "%": reading
// stops there and the rest of the input is ignored.
//
// Rejected: a missing, malformed or repeated "p cnf V C" header; header counts
// beyond lim; a clause before the header; a token that is not an integer; a
// literal whose variable exceeds V; more literals than lim allows; a last
// clause not terminated by 0; a clause count different from C (reported at
// the last line); a line longer than MaxLineLength bytes.
func ReadDIMACS(r io.Reader, name string, lim Limits) (*CNF, error) {
	lim = lim.withDefaults()
	sc := bufio.NewScanner(r)
	// ScanLines needs room for the terminator ("\r\n") in its buffer as well.
	sc.Buffer(make([]byte, 0, 64<<10), MaxLineLength+2)

	var (
		line       int // number of the current line
		sawInput   bool
		header     bool
		headerLine int
		declared   int // clause count in the header
		f          = &CNF{}
		got        int   // clauses read, including ones beyond declared
		lits       int   // literals read in all clauses
		cur        []int // literals of the open clause
		curLine    int   // line where the open clause started
		chunk      []int // free space to carve clauses from
	)
	fail := func(format string, args ...any) (*CNF, error) {
		return nil, &ParseError{File: name, Line: line, Msg: fmt.Sprintf(format, args...)}
	}

scan:
	for sc.Scan() {
		line++
		sawInput = true
		b := sc.Bytes()
		if line == 1 {
			b = input.StripBOM(b)
		}
		if len(b) > MaxLineLength {
			return fail("line longer than %d bytes", MaxLineLength)
		}
		i := skipSpace(b, 0)
		if i == len(b) {
			continue // blank line
		}
		switch b[i] {
		case 'c':
			continue
		case '%':
			if !header {
				return fail("no p cnf header before %q trailer", "%")
			}
			break scan
		case 'p':
			if header {
				return fail("second p header (first at line %d)", headerLine)
			}
			v, c, msg := parseHeader(b[i:], lim)
			if msg != "" {
				return fail("%s", msg)
			}
			if lim.Header != nil {
				if err := lim.Header(v, c); err != nil {
					return fail("%v", err)
				}
			}
			header, headerLine, declared = true, line, c
			f.Vars = v
			f.Clauses = make([][]int, 0, min(c, preallocCap))
			continue
		}
		if !header {
			return fail("clause before p cnf header")
		}
		for i < len(b) {
			j := skipToken(b, i)
			tok := b[i:j]
			i = skipSpace(b, j)
			l, ok := parseLiteral(tok, f.Vars)
			if !ok {
				switch {
				case isNegativeZero(tok):
					return fail("invalid literal %q: 0 ends a clause and has no sign", shorten(tok))
				case isInteger(tok):
					return fail("literal %s exceeds variable count %d", shorten(tok), f.Vars)
				case tok[0] == '+' && isInteger(tok[1:]) && tok[1] != '-':
					return fail("invalid literal %q: literals are written without '+' (%s)", shorten(tok), shorten(tok[1:]))
				}
				return fail("%q is not an integer", shorten(tok))
			}
			if l != 0 {
				if lits >= lim.MaxLiterals {
					return fail("more than %d literals (limit)", lim.MaxLiterals)
				}
				lits++
				if len(cur) == 0 {
					curLine = line
				}
				cur = append(cur, l)
				continue
			}
			// End of a clause.
			got++
			if got > declared {
				cur = cur[:0] // counted for the message at the end, not kept
				continue
			}
			if len(chunk) < len(cur) {
				chunk = make([]int, max(chunkSize, len(cur)))
			}
			cl := chunk[:len(cur):len(cur)]
			chunk = chunk[len(cur):]
			copy(cl, cur)
			if cl == nil {
				cl = []int{}
			}
			f.Clauses = append(f.Clauses, cl)
			cur = cur[:0]
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			line++
			return fail("line longer than %d bytes", MaxLineLength)
		}
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	line = max(line, 1)
	switch {
	case !sawInput:
		return fail("empty input: no p cnf header")
	case !header:
		return fail("no p cnf header")
	case len(cur) > 0:
		return fail("clause starting at line %d not terminated by 0", curLine)
	case got != declared:
		return fail("clause count mismatch: expected %d (header), got %d", declared, got)
	}
	return f, nil
}

// parseHeader parses "p cnf V C"; a non-empty msg reports what is wrong.
func parseHeader(b []byte, lim Limits) (vars, clauses int, msg string) {
	var fields []string // split as clause lines are, not by strings.Fields
	for i := skipSpace(b, 0); i < len(b) && len(fields) <= 4; {
		j := skipToken(b, i)
		fields = append(fields, string(b[i:j]))
		i = skipSpace(b, j)
	}
	if len(fields) != 4 || fields[0] != "p" || fields[1] != "cnf" {
		return 0, 0, fmt.Sprintf("malformed header %q: want \"p cnf VARS CLAUSES\"", shorten([]byte(strings.Join(fields, " "))))
	}
	vars, err1 := strconv.Atoi(fields[2])
	clauses, err2 := strconv.Atoi(fields[3])
	switch {
	case err1 != nil || vars < 0 || !isInteger([]byte(fields[2])):
		return 0, 0, fmt.Sprintf("malformed header: variable count %q is not a non-negative integer", shorten([]byte(fields[2])))
	case err2 != nil || clauses < 0 || !isInteger([]byte(fields[3])):
		return 0, 0, fmt.Sprintf("malformed header: clause count %q is not a non-negative integer", shorten([]byte(fields[3])))
	case vars > lim.MaxVars:
		return 0, 0, fmt.Sprintf("header variable count %d exceeds limit %d", vars, lim.MaxVars)
	case clauses > lim.MaxClauses:
		return 0, 0, fmt.Sprintf("header clause count %d exceeds limit %d", clauses, lim.MaxClauses)
	}
	return vars, clauses, ""
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && isSpace(b[i]) {
		i++
	}
	return i
}

func skipToken(b []byte, i int) int {
	for i < len(b) && !isSpace(b[i]) {
		i++
	}
	return i
}

// isInteger reports whether tok is an optional '-' followed by decimal digits.
func isInteger(tok []byte) bool {
	if len(tok) > 0 && tok[0] == '-' {
		tok = tok[1:]
	}
	if len(tok) == 0 {
		return false
	}
	for _, c := range tok {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// isNegativeZero reports whether tok is '-' followed by zeros only: "-0".
func isNegativeZero(tok []byte) bool {
	return len(tok) > 1 && tok[0] == '-' && isInteger(tok[1:]) && strings.Trim(string(tok[1:]), "0") == ""
}

// parseLiteral parses tok as a literal of a formula over vars variables: an
// optional '-' and decimal digits, with magnitude at most vars.
// ok is false if tok is not an integer, is "-0" (0 ends a clause: a sign
// on it is a mistake, not a clause end) or its magnitude exceeds vars.
func parseLiteral(tok []byte, vars int) (lit int, ok bool) {
	if !isInteger(tok) {
		return 0, false
	}
	neg := tok[0] == '-'
	if neg {
		tok = tok[1:]
	}
	v := 0
	for _, c := range tok {
		v = v*10 + int(c-'0')
		if v > vars {
			return 0, false // stops before any overflow: vars <= MaxVars
		}
	}
	if neg && v == 0 {
		return 0, false
	}
	if neg {
		v = -v
	}
	return v, true
}

// shorten returns tok as a string, cut to a length fit for an error message.
func shorten(tok []byte) string {
	const n = 40
	if len(tok) > n {
		return string(tok[:n]) + "..."
	}
	return string(tok)
}

// WriteDIMACS writes f in DIMACS CNF format: each comment as a "c" line (a
// comment containing newlines becomes several lines), the "p cnf V C" header,
// then one clause per line terminated by " 0" (an empty clause is a line "0";
// a clause whose line would exceed 1 MiB is continued on further lines).
// It returns f.Validate's error without writing anything if f is invalid.
func WriteDIMACS(w io.Writer, f *CNF, comments ...string) error {
	if f == nil {
		return errors.New("WriteDIMACS: nil formula")
	}
	if err := f.Validate(); err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	for _, c := range comments {
		for _, l := range strings.Split(c, "\n") {
			l = strings.TrimRight(l, "\r")
			if l == "" {
				bw.WriteString("c\n")
				continue
			}
			bw.WriteString("c ")
			bw.WriteString(l)
			bw.WriteByte('\n')
		}
	}
	fmt.Fprintf(bw, "p cnf %d %d\n", f.Vars, len(f.Clauses))
	// Clauses are formatted into buf, which goes to bw every few KiB.
	buf := make([]byte, 0, 4096)
	flushIfFull := func() error {
		if len(buf) < 4000 {
			return nil
		}
		_, err := bw.Write(buf)
		buf = buf[:0]
		return err
	}
	for _, c := range f.Clauses {
		lineLen := 0
		for _, l := range c {
			n := len(buf)
			buf = strconv.AppendInt(buf, int64(l), 10)
			lineLen += len(buf) - n + 1
			if lineLen >= wrapLength {
				// A clause too long for one line (far beyond anything
				// real) continues on the next, so ReadDIMACS can read it.
				buf = append(buf, '\n')
				lineLen = 0
			} else {
				buf = append(buf, ' ')
			}
			if err := flushIfFull(); err != nil {
				return err
			}
		}
		buf = append(buf, '0', '\n')
		if err := flushIfFull(); err != nil {
			return err
		}
	}
	if _, err := bw.Write(buf); err != nil {
		return err
	}
	return bw.Flush()
}
