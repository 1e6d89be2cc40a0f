package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nashbench/nashbench/instances"
	"github.com/nashbench/nashbench/internal/shell"
	"github.com/nashbench/nashbench/internal/testtool"
	"github.com/nashbench/nashbench/solvers"
	"github.com/nashbench/nashbench/solvers/external"
)

// The documentation that TestDoc checks, relative to this package.
const repoRoot = "../.."

// docExample is one command line of the documentation: a line of a code
// block that starts with "nashbench " (or "go run ./cmd/nashbench ", or
// "./nashbench "), possibly after a "$ " prompt.
type docExample struct {
	file string // as the test names it, e.g. docs/cli.md
	line int    // 1-based
	text string // the line as written (continuations joined)
	args []string
	// output is what the documentation shows after a "$ " line, up to the
	// next "$ " line; nil when it shows nothing.
	output *string
	// shell says the line uses the shell beyond one command (a pipe, a
	// redirection, a variable): it is parsed, never run.
	shell bool
}

// docBlock is one code block of a documentation file: its examples share
// a working directory when they run, so that one can use what an earlier
// one wrote.
type docBlock struct {
	file     string
	line     int
	info     string // the fenced block's info string ("bash", "json", ...)
	lines    []string
	examples []docExample
}

// docFiles returns the README and every page of docs/, by the names the
// test reports them under.
func docFiles(t *testing.T) map[string]string {
	t.Helper()
	files := map[string]string{"README.md": filepath.Join(repoRoot, "README.md")}
	pages, err := filepath.Glob(filepath.Join(repoRoot, "docs", "*.md"))
	require.NoError(t, err)
	require.NotEmpty(t, pages, "no docs/*.md")
	for _, p := range pages {
		files["docs/"+filepath.Base(p)] = p
	}
	return files
}

// codeBlocks splits a Markdown file into its fenced and indented code blocks.
func codeBlocks(name, text string) []docBlock {
	var blocks []docBlock
	var cur *docBlock
	fenced := false
	prevBlank := true
	lines := strings.Split(text, "\n")
	for i, line := range lines {
		trimmed := strings.TrimSpace(line)
		switch {
		case fenced && strings.HasPrefix(trimmed, "```"):
			blocks = append(blocks, *cur)
			cur, fenced = nil, false
		case fenced:
			cur.lines = append(cur.lines, line)
		case strings.HasPrefix(trimmed, "```"):
			cur = &docBlock{file: name, line: i + 2, info: strings.TrimSpace(strings.TrimPrefix(trimmed, "```"))}
			fenced = true
		case (strings.HasPrefix(line, "    ") || strings.HasPrefix(line, "\t")) && (prevBlank || cur != nil):
			if cur == nil {
				cur = &docBlock{file: name, line: i + 1}
			}
			cur.lines = append(cur.lines, strings.TrimPrefix(strings.TrimPrefix(line, "\t"), "    "))
		case cur != nil && trimmed == "" && i+1 < len(lines) && strings.HasPrefix(lines[i+1], "    "):
			cur.lines = append(cur.lines, "") // a blank line inside an indented block
		default:
			if cur != nil {
				blocks = append(blocks, *cur)
				cur = nil
			}
		}
		prevBlank = trimmed == ""
	}
	if cur != nil && !fenced {
		blocks = append(blocks, *cur)
	}
	return blocks
}

// commandPrefixes are how a documented command line may start; what
// follows is nashbench's arguments.
var commandPrefixes = []string{"go run ./cmd/nashbench ", "nashbench ", "./nashbench "}

// stripComment cuts a shell comment (" # ...") off a line, outside quotes.
func stripComment(s string) string {
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			} else if c == '\\' && quote == '"' {
				i++
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '\\':
			i++
		case c == '#' && (i == 0 || s[i-1] == ' ' || s[i-1] == '\t'):
			return strings.TrimRight(s[:i], " \t")
		}
	}
	return s
}

