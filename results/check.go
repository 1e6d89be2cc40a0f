package results

import (
	"strings"

	"github.com/nashbench/nashbench/record"
)

// Disagreement is an instance on which the rows contradict each other or
// the truth: two decided answers differ, a planted (satisfiable) instance is
// called unsat, or a witness failed verification.
type Disagreement struct {
	Instance string
	Detail   string
}

// Disagreements finds the disagreements in rows.
func Disagreements(rows []record.Row) []Disagreement {
	order, byInst := byInstance(rows)
	var out []Disagreement
	for _, inst := range order {
		var parts []string
		answers := map[record.Answer]bool{}
		planted := false
		for _, r := range byInst[inst] {
			planted = planted || r.Planted
			if r.Failed() {
				out = append(out, Disagreement{inst, r.Solver + ": " + r.Error})
			}
			if r.Answer.Decided() {
				answers[r.Answer] = true
			}
			parts = append(parts, r.Solver+"="+string(r.Answer))
		}
		if len(answers) > 1 {
			out = append(out, Disagreement{inst, "solvers disagree: " + strings.Join(parts, ", ")})
		}
		if planted && answers[record.UNSAT] {
			out = append(out, Disagreement{inst, "a planted (satisfiable) instance was called unsat: " + strings.Join(parts, ", ")})
		}
	}
	return out
}

// byInstance groups rows by instance, listing the instances in the order
// of their first row.
func byInstance(rows []record.Row) (order []string, byInst map[string][]*record.Row) {
	byInst = map[string][]*record.Row{}
	for i := range rows {
		r := &rows[i]
		if _, ok := byInst[r.Instance]; !ok {
			order = append(order, r.Instance)
		}
		byInst[r.Instance] = append(byInst[r.Instance], r)
	}
	return order, byInst
}

// consensus returns the decided answer of an instance's rows, preferring
// the reference solver's, or "". Answers that failed verification do not
// count.
func consensus(rows []*record.Row) record.Answer {
	var ans record.Answer
	for _, r := range rows {
		if !r.Answer.Decided() || r.Failed() {
			continue
		}
		if r.Solver == record.Reference {
			return r.Answer
		}
		if ans == "" {
			ans = r.Answer
		}
	}
	return ans
}
