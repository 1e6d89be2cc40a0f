package lp

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/nashbench/nashbench/internal/highs"
	"github.com/nashbench/nashbench/internal/plural"
)

// writeLP writes m in CPLEX LP format (Minimize or Maximize, Subject To,
// Bounds, Binary, General, End), as read by glpsol --lp, cbc, HiGHS, SCIP
// and CPLEX. cols and rows name the columns and rows; nil gives x1, x2, ...
// and r1, r2, .... Names must be valid LP names: a letter or '_' first (not
// 'e' or 'E', which readers may take for an exponent), then letters, digits,
// '_' or '.', at most 255 characters, all distinct.
//
// A row with both bounds finite and different is written as two rows,
// NAME_lo and NAME_hi (with "_lo"/"_hi" made unique); a row with no finite
// bound is omitted; a row without nonzeros is written with a zero
// coefficient on the first column, and so is one trivial row when there
// would be none. Integer columns with bounds 0..1 go to
// Binary, other integer columns to General. A nonzero objective offset
// cannot be written and is an error.
func writeLP(w io.Writer, m *highs.Model, cols, rows []string) error {
	n, nr := len(m.ColCosts), len(m.RowLower)
	if len(m.RowUpper) != nr || m.ColLower != nil && len(m.ColLower) != n ||
		m.ColUpper != nil && len(m.ColUpper) != n || m.VarTypes != nil && len(m.VarTypes) != n {
		return errors.New("mip: WriteLP: inconsistent model dimensions")
	}
	if n == 0 {
		return errors.New("mip: WriteLP: the model has no columns")
	}
	if m.Offset != 0 {
		return errors.New("mip: WriteLP: the LP format has no objective constant (offset)")
	}
	var err error
	if cols, err = lpNames(cols, n, "x", "column"); err != nil {
		return err
	}
	if rows, err = lpNames(rows, nr, "r", "row"); err != nil {
		return err
	}
	used := make(map[string]bool, nr)
	for _, r := range rows {
		used[r] = true
	}
	fresh := func(base string) string {
		name := base
		for q := 2; used[name]; q++ {
			name = base + strconv.Itoa(q)
		}
		used[name] = true
		return name
	}
	lower := func(j int) float64 {
		if m.ColLower == nil {
			return 0
		}
		return m.ColLower[j]
	}
	upper := func(j int) float64 {
		if m.ColUpper == nil {
			return math.Inf(1)
		}
		return m.ColUpper[j]
	}
	integer := func(j int) bool { return m.VarTypes != nil && m.VarTypes[j] == highs.Integer }

	// Rows as sorted lists of terms; duplicates summed as HiGHS does.
	byRow := make([][]highs.Nonzero, nr)
	for _, e := range m.ConstMatrix {
		if e.Row < 0 || e.Row >= nr || e.Col < 0 || e.Col >= n {
			return fmt.Errorf("mip: WriteLP: nonzero at (%d,%d) outside the %dx%d matrix", e.Row, e.Col, nr, n)
		}
		byRow[e.Row] = append(byRow[e.Row], e)
	}
	seen := make([]bool, n) // columns that appear in a row or the objective
	for r := range byRow {
		byRow[r] = sumDuplicates(byRow[r])
		for _, e := range byRow[r] {
			seen[e.Col] = true
		}
	}

	bw := bufio.NewWriter(w)
	lw := &lineWriter{w: bw}
	fmt.Fprintf(bw, "\\ written by nashbench (%s, %s)\n", plural.Count(n, "column", "columns"), plural.Count(nr, "row", "rows"))
	if m.Maximize {
		bw.WriteString("Maximize\n")
	} else {
		bw.WriteString("Minimize\n")
	}
	lw.start(" " + fresh("obj") + ":")
	wrote := false
	for j, c := range m.ColCosts {
		if c != 0 || !seen[j] {
			lw.term(c, cols[j])
			wrote = true
		}
	}
	if !wrote {
		lw.term(0, cols[0])
	}
	lw.end()
	bw.WriteString("Subject To\n")
	written := 0
	for r := range nr {
		lo, hi := m.RowLower[r], m.RowUpper[r]
		terms := byRow[r]
		if len(terms) == 0 {
			terms = []highs.Nonzero{{Row: r, Col: 0, Val: 0}}
		}
		write := func(name, sense string, rhs float64) {
			written++
			lw.start(" " + name + ":")
			for _, e := range terms {
				lw.term(e.Val, cols[e.Col])
			}
			lw.word(sense + " " + num(rhs))
			lw.end()
		}
		switch {
		case math.IsInf(lo, -1) && math.IsInf(hi, 1):
			fmt.Fprintf(bw, "\\ row %s is free and omitted\n", rows[r])
		case lo == hi:
			write(rows[r], "=", lo)
		case math.IsInf(lo, -1):
			write(rows[r], "<=", hi)
		case math.IsInf(hi, 1):
			write(rows[r], ">=", lo)
		default:
			write(fresh(rows[r]+"_lo"), ">=", lo)
			write(fresh(rows[r]+"_hi"), "<=", hi)
		}
	}
	if written == 0 {
		// LP readers want at least one constraint.
		fmt.Fprintf(bw, " %s: + 0 %s >= 0\n", fresh("empty"), cols[0])
	}
	bw.WriteString("Bounds\n")
	for j := range n {
		lo, hi := lower(j), upper(j)
		name := cols[j]
		switch {
		case integer(j) && lo == 0 && hi == 1:
			// Binary implies the bounds.
		case lo == hi:
			fmt.Fprintf(bw, " %s = %s\n", name, num(lo))
		case math.IsInf(lo, -1) && math.IsInf(hi, 1):
			fmt.Fprintf(bw, " %s free\n", name)
		case math.IsInf(lo, -1):
			fmt.Fprintf(bw, " -inf <= %s <= %s\n", name, num(hi))
		case math.IsInf(hi, 1):
			if lo != 0 {
				fmt.Fprintf(bw, " %s >= %s\n", name, num(lo))
			}
		default:
			fmt.Fprintf(bw, " %s <= %s <= %s\n", num(lo), name, num(hi))
		}
	}
	var bins, gens []string
	for j := range n {
		if integer(j) {
			if lower(j) == 0 && upper(j) == 1 {
				bins = append(bins, cols[j])
			} else {
				gens = append(gens, cols[j])
			}
		}
	}
	for _, sec := range []struct {
		head  string
		names []string
	}{{"Binary", bins}, {"General", gens}} {
		if len(sec.names) == 0 {
			continue
		}
		bw.WriteString(sec.head + "\n")
		lw.start(" " + sec.names[0])
		for _, s := range sec.names[1:] {
			lw.word(s)
		}
		lw.end()
	}
	bw.WriteString("End\n")
	return bw.Flush()
}

