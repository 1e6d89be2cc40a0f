// Package inputtest makes compressed inputs for the tests of the packages
// that read inputs: gzip, xz and zstd of any bytes, made at once, and
// bzip2 of the two fixtures, SatCNF and GameJSON, committed under
// testdata (the standard library reads bzip2 but cannot write it; see
// testdata/README.md); a tar archive to refuse; standard input as a pipe.
package inputtest

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"embed"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/klauspost/compress/zstd"
	"github.com/ulikunitz/xz"
)

//go:embed testdata/sat.cnf testdata/sat.cnf.bz2 testdata/game.json testdata/game.json.bz2
var fixtures embed.FS

// Formats are the compression formats inputs are read in, by the names
// messages give them.
var Formats = []string{"gzip", "xz", "bzip2", "zstd"}

// Ext is each format's file name suffix.
var Ext = map[string]string{"gzip": ".gz", "xz": ".xz", "bzip2": ".bz2", "zstd": ".zst"}

// The fixtures, plain: a satisfiable formula of 3 variables and 2 clauses
// (model 1 2 -3, and others), and examples/leader-followers.json.
var (
	SatCNF   = mustRead("testdata/sat.cnf")
	GameJSON = mustRead("testdata/game.json")
)

func mustRead(name string) []byte {
	b, err := fixtures.ReadFile(name)
	if err != nil {
		panic(err)
	}
	return b
}

// BOM is the UTF-8 byte-order mark.
var BOM = []byte{0xEF, 0xBB, 0xBF}

// Compress returns plain compressed in format (one of Formats). For bzip2
// plain must be one of the fixtures, SatCNF or GameJSON.
func Compress(tb testing.TB, format string, plain []byte) []byte {
	tb.Helper()
	var buf bytes.Buffer
	switch format {
	case "gzip":
		w := gzip.NewWriter(&buf)
		write(tb, w, plain)
	case "xz":
		w, err := xz.NewWriter(&buf)
		if err != nil {
			tb.Fatal(err)
		}
		write(tb, w, plain)
	case "zstd":
		enc, err := zstd.NewWriter(nil, zstd.WithEncoderConcurrency(1))
		if err != nil {
			tb.Fatal(err)
		}
		defer enc.Close()
		return enc.EncodeAll(plain, nil)
	case "bzip2":
		switch {
		case bytes.Equal(plain, SatCNF):
			return mustRead("testdata/sat.cnf.bz2")
		case bytes.Equal(plain, GameJSON):
			return mustRead("testdata/game.json.bz2")
		}
		tb.Fatal("inputtest: bzip2 is only of the fixtures SatCNF and GameJSON")
	default:
		tb.Fatalf("inputtest: unknown format %q", format)
	}
	return buf.Bytes()
}

// TarGz returns a gzip-compressed tar archive that holds SatCNF as
// sat.cnf: an input to refuse (extract it first).
func TarGz(tb testing.TB) []byte {
	tb.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	if err := tw.WriteHeader(&tar.Header{Name: "sat.cnf", Mode: 0o644, Size: int64(len(SatCNF))}); err != nil {
		tb.Fatal(err)
	}
	write(tb, tw, SatCNF)
	return Compress(tb, "gzip", buf.Bytes())
}

// WithStdin runs fn with os.Stdin a pipe that holds data, then restores
// os.Stdin.
func WithStdin(tb testing.TB, data []byte, fn func()) {
	tb.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		tb.Fatal(err)
	}
	go func() {
		w.Write(data)
		w.Close()
	}()
	old := os.Stdin
	os.Stdin = r
	defer func() {
		os.Stdin = old
		r.Close()
	}()
	fn()
}

func write(tb testing.TB, w io.WriteCloser, data []byte) {
	tb.Helper()
	if _, err := w.Write(data); err != nil {
		tb.Fatal(err)
	}
	if err := w.Close(); err != nil {
		tb.Fatal(err)
	}
}

// WriteFile writes data to a file called name in a temporary directory of
// t and returns its path.
func WriteFile(t testing.TB, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}
