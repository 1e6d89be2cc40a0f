package isolate

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sync"

	"github.com/nashbench/nashbench/solvers"
)

// Pooled workers serve job after job, so that a solver that isolates itself
// only to be stoppable at its deadline (gophersat) pays for a process once
// rather than per input: a worker is killed only when a solve overruns its
// deadline, and otherwise goes back to the pool. Sweeps do not use them: a
// sweep measures each job's process (Config.Run).

// loopEnv makes a worker serve jobs until its standard input closes.
const loopEnv = "NASHBENCH_WORKER_LOOP"

// pooledName stands for the solver in a pooled worker's name ("nashbench
// worker pooled"): it serves one solver after another.
const pooledName = "pooled"

// maxIdle is how many idle pooled workers are kept.
const maxIdle = 2

var pool struct {
	sync.Mutex
	idle []*pooled
}

// pooled is a running loop worker.
type pooled struct {
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	out    *bufio.Reader
	stderr *tailBuffer
}

// Pooled solves p with the named solver in a pooled worker process (started
// on first use, reused while its solves end in time), so that the solve can
// be stopped at ctx's end like Run's, without a process per solve. When ctx
// ends first, the worker is killed and Pooled returns a Result with Answer
// Unknown. It needs Serve like Run; its results carry no Usage.
func Pooled(ctx context.Context, solver string, p *solvers.Problem, opt solvers.Options) (*solvers.Result, error) {
	in, ended, err := start(ctx, "Pooled", solver, p, opt)
	if ended != nil || err != nil {
		return ended, err
	}
	w, err := takeWorker()
	if err != nil {
		return nil, err
	}
	type reply struct {
		r   result
		err error
	}
	done := make(chan reply, 1)
	go func() {
		if _, err := w.stdin.Write(append(in, '\n')); err != nil {
			done <- reply{err: err}
			return
		}
		var rp reply
		rp.r, rp.err = w.read()
		done <- rp
	}()
	select {
	case <-ctx.Done():
		w.kill()
		<-done
		return unknown(), nil
	case rp := <-done:
		if rp.err != nil {
			w.kill()
			return nil, fmt.Errorf("isolate: pooled worker for %s: %v; %s", solver, rp.err, w.stderr.ends())
		}
		putWorker(w)
		r := rp.r
		switch {
		case r.Refused:
			return nil, &solvers.RefusedError{Reason: r.Error}
		case r.Error != "":
			return nil, errors.New(r.Error)
		case r.Answer != solvers.Found && r.Answer != solvers.None && r.Answer != solvers.Unknown:
			return nil, fmt.Errorf("isolate: worker for %s answered %d", solver, r.Answer)
		}
		return r.solverResult(), nil
	}
}

// read returns the next result line, skipping whatever else the solver
// printed.
func (w *pooled) read() (result, error) {
	var r result
	for {
		line, err := w.out.ReadBytes('\n')
		if rest, ok := bytes.CutPrefix(line, []byte(resultMarker)); ok {
			return r, json.Unmarshal(rest, &r)
		}
		if err != nil {
			return r, err
		}
	}
}

func takeWorker() (*pooled, error) {
	pool.Lock()
	if n := len(pool.idle); n > 0 {
		w := pool.idle[n-1]
		pool.idle = pool.idle[:n-1]
		pool.Unlock()
		return w, nil
	}
	pool.Unlock()
	// Not tied to a solve's context: the worker outlives it, and Pooled
	// kills it when a solve overruns.
	cmd, err := workerCommand(context.Background(), pooledName, loopEnv+"=1")
	if err != nil {
		return nil, err
	}
	w := &pooled{cmd: cmd, stderr: &tailBuffer{max: stderrTail}}
	cmd.Stderr = w.stderr
	if w.stdin, err = cmd.StdinPipe(); err != nil {
		return nil, fmt.Errorf("isolate: %w", err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, fmt.Errorf("isolate: %w", err)
	}
	w.out = bufio.NewReaderSize(stdout, 1<<16)
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("isolate: starting a worker: %w", err)
	}
	pidMu.Lock()
	lastPID = cmd.Process.Pid
	pidMu.Unlock()
	return w, nil
}

func putWorker(w *pooled) {
	pool.Lock()
	if len(pool.idle) < maxIdle {
		pool.idle = append(pool.idle, w)
		pool.Unlock()
		return
	}
	pool.Unlock()
	w.stdin.Close() // the worker exits at the end of its input
	go func() { _ = w.cmd.Wait() }()
}

func (w *pooled) kill() {
	_ = KillGroup(w.cmd)
	_ = w.cmd.Wait()
}

// serveLoop is a pooled worker: it solves the jobs on stdin one by one,
// writing each result (or the solver's failure) on a marked line. It ends
// when stdin closes, at once when that happens during a solve, since the
// parent is then gone.
func serveLoop(stdin io.Reader, stdout io.Writer) int {
	jobs := make(chan *job)
	var busy sync.Mutex // held while solving
	go func() {
		dec := json.NewDecoder(stdin)
		for {
			j := new(job)
			if err := dec.Decode(j); err != nil {
				if !busy.TryLock() {
					os.Exit(exitOrphaned)
				}
				close(jobs)
				return
			}
			busy.Lock()
			jobs <- j
		}
	}()
	for j := range jobs {
		res, err := solveJob(j)
		if err != nil {
			res = &result{Error: err.Error(), Refused: solvers.IsRefused(err)}
		}
		// Idle again before the result goes out: the parent may close
		// the pipe as soon as it has read it.
		busy.Unlock()
		if err := writeResult(stdout, res); err != nil {
			fmt.Fprintf(os.Stderr, "isolate worker: writing the result: %v\n", err)
			return 2
		}
	}
	return 0
}
