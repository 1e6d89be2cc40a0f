package input

import (
	"archive/zip"
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nashbench/nashbench/internal/input/inputtest"
)

func gzipped(t testing.TB, data []byte) []byte { return inputtest.Compress(t, "gzip", data) }
func xzed(t testing.TB, data []byte) []byte    { return inputtest.Compress(t, "xz", data) }
func zstded(t testing.TB, data []byte) []byte  { return inputtest.Compress(t, "zstd", data) }

func TestDecodeCompressed(t *testing.T) {
	for _, tt := range []struct {
		name  string
		plain []byte
		kind  Kind
	}{
		{"cnf", inputtest.SatCNF, CNF},
		{"game", inputtest.GameJSON, Game},
	} {
		for _, format := range inputtest.Formats {
			t.Run(tt.name+"/"+format, func(t *testing.T) {
				data := inputtest.Compress(t, format, tt.plain)
				// Told by content: the name says nothing.
				f, err := Decode("input", data, MaxBytes)
				require.NoError(t, err)
				assert.Equal(t, tt.plain, f.Data)
				assert.Equal(t, []string{format}, f.Compression)
				assert.Equal(t, tt.kind, f.Kind)

				// Within a limit of exactly its size, and not one byte less:
				// the bound of a decompression bomb.
				_, err = Decode("input", data, int64(len(tt.plain)))
				require.NoError(t, err)
				_, err = Decode("f.cnf.gz", data, int64(len(tt.plain))-1)
				require.Error(t, err)
				assert.Contains(t, err.Error(), "f.cnf.gz: more than ")
				assert.Contains(t, err.Error(), "once decompressed ("+format+")")
			})
		}
	}
}

// A byte-order mark goes, also inside compressed data; compression layers
// come off one after the other.
func TestDecodeBOMAndLayers(t *testing.T) {
	plain := inputtest.SatCNF
	bom := append(slices.Clone(inputtest.BOM), plain...)
	for name, data := range map[string][]byte{
		"plain":         bom,
		"gzip":          gzipped(t, bom),
		"xz of gzip":    xzed(t, gzipped(t, bom)),
		"zstd of bzip2": zstded(t, inputtest.Compress(t, "bzip2", inputtest.SatCNF)),
	} {
		f, err := Decode("f", data, MaxBytes)
		require.NoError(t, err, name)
		assert.Equal(t, plain, f.Data, name)
		assert.Equal(t, CNF, f.Kind, name)
	}
	game := append(slices.Clone(inputtest.BOM), inputtest.GameJSON...)
	f, err := Decode("g", game, MaxBytes)
	require.NoError(t, err)
	assert.Equal(t, Game, f.Kind)
	assert.Equal(t, byte('{'), f.Data[0])

	// Four layers are one too many.
	data := plain
	for range 4 {
		data = gzipped(t, data)
	}
	_, err = Decode("f", data, MaxBytes)
	assert.ErrorContains(t, err, "f is compressed more than 3 times (gzip, gzip, gzip)")
}

// A decompression bomb: a few kilobytes that decompress to far more than
// the limit stop at the limit, with an error that names the file.
func TestDecompressionBomb(t *testing.T) {
	zeros := make([]byte, 16<<20)
	for format, data := range map[string][]byte{
		"gzip": gzipped(t, zeros),
		"xz":   xzed(t, zeros),
		"zstd": zstded(t, zeros),
	} {
		require.Less(t, len(data), 64<<10, format)
		_, err := Decode("bomb.cnf."+format, data, 1<<20)
		assert.EqualError(t, err, "bomb.cnf."+format+": more than 1 MiB once decompressed ("+format+"), the most an input may hold: a decompression bomb, or an input too large")
	}
}

// At the real limit, MaxBytes: zstd frames of zeros, concatenated, to
// 1 GiB and a bit. (It holds 1 GiB of memory for a moment.)
func TestDecompressionBombAtMaxBytes(t *testing.T) {
	if testing.Short() {
		t.Skip("decompresses 1 GiB")
	}
	frame := zstded(t, make([]byte, 64<<20))
	var bomb []byte
	for range MaxBytes/(64<<20) + 1 {
		bomb = append(bomb, frame...)
	}
	path := filepath.Join(t.TempDir(), "bomb.cnf.zst")
	require.NoError(t, os.WriteFile(path, bomb, 0o644))
	_, err := Read(path)
	assert.EqualError(t, err, path+": more than 1 GiB once decompressed (zstd), the most an input may hold: a decompression bomb, or an input too large")
}