// parseExamples finds the command lines of a block.
func parseExamples(t *testing.T, b *docBlock) {
	t.Helper()
	lines := b.lines
	for i := 0; i < len(lines); i++ {
		start := i
		text, prompt := strings.CutPrefix(lines[i], "$ ")
		for strings.HasSuffix(text, `\`) && i+1 < len(lines) {
			i++
			text = strings.TrimSuffix(text, `\`) + " " + strings.TrimSpace(lines[i])
		}
		var output *string
		if prompt {
			var out []string
			for i+1 < len(lines) && !strings.HasPrefix(lines[i+1], "$ ") {
				i++
				out = append(out, lines[i])
			}
			for len(out) > 0 && strings.TrimSpace(out[len(out)-1]) == "" {
				out = out[:len(out)-1]
			}
			if len(out) > 0 {
				s := strings.Join(out, "\n") + "\n"
				output = &s
			}
		}
		rest, ok := "", false
		for _, p := range commandPrefixes {
			if rest, ok = strings.CutPrefix(text, p); ok {
				break
			}
		}
		if !ok {
			continue
		}
		ex := docExample{file: b.file, line: b.line + start, text: text, output: output}
		words, err := shell.Words(stripComment(rest))
		require.NoError(t, err, "%s:%d: %s", ex.file, ex.line, text)
		for j, w := range words {
			if slices.Contains([]string{"|", ">", ">>", "<", "&&", "||", ";", "&", "2>", "2>&1"}, w) {
				words, ex.shell = words[:j], true
				break
			}
		}
		for _, w := range words {
			if strings.Contains(w, "$") || strings.HasPrefix(w, "~") {
				ex.shell = true
			}
		}
		ex.args = words
		b.examples = append(b.examples, ex)
	}
}

// flagValue returns the value of --name (or -name) in args, as given
// ("--n 8,10" or "--n=8,10").
func flagValue(args []string, name string) (string, bool) {
	for i, a := range args {
		a = strings.TrimPrefix(strings.TrimPrefix(a, "-"), "-")
		if a == name && i+1 < len(args) {
			return args[i+1], true
		}
		if v, ok := strings.CutPrefix(a, name+"="); ok {
			return v, true
		}
	}
	return "", false
}

func hasFlag(args []string, name string) bool {
	for _, a := range args {
		a = strings.TrimPrefix(strings.TrimPrefix(a, "-"), "-")
		if a == name || strings.HasPrefix(a, name+"=") {
			return true
		}
	}
	return false
}

// smallSweep says whether a sweep example is cheap: explicit sizes up to
// 12 variables and at most 16 jobs. (Under the race detector a sweep's
// plots alone take seconds: the examples that draw them are few.)
func smallSweep(args []string) bool {
	ns, ok1 := flagValue(args, "n")
	count, ok2 := flagValue(args, "count")
	if !ok1 || !ok2 {
		return false
	}
	c, err := strconv.Atoi(count)
	if err != nil {
		return false
	}
	jobs := c * len(strings.Split(ns, ","))
	for _, f := range strings.Split(ns, ",") {
		if n, err := strconv.Atoi(f); err != nil || n > 12 {
			return false
		}
	}
	for flag, def := range map[string]int{"ratio": len(strings.Split(defaultSweepRatios, ",")), "solvers": len(strings.Split(defaultSweepSolvers, ","))} {
		if v, ok := flagValue(args, flag); ok {
			jobs *= len(strings.Split(v, ","))
		} else {
			jobs *= def
		}
	}
	return jobs <= 16
}

// whyNotRun says why an example is only parsed, or "" when it runs.
func whyNotRun(ex docExample) string {
	if ex.shell {
		return "it uses the shell (a variable, a pipe or a redirection)"
	}
	if len(ex.args) == 0 || hasFlag(ex.args, "h") || hasFlag(ex.args, "help") {
		return "" // help is cheap
	}
	switch ex.args[0] {
	case "help", "gen", "reduce", "solve", "solvers", "export", "analyze", "compare", "plot", "merge":
		return ""
	case "sweep":
		switch {
		case hasFlag(ex.args, "slurm"):
			return "--slurm needs a Slurm cluster (TestSlurm runs one)"
		case hasFlag(ex.args, "resume"):
			return "--resume continues an earlier run of its own"
		case hasFlag(ex.args, "corpus"):
			return "--corpus needs a corpus"
		case !smallSweep(ex.args):
			return "more than 16 jobs: too long for this test (the default sweep takes minutes; plots take seconds under -race)"
		}
		return ""
	case "track":
		return "track runs the tracking suite with go test, in git worktrees: minutes"
	case "bisect":
		return "bisect builds and benchmarks commits in git worktrees: minutes"
	case "regress", "report":
		// Their verdict depends on the newest entry of results/history, and
		// they need the git repository (TestReportCommand and the history
		// package test them on histories of their own).
		return "it reads the repository's history, whose verdict changes with every entry"
	}
	return "no rule for running this command"
}

// outputPattern turns output shown in the documentation into a regular
// expression: "..." within a line stands for any text, and a line of its
// own for any lines.
func outputPattern(want string) *regexp.Regexp {
	var b strings.Builder
	b.WriteString(`\A`)
	for _, line := range strings.Split(strings.TrimSuffix(want, "\n"), "\n") {
		if strings.TrimSpace(line) == "..." {
			b.WriteString(`(?:[^\n]*\n)*`)
			continue
		}
		parts := strings.Split(line, "...")
		for i, p := range parts {
			parts[i] = regexp.QuoteMeta(p)
		}
		b.WriteString(strings.Join(parts, `[^\n]*`))
		b.WriteString(`[ \t]*\n`)
	}
	b.WriteString(`\z`)
	return regexp.MustCompile(b.String())
}

// benchFile is OLD.txt and NEW.txt: one benchmark, five samples each, the
// same in both, so that compare finds no regression.
const benchFile = `goos: linux
goarch: amd64
pkg: github.com/nashbench/nashbench/bench
BenchmarkSolve/enum/n=6-2   	     100	      1000 ns/op	        64.00 profiles/op
BenchmarkSolve/enum/n=6-2   	     100	      1010 ns/op	        64.00 profiles/op
BenchmarkSolve/enum/n=6-2   	     100	       990 ns/op	        64.00 profiles/op
BenchmarkSolve/enum/n=6-2   	     100	      1005 ns/op	        64.00 profiles/op
BenchmarkSolve/enum/n=6-2   	     100	       995 ns/op	        64.00 profiles/op
`

// firstJSON returns the first ```json block of a documentation page.
func firstJSON(t *testing.T, blocks []docBlock, file string) string {
	t.Helper()
	for _, b := range blocks {
		if b.file == file && b.info == "json" {
			return strings.Join(b.lines, "\n") + "\n"
		}
	}
	t.Fatalf("%s has no json block", file)
	return ""
}

// workspace fills the current directory with a file for each placeholder
// of the documentation (docs/README.md lists them).
func workspace(t *testing.T, game, solversFile string, examples string) {
	t.Helper()
	f, _, err := instances.Spec{N: 10, M: 43, K: 3, Seed: 1, Index: 1}.Generate()
	require.NoError(t, err)
	var cnf bytes.Buffer
	require.NoError(t, instances.WriteDIMACS(&cnf, f))
	for name, body := range map[string]string{
		"FILE.cnf":     cnf.String(),
		"GAME.json":    game,
		"SOLVERS.json": solversFile,
		"OLD.txt":      benchFile,
		"NEW.txt":      benchFile,
	} {
		require.NoError(t, os.WriteFile(name, []byte(body), 0o644))
	}
	// examples/... as from the repository's root.
	require.NoError(t, os.Symlink(examples, "examples"))
}

// runDir makes RUN_DIR, a small sweep's run directory, unless it exists.
// The sweep runs in two shards, which draw no plots (the plots are what
// takes time under the race detector): plot reads both.
func runDir(t *testing.T) {
	t.Helper()
	if _, err := os.Stat("RUN_DIR"); err == nil {
		return
	}
	for _, shard := range []string{"1/2", "2/2"} {
		code, _, errs := runCmd("sweep", "--n", "6", "--ratio", "3,4.26", "--count", "2", "--solvers", "enum,gophersat",
			"--shard", shard, "--quiet", "--out", "RUN_DIR")
		require.Equal(t, 0, code, errs)
	}
}

// unavailable says why a solver that an example names cannot run here, or
// "". shipped reports that it is a shipped external solver whose program
// is missing: one scripts/test installs, to which the rule of every test's
// external programs applies (testtool.Missing). The others, such as a
// definitions file's example at a made-up path, the example only parses.
// A solver that is there runs, whatever NASHBENCH_NO_EXTERNAL says, as
// with testtool.Need.
func unavailable(t *testing.T, args []string) (why string, shipped bool) {
	t.Helper()
	var names []string
	if v, ok := flagValue(args, "solver"); ok {
		names = append(names, v)
	}
	if v, ok := flagValue(args, "solvers"); ok && args[0] == "sweep" {
		names = append(names, strings.Split(v, ",")...)
	}
	if len(names) == 0 {
		return "", false
	}
	list := []string{"solvers", "--json"}
	if f, ok := flagValue(args, "solvers-file"); ok {
		list = append(list, "--solvers-file", f)
	}
	code, out, errs := runCmd(list...)
	require.Equal(t, 0, code, errs)
	type listed struct{ Name, Kind, Status, Source string }
	byName := map[string]listed{}
	for line := range strings.Lines(out) {
		if strings.TrimSpace(line) == "" {
			continue
		}
		var s listed
		require.NoError(t, json.Unmarshal([]byte(line), &s), "solvers --json: %s", line)
		byName[s.Name] = s
	}
	for _, name := range names {
		s, ok := byName[name]
		switch {
		case !ok:
			return "", false // an unknown solver: running it shows the error
		case s.Status != "ok":
			return name + ": " + s.Status, s.Kind == "external" && s.Source == solvers.ShippedSource
		}
	}
	return "", false
}

// TestDoc checks the command examples of README.md and docs/*.md, as
// benchstat's doc_test checks its documentation: every command exists and
// takes every flag the example gives it, and the cheap examples run in a
// temporary directory, exit 0 and print what the documentation shows.
func TestDoc(t *testing.T) {
	files := docFiles(t)
	var blocks []docBlock
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		data, err := os.ReadFile(files[name])
		require.NoError(t, err)
		for _, b := range codeBlocks(name, string(data)) {
			if b.info != "json" {
				parseExamples(t, &b)
			}
			blocks = append(blocks, b)
		}
	}
	game := firstJSON(t, blocks, "docs/game-files.md")
	solversFile := firstJSON(t, blocks, "docs/external-solvers.md")
	examples, err := filepath.Abs(filepath.Join(repoRoot, "examples"))
	require.NoError(t, err)

	// The README leads with the main job and the tests.
	readme, err := os.ReadFile(files["README.md"])
	require.NoError(t, err)
	for _, cmd := range []string{"\n    go run ./cmd/nashbench sweep\n", "\n    scripts/test\n"} {
		assert.Contains(t, string(readme), cmd, "README.md: the quick start's commands")
	}

	// No definitions file or configuration of the user's.
	t.Setenv(external.EnvFile, "")
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())

	total, ran, compared := 0, 0, 0
	for _, b := range blocks {
		if len(b.examples) == 0 {
			continue
		}
		t.Run(fmt.Sprintf("%s:%d", b.file, b.line), func(t *testing.T) {
			made := false
			for _, ex := range b.examples {
				total++
				where := fmt.Sprintf("%s:%d: %s", ex.file, ex.line, ex.text)
				// (a) The command exists and takes the example's flags:
				// parsed by its own FlagSet, with -h last, so that it stops
				// after the flags (every command parses before it acts).
				name := "help"
				if len(ex.args) > 0 && ex.args[0] != "help" {
					name = ex.args[0]
				} else if len(ex.args) > 1 {
					name = ex.args[1] // help CMD
				}
				if _, ok := lookup(name); !ok && name != "help" {
					t.Errorf("%s: no command %q", where, name)
					continue
				}
				if len(ex.args) > 0 && ex.args[0] != "help" {
					code, _, errs := runCmd(append(slices.Clone(ex.args), "-h")...)
					if code != 0 {
						t.Errorf("%s: the flags do not parse:\n%s", where, errs)
						continue
					}
				}
				// (b) The cheap ones run.
				if why := whyNotRun(ex); why != "" {
					t.Logf("%s: parsed only: %s", where, why)
					continue
				}
				if !made {
					t.Chdir(t.TempDir())
					workspace(t, game, solversFile, examples)
					made = true
				}
				if slices.Contains(ex.args, "RUN_DIR") {
					runDir(t)
				}
				if why, shipped := unavailable(t, ex.args); why != "" {
					if shipped {
						// Missing fails it, saying how to install
						// it, or skips it with NASHBENCH_NO_EXTERNAL=1:
						// in a subtest, so the block's other examples
						// still run.
						t.Run(fmt.Sprintf("line %d", ex.line), func(t *testing.T) {
							testtool.Missing(t, fmt.Sprintf("%s: %s: install it (scripts/test does)", where, why))
						})
					} else {
						t.Logf("%s: parsed only: %s", where, why)
					}
					continue
				}
				ran++
				code, out, errs := runCmd(ex.args...)
				if !assert.Equal(t, 0, code, "%s: exit status\nstdout:\n%s\nstderr:\n%s", where, out, errs) {
					continue
				}
				if ex.output != nil {
					compared++
					got := out + errs
					assert.Regexp(t, outputPattern(*ex.output), got, "%s: the output differs from the documentation's:\n%s\nwant:\n%s", where, got, *ex.output)
				}
			}
		})
	}
	t.Logf("%d command examples: %d run (%d with their output compared), %d parsed only", total, ran, compared, total-ran)
	assert.Greater(t, total, 50, "fewer command examples than expected: is the extraction broken?")
	assert.Greater(t, compared, 10, "fewer outputs compared than expected: is the extraction broken?")
}

// markdownLink matches an inline link's target.
var markdownLink = regexp.MustCompile(`\]\(([^)\s]+)\)`)

// anchors returns the anchors of a Markdown file's headings, as GitHub
// makes them, and its explicit <a id="..."> anchors.
func anchors(text string) map[string]bool {
	out := map[string]bool{}
	fenced := false
	for line := range strings.Lines(text) {
		if strings.HasPrefix(strings.TrimSpace(line), "```") {
			fenced = !fenced
		}
		if fenced || !strings.HasPrefix(line, "#") {
			continue
		}
		title := strings.ToLower(strings.TrimSpace(strings.TrimLeft(line, "#")))
		var slug strings.Builder
		for _, r := range title {
			switch {
			case r == ' ':
				slug.WriteRune('-')
			case r == '-' || r == '_' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
				slug.WriteRune(r)
			}
		}
		out[slug.String()] = true
	}
	for _, m := range regexp.MustCompile(`<a id="([^"]+)">`).FindAllStringSubmatch(text, -1) {
		out[m[1]] = true
	}
	return out
}

// TestDocLinks checks that the relative links of README.md and docs/*.md
// name files that exist, and headings that exist in Markdown files.
func TestDocLinks(t *testing.T) {
	for name, path := range docFiles(t) {
		data, err := os.ReadFile(path)
		require.NoError(t, err)
		for _, m := range markdownLink.FindAllStringSubmatch(string(data), -1) {
			target, anchor, _ := strings.Cut(m[1], "#")
			if strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
				continue
			}
			file := path
			if target != "" {
				file = filepath.Join(filepath.Dir(path), target)
			}
			body, err := os.ReadFile(file)
			if info, serr := os.Stat(file); serr == nil && info.IsDir() {
				continue // a directory: GitHub lists it
			}
			if !assert.NoError(t, err, "%s: link %s", name, m[1]) || anchor == "" || !strings.HasSuffix(file, ".md") {
				continue
			}
			assert.True(t, anchors(string(body))[anchor], "%s: link %s: no such heading", name, m[1])
		}
	}
}

