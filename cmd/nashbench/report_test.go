package main

import (
	"fmt"
	"html"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nashbench/nashbench/history"
	"github.com/nashbench/nashbench/internal/page"
	"github.com/nashbench/nashbench/rundir"
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
		{"history as a run", []string{"-o", "-", dir}, "no rows*.jsonl files (report RUN_DIR reads a sweep's run directory"},
		{"two arguments", []string{"-o", "-", dir, dir}, "report: unexpected argument"},
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

	chromiumSeesConsole(t, bin)

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
	img, colours, nonWhite := screenshot(t, shot, 1280, 2000)
	var br, bg, bb uint32
	fmt.Sscanf(page.ColorBad, "#%02x%02x%02x", &br, &bg, &bb)
	near := func(a, b uint32) bool { return a+8 >= b && b+8 >= a }
	isRed := make([][]bool, 2000)
	for y := range 2000 {
		isRed[y] = make([]bool, 1280)
		for x := range 1280 {
			r, g, b, _ := img.At(x, y).RGBA()
			r, g, b = r>>8, g>>8, b>>8
			isRed[y][x] = near(r, br) && near(g, bg) && near(b, bb)
		}
	}
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

// reportSweep runs a small sweep (8 instances, n = 5 and 6, ratios 3 and
// 6; enum and gophersat) into dir/run and returns the run directory.
func reportSweep(t *testing.T, dir string) string {
	t.Helper()
	run := filepath.Join(dir, "run")
	code, _, errs := runCmd("sweep", "--n", "5,6", "--ratio", "3,6", "--count", "2", "--solvers", "enum,gophersat", "--out", run, "--quiet")
	require.Equal(t, 0, code, errs)
	return run
}

// The sweep writes report.html; `report RUN_DIR` writes the same page
// again, -o elsewhere or to standard output.
func TestReportRunCommand(t *testing.T) {
	tmp := t.TempDir()
	run := reportSweep(t, tmp)
	file := filepath.Join(run, rundir.ReportFile)
	swept, err := os.ReadFile(file)
	require.NoError(t, err, "the sweep writes its report")
	require.NoError(t, os.Remove(file))

	code, stdout, errs := runCmd("report", run)
	require.Equal(t, 0, code, errs)
	assert.Equal(t, file+"\n", stdout, "it names the file it wrote")
	again, err := os.ReadFile(file)
	require.NoError(t, err)
	assert.Equal(t, string(swept), string(again), "the sweep's report and report RUN_DIR's are the same page")

	out := filepath.Join(tmp, "elsewhere.html")
	code, _, errs = runCmd("report", "-o", out, run)
	require.Equal(t, 0, code, errs)
	assert.FileExists(t, out)
	code, stdout, errs = runCmd("report", run, "-o", "-")
	require.Equal(t, 0, code, errs)
	assert.Equal(t, string(swept), stdout)
	assert.Contains(t, stdout, "<h1>nashbench run: run</h1>")

	for _, tt := range []struct {
		name string
		args []string
		msg  string
	}{
		{"--history with a run", []string{"--history", tmp, run}, "--history is for the dashboard"},
		{"not a directory", []string{filepath.Join(run, "rows.jsonl")}, "is not a run directory"},
		{"no such directory", []string{filepath.Join(tmp, "nope")}, "no such file or directory"},
		{"no rows", []string{t.TempDir()}, "no rows*.jsonl files"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errs := runCmd(append([]string{"report"}, tt.args...)...)
			assert.Equal(t, 2, code, errs)
			assert.Contains(t, errs, tt.msg)
		})
	}
}

// domRows returns the instance rows of a dumped report: each row's
// markup, and whether the page's script hid it.
func domRows(t *testing.T, dom string) (rows []string, hidden []bool) {
	t.Helper()
	for _, m := range regexp.MustCompile(`(?s)<tr (data-n="[^>]*)>(.*?)</tr>`).FindAllStringSubmatch(dom, -1) {
		rows = append(rows, m[0])
		hidden = append(hidden, strings.Contains(m[1], `hidden=""`))
	}
	require.NotEmpty(t, rows, "no instance rows in the DOM:\n%s", tailLines(dom, 20))
	return rows, hidden
}

