package main

import (
	"context"
	"fmt"
	"html"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nashbench/nashbench/history"
	"github.com/nashbench/nashbench/internal/page"
)

// reportRegression is the commit of the generated history's regression: as
// at 34ae6ee in the repository's own history, highs-compact's n=6 model
// grows from 28 to 871 columns (and rows, nonzeros and time with it).
const reportRegression = "34ae6ee0c0a1b2c3d4e5f60718293a4b5c6d7e8f"

// reportHistory writes a history of n entries into dir, the regression at
// index at, and returns dir.
func reportHistory(t *testing.T, dir string, n, at int) string {
	t.Helper()
	base := time.Date(2026, 11, 22, 1, 0, 0, 0, time.UTC)
	for i := range n {
		commit, subject := fmt.Sprintf("%07x%033d", 0xb000000+i, i), fmt.Sprintf("change %d <em>not markup</em>", i)
		cols, rows, nnz, nodes, ns := 28, 105, 707, 0, 6.0e6
		if i == at {
			commit, subject = reportRegression, "highs-compact without the pairwise budget"
		}
		if i >= at {
			cols, rows, nnz, nodes, ns = 871, 670, 4355, 3, 4.8e8
		}
		var b strings.Builder
		b.WriteString("goos: linux\ngoarch: amd64\npkg: github.com/nashbench/nashbench/bench\nhighs: 1.15.1\n")
		for k := range 6 {
			j := 1 + 0.01*float64((k*7+i*3)%5)
			fmt.Fprintf(&b, "BenchmarkSolve/enum/n=6-2 \t 1000\t %.0f ns/op\t 175.0 checks/op\t 121.0 profiles/op\n", 128000*j)
			fmt.Fprintf(&b, "BenchmarkSolve/highs-compact/n=6-2 \t 10\t %.0f ns/op\t %d columns/op\t %d nodes/op\t %d nonzeros/op\t %d rows/op\n", ns*j, cols, nodes, nnz, rows)
		}
		_, err := history.Write(dir, history.Header{
			Commit: commit, Subject: subject, Date: base.Add(time.Duration(i) * time.Hour),
			RunDate: base.Add(time.Duration(i)*time.Hour + time.Minute), Machine: "ci", Suite: "track/1", Mode: "full",
		}, []byte(b.String()))
		require.NoError(t, err)
	}
	return dir
}

func TestReportCommand(t *testing.T) {
	dir := reportHistory(t, t.TempDir(), 8, 5)
	out := filepath.Join(t.TempDir(), "report.html")
	code, stdout, errs := runCmd("report", "--history", dir, "-o", out)
	require.Equal(t, 0, code, errs)
	assert.Empty(t, stdout)
	data, err := os.ReadFile(out)
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(string(data), "<!DOCTYPE html>"))
	assert.True(t, strings.Contains(html.UnescapeString(string(data)), "regression at 34ae6ee: 28 -> 871"), "the regression's note")

	// -o - writes the page to standard output.
	code, stdout, errs = runCmd("report", "-o", "-", "--history", dir)
	require.Equal(t, 0, code, errs)
	assert.Equal(t, string(data), stdout)

	for _, tt := range []struct {
		name string
		args []string
		msg  string
	}{
		{"no -o", []string{"--history", dir}, "report: -o is required"},
		{"argument", []string{"-o", "-", dir}, "report: unexpected argument"},
		{"no history", []string{"--history", filepath.Join(dir, "nope"), "-o", "-"}, "no such file or directory"},
		{"empty history", []string{"--history", t.TempDir(), "-o", "-"}, "has no entries (nashbench track adds them)"},
		{"unwritable -o", []string{"--history", dir, "-o", filepath.Join(dir, "nope", "x.html")}, "report: -o:"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errs := runCmd(append([]string{"report"}, tt.args...)...)
			assert.Equal(t, 2, code, errs)
			assert.Contains(t, errs, tt.msg)
		})
	}
}

// The history of this repository's checkout is the default.
func TestReportDefaultHistory(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	repo := t.TempDir()
	out, err := exec.Command("git", "init", "-q", repo).CombinedOutput()
	require.NoError(t, err, "%s", out)
	reportHistory(t, filepath.Join(repo, history.DefaultDir), 3, 1)
	sub := filepath.Join(repo, "a", "b")
	require.NoError(t, os.MkdirAll(sub, 0o777))
	t.Chdir(sub)
	code, stdout, errs := runCmd("report", "-o", "-")
	require.Equal(t, 0, code, errs)
	assert.Contains(t, stdout, "<h1>nashbench history</h1>")
}

// needChromium returns the path of Debian's chromium. Without it the test
// fails with how to install it, unless NASHBENCH_NO_EXTERNAL=1, which
// skips.
func needChromium(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("chromium")
	if err == nil {
		return p
	}
	if os.Getenv("NASHBENCH_NO_EXTERNAL") == "1" {
		t.Skip("chromium not installed and NASHBENCH_NO_EXTERNAL=1")
	}
	t.Fatal("chromium not found in PATH: install it (apt-get install -y chromium, or run scripts/test), or set NASHBENCH_NO_EXTERNAL=1 to skip")
	return ""
}

// chromium runs headless Chromium on a file with more flags and returns
// its standard output and the console messages it logged.
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

