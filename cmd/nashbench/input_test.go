package main

import (
	"archive/tar"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nashbench/nashbench/internal/input/inputtest"
	"github.com/nashbench/nashbench/record"
	"github.com/nashbench/nashbench/rundir"
)

// The inputs people have (issue 25): compressed files, byte-order marks,
// standard input and pipes.
func TestSolveInputsPeopleHave(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		return writeFile(t, dir, name, string(data))
	}
	bomCNF := append(slices.Clone(inputtest.BOM), inputtest.SatCNF...)
	bomGame := append(slices.Clone(inputtest.BOM), inputtest.GameJSON...)
	var cnfs, games []string
	for _, format := range inputtest.Formats {
		ext := inputtest.Ext[format]
		cnfs = append(cnfs, write("f.cnf"+ext, inputtest.Compress(t, format, inputtest.SatCNF)))
		games = append(games, write("g.json"+ext, inputtest.Compress(t, format, inputtest.GameJSON)))
	}
	// Was "f.cnf.gz:1: clause before p cnf header", and a .json.gz game was
	// read as CNF; a byte-order mark was "clause before p cnf header" and
	// "invalid character 'ï'".
	cnfs = append(cnfs, write("bom.cnf", bomCNF))
	games = append(games, write("bom.json", bomGame))
	code, out, errs := runCmd(append([]string{"solve", "--json"}, append(cnfs, games...)...)...)
	require.Equal(t, 0, code, errs)
	recs := records(t, out)
	require.Len(t, recs, len(cnfs)+len(games))
	for i, r := range recs {
		if i < len(cnfs) {
			assert.Equal(t, record.KindCNF, r.Kind, r.Instance)
			assert.Equal(t, record.SAT, r.Answer, r.Instance)
		} else {
			assert.Equal(t, record.KindGame, r.Kind, r.Instance)
			assert.Equal(t, record.PNE, r.Answer, r.Instance)
		}
		assert.True(t, r.Verified != nil && *r.Verified, r.Instance)
	}

	code, out, errs = runCmd("analyze", write("bom.json.gz", inputtest.Compress(t, "gzip", bomGame)))
	require.Equal(t, 0, code, errs)
	assert.Contains(t, out, "3 players")
	code, out, errs = runCmd("reduce", cnfs[1])
	require.Equal(t, 0, code, errs)
	assert.Contains(t, out, `"D": [`)
	code, out, errs = runCmd("export", "--formulation", "pb", games[2])
	require.Equal(t, 0, code, errs)
	assert.Contains(t, out, "* instance: "+games[2])
}

// nashbench runs this test binary as nashbench (serveCLI), with stdin on
// a pipe.
func nashbench(t *testing.T, stdin []byte, args ...string) (stdout string, err error) {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), cliEnv+"=1")
	cmd.Stdin = bytes.NewReader(stdin)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return string(out), fmt.Errorf("%w: %s", err, stderr.String())
	}
	return string(out), nil
}

// A pipe is read once: "cat f.cnf | nashbench solve /dev/stdin" was "empty
// input: no p cnf header", and "-" was "open -: no such file or directory".
func TestSolveStdinAndPipes(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the command in a child process")
	}
	out, err := nashbench(t, inputtest.SatCNF, "solve", "--solver", "gophersat", "/dev/stdin")
	require.NoError(t, err)
	assert.Contains(t, out, "/dev/stdin: sat (gophersat")
	out, err = nashbench(t, inputtest.Compress(t, "xz", inputtest.SatCNF), "solve", "-")
	require.NoError(t, err)
	assert.Contains(t, out, "-: sat (enum")
	out, err = nashbench(t, inputtest.Compress(t, "bzip2", inputtest.GameJSON), "analyze", "-")
	require.NoError(t, err)
	assert.Contains(t, out, "3 players")
	out, err = nashbench(t, inputtest.SatCNF, "reduce", "-")
	require.NoError(t, err)
	assert.Contains(t, out, "Theorem 1 reduction")

	// bash's process substitution: a FIFO, /dev/fd/N.
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash for <(...)")
	}
	zst := writeFile(t, t.TempDir(), "f.cnf.zst", string(inputtest.Compress(t, "zstd", inputtest.SatCNF)))
	cmd := exec.Command(bash, "-c", `"$0" solve --solver gophersat <(cat "$1")`, os.Args[0], zst)
	cmd.Env = append(os.Environ(), cliEnv+"=1")
	b, err := cmd.CombinedOutput()
	require.NoError(t, err, string(b))
	assert.Regexp(t, `^/dev/fd/\d+: sat \(gophersat`, string(b))
}

