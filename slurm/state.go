package slurm

import (
	"encoding/json"
	"errors"
	"fmt"
	iofs "io/fs"
	"os"
	"path/filepath"

	"github.com/nashbench/nashbench/internal/atomicfile"
	"github.com/nashbench/nashbench/rundir"
)

// State is a run's slurm/slurm.json: the settings of the run's tasks,
// which a resume reuses, and every submission, so that a resume can tell
// whether any of the run's jobs are still queued.
type State struct {
	Options     []string     `json:"options"`               // --slurm-opts, as words
	Jobs        int          `json:"jobs"`                  // jobs side by side per task
	CheckLimit  string       `json:"check_limit,omitempty"` // --check-limit given to the tasks
	Submissions []Submission `json:"submissions"`
}

// Submission is one submission of a run's shards and its merge.
type Submission struct {
	Time   string `json:"time"`      // RFC 3339, UTC
	Array  string `json:"array_job"` // the array's job id
	Shards string `json:"shards"`    // its task ids, such as 1-16 or 2,5
	Merge  string `json:"merge_job"` // the merge's job id
}

func stateFile(dir string) string { return filepath.Join(dir, rundir.SlurmDir, rundir.SlurmState) }

// ReadState reads the state of the run in dir; a run never submitted has
// an empty state.
func ReadState(dir string) (*State, error) {
	st := &State{}
	b, err := os.ReadFile(stateFile(dir))
	if errors.Is(err, iofs.ErrNotExist) {
		return st, nil
	}
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(b, st); err != nil {
		return nil, fmt.Errorf("%s: %v", stateFile(dir), err)
	}
	return st, nil
}

func writeState(dir string, st *State) error {
	if st.Submissions == nil {
		st.Submissions = []Submission{}
	}
	b, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.Write(stateFile(dir), append(b, '\n'))
}
