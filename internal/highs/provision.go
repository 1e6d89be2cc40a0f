package highs

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"github.com/nashbench/nashbench/internal/atomicfile"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

const (
	// npmPackage is the npm package that ships the HiGHS WebAssembly build.
	// Its minified import/export names are specific to this exact build.
	npmPackage = "highs@1.15.3"
	// wasmSHA256 pins the exact bytes of package/build/highs.wasm in
	// highs@1.15.3, so a tampered or different build never runs.
	wasmSHA256 = "528be4365bea1d4188988646b244263f50320df55782e14d6af5bce7cd45c840"
	// EnvWasm names the environment variable that points at a local copy
	// of highs.wasm, for machines without npm or network.
	EnvWasm = "NASHBENCH_HIGHS_WASM"

	tarballMember = "package/build/highs.wasm"
	maxWasmSize   = 64 << 20
	npmTimeout    = 3 * time.Minute
)

// cacheDir is where the wasm and wazero's compiled code live, so that only
// the first run on a machine pays for the download and the compile.
func cacheDir() (string, error) {
	base, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(base, "nashbench", "highs-1.15.3"), nil
}

func checkSum(b []byte) error {
	sum := sha256.Sum256(b)
	if got := hex.EncodeToString(sum[:]); got != wasmSHA256 {
		return fmt.Errorf("SHA-256 mismatch: got %s, want %s (%s build/highs.wasm)", got, wasmSHA256, npmPackage)
	}
	return nil
}

// loadWasm returns the verified highs.wasm bytes: from $NASHBENCH_HIGHS_WASM if
// set, else from the user cache, else fetched with npm into the cache.
func loadWasm(ctx context.Context) ([]byte, error) {
	if p := os.Getenv(EnvWasm); p != "" {
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("highs: reading %s=%s: %w", EnvWasm, p, err)
		}
		if err := checkSum(b); err != nil {
			return nil, fmt.Errorf("highs: %s=%s: %w", EnvWasm, p, err)
		}
		return b, nil
	}

	dir, dirErr := cacheDir()
	var cached string
	if dirErr == nil {
		cached = filepath.Join(dir, "highs.wasm")
		if b, err := os.ReadFile(cached); err == nil && checkSum(b) == nil {
			return b, nil
		}
		// A missing or corrupt cached copy is simply fetched again.
	}

	b, err := fetchWithNpm(ctx)
	if err != nil {
		return nil, fmt.Errorf("%w\n%s", err, howToProvide(cached))
	}
	if cached != "" {
		// Failing to cache only costs a refetch next time; do not fail the solve.
		_ = cache(cached, b)
	}
	return b, nil
}

// Wasm returns the verified highs.wasm as a solve would load it (from
// $NASHBENCH_HIGHS_WASM, the user cache, or npm), for copying it to
// machines that have neither npm nor the network, such as a cluster's
// compute nodes.
func Wasm(ctx context.Context) ([]byte, error) { return loadWasm(ctx) }

func howToProvide(cached string) string {
	var s strings.Builder
	s.WriteString("highs: the HiGHS WebAssembly binary is needed. Either:\n")
	s.WriteString("  - install Node.js/npm and retry: it is fetched once with `npm pack " + npmPackage + "`, or\n")
	s.WriteString("  - on a machine with npm run `npm pack " + npmPackage + " && tar xzf highs-1.15.3.tgz " + tarballMember + "`,\n")
	s.WriteString("    copy package/build/highs.wasm here and set " + EnvWasm + "=/path/to/highs.wasm")
	if cached != "" {
		s.WriteString(" (or copy it to " + cached + ")")
	}
	s.WriteString(".\n  Expected SHA-256: " + wasmSHA256)
	return s.String()
}

// fetchWithNpm runs `npm pack` in a scratch directory and extracts the wasm
// from the tarball; npm handles registry, proxy and integrity settings.
func fetchWithNpm(ctx context.Context) ([]byte, error) {
	npm, err := exec.LookPath("npm")
	if err != nil {
		return nil, errors.New("highs: highs.wasm is not cached and npm is not on PATH")
	}
	tmp, err := os.MkdirTemp("", "nashbench-highs-npm-")
	if err != nil {
		return nil, fmt.Errorf("highs: %w", err)
	}
	defer os.RemoveAll(tmp)

	ctx, cancel := context.WithTimeout(ctx, npmTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, npm, "pack", npmPackage, "--silent")
	cmd.Dir = tmp
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("highs: `npm pack %s` failed: %w: %s", npmPackage, err, strings.TrimSpace(stderr.String()))
	}
	tgzs, _ := filepath.Glob(filepath.Join(tmp, "*.tgz"))
	if len(tgzs) != 1 {
		return nil, fmt.Errorf("highs: `npm pack %s` produced %d tarballs, want 1", npmPackage, len(tgzs))
	}
	f, err := os.Open(tgzs[0])
	if err != nil {
		return nil, fmt.Errorf("highs: %w", err)
	}
	defer f.Close()
	b, err := extractWasm(f)
	if err != nil {
		return nil, fmt.Errorf("highs: %s: %w", filepath.Base(tgzs[0]), err)
	}
	if err := checkSum(b); err != nil {
		return nil, fmt.Errorf("highs: wasm from npm: %w", err)
	}
	return b, nil
}

func extractWasm(r io.Reader) ([]byte, error) {
	gz, err := gzip.NewReader(r)
	if err != nil {
		return nil, err
	}
	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return nil, fmt.Errorf("%s not in tarball", tarballMember)
		}
		if err != nil {
			return nil, err
		}
		if h.Name != tarballMember || h.Typeflag != tar.TypeReg {
			continue
		}
		if h.Size > maxWasmSize {
			return nil, fmt.Errorf("%s is %d bytes, too large", tarballMember, h.Size)
		}
		return io.ReadAll(io.LimitReader(tr, maxWasmSize))
	}
}

// cache stores the wasm at path, creating its directory, through a temp
// file and a rename so that concurrent processes never see a half-written
// wasm (and the SHA-256 check catches anything else).
func cache(path string, b []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return atomicfile.Write(path, b)
}
