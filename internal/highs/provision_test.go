package highs

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
)

// isolate points the user cache dir at an empty temp dir and hides npm.
func isolate(t *testing.T) string {
	dir := t.TempDir()
	t.Setenv(EnvWasm, "")
	t.Setenv("XDG_CACHE_HOME", dir)
	t.Setenv("HOME", dir)
	t.Setenv("PATH", "")
	return dir
}

func realWasm(t *testing.T) []byte {
	b, err := loadWasm(context.Background())
	require.NoError(t, err)
	return b
}

func TestEnvWasmWrongBytes(t *testing.T) {
	p := filepath.Join(t.TempDir(), "highs.wasm")
	require.NoError(t, os.WriteFile(p, []byte("\x00asm not really"), 0o644))
	t.Setenv(EnvWasm, p)
	_, err := loadWasm(context.Background())
	require.Error(t, err)
	assert.Contains(t, err.Error(), "SHA-256 mismatch")
	assert.Contains(t, err.Error(), wasmSHA256)
	assert.Contains(t, err.Error(), p)
}

func TestEnvWasmMissing(t *testing.T) {
	p := filepath.Join(t.TempDir(), "nope.wasm")
	t.Setenv(EnvWasm, p)
	_, err := loadWasm(context.Background())
	require.ErrorIs(t, err, os.ErrNotExist)
	assert.Contains(t, err.Error(), EnvWasm)
}

func TestEnvWasmGood(t *testing.T) {
	b := realWasm(t)
	p := filepath.Join(t.TempDir(), "copy.wasm")
	require.NoError(t, os.WriteFile(p, b, 0o644))
	isolate(t)
	t.Setenv(EnvWasm, p)
	got, err := loadWasm(context.Background())
	require.NoError(t, err)
	assert.Equal(t, b, got)
}

func TestNoNpmNoCache(t *testing.T) {
	dir := isolate(t)
	_, err := loadWasm(context.Background())
	require.Error(t, err)
	msg := err.Error()
	assert.Contains(t, msg, "npm is not on PATH")
	assert.Contains(t, msg, "npm pack highs@1.15.3")
	assert.Contains(t, msg, EnvWasm+"=/path/to/highs.wasm")
	assert.Contains(t, msg, filepath.Join(dir, "nashbench", "highs-1.15.3", "highs.wasm"))
	assert.Contains(t, msg, wasmSHA256)
}

func TestCachedCopyUsedWithoutNpm(t *testing.T) {
	b := realWasm(t)
	dir := isolate(t)
	cached := filepath.Join(dir, "nashbench", "highs-1.15.3", "highs.wasm")
	require.NoError(t, cache(cached, b))
	got, err := loadWasm(context.Background())
	require.NoError(t, err)
	assert.Equal(t, b, got)

	// A corrupt cached copy is not trusted: it must be fetched again.
	require.NoError(t, os.WriteFile(cached, append(b[:len(b)-1:len(b)-1], 0), 0o644))
	_, err = loadWasm(context.Background())
	require.ErrorContains(t, err, "npm is not on PATH")
}

// TestFetchWithNpm really runs `npm pack` (network); opt in with
// NASHBENCH_HIGHS_NPM_TEST=1.
func TestFetchWithNpm(t *testing.T) {
	if os.Getenv("NASHBENCH_HIGHS_NPM_TEST") == "" {
		t.Skip("set NASHBENCH_HIGHS_NPM_TEST=1 to fetch highs@1.15.3 with npm")
	}
	dir := t.TempDir()
	t.Setenv(EnvWasm, "")
	t.Setenv("XDG_CACHE_HOME", dir)
	b, err := loadWasm(context.Background())
	require.NoError(t, err)
	require.NoError(t, checkSum(b))
	cached, err := os.ReadFile(filepath.Join(dir, "nashbench", "highs-1.15.3", "highs.wasm"))
	require.NoError(t, err)
	assert.Equal(t, b, cached)
}

func TestExtractWasm(t *testing.T) {
	tgz := func(files map[string]string) *bytes.Buffer {
		var buf bytes.Buffer
		gz := gzip.NewWriter(&buf)
		tw := tar.NewWriter(gz)
		for name, body := range files {
			require.NoError(t, tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(body)), Typeflag: tar.TypeReg}))
			_, err := tw.Write([]byte(body))
			require.NoError(t, err)
		}
		require.NoError(t, tw.Close())
		require.NoError(t, gz.Close())
		return &buf
	}
	b, err := extractWasm(tgz(map[string]string{"package/README.md": "x", tarballMember: "wasm!"}))
	require.NoError(t, err)
	assert.Equal(t, "wasm!", string(b))

	_, err = extractWasm(tgz(map[string]string{"package/build/highs.js": "x"}))
	assert.ErrorContains(t, err, "not in tarball")

	_, err = extractWasm(bytes.NewBufferString("not gzip"))
	assert.Error(t, err)
}

func TestCacheCreatesDirectory(t *testing.T) {
	p := filepath.Join(t.TempDir(), "a", "b", "highs.wasm")
	require.NoError(t, cache(p, []byte("one")))
	got, err := os.ReadFile(p)
	require.NoError(t, err)
	assert.Equal(t, "one", string(got))
}

// fakeModule assembles a wasm module importing hostFuncs from "a" (with
// mutate applied to the signatures) and exporting nothing.
func fakeModule(mutate func(name string, s sig) sig) []byte {
	uleb := func(b []byte, x uint64) []byte { return binary.AppendUvarint(b, x) }
	vec := func(b []byte, ts []api.ValueType) []byte {
		b = uleb(b, uint64(len(ts)))
		return append(b, ts...)
	}
	section := func(out []byte, id byte, body []byte) []byte {
		return append(uleb(append(out, id), uint64(len(body))), body...)
	}
	var types, imports []byte
	types = uleb(types, uint64(len(hostFuncs)))
	imports = uleb(imports, uint64(len(hostFuncs)))
	i := 0
	for name, h := range hostFuncs {
		s := mutate(name, h.sig)
		types = vec(vec(append(types, 0x60), s.params), s.results)
		imports = append(uleb(append(uleb(imports, 1), 'a'), uint64(len(name))), name...)
		imports = uleb(append(imports, 0x00), uint64(i))
		i++
	}
	out := []byte("\x00asm\x01\x00\x00\x00")
	out = section(out, 1, types)
	return section(out, 2, imports)
}

func TestSignatureCheck(t *testing.T) {
	ctx := context.Background()
	rt := wazero.NewRuntimeWithConfig(ctx, wazero.NewRuntimeConfigInterpreter())
	defer rt.Close(ctx)
	compile := func(b []byte) wazero.CompiledModule {
		cm, err := rt.CompileModule(ctx, b)
		require.NoError(t, err)
		return cm
	}

	// Correct imports, but none of the exports this package calls.
	err := checkSignatures(compile(fakeModule(func(_ string, s sig) sig { return s })))
	assert.ErrorContains(t, err, "lacks export")

	// clock_time_get with an i32 where the precision should be i64.
	err = checkSignatures(compile(fakeModule(func(name string, s sig) sig {
		if name == "p" {
			return fn(v(i32, i32, i32), i32)
		}
		return s
	})))
	assert.ErrorContains(t, err, "import a.p (clock_time_get)")

	// The real module passes (getEngine already checked it; check again).
	eng, err := getEngine(ctx)
	require.NoError(t, err)
	require.NoError(t, checkSignatures(eng.cm))
}
