package external

import (
	"bytes"
	"context"
	_ "embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/nashbench/nashbench/isolate"
	"github.com/nashbench/nashbench/solvers"
)

// shippedJSON holds the definitions built into nashbench, for solvers that
// Debian packages.
//
//go:embed shipped.json
var shippedJSON []byte

// EnvFile names the environment variable that gives a definitions file
// when no --solvers-file is given (for `go test -bench ./bench`, say).
const EnvFile = "NASHBENCH_SOLVERS_FILE"

// Shipped returns the definitions built into nashbench.
func Shipped() []Definition {
	defs, err := ParseDefinitions(solvers.ShippedSource, shippedJSON)
	if err != nil {
		panic("external: the shipped definitions: " + err.Error())
	}
	return defs
}

func init() {
	if err := Register(Shipped()); err != nil {
		panic("external: " + err.Error())
	}
}

// Register makes each definition a solver (solvers.RegisterExternal): a
// definition replaces an external solver of the same name registered
// before (a shipped one), and a built-in solver's name is an error naming
// the file and line. Nothing is registered when any name is refused.
func Register(defs []Definition) error {
	builtin := map[string]bool{}
	for _, n := range solvers.BuiltinNames() {
		builtin[n] = true
	}
	for _, d := range defs {
		if builtin[d.Name] {
			return fmt.Errorf("%s:%d: solver %q: the name of a built-in solver; give the external solver another name", d.source, d.line, d.Name)
		}
	}
	for _, d := range defs {
		if err := solvers.RegisterExternal(d.Name, func() solvers.Solver { return New(d) }); err != nil {
			return fmt.Errorf("%s:%d: %w", d.source, d.line, err)
		}
	}
	return nil
}

// DefaultFile returns the definitions file to read when none is given on
// the command line: $NASHBENCH_SOLVERS_FILE when set, else
// solvers.json in the nashbench directory of the user's configuration
// directory (os.UserConfigDir: ~/.config/nashbench/solvers.json on Linux)
// when it exists, else "".
func DefaultFile() string {
	if f := os.Getenv(EnvFile); f != "" {
		return f
	}
	dir, err := os.UserConfigDir()
	if err != nil {
		return ""
	}
	path := filepath.Join(dir, "nashbench", "solvers.json")
	if _, err := os.Stat(path); err != nil {
		return ""
	}
	return path
}

// Load registers the definitions in path, or in DefaultFile() when path is
// "", and returns the file it read ("" when there was none).
func Load(path string) (string, error) {
	if path == "" {
		path = DefaultFile()
	}
	if path == "" {
		return "", nil
	}
	defs, err := ReadDefinitions(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return "", fmt.Errorf("solver definitions: %w", err)
		}
		return "", err
	}
	return path, Register(defs)
}

// versionTimeout bounds a version command.
const versionTimeout = 5 * time.Second

// versions caches each definition's version by its command line.
var versions sync.Map // string -> string

// Certifies implements solvers.Certifier: a definition with a
// certify_command proves.
func (s *Solver) Certifies() bool { return s.def.CertifyCommand != nil }

// Describe implements solvers.Describer.
func (s *Solver) Describe(ctx context.Context) solvers.Description {
	d := &s.def
	desc := solvers.Description{Input: d.Input, Certifies: s.Certifies(), Source: d.source}
	if d.Input == "lp" {
		desc.Input += " " + d.Formulation
	}
	if _, err := lookProgram(d.Command[0]); err != nil {
		desc.Missing = err.Error()
		return desc
	}
	desc.Version = s.version(ctx)
	return desc
}

// version runs the version command (once per process) and extracts the
// version; "" when there is none or it fails.
func (s *Solver) version(ctx context.Context) string {
	d := &s.def
	if len(d.Version) == 0 {
		return ""
	}
	key := strings.Join(d.Version, "\x00") + "\x00" + d.VersionPattern
	if v, ok := versions.Load(key); ok {
		return v.(string)
	}
	prog, err := lookProgram(d.Version[0])
	if err != nil {
		return ""
	}
	ctx, cancel := context.WithTimeout(ctx, versionTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, prog, d.Version[1:]...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	isolate.NewGroup(cmd)
	cmd.WaitDelay = time.Second
	// Programs without a version flag print it in their usage and exit
	// non-zero: the exit status does not matter, the output does.
	_ = cmd.Run()
	if ctx.Err() != nil {
		return ""
	}
	v := ""
	if d.VersionPattern != "" {
		if m := regexp.MustCompile(d.VersionPattern).FindSubmatch(out.Bytes()); m != nil {
			v = string(m[len(m)-1])
		}
	} else {
		for line := range strings.Lines(out.String()) {
			if line = strings.TrimSpace(line); line != "" {
				v = line
				break
			}
		}
	}
	versions.Store(key, v)
	return v
}
