package solvers

import (
	"context"
	"io"
)

// Needer is implemented by solvers whose jobs need more than the nashbench
// binary on the machine that runs them: a data file they load, such as
// HiGHS's WebAssembly module, or a program they run. A runner that sends
// jobs to other machines (package slurm) stages the files there.
type Needer interface {
	Needs() []Need
}

// Need is a file that a solver's job loads, or a program that it runs.
type Need struct {
	// Name is a file's base name, which a staged copy keeps
	// ("highs.wasm"), or a program as the solver runs it: a name looked up
	// in PATH, or a path.
	Name string
	// Program marks a program. Programs are not staged: each machine runs
	// its own (a run's run.json records which), so Env and Load are unset.
	Program bool
	// Env names the environment variable through which a job finds a
	// copy of the file.
	Env string
	// Load returns the file's contents as a job here would load them
	// (from Env's file, a cache, or the network).
	Load func(context.Context) ([]byte, error)
}

// NeedsOf returns what the jobs of the named solvers need, each need once
// (by Name and Program), in the order of first mention.
func NeedsOf(names []string) ([]Need, error) {
	type key struct {
		name    string
		program bool
	}
	seen := map[key]bool{}
	var out []Need
	for _, name := range names {
		s, err := New(name)
		if err != nil {
			return nil, err
		}
		if n, ok := s.(Needer); ok {
			for _, need := range n.Needs() {
				if k := (key{need.Name, need.Program}); !seen[k] {
					seen[k] = true
					out = append(out, need)
				}
			}
		}
		closeSolver(s)
	}
	return out, nil
}

// closeSolver releases a solver made only to ask it something.
func closeSolver(s Solver) {
	if c, ok := s.(io.Closer); ok {
		c.Close()
	}
}
