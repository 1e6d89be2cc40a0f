package game

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/nashbench/nashbench/internal/input"
	"github.com/nashbench/nashbench/internal/plural"
)

// The JSON game format. One object with:
//
//	"players": optional names, one per player
//	"delta":   delta_i, what player i gains by opening
//	"Delta":   Delta[i][j], what player j gains when player i opens (the
//	           paper's notation; the diagonal must be 0 or equal delta_i)
//	"D":       instead of delta and Delta: D[i][j], what i receives when j
//	           opens, with delta_i on the diagonal
//	"d":       the baseline progress of each player
//	"comment": optional free text
//
// All numbers are integers; payoffs are exact (see Bound). Unknown fields are
// rejected so that a misspelt field is not silently ignored.

// MaxFileBytes caps the size of a game file the reader accepts (once
// decompressed).
const MaxFileBytes = input.MaxBytes

// ReadFile reads a game from a JSON file, or from standard input for "-".
// The file is read once, whole; it may be compressed (gzip, xz, bzip2 or
// zstd, told by its content) and may start with a UTF-8 byte-order mark.
// A file that is not JSON, such as a CNF formula, is refused with an error
// that says what it looks like.
func ReadFile(path string) (*Game, error) {
	f, err := input.Read(path)
	if err != nil {
		return nil, err
	}
	if _, err := f.As(input.Game); err != nil {
		return nil, err
	}
	return ParseJSON(f.Data, f.Name)
}

// ReadJSON reads a game in the JSON format; name is used in error messages,
// which have the form "name:line: problem".
func ReadJSON(r io.Reader, name string) (*Game, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxFileBytes+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(data) > MaxFileBytes {
		return nil, fmt.Errorf("%s: file larger than %d bytes", name, MaxFileBytes)
	}
	return ParseJSON(data, name)
}

// ParseJSON reads a game in the JSON format from data, which may start
// with a UTF-8 byte-order mark; name is used in error messages, as by
// ReadJSON.
func ParseJSON(data []byte, name string) (*Game, error) {
	data = input.StripBOM(data)
	p := &jsonParser{name: name, data: data, dec: json.NewDecoder(bytes.NewReader(data))}
	p.dec.UseNumber()
	g, err := p.parse()
	if err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return nil, p.errAt(se.Offset, "invalid JSON: %v", se)
		}
		if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
			return nil, p.errAt(int64(len(data)), "unexpected end of input")
		}
		return nil, err
	}
	return g, nil
}

type jsonParser struct {
	name string
	data []byte
	dec  *json.Decoder
	rows []int64 // offset of each row of "D", to place a player's problem
	// lastRows is the offset of each row of the matrix read last.
	lastRows []int64
}

func (p *jsonParser) errAt(off int64, format string, args ...any) error {
	off = min(max(off, 0), int64(len(p.data)))
	line := 1 + bytes.Count(p.data[:off], []byte{'\n'})
	return fmt.Errorf("%s:%d: %s", p.name, line, fmt.Sprintf(format, args...))
}

func (p *jsonParser) here(format string, args ...any) error {
	return p.errAt(p.dec.InputOffset(), format, args...)
}

func (p *jsonParser) delim(want json.Delim, what string) error {
	tok, err := p.dec.Token()
	if err != nil {
		return err
	}
	if d, ok := tok.(json.Delim); !ok || d != want {
		return p.here("%s: want %q, found %v", what, string(want), describe(tok))
	}
	return nil
}

func describe(tok json.Token) string {
	switch t := tok.(type) {
	case json.Delim:
		return strconv.Quote(string(t))
	case string:
		return "string " + strconv.Quote(t)
	case nil:
		return "null"
	default:
		return fmt.Sprint(t)
	}
}

