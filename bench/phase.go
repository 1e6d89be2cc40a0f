package bench

import "sort"

// Point is one (n, ratio) point of the phase-transition view.
type Point struct {
	N                  int
	Ratio              float64
	Instances, Decided int
	Sat                int
}

// PhaseTransition counts, per size and ratio, the instances whose consensus
// answer is sat.
func PhaseTransition(rows []Row) []Point {
	order, byInst := byInstance(rows)
	type key struct {
		n     int
		ratio float64
	}
	pts := map[key]*Point{}
	for _, inst := range order {
		rs := byInst[inst]
		k := key{rs[0].N, rs[0].Ratio}
		p := pts[k]
		if p == nil {
			p = &Point{N: k.n, Ratio: k.ratio}
			pts[k] = p
		}
		p.Instances++
		switch consensus(rs) {
		case "sat", "pne":
			p.Decided++
			p.Sat++
		case "unsat", "no-pne":
			p.Decided++
		}
	}
	out := make([]Point, 0, len(pts))
	for _, p := range pts {
		out = append(out, *p)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].N != out[j].N {
			return out[i].N < out[j].N
		}
		return out[i].Ratio < out[j].Ratio
	})
	return out
}
