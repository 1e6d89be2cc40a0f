package slurm

import (
	"bytes"
	"fmt"
	"os/exec"
	"slices"
	"strconv"
	"strings"

	"github.com/nashbench/nashbench/internal/shell"
)

// sbatchOpt is one option of --slurm-opts: its words (an option and any
// separate value) and its long name, for the ones nashbench also sets.
type sbatchOpt struct {
	name  string
	words []string
}

// sbatchShort maps the short sbatch options nashbench cares about to
// their long names.
var sbatchShort = map[string]string{
	"a": "array", "c": "cpus-per-task", "d": "dependency", "D": "chdir", "J": "job-name", "o": "output", "e": "error",
}

// parseSbatchOpts splits --slurm-opts into sbatch options. Values may be
// joined (--time=1:00:00, -t1:00:00) or follow as the next word (-p
// long). nashbench sets --array and --dependency itself.
func parseSbatchOpts(s string) ([]sbatchOpt, error) {
	words, err := shell.Words(s)
	if err != nil {
		return nil, err
	}
	var out []sbatchOpt
	for _, w := range words {
		if !strings.HasPrefix(w, "-") || w == "-" || w == "--" {
			if len(out) == 0 || len(out[len(out)-1].words) > 1 || strings.Contains(out[len(out)-1].words[0], "=") {
				return nil, fmt.Errorf("%q is not an sbatch option (options start with -)", w)
			}
			out[len(out)-1].words = append(out[len(out)-1].words, w)
			continue
		}
		if strings.ContainsAny(w, "\"\n") {
			return nil, fmt.Errorf("%q: quotes and newlines cannot go into an #SBATCH line", w)
		}
		name, _, _ := strings.Cut(strings.TrimLeft(w, "-"), "=")
		if !strings.HasPrefix(w, "--") {
			name = sbatchShort[w[1:2]]
		}
		switch name {
		case "array", "dependency":
			return nil, fmt.Errorf("%s: nashbench sets --%s itself", w, name)
		case "wrap", "parsable":
			return nil, fmt.Errorf("%s: not an option for nashbench's scripts", w)
		}
		out = append(out, sbatchOpt{name: name, words: []string{w}})
	}
	return out, nil
}

func quoteAll(words []string) []string {
	out := make([]string, len(words))
	for i, w := range words {
		out[i] = shell.Quote(w)
	}
	return out
}

// directiveWord writes a word of an #SBATCH line, quoting a value that
// has blanks (sbatch reads quoted arguments in its directives).
func directiveWord(w string) string {
	if !strings.ContainsAny(w, " \t") {
		return w
	}
	if name, value, ok := strings.Cut(w, "="); ok && strings.HasPrefix(w, "-") {
		return name + `="` + value + `"`
	}
	return `"` + w + `"`
}

// taskList writes 1-based shards as an sbatch --array list: 1-3,5,7-8.
func taskList(shards []int) string {
	var parts []string
	for i := 0; i < len(shards); {
		j := i
		for j+1 < len(shards) && shards[j+1] == shards[j]+1 {
			j++
		}
		if j == i {
			parts = append(parts, strconv.Itoa(shards[i]))
		} else {
			parts = append(parts, fmt.Sprintf("%d-%d", shards[i], shards[j]))
		}
		i = j + 1
	}
	return strings.Join(parts, ",")
}

// sbatch submits a job and returns its id.
func sbatch(args ...string) (string, error) {
	var outb, errb bytes.Buffer
	cmd := exec.Command("sbatch", args...)
	cmd.Stdout, cmd.Stderr = &outb, &errb
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("sbatch %s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(errb.String()))
	}
	// --parsable prints "id" or "id;cluster".
	id, _, _ := strings.Cut(strings.TrimSpace(outb.String()), ";")
	if _, err := strconv.ParseUint(id, 10, 64); err != nil {
		return "", fmt.Errorf("sbatch %s printed %q, not a job id", strings.Join(args, " "), outb.String())
	}
	return id, nil
}

// checkQueue refuses to resubmit while any job submitted for the run is
// still queued or running: its shard would run twice.
func checkQueue(state *State) error {
	ours := map[string]bool{}
	for _, sub := range state.Submissions {
		ours[sub.Array], ours[sub.Merge] = true, true
	}
	if len(ours) == 0 {
		return nil
	}
	// All jobs, not -j: squeue fails on ids the controller has forgotten.
	var outb, errb bytes.Buffer
	cmd := exec.Command("squeue", "--noheader", "--format=%i")
	cmd.Stdout, cmd.Stderr = &outb, &errb
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("--slurm: cannot check the queue: squeue: %v: %s", err, strings.TrimSpace(errb.String()))
	}
	var queued []string
	for _, line := range strings.Fields(outb.String()) {
		id, _, _ := strings.Cut(line, "_") // array tasks: 123_4 or 123_[5-9]
		if ours[id] && !slices.Contains(queued, id) {
			queued = append(queued, id)
		}
	}
	if len(queued) > 0 {
		return fmt.Errorf("--slurm: jobs %s of this run are still queued or running (squeue -j %s): wait for them to end, or scancel them, before resubmitting",
			strings.Join(queued, ", "), strings.Join(queued, ","))
	}
	return nil
}
