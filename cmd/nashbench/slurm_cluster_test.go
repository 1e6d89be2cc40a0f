//go:build linux

package main

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nashbench/nashbench/record"
	"github.com/nashbench/nashbench/rundir"
	"github.com/nashbench/nashbench/slurm"
)

// slurmTestEnv enables TestSlurm, which starts a Slurm cluster of this one
// machine. scripts/test sets it in a step of its own, after installing
// Slurm, so that CI runs the test once; plain `go test ./...` skips it.
const slurmTestEnv = "NASHBENCH_SLURM_TEST"

// slurmPackages are the Debian packages TestSlurm needs, and a binary
// each has.
var slurmPackages = [][2]string{{"munge", "munged"}, {"slurmctld", "slurmctld"}, {"slurmd", "slurmd"}, {"slurm-client", "sbatch"}}

// A sweep through a real Slurm: the array tasks run its shards, the merge
// job after them merges the rows, which answer as the same sweep run
// here; a task cancelled with scancel and one that fails show up as
// missing in the merged summary, and --resume --slurm resubmits those two
// shards and nothing else.
func TestSlurm(t *testing.T) {
	if os.Getenv(slurmTestEnv) != "1" {
		t.Skipf("set %s=1 to run sweeps through a one-machine Slurm cluster that the test starts (as root, with Debian's %s installed; scripts/test does both)",
			slurmTestEnv, packageList())
	}
	var missing []string
	for _, p := range slurmPackages {
		if _, err := exec.LookPath(p[1]); err != nil {
			missing = append(missing, p[0])
		}
	}
	if len(missing) > 0 {
		t.Fatalf("%s=1 but Slurm is not installed: apt-get install %s", slurmTestEnv, strings.Join(missing, " "))
	}
	if st, err := os.Stat("/dev/null"); err != nil || st.Mode()&os.ModeCharDevice == 0 {
		t.Fatalf("/dev/null is not the character device (%v, %v): munged and slurmd cannot start; something replaced it", st.Mode(), err)
	}
	if os.Getuid() != 0 {
		t.Fatalf("%s=1: the test cluster's daemons need root", slurmTestEnv)
	}
	start := time.Now()
	startSlurm(t)
	t.Logf("cluster up in %s", time.Since(start).Round(time.Millisecond))

	dir := t.TempDir()
	require.NoError(t, os.Chmod(dir, 0o755))
	exp := []string{"--n", "6,8", "--ratio", "3,5", "--count", "1", "--solvers", "enum,gophersat", "--timeout", "20s"}
	local := filepath.Join(dir, "local")
	code, _, errs := runCmd(append([]string{"sweep", "--out", local, "--quiet"}, exp...)...)
	require.Equal(t, 0, code, errs)
	localRows, err := rundir.Read(local)
	require.NoError(t, err)
	require.Len(t, localRows, 8)
	t.Logf("local sweep done at %s", time.Since(start).Round(time.Millisecond))

	// The jobs run this test binary as nashbench (serveCLI): sbatch hands
	// them the submitter's environment.
	t.Setenv(cliEnv, "1")
	run := filepath.Join(dir, "run")
	// Held, so that task 2 can be cancelled before it runs; shard 3's lock
	// is taken, so that task 3 fails ("in use by another sweep").
	code, out, errs := runCmd(append([]string{"sweep", "--slurm", "--out", run, "--shards", "3", "--slurm-opts", "--hold"}, exp...)...)
	require.Equal(t, 0, code, errs)
	t.Log(out)
	t.Logf("submitted at %s", time.Since(start).Round(time.Millisecond))
	state, err := slurm.ReadState(run)
	require.NoError(t, err)
	require.Len(t, state.Submissions, 1)
	sub := state.Submissions[0]
	assert.Equal(t, "1-3", sub.Shards)
	lock, err := os.OpenFile(filepath.Join(run, "sweep-3-of-3.lock"), os.O_CREATE|os.O_RDWR, 0o644)
	require.NoError(t, err)
	defer lock.Close()
	require.NoError(t, syscall.Flock(int(lock.Fd()), syscall.LOCK_EX|syscall.LOCK_NB))
	slurmCmd(t, "scancel", sub.Array+"_2")
	slurmCmd(t, "scontrol", "release", sub.Array, sub.Merge)
	waitJobs(t, run, sub.Array, sub.Merge)
	require.NoError(t, lock.Close())
	t.Logf("first merge done at %s", time.Since(start).Round(time.Millisecond))

	merged := filepath.Join(run, "merged")
	summary, err := os.ReadFile(filepath.Join(merged, "summary.txt"))
	require.NoError(t, err, "the merge job ran")
	assert.Contains(t, string(summary), "missing: 4 of 8 jobs have no row, from shards 2,3 of 3")
	log3, err := os.ReadFile(filepath.Join(run, "slurm", fmt.Sprintf("sweep-%s_3.out", sub.Array)))
	require.NoError(t, err)
	assert.Contains(t, string(log3), "in use by another sweep")
	assert.NoFileExists(t, filepath.Join(run, "slurm", fmt.Sprintf("sweep-%s_2.out", sub.Array)), "cancelled before it ran")
	partial, err := rundir.Read(merged)
	require.NoError(t, err)
	assert.Len(t, partial, 4, "shard 1: instances 0 and 3")
	assert.Subset(t, outcomes(localRows), outcomes(partial))

	// The resume resubmits shards 2 and 3, without --hold.
	code, out, errs = runCmd("sweep", "--resume", "--slurm", "--out", run, "--slurm-opts", "")
	require.Equal(t, 0, code, errs)
	t.Log(out)
	state, err = slurm.ReadState(run)
	require.NoError(t, err)
	require.Len(t, state.Submissions, 2)
	sub = state.Submissions[1]
	assert.Equal(t, "2-3", sub.Shards)
	waitJobs(t, run, sub.Array, sub.Merge)
	for shard, ran := range map[int]bool{1: false, 2: true, 3: true} {
		path := filepath.Join(run, "slurm", fmt.Sprintf("sweep-%s_%d.out", sub.Array, shard))
		if ran {
			assert.FileExists(t, path)
		} else {
			assert.NoFileExists(t, path, "shard 1 had finished")
		}
	}

	rows, err := rundir.Read(merged)
	require.NoError(t, err)
	assert.Equal(t, outcomes(localRows), outcomes(rows), "the same answers as the sweep run here")
	summary, err = os.ReadFile(filepath.Join(merged, "summary.txt"))
	require.NoError(t, err)
	assert.NotContains(t, string(summary), "missing")
	assert.Equal(t, counts(t, filepath.Join(local, "summary.json")), counts(t, filepath.Join(merged, "summary.json")))
	for _, plot := range []string{"cactus.svg", "time-vs-n.png", "sat-vs-ratio.pdf"} {
		assert.FileExists(t, filepath.Join(merged, plot))
	}
	info, err := rundir.ReadInfo(run)
	require.NoError(t, err)
	assert.Len(t, info.Machines, 3, "each shard ran once it was resubmitted")

	code, out, errs = runCmd("sweep", "--resume", "--slurm", "--out", run)
	require.Equal(t, 0, code, errs)
	assert.Contains(t, out, "nothing to submit")
	t.Logf("whole test %s", time.Since(start).Round(time.Millisecond))
}

