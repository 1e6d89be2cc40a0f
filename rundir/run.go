package rundir

import (
	"fmt"
	"os"

	"github.com/nashbench/nashbench/record"
)

// ReadRun reads the rows of the run directory dir, as Read does, and what
// they lack of the experiment that its run.json describes: the jobs of a
// run still going, or of shards not all run. missing is nil when run.json
// cannot say (it is absent, as an older nashbench left it, or unreadable):
// a report then shows the rows alone.
func ReadRun(dir string) (rows []record.Row, missing *record.Missing, err error) {
	if st, err := os.Stat(dir); err == nil && !st.IsDir() { // Read takes a rows file too
		return nil, nil, fmt.Errorf("%s is not a run directory", dir)
	}
	if rows, err = Read(dir); err != nil {
		return nil, nil, err
	}
	if info, err := ReadInfo(dir); err == nil {
		if p, err := ExperimentProgress(&info.Experiment, info.Shards, rows); err == nil {
			m := p.Missing()
			missing = &m
		}
	}
	return rows, missing, nil
}