func (p *jsonParser) parse() (*Game, error) {
	if len(bytes.TrimSpace(p.data)) == 0 {
		return nil, p.errAt(0, "empty input")
	}
	if err := p.delim('{', "game"); err != nil {
		return nil, err
	}
	var (
		names          []string
		delta, base    []int64
		paperD, matrix [][]int64
		seen           = map[string]int{}
	)
	for p.dec.More() {
		tok, err := p.dec.Token()
		if err != nil {
			return nil, err
		}
		key, _ := tok.(string)
		line := 1 + bytes.Count(p.data[:p.dec.InputOffset()], []byte{'\n'})
		if _, dup := seen[key]; dup {
			return nil, p.here("field %q given twice", key)
		}
		seen[key] = line
		switch key {
		case "players":
			names, err = p.strings(key)
		case "delta":
			delta, err = p.ints(key)
		case "d":
			base, err = p.ints(key)
		case "Delta":
			paperD, err = p.matrix(key)
		case "D":
			matrix, err = p.matrix(key)
			p.rows = p.lastRows
		case "comment":
			var s string
			err = p.dec.Decode(&s)
			if err != nil {
				err = p.here("field \"comment\": want a string")
			}
		default:
			return nil, p.here("unknown field %q (want players, delta, Delta, D, d, comment)", key)
		}
		if err != nil {
			return nil, err
		}
	}
	if err := p.delim('}', "game"); err != nil {
		return nil, err
	}
	if _, err := p.dec.Token(); err != io.EOF {
		return nil, p.here("trailing data after the game object")
	}
	end := int64(len(p.data))
	if base == nil {
		return nil, p.errAt(end, "missing field \"d\"")
	}
	k := len(base)
	at := func(field string) int64 { // offset of a field's line, for messages
		return lineOffset(p.data, seen[field])
	}
	switch {
	case matrix != nil && (paperD != nil || delta != nil):
		return nil, p.errAt(at("D"), "give either \"D\" or \"delta\" with \"Delta\", not both")
	case matrix == nil && (paperD == nil || delta == nil):
		return nil, p.errAt(end, "missing field: give \"D\", or \"delta\" and \"Delta\"")
	}
	if matrix == nil {
		if len(delta) != k {
			return nil, p.errAt(at("delta"), "\"delta\" has %s but \"d\" has %d", plural.Count(len(delta), "entry", "entries"), k)
		}
		if len(paperD) != k {
			return nil, p.errAt(at("Delta"), "\"Delta\" has %s but \"d\" has %s", plural.Count(len(paperD), "row", "rows"), plural.Count(k, "entry", "entries"))
		}
		matrix = make([][]int64, k)
		for i := range matrix {
			matrix[i] = make([]int64, k)
		}
		for i, row := range paperD {
			if len(row) != k {
				return nil, p.errAt(at("Delta"), "\"Delta\" row %d has %s, want %d", i+1, plural.Count(len(row), "entry", "entries"), k)
			}
			for j, v := range row {
				if i == j {
					if v != 0 && v != delta[i] {
						return nil, p.errAt(at("Delta"), "\"Delta\"[%d][%d] = %d: the diagonal must be 0 or equal delta (%d)", i+1, j+1, v, delta[i])
					}
					continue
				}
				matrix[j][i] = v // Delta_ij is what j receives from i
			}
			matrix[i][i] = delta[i]
		}
	} else {
		if len(matrix) != k {
			return nil, p.errAt(at("D"), "\"D\" has %s but \"d\" has %s", plural.Count(len(matrix), "row", "rows"), plural.Count(k, "entry", "entries"))
		}
		for i, row := range matrix {
			if len(row) != k {
				return nil, p.errAt(at("D"), "\"D\" row %d has %s, want %d", i+1, plural.Count(len(row), "entry", "entries"), k)
			}
		}
	}
	if names != nil && len(names) != k {
		return nil, p.errAt(at("players"), "\"players\" has %s but \"d\" has %s", plural.Count(len(names), "name", "names"), plural.Count(k, "entry", "entries"))
	}
	g, err := New(names, matrix, base)
	if err != nil {
		// Place the problem on the player's row of "D" when there is one
		// (with "Delta" a player is a column, so the field's line), else on
		// "d", which sets the number of players.
		off := at("d")
		var pe *playerError
		if errors.As(err, &pe) {
			if p.rows != nil {
				off = p.rows[pe.player]
			} else {
				off = at("Delta")
			}
		}
		return nil, p.errAt(off, "%s", strings.TrimPrefix(err.Error(), "game: "))
	}
	return g, nil
}

func lineOffset(data []byte, line int) int64 {
	off := 0
	for l := 1; l < line; l++ {
		i := bytes.IndexByte(data[off:], '\n')
		if i < 0 {
			break
		}
		off += i + 1
	}
	return int64(off)
}

