package rundir

import (
	"cmp"
	"errors"
	"fmt"
	iofs "io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/nashbench/nashbench/internal/plural"
	"github.com/nashbench/nashbench/record"
)

// Merged is the outcome of Merge.
type Merged struct {
	Rows []record.Row
	// Info is the merge's run.json; nil when no input has one (an older
	// nashbench wrote them), and then nothing checked that the inputs
	// are one experiment.
	Info *Info
	// Missing is what the rows lack of their experiment (nil without
	// Info): the shards whose tasks did not finish.
	Missing *record.Missing
}

// Merge combines the rows of inputs (run directories or rows files) of one
// experiment into the run directory out: rows.jsonl (one row per job, by
// record.Merge), history.jsonl, run.json and the instances the rows name.
// It takes out's lock, so that it cannot replace the rows of a sweep
// running there, and refuses an out whose rows it would lose.
func Merge(inputs []string, out string) (m *Merged, err error) {
	m = &Merged{}
	_, statErr := os.Stat(out)
	if err := os.MkdirAll(out, 0o755); err != nil {
		return nil, err
	}
	unlock, err := lockAll(out)
	if err != nil {
		return nil, err
	}
	defer func() {
		if errors.Is(statErr, iofs.ErrNotExist) && err != nil {
			os.Remove(out) // made for a merge that failed: only if empty
		}
	}()
	info, shards, history, err := mergeInfo(inputs, out)
	if err != nil {
		unlock()
		return nil, err
	}
	var all []record.Row
	for _, p := range inputs {
		rows, err := Read(p)
		if err != nil {
			unlock()
			return nil, err
		}
		all = append(all, rows...)
	}
	m.Info = info
	err = func() error {
		var err error
		if m.Rows, err = record.Merge(all); err != nil {
			return err
		}
		if err := checkMergeOut(inputs, out, m.Rows); err != nil {
			return err
		}
		plan, err := planInstances(inputs, out)
		if err != nil {
			return err
		}
		if err := placeInstances(plan, out); err != nil {
			return err
		}
		if err := WriteRows(RowsFile(out, 0, 1), m.Rows); err != nil {
			return err
		}
		hist := HistoryFile(out, 0, 1)
		if len(history) > 0 {
			err = WriteRows(hist, history)
		} else if err = os.Remove(hist); errors.Is(err, iofs.ErrNotExist) {
			err = nil
		}
		if err != nil {
			return err
		}
		if info == nil {
			return nil
		}
		if err := WriteInfo(out, info); err != nil {
			return err
		}
		// The jobs no input has a row for: the shards whose tasks did not
		// finish (a batch system's failed, timed out or cancelled tasks).
		p, err := ExperimentProgress(&info.Experiment, max(shards, 1), m.Rows)
		if err != nil {
			return fmt.Errorf("cannot tell which jobs are missing: %w", err)
		}
		miss := p.Missing()
		m.Missing = &miss
		return nil
	}()
	unlock()
	if err != nil {
		return nil, err
	}
	return m, nil
}

// lockAll takes the locks a sweep of any shard of dir would take, so that
// no sweep writes there meanwhile; unlock releases them (removing the
// files).
//
// The shard locks are those whose files exist when it looks: a sweep of a
// shard (sweep --part i/N) that takes its lock later is kept out by
// run.json's lock, which every sweep takes, waiting for it, before it
// writes anything (Shard.record), and which lockAll therefore takes first:
// taken after the glob, a sweep could take its shard's lock in between,
// hold run.json's lock while lockAll waited, and write its rows during the
// merge.
func lockAll(dir string) (unlock func(), err error) {
	var held []*fileLock
	unlock = func() {
		for _, l := range slices.Backward(held) {
			l.unlock()
		}
	}
	info, err := lock(filepath.Join(dir, infoLock), true)
	if err != nil {
		return nil, err
	}
	held = append(held, info)
	l, err := lockShard(dir, 0, 1)
	if err != nil {
		unlock()
		return nil, err
	}
	held = append(held, l)
	others, err := filepath.Glob(filepath.Join(dir, shardLocksGlob))
	if err != nil {
		unlock()
		return nil, err
	}
	for _, path := range others {
		l, err := lock(path, false)
		if err != nil {
			unlock()
			if errors.Is(err, errLocked) {
				return nil, fmt.Errorf("%s: %w; lock file %s", dir, ErrInUse, path)
			}
			return nil, err
		}
		held = append(held, l)
	}
	return unlock, nil
}