func TestReadSizeLimit(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "big.cnf")
	require.NoError(t, os.WriteFile(path, bytes.Repeat([]byte("c\n"), 1000), 0o644))
	_, err := ReadMax(path, 1024)
	assert.EqualError(t, err, path+" is 2000 bytes (2.0 KiB), more than the 1 KiB an input may hold")
	f, err := ReadMax(path, 2000)
	require.NoError(t, err)
	assert.Len(t, f.Data, 2000)

	// Standard input has no size to check first: it is read to the limit.
	inputtest.WithStdin(t, bytes.Repeat([]byte("c\n"), 1000), func() {
		_, err := ReadMax(Stdin, 1024)
		assert.EqualError(t, err, "<stdin> holds more than the 1 KiB an input may hold")
	})
}

func TestReadStdin(t *testing.T) {
	plain := inputtest.SatCNF
	inputtest.WithStdin(t, gzipped(t, plain), func() {
		f, err := Read("-")
		require.NoError(t, err)
		assert.Equal(t, "-", f.Path)
		assert.Equal(t, "<stdin>", f.Name)
		assert.Equal(t, plain, f.Data)
		assert.Equal(t, CNF, f.Kind)
	})
}

func TestReadErrors(t *testing.T) {
	dir := t.TempDir()
	_, err := Read(filepath.Join(dir, "missing.cnf"))
	assert.ErrorIs(t, err, os.ErrNotExist)
	_, err = Read(dir)
	assert.ErrorContains(t, err, "is a directory")

	// A truncated and a corrupt compressed file name the file and format.
	gz := gzipped(t, inputtest.SatCNF)
	_, err = Decode("cut.cnf.gz", gz[:len(gz)-6], MaxBytes)
	assert.ErrorContains(t, err, "cut.cnf.gz: truncated gzip data")
	bad := bytes.Clone(gz)
	bad[len(bad)-5] ^= 0xFF // the length in the trailer
	_, err = Decode("bad.cnf.gz", bad, MaxBytes)
	assert.ErrorContains(t, err, "bad.cnf.gz: corrupt gzip data: ")
	xzd := xzed(t, inputtest.SatCNF)
	_, err = Decode("cut.cnf.xz", xzd[:len(xzd)/2], MaxBytes)
	assert.ErrorContains(t, err, "cut.cnf.xz: truncated xz data")
}

func zipped(t *testing.T) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create("sat.cnf")
	require.NoError(t, err)
	_, err = w.Write(inputtest.SatCNF)
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

func TestSniff(t *testing.T) {
	for _, tt := range []struct {
		name   string
		data   string
		kind   Kind
		format string
	}{
		{"empty", "", Empty, ""},
		{"blank", " \n\t\r\n", Empty, ""},
		{"header", "p cnf 1 1\n1 0\n", CNF, ""},
		{"comments first", "c a\n\nc b\r\n  p cnf 1 1\n1 0\n", CNF, ""},
		{"comments only", "c a\nc b\n", CNF, ""},
		{"clause first", "1 -2 0\n", CNF, ""},
		{"negative clause first", "-1 0\n", CNF, ""},
		{"trailer", "%\n", CNF, ""},
		{"game", "\n  {\"d\": [1]}", Game, ""},
		{"array", "[1, 2]", Game, ""},
		{"text", "c x\nhello world\n", Text, ""},
		{"opb", "* #variable= 3 #constraint= 1\n+1 x1 >= 1 ;\n", Text, ""},
		{"nul", "p cnf\x00", Binary, ""},
		{"elf", "\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x3e\x00", Binary, ""},
		{"utf-16", "\xff\xfep\x00 \x00", Binary, "UTF-16 text"},
		{"latin-1 comment", "c caf\xe9\np cnf 1 1\n1 0\n", CNF, ""},
		{"zip", string(zipped(t)), Archive, "zip"},
		{"7z", "7z\xbc\xaf\x27\x1c\x00\x04", Archive, "7z"},
		{"lz4", "\x04\x22\x4d\x18\x64\x40\xa7", Compressed, "lz4"},
		{"compress", "\x1f\x9d\x90p", Compressed, "compress (.Z)"},
	} {
		f, err := Decode(tt.name, []byte(tt.data), MaxBytes)
		require.NoError(t, err, tt.name)
		assert.Equal(t, tt.kind, f.Kind, tt.name)
		assert.Equal(t, tt.format, f.Format, tt.name)
	}
	f, err := Decode("x.tar.gz", inputtest.TarGz(t), MaxBytes)
	require.NoError(t, err)
	assert.Equal(t, Archive, f.Kind)
	assert.Equal(t, "tar", f.Format)
}