// Each message says what the file looks like, and what to do.
func TestInputMessages(t *testing.T) {
	dir := t.TempDir()
	cnf := writeFile(t, dir, "x.cnf", string(inputtest.SatCNF))
	game := writeFile(t, dir, "game.json", string(inputtest.GameJSON))
	var tarball bytes.Buffer
	tw := tar.NewWriter(&tarball)
	require.NoError(t, tw.WriteHeader(&tar.Header{Name: "x.cnf", Mode: 0o644, Size: int64(len(inputtest.SatCNF))}))
	_, err := tw.Write(inputtest.SatCNF)
	require.NoError(t, err)
	require.NoError(t, tw.Close())
	tgz := writeFile(t, dir, "x.tar.gz", string(inputtest.Compress(t, "gzip", tarball.Bytes())))
	empty := writeFile(t, dir, "empty.cnf", "")
	bin := writeFile(t, dir, "x.bin", "\x00\x01\x02\x03")
	for _, tt := range []struct {
		args []string
		msg  string
	}{
		// Was "invalid JSON: invalid character 'c'".
		{[]string{"analyze", cnf}, cnf + ": this is a CNF formula, not a game JSON: reduce it first (nashbench reduce " + cnf + "), or solve it"},
		// Was "clause before p cnf header".
		{[]string{"reduce", game}, game + ": this looks like a game JSON, not a DIMACS CNF formula: solve or analyze it directly"},
		{[]string{"export", "--formulation", "cnf", tgz}, tgz + " is a tar archive: extract it first"},
		{[]string{"solve", tgz}, tgz + " is a tar archive: extract it first"},
		{[]string{"solve", empty}, empty + " is empty: want a DIMACS CNF formula or a game JSON"},
		{[]string{"export", "--formulation", "pb", bin}, bin + " is binary data, not a DIMACS CNF formula or a game JSON (it starts with bytes 00 01 02 03)"},
	} {
		t.Run(tt.args[0]+" "+filepath.Base(tt.args[len(tt.args)-1]), func(t *testing.T) {
			code, _, errs := runCmd(tt.args...)
			assert.Equal(t, 2, code)
			assert.Equal(t, "nashbench: "+tt.msg+"\n", errs)
		})
	}
	// A bad input's record says the kind its name gives: a .json.gz is a game.
	code, out, _ := runCmd("solve", "--json", writeFile(t, dir, "g.json.gz", "\x1f\x8b"))
	assert.Equal(t, 2, code)
	recs := records(t, out)
	require.Len(t, recs, 1)
	assert.Equal(t, "game", recs[0].Kind)
	assert.Contains(t, recs[0].Error, "g.json.gz: truncated gzip data")
}

// sweep --corpus takes .cnf files plain and compressed.
func TestSweepCompressedCorpus(t *testing.T) {
	corpus := t.TempDir()
	names := []string{"plain.cnf"}
	writeFile(t, corpus, "plain.cnf", string(inputtest.SatCNF))
	for _, format := range inputtest.Formats {
		name := "f.cnf" + inputtest.Ext[format]
		writeFile(t, corpus, name, string(inputtest.Compress(t, format, inputtest.SatCNF)))
		names = append(names, name)
	}
	writeFile(t, corpus, "notes.txt.gz", string(inputtest.Compress(t, "gzip", []byte("not an instance"))))
	run := filepath.Join(t.TempDir(), "run")
	code, _, errs := runCmd("sweep", "--corpus", corpus, "--solvers", "enum", "--out", run, "--quiet")
	require.Equal(t, 0, code, errs)
	rows, err := rundir.Read(run)
	require.NoError(t, err)
	require.Len(t, rows, len(names))
	var got []string
	for _, r := range rows {
		got = append(got, filepath.Base(r.Instance))
		assert.Equal(t, record.SAT, r.Answer, r.Instance)
		assert.Equal(t, 3, r.N, r.Instance)
		assert.Equal(t, 2, r.M, r.Instance)
	}
	assert.ElementsMatch(t, names, got)
}