// checkMergeOut refuses an out whose rows the merge would lose: one of
// the inputs (its shard rows files would stay beside a rows.jsonl that says
// the run is unsharded), a shard's directory, or a rows.jsonl holding a job
// that the merged rows lack or hold at an earlier attempt. A merge written
// there before (the Slurm merge job's, rerun after a resume) passes, since
// the inputs still hold every row it took from them.
func checkMergeOut(inputs []string, out string, merged []record.Row) error {
	if outSt, err := os.Stat(out); err == nil {
		for _, in := range inputs {
			dir := in
			if st, err := os.Stat(in); err == nil && !st.IsDir() {
				dir = filepath.Dir(in)
			}
			// SameFile: a symlink or another spelling of an input is one too.
			if st, err := os.Stat(dir); err == nil && os.SameFile(st, outSt) {
				return fmt.Errorf("--out %s is the directory of input %s: write the merge into a new directory", out, in)
			}
		}
	}
	shardFiles, err := filepath.Glob(filepath.Join(out, shardRowsGlob))
	if err != nil {
		return err
	}
	if len(shardFiles) > 0 {
		return fmt.Errorf("--out %s holds a shard's rows (%s): write the merge into a new directory", out, filepath.Base(shardFiles[0]))
	}
	old, err := record.ReadFile(RowsFile(out, 0, 1), false)
	if errors.Is(err, iofs.ErrNotExist) {
		return nil
	} else if err != nil {
		return err
	}
	attempt := make(map[string]int, len(merged))
	for i := range merged {
		attempt[merged[i].Key()] = merged[i].Attempt
	}
	var lost []record.Row
	for _, r := range old {
		if a, ok := attempt[r.Key()]; !ok || a < r.Attempt {
			lost = append(lost, r)
		}
	}
	if len(lost) > 0 {
		return fmt.Errorf("--out %s holds %s that the inputs lack or hold only at an earlier attempt (the first: %s with %s, attempt %d), which the merge would drop: write it into a new directory",
			out, plural.Count(len(lost), "row", "rows"), lost[0].Instance, lost[0].Solver, lost[0].Attempt)
	}
	return nil
}

// mergeInfo reads the run.json of merge's inputs (run directories or rows
// files) and of out if it has one, refuses inputs of different
// experiments, and returns the run.json of the merge (nil when no input
// has one), the shards the inputs split the experiment into (0 when they
// differ), and the inputs' history rows (earlier attempts of retried
// jobs), each once, in a fixed order.
func mergeInfo(inputs []string, out string) (*Info, int, []record.Row, error) {
	var infos []*Info
	var sources, missing []string
	var history []record.Row
	for _, p := range inputs {
		dir, histGlob := p, historyGlob
		if st, err := os.Stat(p); err != nil {
			return nil, 0, nil, err
		} else if !st.IsDir() {
			dir = filepath.Dir(p)
			histGlob = historyName(filepath.Base(p))
		}
		info, err := ReadInfo(dir)
		switch {
		case errors.Is(err, iofs.ErrNotExist):
			missing = append(missing, p)
		case err != nil:
			return nil, 0, nil, err
		default:
			infos, sources = append(infos, info), append(sources, p)
		}
		files, err := filepath.Glob(filepath.Join(dir, histGlob))
		if err != nil {
			return nil, 0, nil, err
		}
		rows, err := readAll(files)
		if err != nil {
			return nil, 0, nil, err
		}
		history = append(history, rows...)
	}
	history = uniqueAttempts(history)
	if len(infos) == 0 {
		return nil, 0, history, nil
	}
	if len(missing) > 0 {
		return nil, 0, nil, fmt.Errorf("%s has no %s but %s has: cannot tell whether they are one experiment", missing[0], InfoFile, sources[0])
	}
	if old, err := ReadInfo(out); err == nil {
		if d := infos[0].Experiment.Diff(&old.Experiment); len(d) > 0 {
			return nil, 0, nil, fmt.Errorf("--out %s holds another experiment: its %s has %s %s, the inputs %s", out, InfoFile, d[0].Field, orNone(d[0].B), orNone(d[0].A))
		}
	} else if !errors.Is(err, iofs.ErrNotExist) {
		return nil, 0, nil, err
	}
	info, err := MergeInfo(infos, sources)
	shards := infos[0].Shards
	for _, ri := range infos {
		if ri.Shards != shards {
			shards = 0
		}
	}
	return info, shards, history, err
}

// uniqueAttempts keeps one row per job and attempt, ordered by instance,
// solver and attempt.
func uniqueAttempts(rows []record.Row) []record.Row {
	seen := map[string]bool{}
	var out []record.Row
	for _, r := range rows {
		k := r.Key() + "\x00" + strconv.Itoa(r.Attempt)
		if !seen[k] {
			seen[k] = true
			out = append(out, r)
		}
	}
	slices.SortStableFunc(out, func(a, b record.Row) int {
		return cmp.Or(strings.Compare(a.Instance, b.Instance), strings.Compare(a.Solver, b.Solver), cmp.Compare(a.Attempt, b.Attempt))
	})
	return out
}