func TestNameKind(t *testing.T) {
	for path, want := range map[string]Kind{
		"a/f.cnf":      CNF,
		"F.CNF":        CNF,
		"f.dimacs":     CNF,
		"f.cnf.gz":     CNF,
		"f.cnf.xz":     CNF,
		"f.cnf.bz2":    CNF,
		"f.cnf.zst":    CNF,
		"g.json":       Game,
		"g.JSON.GZ":    Game,
		"g.json.zst":   Game,
		"x.tar.gz":     Text,
		"-":            Text,
		"/dev/stdin":   Text,
		"f.cnf.gz.bak": Text,
	} {
		assert.Equal(t, want, NameKind(path), path)
	}
}

// As picks the parser from the content, the name only for text that is
// neither; what cannot be parsed is said in the error.
func TestAsAndMessages(t *testing.T) {
	decode := func(name, data string) *File {
		f, err := Decode(name, []byte(data), MaxBytes)
		require.NoError(t, err)
		f.Path = name
		return f
	}
	cnf := decode("x.cnf", "p cnf 1 1\n1 0\n")
	k, err := cnf.As(CNF, Game)
	require.NoError(t, err)
	assert.Equal(t, CNF, k)
	// By content, whatever the name.
	k, err = decode("x.json", "p cnf 1 1\n1 0\n").As(CNF, Game)
	require.NoError(t, err)
	assert.Equal(t, CNF, k)
	k, err = decode("x.cnf", "{}").As(CNF, Game)
	require.NoError(t, err)
	assert.Equal(t, Game, k)
	// Text named .json goes to the JSON parser, which says where it fails.
	k, err = decode("x.json", "hello").As(Game)
	require.NoError(t, err)
	assert.Equal(t, Game, k)

	for _, tt := range []struct {
		f    *File
		want []Kind
		msg  string
	}{
		{cnf, []Kind{Game}, "x.cnf: this is a CNF formula, not a game JSON: reduce it first (nashbench reduce x.cnf), or solve it"},
		{decode("my x.cnf", "p cnf 1 1\n1 0\n"), []Kind{Game}, "my x.cnf: this is a CNF formula, not a game JSON: reduce it first (nashbench reduce 'my x.cnf'), or solve it"},
		{decode("g.json", "{}"), []Kind{CNF}, "g.json: this looks like a game JSON, not a DIMACS CNF formula: solve or analyze it directly"},
		{decode("e.cnf", ""), []Kind{CNF, Game}, "e.cnf is empty: want a DIMACS CNF formula or a game JSON"},
		{decode("e.cnf.gz", string(gzipped(t, nil))), []Kind{CNF}, "e.cnf.gz is empty once decompressed (gzip): want a DIMACS CNF formula"},
		{decode("b.json", "  \n"), []Kind{Game}, "b.json is blank: it holds only white space, not a game JSON"},
		{decode("x.tar.gz", string(inputtest.TarGz(t))), []Kind{CNF, Game}, "x.tar.gz is a tar archive: extract it first"},
		{decode("x.zip", string(zipped(t))), []Kind{CNF}, "x.zip is a zip archive: extract it first"},
		{decode("x.lz4", "\x04\x22\x4d\x18\x64\x40\xa7"), []Kind{CNF, Game}, "x.lz4 is lz4 data, a compression nashbench does not read (it reads gzip, xz, bzip2 and zstd): decompress it first"},
		{decode("prog", "\x7fELF\x02\x01\x01\x00\x00\x00"), []Kind{CNF, Game}, "prog is binary data, not a DIMACS CNF formula or a game JSON (it starts with bytes 7f 45 4c 46 02 01 01 00)"},
		{decode("u.cnf", "\xff\xfep\x00"), []Kind{CNF}, "u.cnf is UTF-16 text: save it as UTF-8"},
		{decode("t.txt", "\nhello world\n"), []Kind{CNF, Game}, `t.txt is neither a DIMACS CNF formula nor a game JSON: it starts with "hello world"`},
		{decode("t.cnf", "hello world\n"), []Kind{CNF}, `t.cnf is not a DIMACS CNF formula: it starts with "hello world"`},
		{decode("t.cnf", "hello world\n"), []Kind{Game}, `t.cnf is not a game JSON: it starts with "hello world"`},
	} {
		_, err := tt.f.As(tt.want...)
		var ke *KindError
		require.ErrorAs(t, err, &ke, tt.msg)
		assert.EqualError(t, err, tt.msg)
	}
}

func TestSize(t *testing.T) {
	for n, want := range map[int64]string{
		0: "0 bytes", 1: "1 byte", 1000: "1000 bytes", 1024: "1 KiB", 1536: "1536 bytes (1.5 KiB)",
		1 << 20: "1 MiB", 1 << 30: "1 GiB", 1<<30 + 1: "1073741825 bytes (1.0 GiB)",
	} {
		assert.Equal(t, want, Size(n))
	}
}
