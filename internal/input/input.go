// Package input opens nashbench's inputs, DIMACS CNF formulas and game JSON
// files, in one place: from a path or standard input ("-"), plain or
// compressed (gzip, xz, bzip2, zstd, told by their magic bytes, not by the
// name), with or without a UTF-8 byte-order mark. An input is read once,
// whole, into memory (so that a pipe or a FIFO such as /dev/stdin works),
// within MaxBytes before and after decompression; what it is, a formula, a
// game or something else, is told from its content.
package input

import (
	"bytes"
	"compress/bzip2"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/klauspost/compress/zstd"
	"github.com/ulikunitz/xz"

	"github.com/nashbench/nashbench/internal/shell"
)

// MaxBytes is the most an input may hold: its bytes as read, and again its
// bytes once decompressed (a decompression bomb stops there).
const MaxBytes = 1 << 30

// Stdin is the path that names standard input.
const Stdin = "-"

// Kind is what an input's content looks like.
type Kind int

const (
	// Text is text that looks like neither a formula nor a game (named
	// .json, it goes to the JSON parser, which says where it fails).
	Text Kind = iota
	Empty
	CNF  // a DIMACS CNF formula: its first line that is not a comment is a p line or a clause
	Game // JSON: the first byte that is not white space is '{' or '['
	// Binary is data that is not text (NUL or other control bytes, or
	// UTF-16 text, which Format then says).
	Binary
	Archive    // tar, zip, 7z or rar (Format): a container of files
	Compressed // compressed in a format not read here (Format): lz4, lzip, compress (.Z)
)

// File is an input read whole: its content decompressed, without a
// byte-order mark, and what it looks like.
type File struct {
	Path string // as given: "-" for standard input
	Name string // for messages: Path, or "<stdin>" for standard input
	Data []byte
	// Compression lists the formats Data was decompressed from, outermost
	// first: "gzip", "xz", "bzip2", "zstd"; none for a plain input.
	Compression []string
	Kind        Kind
	Format      string // for Archive, Compressed and some Binary: which
	blank       bool   // Empty, but with white space
}

// Read reads the input at path ("-": standard input) within MaxBytes.
func Read(path string) (*File, error) { return ReadMax(path, MaxBytes) }

