package main

import (
	"context"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nashbench/nashbench/internal/testtool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The HTML pages (the history's dashboard, a run's report) are tested in
// headless Chromium: Debian's chromium, which scripts/test installs.

// needChromium returns the path of Debian's chromium (testtool.Need: a
// missing one fails, with NASHBENCH_NO_EXTERNAL=1 it skips). The browser
// tests take seconds each: -short leaves them to the full run.
func needChromium(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("-short: the headless Chromium tests run in the full test (scripts/test)")
	}
	return testtool.Need(t, "chromium")
}

// chromium runs headless Chromium on a file (with a query or fragment, if
// any) with more flags and returns its standard output and the console
// messages it logged.
func chromium(t *testing.T, bin, file string, flags ...string) (stdout string, console []string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	args := append([]string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
		"--no-first-run", "--user-data-dir=" + t.TempDir(), "--enable-logging=stderr", "--v=1"}, flags...)
	args = append(args, "file://"+file)
	cmd := exec.CommandContext(ctx, bin, args...)
	var out, errb strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	require.NoError(t, err, "chromium %s\n%s", strings.Join(args, " "), tailLines(errb.String(), 30))
	// Console messages, at any level, are logged as
	// [pid:tid:time:INFO:CONSOLE:line] "message", source: file:///… (line)
	for _, line := range strings.Split(errb.String(), "\n") {
		if strings.Contains(line, ":CONSOLE") {
			console = append(console, line)
		}
	}
	return out.String(), console
}

func tailLines(s string, n int) string {
	l := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(l[max(0, len(l)-n):], "\n")
}

// consoleSeen is whether chromiumSeesConsole passed once in this process.
var consoleSeen sync.Map // bin -> true

// chromiumSeesConsole checks, once per process, that chromium's console
// messages are seen at all: a page that logs an error and throws. A test
// that asserts a page logs nothing needs it.
func chromiumSeesConsole(t *testing.T, bin string) {
	t.Helper()
	if _, ok := consoleSeen.Load(bin); ok {
		return
	}
	probe := filepath.Join(t.TempDir(), "probe.html")
	require.NoError(t, os.WriteFile(probe, []byte(`<!DOCTYPE html><html><head><link rel="icon" href="data:,"></head><body><script>console.error("nashbench-probe"); nope();</script></body></html>`), 0o644))
	_, console := chromium(t, bin, probe, "--dump-dom")
	all := strings.Join(console, "\n")
	require.Contains(t, all, "nashbench-probe", "chromium logged no console messages with --enable-logging=stderr --v=1: this test cannot see the page's errors")
	require.Contains(t, all, "Uncaught ReferenceError")
	consoleSeen.Store(bin, true)
}

// screenshot reads a screenshot of w x h pixels, checks that it is not
// blank (many colours, at least 2% not white), and returns it with its
// colours' counts and how many pixels are not white.
func screenshot(t *testing.T, file string, w, h int) (img image.Image, colours map[[3]uint32]int, nonWhite int) {
	t.Helper()
	f, err := os.Open(file)
	require.NoError(t, err)
	defer f.Close()
	img, err = png.Decode(f)
	require.NoError(t, err)
	require.Equal(t, image.Rect(0, 0, w, h), img.Bounds())
	colours = map[[3]uint32]int{}
	for y := range h {
		for x := range w {
			r, g, b, _ := img.At(x, y).RGBA()
			r, g, b = r>>8, g>>8, b>>8
			colours[[3]uint32{r, g, b}]++
			if r < 245 || g < 245 || b < 245 {
				nonWhite++
			}
		}
	}
	assert.Greater(t, len(colours), 50, "a page of text and charts has many colours")
	assert.Greater(t, nonWhite, w*h/50, "at least 2%% of the page is not white")
	return img, colours, nonWhite
}