// A run's report in a real browser: no console errors; the script fills
// the scatter chart's counts; a filter given in the query string hides
// the other rows and a sort orders them; the screenshot is not blank and
// shows the scatter chart's points.
func TestRunReportInChromium(t *testing.T) {
	bin := needChromium(t)
	chromiumSeesConsole(t, bin)
	run := reportSweep(t, t.TempDir())
	file := filepath.Join(run, rundir.ReportFile)

	dom, console := chromium(t, bin, file, "--dump-dom")
	assert.Empty(t, console, "the page logs nothing")
	require.Contains(t, dom, "<h1>nashbench run: run</h1>")
	rows, hidden := domRows(t, dom)
	assert.Len(t, rows, 8, "a row per instance")
	assert.NotContains(t, hidden, true, "no filter: every row shown")
	assert.Contains(t, dom, `<span data-count="instances">8 of 8 instances</span>`)
	count := regexp.MustCompile(`<p class="sx-count small">[^<]*`).FindString(dom)
	assert.Regexp(t, `^<p class="sx-count small">8 instances: enum faster on \d+ \(above the line\), gophersat faster on \d+`, count, "the script counted the scatter chart's points")

	// Filtering by size (as a link with ?n=5 does) shows the 4 rows of
	// n = 5 and hides the others.
	dom, console = chromium(t, bin, file+"?n=5", "--dump-dom")
	assert.Empty(t, console)
	rows, hidden = domRows(t, dom)
	require.Len(t, rows, 8)
	shown := 0
	for i, r := range rows {
		assert.Equal(t, !strings.HasPrefix(r, `<tr data-n="5"`), hidden[i], "%s", r)
		if !hidden[i] {
			shown++
		}
	}
	assert.Equal(t, 4, shown)
	assert.Contains(t, dom, `<span data-count="instances">4 of 8 instances</span>`)

	// Sorting by enum's time (column 6), descending, within ratio 6; one
	// solver's column group shown.
	dom, console = chromium(t, bin, file+"#sort=-6&ratio=6&solver=enum", "--dump-dom")
	assert.Empty(t, console)
	rows, hidden = domRows(t, dom)
	var times []float64
	for i, r := range rows {
		assert.Equal(t, !strings.Contains(r, `data-ratio="6"`), hidden[i], "%s", r)
		if hidden[i] {
			continue
		}
		m := regexp.MustCompile(`data-group="enum" data-v="([^"]*)"`).FindStringSubmatch(r)
		require.NotNil(t, m, "%s", r)
		v, err := strconv.ParseFloat(m[1], 64)
		require.NoError(t, err)
		times = append(times, v)
	}
	require.Len(t, times, 4)
	assert.True(t, slices.IsSorted(reversed(times)), "enum's times descending: %v", times)
	assert.Contains(t, dom, `[data-group]:not([data-group="enum"]) { display: none; }`, "only enum's columns")

	shot := filepath.Join(t.TempDir(), "report.png")
	_, console = chromium(t, bin, file, "--screenshot="+shot, "--window-size=1280,1600", "--hide-scrollbars")
	assert.Empty(t, console)
	_, colours, nonWhite := screenshot(t, shot, 1280, 1600)
	// The scatter chart's points: ColorLine at 60% on the chart's
	// #fafafb, which nothing else on the page is.
	var r, g, b uint32
	fmt.Sscanf(page.ColorLine, "#%02x%02x%02x", &r, &g, &b)
	mix := func(c, bg uint32) uint32 { return (6*c + 4*bg + 5) / 10 }
	near := func(a, b uint32) bool { return a+6 >= b && b+6 >= a }
	pts := 0
	for c, n := range colours {
		if near(c[0], mix(r, 0xfa)) && near(c[1], mix(g, 0xfa)) && near(c[2], mix(b, 0xfb)) {
			pts += n
		}
	}
	assert.Greater(t, pts, 8*4, "the scatter chart's points are drawn")
	t.Logf("%d colours, %d pixels not white, %d of the scatter chart's points' colour", len(colours), nonWhite, pts)
}

func reversed(xs []float64) []float64 {
	out := slices.Clone(xs)
	slices.Reverse(out)
	return out
}