// TestDocPackageMap: the package map of doc.go (the repository's
// overview) lists every package of the module but the root, one line
// each, and nothing else: a package added without a line, or a line
// summing up several (internal/...), is found here.
func TestDocPackageMap(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(repoRoot, "doc.go"))
	require.NoError(t, err)
	var listed []string
	for line := range strings.Lines(string(data)) {
		if rest, ok := strings.CutPrefix(line, "//\t"); ok {
			listed = append(listed, strings.Fields(rest)[0])
		}
	}
	// The packages, as `go list ./...` finds them: the directories with
	// Go files, but testdata, hidden and _ ones.
	var pkgs []string
	err = filepath.WalkDir(repoRoot, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() && path != repoRoot && (name == "testdata" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(name, ".go") {
			return nil
		}
		dir, err := filepath.Rel(repoRoot, filepath.Dir(path))
		if err == nil && dir != "." {
			pkgs = append(pkgs, filepath.ToSlash(dir))
		}
		return err
	})
	require.NoError(t, err)
	slices.Sort(pkgs)
	pkgs = slices.Compact(pkgs)
	require.Contains(t, pkgs, "verify/searchcert", "the walk finds the packages")
	slices.Sort(listed)
	assert.Equal(t, pkgs, listed, "doc.go's package map")
}
