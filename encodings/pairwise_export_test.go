package encodings

import "testing"

// WithPairwise sets the switches of the pairwise encoding for t: the rows
// a_i = b -> mu_l <= UB_i^b (ub), each pair's comparisons translated
// together in the CNF (group), and maxPairwiseTerms (maxTerms, 0: as it
// is).
func WithPairwise(t *testing.T, ub, group bool, maxTerms int) {
	oldU, oldG, oldM := pairwiseUB, pairwiseGroupCNF, maxPairwiseTerms
	pairwiseUB, pairwiseGroupCNF = ub, group
	if maxTerms > 0 {
		maxPairwiseTerms = maxTerms
	}
	t.Cleanup(func() { pairwiseUB, pairwiseGroupCNF, maxPairwiseTerms = oldU, oldG, oldM })
}
