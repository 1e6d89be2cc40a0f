// Package testtool is what tests share about the external programs they
// run (SAT and MIP solvers, Chromium, git): one rule for a program that is
// missing, and one probe for the optional LRAT-writing cadical.
//
// The rule: a test whose external program is missing fails, saying how to
// install it (scripts/test installs every one), unless
// NASHBENCH_NO_EXTERNAL=1, which skips the test instead. A program that is
// there is used either way.
package testtool

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// NoExternal is the variable that turns a missing program from a failure
// into a skip.
const NoExternal = "NASHBENCH_NO_EXTERNAL"

// debian names the Debian package of each program the tests run, as
// scripts/test installs them.
var debian = map[string]string{
	"cadical":        "cadical",
	"cbc":            "coinor-cbc",
	"chromium":       "chromium",
	"cryptominisat5": "cryptominisat",
	"git":            "git",
	"glpsol":         "glpk-utils",
	"minisat":        "minisat",
	"minisat+":       "minisat+",
	"picosat":        "picosat",
}

// howToInstall says how to get program.
func howToInstall(program string) string {
	if pkg, ok := debian[program]; ok {
		return fmt.Sprintf("apt-get install -y %s, or run scripts/test, which installs it", pkg)
	}
	return "put it in PATH"
}

// Need returns the path of program, an external program the test runs.
// When program is not in PATH the test fails, saying how to install it,
// unless NASHBENCH_NO_EXTERNAL=1, which skips it.
func Need(tb testing.TB, program string) string {
	tb.Helper()
	path, err := exec.LookPath(program)
	if err == nil {
		return path
	}
	Missing(tb, fmt.Sprintf("%s not found in PATH: install it (%s)", program, howToInstall(program)))
	return ""
}

// Have is Need for a test that can leave program out: it returns the path
// of program. A missing program fails the test as with Need, unless
// NASHBENCH_NO_EXTERNAL=1, with which the test logs it and goes on without
// it: Have returns "".
func Have(tb testing.TB, program string) string {
	tb.Helper()
	if path, err := exec.LookPath(program); err == nil {
		return path
	}
	why := fmt.Sprintf("%s not found in PATH: install it (%s)", program, howToInstall(program))
	if os.Getenv(NoExternal) == "1" {
		tb.Logf("%s; %s=1: left out", why, NoExternal)
		return ""
	}
	tb.Fatalf("%s, or set %s=1 to leave it out", why, NoExternal)
	return ""
}

// Missing ends a test that cannot run because something external is
// missing; why says what is missing and how to get it (an external
// solver's Description.Missing, with what installs it). The test fails,
// unless NASHBENCH_NO_EXTERNAL=1, which skips it.
func Missing(tb testing.TB, why string) {
	tb.Helper()
	if os.Getenv(NoExternal) == "1" {
		tb.Skipf("%s; %s=1", why, NoExternal)
	}
	tb.Fatalf("%s, or set %s=1 to skip", why, NoExternal)
}

// LRATCadical returns a cadical that writes LRAT proofs (CaDiCaL 1.7 or
// later): $NASHBENCH_LRAT_CADICAL, else cadical in PATH if it has --lrat.
// Without one it returns "" and why: the tests that need one skip (the
// Debian package's cadical 1.5 writes no LRAT), whatever
// NASHBENCH_NO_EXTERNAL says.
func LRATCadical(tb testing.TB) (path, why string) {
	tb.Helper()
	bin := os.Getenv("NASHBENCH_LRAT_CADICAL")
	if bin == "" {
		var err error
		if bin, err = exec.LookPath("cadical"); err != nil {
			return "", "no cadical in PATH (set NASHBENCH_LRAT_CADICAL to a CaDiCaL 1.7 or later)"
		}
	}
	dir := tb.TempDir()
	cnf, proof := filepath.Join(dir, "probe.cnf"), filepath.Join(dir, "probe.lrat")
	if err := os.WriteFile(cnf, []byte("p cnf 1 2\n1 0\n-1 0\n"), 0o644); err != nil {
		tb.Fatal(err)
	}
	out, _ := exec.Command(bin, "-q", "--lrat", "--no-binary", cnf, proof).CombinedOutput()
	if b, err := os.ReadFile(proof); err != nil || len(b) == 0 {
		return "", fmt.Sprintf("%s writes no LRAT (CaDiCaL 1.7 or later does; set NASHBENCH_LRAT_CADICAL to one): %s", bin, strings.TrimSpace(string(out)))
	}
	return bin, ""
}
