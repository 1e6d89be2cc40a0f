// Package rundir keeps a sweep's run directory: the one place that names
// its files, its run.json (the experiment and what ran it), the plan of its
// jobs, the locks that keep a second writer out, and the rules for
// resuming, retrying and merging runs.
//
// A run directory holds:
//
//	run.json                      the experiment, versions and machines (Info)
//	rows.jsonl                    one row per job (record.Row), appended as jobs end
//	rows-i-of-N.jsonl             the rows of shard i of N, for a sharded run
//	history.jsonl, history-i-of-N.jsonl   rows replaced by --retry-failed
//	instances/                    the generated instances the rows name
//	summary.txt, summary.json, rows.csv   the summary of rows.jsonl (summary-i-of-N.* per shard)
//	*.svg, *.png, *.pdf           plots (see results.Plot)
//	report.html                   the HTML report of rows.jsonl (see results.WriteHTML)
//	slurm/                        Slurm scripts, staged binaries and submissions
//	merged/                       the merge of a Slurm run's shards
//	sweep.lock, sweep-i-of-N.lock, run.json.lock   locks, removed at a clean end
package rundir

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"
)

// The files and directories of a run directory.
const (
	InfoFile     = "run.json"
	InstancesDir = "instances"
	SlurmDir     = "slurm"
	MergedDir    = "merged"
	ReportFile   = "report.html" // the run's HTML report, beside its plots
	infoLock     = InfoFile + ".lock"
)

// The files of a run directory's SlurmDir, which package slurm writes. It
// also holds a copy of each data file the sweep's solvers need (such as
// highs.wasm), under the name of its solvers.Need.
const (
	SlurmState       = "slurm.json"      // the tasks' settings and every submission
	SlurmSweepScript = "sweep.sbatch"    // the array script: task i runs shard i/N
	SlurmMergeScript = "merge.sbatch"    // the merge job's script
	SlurmBinary      = "nashbench"       // the nashbench binary the scripts run
	SlurmSolversFile = "solvers.json"    // the external solver definitions the tasks load
	SlurmSweepLog    = "sweep-%A_%a.out" // a task's log: %A is the array job's id, %a the task's
	SlurmMergeLog    = "merge-%j.out"    // the merge job's log: %j is its id
)

// The stems and extensions of a run directory's per-shard files: every
// name and glob of them below is built from these.
const (
	rowsStem    = "rows"
	historyStem = "history"
	lockStem    = "sweep"
	summaryStem = "summary"
	rowsExt     = ".jsonl"
	lockExt     = ".lock"
)

// shardName names a file of shard i (0-based) of n: stem.ext unsharded,
// stem-i-of-n.ext otherwise.
func shardName(stem, ext string, shard, shards int) string {
	if shards <= 1 {
		return stem + ext
	}
	return fmt.Sprintf("%s-%d-of-%d%s", stem, shard+1, shards, ext)
}

// shardGlob matches the names shardName gives stem.ext's shards of a
// sharded run (not the unsharded stem.ext).
func shardGlob(stem, ext string) string { return stem + "-*-of-*" + ext }

// RowsFile names the rows file of a shard (0-based) of a run directory.
func RowsFile(dir string, shard, shards int) string {
	return filepath.Join(dir, shardName(rowsStem, rowsExt, shard, shards))
}

// HistoryFile names the file of a shard that keeps the rows replaced by
// retries.
func HistoryFile(dir string, shard, shards int) string {
	return filepath.Join(dir, shardName(historyStem, rowsExt, shard, shards))
}

// historyName names the history file beside a rows file, by base names:
// history-i-of-N.jsonl for rows-i-of-N.jsonl, history.jsonl for
// rows.jsonl.
func historyName(rowsName string) string {
	return historyStem + strings.TrimPrefix(rowsName, rowsStem)
}

// lockFile names the lock file of a shard.
func lockFile(dir string, shard, shards int) string {
	return filepath.Join(dir, shardName(lockStem, lockExt, shard, shards))
}

// Globs of every shard's rows, history and lock files.
var (
	rowsGlob       = rowsStem + "*" + rowsExt
	shardRowsGlob  = shardGlob(rowsStem, rowsExt)
	historyGlob    = historyStem + "*" + rowsExt
	shardLocksGlob = shardGlob(lockStem, lockExt)
)

// SummaryFile names the text summary of a rows file (by its base name):
// summary.txt for rows.jsonl, summary-i-of-N.txt for a shard's. The JSON
// summary has the same stem with .json (summaryJSONFile); the CSV of the
// rows the rows file's stem with .csv (rowsCSVFile).
func SummaryFile(dir, rowsName string) string {
	name := summaryStem + ".txt"
	if rowsName != rowsStem+rowsExt {
		name = summaryStem + "-" + strings.TrimSuffix(strings.TrimPrefix(rowsName, rowsStem+"-"), rowsExt) + ".txt"
	}
	return filepath.Join(dir, name)
}

// summaryJSONFile names the JSON summary beside the text summary txt
// (SummaryFile).
func summaryJSONFile(txt string) string { return strings.TrimSuffix(txt, ".txt") + ".json" }

// rowsCSVFile names the CSV of a rows file (by its base name) in dir:
// rows.csv for rows.jsonl, rows-i-of-N.csv for a shard's.
func rowsCSVFile(dir, rowsName string) string {
	return filepath.Join(dir, strings.TrimSuffix(rowsName, rowsExt)+".csv")
}

// MergedDirOf names the directory a Slurm run's merge job writes.
func MergedDirOf(dir string) string { return filepath.Join(dir, MergedDir) }

// NewDir is the default run directory of a sweep started at t:
// results/sweep-<UTC time>.
func NewDir(t time.Time) string {
	return filepath.Join("results", "sweep-"+t.UTC().Format("20060102-150405"))
}
