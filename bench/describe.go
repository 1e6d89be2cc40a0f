package bench

import (
	"fmt"
	"strings"

	"github.com/nashbench/nashbench/internal/plural"
)

// String says what s runs, as parsed: what instances, which solvers, how
// many jobs (when the instances can be listed) and the time limit. A sweep
// prints it before any job, so that a list that means something else than
// intended (--ratio 4,26 is two ratios) shows at once.
func (s *Sweep) String() string {
	var what string
	if s.Corpus != "" {
		what = "corpus " + s.Corpus
	} else if s.Game != "" {
		what = fmt.Sprintf("%s games; players %s; %s per size", s.Game, joinList(s.Players), plural.Count(s.Count, "game", "games"))
	} else {
		what = fmt.Sprintf("n = %s; ratios %s; %s per point", joinList(s.Sizes), joinList(s.Ratios), plural.Count(s.Count, "instance", "instances"))
	}
	jobs := ""
	if insts, err := s.Instances(false); err == nil {
		jobs = "; " + plural.Count(len(s.Plan(insts, s.Shard, s.Shards)), "job", "jobs")
		if s.Shards > 1 {
			jobs += fmt.Sprintf(" in shard %d/%d", s.Shard+1, s.Shards)
		}
	}
	return fmt.Sprintf("%s; solvers %s%s; timeout %s per job", what, strings.Join(s.Solvers, ", "), jobs, s.Timeout)
}

func joinList[T any](xs []T) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = fmt.Sprint(x)
	}
	return strings.Join(parts, ", ")
}