// ReadMax reads the input at path ("-": standard input), refusing more than
// limit bytes before or after decompression.
func ReadMax(path string, limit int64) (*File, error) {
	name := DisplayName(path)
	var r io.Reader = os.Stdin
	hint := int64(64 << 10)
	if path != Stdin {
		fh, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		defer fh.Close()
		if st, err := fh.Stat(); err == nil && st.Mode().IsRegular() && st.Size() > 0 {
			if st.Size() > limit {
				return nil, fmt.Errorf("%s is %s, more than the %s an input may hold", name, Size(st.Size()), Size(limit))
			}
			hint = st.Size() + 1 // room to see EOF without growing
		}
		r = fh
	}
	raw, over, err := readAtMost(r, hint, limit)
	if err != nil {
		if path == Stdin {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		return nil, err // an *os.PathError names the file
	}
	if over {
		return nil, fmt.Errorf("%s holds more than the %s an input may hold", name, Size(limit))
	}
	f, err := Decode(name, raw, limit)
	if err != nil {
		return nil, err
	}
	f.Path = path
	return f, nil
}

// DisplayName is how messages name the input at path: "<stdin>" for "-".
func DisplayName(path string) string {
	if path == Stdin {
		return "<stdin>"
	}
	return path
}

// Decode makes a File of raw, an input's bytes named name in messages:
// it decompresses them (within limit bytes), strips a UTF-8 byte-order
// mark and tells what the content looks like.
func Decode(name string, raw []byte, limit int64) (*File, error) {
	f := &File{Path: name, Name: name, Data: raw}
	for {
		format, open := compression(f.Data)
		if open == nil {
			break
		}
		if len(f.Compression) == maxLayers {
			return nil, fmt.Errorf("%s is compressed more than %d times (%s)", name, maxLayers, strings.Join(f.Compression, ", "))
		}
		data, err := decompress(name, format, open, f.Data, limit)
		if err != nil {
			return nil, err
		}
		f.Data = data
		f.Compression = append(f.Compression, format)
	}
	f.Data = bytes.TrimPrefix(f.Data, bom)
	f.Kind, f.Format, f.blank = sniff(f.Data)
	return f, nil
}

// maxLayers is the most compression layers Decode takes off (a .gz of a
// .xz is two).
const maxLayers = 3

var bom = []byte{0xEF, 0xBB, 0xBF}

// StripBOM returns b without a leading UTF-8 byte-order mark.
func StripBOM(b []byte) []byte { return bytes.TrimPrefix(b, bom) }

type opener func(io.Reader) (io.ReadCloser, error)

// compression tells the compression format of data by its magic bytes;
// open is nil when data is not compressed in a format read here.
func compression(data []byte) (format string, open opener) {
	switch {
	case bytes.HasPrefix(data, []byte{0x1f, 0x8b}):
		return "gzip", func(r io.Reader) (io.ReadCloser, error) { return gzip.NewReader(r) }
	case bytes.HasPrefix(data, []byte{0xFD, '7', 'z', 'X', 'Z', 0x00}):
		return "xz", func(r io.Reader) (io.ReadCloser, error) {
			xr, err := xz.NewReader(r)
			return io.NopCloser(xr), err
		}
	case isBzip2(data):
		return "bzip2", func(r io.Reader) (io.ReadCloser, error) { return io.NopCloser(bzip2.NewReader(r)), nil }
	case isZstd(data):
		return "zstd", func(r io.Reader) (io.ReadCloser, error) {
			d, err := zstd.NewReader(r, zstd.WithDecoderConcurrency(1))
			if err != nil {
				return nil, err
			}
			return d.IOReadCloser(), nil
		}
	}
	return "", nil
}

// isBzip2 says whether data starts a bzip2 stream: "BZh", the block size
// 1-9, then the magic of a block or of the end of the stream.
func isBzip2(data []byte) bool {
	if len(data) < 10 || string(data[:3]) != "BZh" || data[3] < '1' || data[3] > '9' {
		return false
	}
	m := string(data[4:10])
	return m == "\x31\x41\x59\x26\x53\x59" || m == "\x17\x72\x45\x38\x50\x90"
}

// isZstd says whether data starts with a zstd frame or a skippable frame.
func isZstd(data []byte) bool {
	return bytes.HasPrefix(data, []byte{0x28, 0xB5, 0x2F, 0xFD}) ||
		len(data) >= 4 && data[0]&0xF0 == 0x50 && data[1] == 0x2A && data[2] == 0x4D && data[3] == 0x18
}

// decompress returns data decompressed, refusing more than limit bytes.
func decompress(name, format string, open opener, data []byte, limit int64) ([]byte, error) {
	rc, err := open(bytes.NewReader(data))
	if err != nil {
		return nil, corrupt(name, format, err)
	}
	defer rc.Close()
	out, over, err := readAtMost(rc, min(limit+1, int64(len(data))*4+4096), limit)
	switch {
	case err != nil:
		return nil, corrupt(name, format, err)
	case over:
		return nil, fmt.Errorf("%s: more than %s once decompressed (%s), the most an input may hold: a decompression bomb, or an input too large", name, Size(limit), format)
	}
	return out, nil
}

func corrupt(name, format string, err error) error {
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return fmt.Errorf("%s: truncated %s data (%v)", name, format, err)
	}
	return fmt.Errorf("%s: corrupt %s data: %w", name, format, err)
}

// readAtMost reads r to its end; over says that r holds more than limit
// bytes (then only limit+1 are read, and none is returned). The data go
// into a buffer of capacity hint, and beyond it into chunks of growing
// size joined at the end, so that a stream that turns out too large (a
// decompression bomb) never holds more than limit+1 bytes, nor copies them.
func readAtMost(r io.Reader, hint, limit int64) (data []byte, over bool, err error) {
	lr := io.LimitReader(r, limit+1)
	cur := make([]byte, 0, max(min(hint, limit+1), 512))
	var full [][]byte
	total := 0
	for {
		if len(cur) == cap(cur) {
			full = append(full, cur)
			cur = make([]byte, 0, min(2*cap(cur), maxChunk))
		}
		n, err := lr.Read(cur[len(cur):cap(cur)])
		cur = cur[:len(cur)+n]
		total += n
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, false, err
		}
	}
	if int64(total) > limit {
		return nil, true, nil
	}
	if len(full) == 0 {
		return cur, false, nil
	}
	data = make([]byte, 0, total)
	for _, c := range full {
		data = append(data, c...)
	}
	return append(data, cur...), false, nil
}