// sumDuplicates merges entries of the same column, keeping first-seen order
// and dropping zeros.
func sumDuplicates(es []highs.Nonzero) []highs.Nonzero {
	at := make(map[int]int, len(es))
	out := es[:0:0]
	for _, e := range es {
		if q, ok := at[e.Col]; ok {
			out[q].Val += e.Val
			continue
		}
		at[e.Col] = len(out)
		out = append(out, e)
	}
	keep := out[:0]
	for _, e := range out {
		if e.Val != 0 {
			keep = append(keep, e)
		}
	}
	return keep
}

func lpNames(names []string, n int, prefix, what string) ([]string, error) {
	if names == nil {
		names = make([]string, n)
		for q := range names {
			names[q] = prefix + strconv.Itoa(q+1)
		}
		return names, nil
	}
	if len(names) != n {
		return nil, fmt.Errorf("mip: WriteLP: %d %s names for %d %ss", len(names), what, n, what)
	}
	seen := make(map[string]bool, n)
	for _, s := range names {
		if !validLPName(s) {
			return nil, fmt.Errorf("mip: WriteLP: %q is not a valid LP %s name", s, what)
		}
		if seen[s] {
			return nil, fmt.Errorf("mip: WriteLP: duplicate %s name %q", what, s)
		}
		seen[s] = true
	}
	return names, nil
}

func validLPName(s string) bool {
	if s == "" || len(s) > 255 {
		return false
	}
	switch strings.ToLower(s) {
	case "free", "inf", "infinity", "st", "end", "bounds", "binary", "binaries", "general", "generals":
		return false
	}
	for q, c := range s {
		switch {
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_':
			if q == 0 && (c == 'e' || c == 'E') {
				return false
			}
		case c >= '0' && c <= '9' || c == '.':
			if q == 0 {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// num formats a finite number so that it reads back exactly: integers in
// plain digits, anything else in the shortest round-trip form.
func num(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e18 {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// lineWriter wraps long expressions: LP readers limit line length (CPLEX
// to 560 characters), and a line break is allowed between any two tokens.
type lineWriter struct {
	w   *bufio.Writer
	n   int
	buf strings.Builder
}

const maxLine = 200

func (l *lineWriter) start(s string) {
	l.buf.Reset()
	l.buf.WriteString(s)
	l.n = len(s)
}

func (l *lineWriter) word(s string) {
	if l.n+1+len(s) > maxLine && l.n > 0 {
		l.buf.WriteString("\n ")
		l.n = 1
	}
	if l.n > 0 {
		l.buf.WriteByte(' ')
		l.n++
	}
	l.buf.WriteString(s)
	l.n += len(s)
}

func (l *lineWriter) term(c float64, name string) {
	sign := "+"
	if c < 0 || c == 0 && math.Signbit(c) {
		sign, c = "-", -c
	}
	l.word(sign + " " + num(c) + " " + name)
}

func (l *lineWriter) end() {
	l.buf.WriteByte('\n')
	l.w.WriteString(l.buf.String())
}

// WriteLP writes the formulation in CPLEX LP format with its names.
func (f *Formulation) WriteLP(w io.Writer) error {
	return writeLP(w, f.Model, f.Cols, f.Rows)
}