func packageList() string {
	var names []string
	for _, p := range slurmPackages {
		names = append(names, p[0])
	}
	return strings.Join(names, ", ")
}

// outcomes is what a run found per job, without its times.
func outcomes(rows []record.Row) map[string]string {
	m := map[string]string{}
	for _, r := range rows {
		var count string
		if r.Count != nil {
			count = fmt.Sprint(*r.Count)
		}
		verified := "-"
		if r.Verified != nil {
			verified = fmt.Sprint(*r.Verified)
		}
		m[r.Instance+" "+r.Solver] = strings.Join([]string{string(r.Status), string(r.Answer), count, string(r.Check), verified}, " ")
	}
	return m
}

// counts reads the counts of a summary.json, without its times.
func counts(t *testing.T, path string) any {
	t.Helper()
	var s struct {
		Cells []struct {
			Solver   string  `json:"solver"`
			N        int     `json:"n"`
			Ratio    float64 `json:"ratio"`
			Jobs     int     `json:"jobs"`
			Solved   int     `json:"solved"`
			Timeouts int     `json:"timeouts"`
			Memouts  int     `json:"memouts"`
			Refused  int     `json:"refused"`
			Errors   int     `json:"errors"`
			Agree    int     `json:"agree"`
		} `json:"cells"`
		Phase []json.RawMessage `json:"phase"`
	}
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &s))
	require.NotEmpty(t, s.Cells)
	return s
}

// slurmCmd runs a Slurm client command and returns its output.
func slurmCmd(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).CombinedOutput()
	require.NoError(t, err, "%s %s: %s", name, strings.Join(args, " "), out)
	return string(out)
}