// maxChunk is the largest chunk readAtMost reads into.
const maxChunk = 64 << 20

// Size formats a byte count for messages: "1 GiB", "1000 bytes",
// "1536 bytes (1.5 KiB)".
func Size(n int64) string {
	if n == 1 {
		return "1 byte"
	}
	for _, u := range []struct {
		shift uint
		name  string
	}{{30, "GiB"}, {20, "MiB"}, {10, "KiB"}} {
		if n >= 1<<u.shift {
			if n%(1<<u.shift) == 0 {
				return fmt.Sprintf("%d %s", n>>u.shift, u.name)
			}
			return fmt.Sprintf("%d bytes (%.1f %s)", n, float64(n)/float64(int64(1)<<u.shift), u.name)
		}
	}
	return fmt.Sprintf("%d bytes", n)
}

// sniffBytes is how much of the content the binary check looks at.
const sniffBytes = 8 << 10

// sniff tells what data, an input's decompressed content, looks like.
func sniff(data []byte) (k Kind, format string, blank bool) {
	if len(data) == 0 {
		return Empty, "", false
	}
	if f := archive(data); f != "" {
		return Archive, f, false
	}
	if f := otherCompression(data); f != "" {
		return Compressed, f, false
	}
	if bytes.HasPrefix(data, []byte{0xFF, 0xFE}) || bytes.HasPrefix(data, []byte{0xFE, 0xFF}) {
		return Binary, "UTF-16 text", false
	}
	if isBinary(data[:min(len(data), sniffBytes)]) {
		return Binary, "", false
	}
	comments := false
	for rest := data; len(rest) > 0; {
		var line []byte
		line, rest, _ = bytes.Cut(rest, []byte{'\n'})
		line = bytes.TrimLeft(line, " \t\r\v\f")
		switch {
		case len(line) == 0:
			continue
		case line[0] == 'c':
			comments = true
			continue
		case line[0] == 'p' || line[0] == '%' || line[0] == '-' || '0' <= line[0] && line[0] <= '9':
			return CNF, "", false
		case line[0] == '{' || line[0] == '[':
			return Game, "", false
		}
		return Text, "", false
	}
	if comments {
		return CNF, "", false // comment lines only: the DIMACS parser says what is missing
	}
	return Empty, "", true
}

// archive names the archive format data is in, or "".
func archive(data []byte) string {
	switch {
	case len(data) >= 262 && string(data[257:262]) == "ustar":
		return "tar"
	case bytes.HasPrefix(data, []byte("PK\x03\x04")) || bytes.HasPrefix(data, []byte("PK\x05\x06")):
		return "zip"
	case bytes.HasPrefix(data, []byte("7z\xBC\xAF\x27\x1C")):
		return "7z"
	case bytes.HasPrefix(data, []byte("Rar!\x1A\x07")):
		return "rar"
	}
	return ""
}

// otherCompression names a compression format not read here, or "".
func otherCompression(data []byte) string {
	switch {
	case bytes.HasPrefix(data, []byte{0x04, 0x22, 0x4D, 0x18}):
		return "lz4"
	case bytes.HasPrefix(data, []byte("LZIP")):
		return "lzip"
	case bytes.HasPrefix(data, []byte{0x1F, 0x9D}):
		return "compress (.Z)"
	}
	return ""
}

// isBinary says whether head holds bytes that text does not: NUL, or
// more than a few control characters other than white space.
func isBinary(head []byte) bool {
	ctl := 0
	for _, c := range head {
		switch {
		case c == 0:
			return true
		case c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\v' && c != '\f' && c != 0x1B || c == 0x7F:
			ctl++
		}
	}
	return ctl > len(head)/100
}