func (p *jsonParser) strings(field string) ([]string, error) {
	if err := p.delim('[', "field \""+field+"\""); err != nil {
		return nil, err
	}
	out := []string{}
	for p.dec.More() {
		tok, err := p.dec.Token()
		if err != nil {
			return nil, err
		}
		s, ok := tok.(string)
		if !ok {
			return nil, p.here("%s[%d]: want a string, found %s", field, len(out)+1, describe(tok))
		}
		out = append(out, s)
	}
	return out, p.delim(']', "field \""+field+"\"")
}

func (p *jsonParser) ints(field string) ([]int64, error) {
	if err := p.delim('[', "field \""+field+"\""); err != nil {
		return nil, err
	}
	out := []int64{}
	for p.dec.More() {
		if len(out) >= MaxPlayers {
			return nil, p.here("%s: more than %d entries", field, MaxPlayers)
		}
		tok, err := p.dec.Token()
		if err != nil {
			return nil, err
		}
		n, ok := tok.(json.Number)
		if !ok {
			return nil, p.here("%s[%d]: want an integer, found %s", field, len(out)+1, describe(tok))
		}
		v, err := strconv.ParseInt(n.String(), 10, 64)
		if errors.Is(err, strconv.ErrRange) {
			return nil, p.here("%s[%d]: %s is beyond ±2^61", field, len(out)+1, n)
		}
		if err != nil {
			return nil, p.here("%s[%d]: %s is not an integer (payoffs are exact integers, written in digits only; scale fractions)", field, len(out)+1, n)
		}
		if v > Bound || v < -Bound {
			return nil, p.here("%s[%d]: %d is beyond ±2^61", field, len(out)+1, v)
		}
		out = append(out, v)
	}
	return out, p.delim(']', "field \""+field+"\"")
}

// rowStart is the offset of the next value: InputOffset stands before the
// separating comma and any white space.
func (p *jsonParser) rowStart() int64 {
	off := p.dec.InputOffset()
	for off < int64(len(p.data)) && strings.IndexByte(", \t\r\n", p.data[off]) >= 0 {
		off++
	}
	return off
}

func (p *jsonParser) matrix(field string) ([][]int64, error) {
	if err := p.delim('[', "field \""+field+"\""); err != nil {
		return nil, err
	}
	out := [][]int64{}
	p.lastRows = p.lastRows[:0:0]
	for p.dec.More() {
		if len(out) >= MaxPlayers {
			return nil, p.here("%s: more than %d rows", field, MaxPlayers)
		}
		p.lastRows = append(p.lastRows, p.rowStart())
		row, err := p.ints(fmt.Sprintf("%s[%d]", field, len(out)+1))
		if err != nil {
			return nil, err
		}
		out = append(out, row)
	}
	return out, p.delim(']', "field \""+field+"\"")
}

// WriteJSON writes g in the JSON format, in the matrix form "D" and "d", one
// row of D per line.
func WriteJSON(w io.Writer, g *Game, comment string) error {
	bw := bufio.NewWriter(w)
	bw.WriteString("{\n")
	if comment != "" {
		c, _ := json.Marshal(comment)
		fmt.Fprintf(bw, "  \"comment\": %s,\n", c)
	}
	if g.Names != nil {
		n, _ := json.Marshal(g.Names)
		fmt.Fprintf(bw, "  \"players\": %s,\n", n)
	}
	bw.WriteString("  \"D\": [\n")
	var row []int64
	for i := range g.Players() {
		row = g.Row(i, row)
		bw.WriteString("    ")
		writeInts(bw, row)
		if i < g.Players()-1 {
			bw.WriteByte(',')
		}
		bw.WriteByte('\n')
	}
	bw.WriteString("  ],\n  \"d\": ")
	writeInts(bw, g.base)
	bw.WriteString("\n}\n")
	return bw.Flush()
}

func writeInts(w *bufio.Writer, xs []int64) {
	w.WriteByte('[')
	for i, x := range xs {
		if i > 0 {
			w.WriteString(", ")
		}
		w.WriteString(strconv.FormatInt(x, 10))
	}
	w.WriteByte(']')
}