// The page renders in a real browser: no console errors, a screenshot with
// the charts (the regression's red marker among them), and the regression
// of highs-compact n=6's columns named in the DOM next to its chart, in an
// open section.
func TestReportInChromium(t *testing.T) {
	bin := needChromium(t)
	tmp := t.TempDir()
	dir := reportHistory(t, filepath.Join(tmp, "history"), 12, 6)
	file := filepath.Join(tmp, "report.html")
	code, _, errs := runCmd("report", "--history", dir, "-o", file)
	require.Equal(t, 0, code, errs)

	// First, that console messages are seen at all: a page that logs an
	// error and throws.
	probe := filepath.Join(tmp, "probe.html")
	require.NoError(t, os.WriteFile(probe, []byte(`<!DOCTYPE html><html><head><link rel="icon" href="data:,"></head><body><script>console.error("nashbench-probe"); nope();</script></body></html>`), 0o644))
	_, console := chromium(t, bin, probe, "--dump-dom")
	all := strings.Join(console, "\n")
	require.Contains(t, all, "nashbench-probe", "chromium logged no console messages with --enable-logging=stderr --v=1: this test cannot see the page's errors")
	require.Contains(t, all, "Uncaught ReferenceError")

	dom, console := chromium(t, bin, file, "--dump-dom")
	assert.Empty(t, console, "the page logs nothing")
	require.True(t, strings.Contains(dom, "<h1>nashbench history</h1>"), "no page in the DOM:\n%s", tailLines(dom, 20))
	const id = `id="BenchmarkSolve-highs-compact-n-6--columns-op"`
	i := strings.Index(dom, id)
	require.GreaterOrEqual(t, i, 0, "no chart of highs-compact n=6 columns/op")
	fig := dom[strings.LastIndex(dom[:i], "<figure"):]
	fig = fig[:strings.Index(fig, "</figure>")]
	assert.Contains(t, fig, `data-mark="bad"`)
	assert.Contains(t, html.UnescapeString(fig), "regression at 34ae6ee: 28 -> 871 (+3010.7%)")
	section := dom[strings.LastIndex(dom[:i], "<details"):i]
	assert.Regexp(t, `^<details class="section" id="BenchmarkSolve-highs-compact-n-6" open="">`, section, "its section is open")
	// enum has no regression: its section is closed, until a link to one
	// of its charts opens it (the browser does, or else the page's script).
	assert.True(t, strings.Contains(dom, `<details class="section" id="BenchmarkSolve-enum-n-6">`), "enum's section is closed")
	dom, console = chromium(t, bin, file+"#BenchmarkSolve-enum-n-6--ns-op", "--dump-dom")
	assert.Empty(t, console)
	assert.True(t, strings.Contains(dom, `<details class="section" id="BenchmarkSolve-enum-n-6" open="">`), "a link to enum's chart opens its section")

	shot := filepath.Join(tmp, "report.png")
	_, console = chromium(t, bin, file, "--screenshot="+shot, "--window-size=1280,2000", "--hide-scrollbars")
	assert.Empty(t, console)
	f, err := os.Open(shot)
	require.NoError(t, err)
	defer f.Close()
	img, err := png.Decode(f)
	require.NoError(t, err)
	assert.Equal(t, image.Rect(0, 0, 1280, 2000), img.Bounds())
	colours := map[[3]uint32]int{}
	nonWhite := 0
	var br, bg, bb uint32
	fmt.Sscanf(page.ColorBad, "#%02x%02x%02x", &br, &bg, &bb)
	near := func(a, b uint32) bool { return a+8 >= b && b+8 >= a }
	isRed := make([][]bool, 2000)
	for y := range 2000 {
		isRed[y] = make([]bool, 1280)
		for x := range 1280 {
			r, g, b, _ := img.At(x, y).RGBA()
			r, g, b = r>>8, g>>8, b>>8
			colours[[3]uint32{r, g, b}]++
			if r < 245 || g < 245 || b < 245 {
				nonWhite++
			}
			isRed[y][x] = near(r, br) && near(g, bg) && near(b, bb)
		}
	}
	assert.Greater(t, len(colours), 50, "a page of text and charts has many colours")
	assert.Greater(t, nonWhite, 1280*2000/50, "at least 2%% of the page is not white")
	// The regression's marker is a red disc (radius 5): a solid 5x5
	// square of its red, which no text, border or line of the page has;
	// the legend has one, the charts of highs-compact n=6 one each.
	discs := 0
	for y := 0; y+5 <= 2000; y++ {
		for x := 0; x+5 <= 1280; x++ {
			solid := true
			for dy := 0; dy < 5 && solid; dy++ {
				for dx := 0; dx < 5 && solid; dx++ {
					solid = isRed[y+dy][x+dx]
				}
			}
			if solid {
				discs++
				// Count each disc once: clear it.
				for dy := range 10 {
					for dx := range 10 {
						if y+dy < 2000 && x+dx < 1280 {
							isRed[y+dy][x+dx] = false
						}
					}
				}
			}
		}
	}
	assert.GreaterOrEqual(t, discs, 2, "no regression marker on the first screen")
	t.Logf("%d colours, %d pixels not white, %d red discs", len(colours), nonWhite, discs)
}