// NameKind says what the name of path (less a compression suffix: .gz,
// .xz, .bz2, .zst) promises: CNF for .cnf and .dimacs, Game for .json,
// else Text (no promise).
func NameKind(path string) Kind {
	base := strings.ToLower(filepath.Base(path))
	for _, ext := range compressionExts {
		if s, ok := strings.CutSuffix(base, ext); ok {
			base = s
			break
		}
	}
	switch filepath.Ext(base) {
	case ".cnf", ".dimacs":
		return CNF
	case ".json":
		return Game
	}
	return Text
}

// compressionExts are the name suffixes of the compression formats read
// here.
var compressionExts = []string{".gz", ".xz", ".bz2", ".zst", ".zstd"}

// As says which of want (CNF, Game) to parse f as: its content's kind when
// that is wanted, or Game for text named .json (also compressed, .json.gz
// ...) that looks like neither, so that the JSON parser reports where the
// text goes wrong. Otherwise it returns a *KindError that says what f looks
// like.
func (f *File) As(want ...Kind) (Kind, error) {
	for _, k := range want {
		if f.Kind == k {
			return k, nil
		}
	}
	if f.Kind == Text && NameKind(f.Path) == Game && slices.Contains(want, Game) {
		return Game, nil // the JSON parser says where and why it is not JSON
	}
	return 0, &KindError{File: f, Want: want}
}

// KindError says that an input is not of a kind wanted, and what it looks
// like instead.
type KindError struct {
	File *File
	Want []Kind
}

func (e *KindError) Error() string {
	f := e.File
	name := f.Name
	want := wantText(e.Want)
	decompressed := ""
	if len(f.Compression) > 0 {
		decompressed = " once decompressed (" + strings.Join(f.Compression, ", ") + ")"
	}
	switch f.Kind {
	case Empty:
		if f.blank {
			return fmt.Sprintf("%s is blank%s: it holds only white space, not %s", name, decompressed, want)
		}
		return fmt.Sprintf("%s is empty%s: want %s", name, decompressed, want)
	case Archive:
		return fmt.Sprintf("%s is a%s %s archive: extract it first", name, article(f.Format), f.Format)
	case Compressed:
		return fmt.Sprintf("%s is %s data, a compression nashbench does not read (it reads gzip, xz, bzip2 and zstd): decompress it first", name, f.Format)
	case Binary:
		if f.Format != "" {
			return fmt.Sprintf("%s is %s%s: save it as UTF-8", name, f.Format, decompressed)
		}
		return fmt.Sprintf("%s is binary data%s, not %s (it starts with bytes % x)", name, decompressed, want, f.Data[:min(len(f.Data), 8)])
	case CNF: // A game was wanted: say how to get one.
		return fmt.Sprintf("%s: this is a CNF formula, not %s: reduce it first (nashbench reduce %s), or solve it", name, want, shell.Quote(f.Path))
	case Game:
		return fmt.Sprintf("%s: this looks like a game JSON, not %s: solve or analyze it directly", name, want)
	}
	if len(e.Want) == 1 {
		return fmt.Sprintf("%s is not %s: it starts with %q", name, want, firstLine(f.Data))
	}
	return fmt.Sprintf("%s is neither a DIMACS CNF formula nor a game JSON: it starts with %q", name, firstLine(f.Data))
}

func article(word string) string {
	if word != "" && strings.ContainsRune("aeiou", rune(word[0])) {
		return "n"
	}
	return ""
}

func wantText(want []Kind) string {
	parts := make([]string, len(want))
	for i, k := range want {
		switch k {
		case CNF:
			parts[i] = "a DIMACS CNF formula"
		case Game:
			parts[i] = "a game JSON"
		default:
			parts[i] = "?"
		}
	}
	return strings.Join(parts, " or ")
}

// firstLine is the first line of data that is not blank, cut to a length
// fit for a message.
func firstLine(data []byte) string {
	for rest := data; len(rest) > 0; {
		var line []byte
		line, rest, _ = bytes.Cut(rest, []byte{'\n'})
		line = bytes.TrimSpace(line)
		if len(line) == 0 {
			continue
		}
		if len(line) > 40 {
			return string(line[:40]) + "..."
		}
		return string(line)
	}
	return ""
}