// waitJobs waits until the jobs have left the queue, showing the run's
// Slurm logs if they do not within a minute.
func waitJobs(t *testing.T, run string, ids ...string) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		out := slurmCmd(t, "squeue", "--noheader", "--format=%i %T %r")
		queued := false
		for _, line := range strings.Split(out, "\n") {
			id, _, _ := strings.Cut(strings.Fields(line + " x")[0], "_")
			queued = queued || slices.Contains(ids, id)
		}
		if !queued {
			return
		}
		if time.Now().After(deadline) {
			logs, _ := filepath.Glob(filepath.Join(run, "slurm", "*.out"))
			for _, l := range logs {
				b, _ := os.ReadFile(l)
				t.Logf("%s:\n%s", l, b)
			}
			t.Fatalf("jobs %v still queued after a minute:\n%s", ids, out)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// startSlurm starts munged, slurmctld and slurmd for a cluster of this
// machine alone, its state, sockets and logs in a temporary directory and
// its ports free ones, so that it disturbs no other Slurm or munge here;
// points the Slurm commands at it with SLURM_CONF; and stops the daemons,
// by their process ids, when the test ends, failed or not. The daemons
// run in the foreground as children that the kernel kills if the test
// process dies first.
func startSlurm(t *testing.T) {
	dir := t.TempDir()
	// munged wants its socket's directories searchable by all.
	require.NoError(t, os.Chmod(dir, 0o755))
	require.NoError(t, os.Chmod(filepath.Dir(dir), 0o755))
	for _, sub := range []string{"munge", "state", "spool"} {
		require.NoError(t, os.Mkdir(filepath.Join(dir, sub), 0o755))
	}
	key := make([]byte, 1024)
	_, err := rand.Read(key)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "munge", "key"), key, 0o400))
	socket := filepath.Join(dir, "munge", "socket")

	var procs []*exec.Cmd
	t.Cleanup(func() {
		// Jobs first: their slurmstepd outlives slurmd.
		if out, err := exec.Command("squeue", "--noheader", "--format=%i").Output(); err == nil && len(bytes.TrimSpace(out)) > 0 {
			_ = exec.Command("scancel", strings.Fields(string(out))...).Run()
			for i := 0; i < 50; i++ {
				if out, err := exec.Command("squeue", "--noheader").Output(); err != nil || len(bytes.TrimSpace(out)) == 0 {
					break
				}
				time.Sleep(100 * time.Millisecond)
			}
		}
		for _, p := range slices.Backward(procs) {
			_ = p.Process.Signal(syscall.SIGTERM)
			done := make(chan struct{})
			go func() { _ = p.Wait(); close(done) }()
			select {
			case <-done:
			case <-time.After(5 * time.Second):
				_ = p.Process.Kill()
				<-done
			}
		}
		if t.Failed() {
			for _, name := range []string{"munged.log", "slurmctld.log", "slurmd.log"} {
				b, _ := os.ReadFile(filepath.Join(dir, name))
				t.Logf("%s:\n%s", name, b)
			}
		}
	})
	daemon := func(name string, args ...string) {
		log, err := os.Create(filepath.Join(dir, name+".log"))
		require.NoError(t, err)
		defer log.Close()
		cmd := exec.Command(name, args...)
		cmd.Stdout, cmd.Stderr, cmd.Dir = log, log, dir
		cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
		require.NoError(t, cmd.Start(), name)
		procs = append(procs, cmd)
	}
	daemon("munged", "--foreground", "--socket="+socket, "--key-file="+filepath.Join(dir, "munge", "key"),
		"--log-file="+filepath.Join(dir, "munge", "log"), "--pid-file="+filepath.Join(dir, "munge", "pid"),
		"--seed-file="+filepath.Join(dir, "munge", "seed"))
	waitFor(t, "munged's socket", func() bool { _, err := os.Stat(socket); return err == nil })

	// This machine as slurmd sees it (CPUs, memory), named localhost.
	hw, err := exec.Command("slurmd", "-C").Output()
	require.NoError(t, err)
	node := regexp.MustCompile(`NodeName=\S+ (.*)`).FindStringSubmatch(strings.Split(string(hw), "\n")[0])
	require.NotNil(t, node, "slurmd -C: %s", hw)
	conf := filepath.Join(dir, "slurm.conf")
	require.NoError(t, os.WriteFile(conf, fmt.Appendf(nil, `ClusterName=nashbench-test
SlurmctldHost=localhost
SlurmctldPort=%d
SlurmdPort=%d
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=%[3]s
ProctrackType=proctrack/linuxproc
TaskPlugin=task/affinity
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
StateSaveLocation=%[4]s/state
SlurmdSpoolDir=%[4]s/spool
SlurmctldPidFile=%[4]s/slurmctld.pid
SlurmdPidFile=%[4]s/slurmd.pid
ReturnToService=2
KillWait=2
SchedulerParameters=sched_interval=1
NodeName=localhost %[5]s State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP
`, freePort(t), freePort(t), socket, dir, strings.TrimSpace(node[1])), 0o644))
	t.Setenv("SLURM_CONF", conf)
	daemon("slurmctld", "-D", "-f", conf)
	daemon("slurmd", "-D", "-N", "localhost", "-f", conf)
	waitFor(t, "the node to be idle", func() bool {
		out, err := exec.Command("sinfo", "--noheader", "--format=%t").Output()
		return err == nil && strings.TrimSpace(string(out)) == "idle"
	})
}

func freePort(t *testing.T) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); !ok(); time.Sleep(100 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("waited 30s for %s", what)
		}
	}
}
