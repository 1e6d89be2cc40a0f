package solvers

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestProofFormat: a proof's format is which field holds it, DRAT for the
// zero Proof and for code that sets DRAT, and survives JSON (the worker's
// results), an empty LRAT proof too.
func TestProofFormat(t *testing.T) {
	for _, tt := range []struct {
		name   string
		proof  *Proof
		format string
		data   string
	}{
		{"zero", &Proof{}, ProofDRAT, ""},
		{"DRAT field", &Proof{DRAT: []byte("1 0\n0\n")}, ProofDRAT, "1 0\n0\n"},
		{"NewProof drat", NewProof(ProofDRAT, []byte("0\n")), ProofDRAT, "0\n"},
		{"NewProof default", NewProof("", []byte("0\n")), ProofDRAT, "0\n"},
		{"NewProof lrat", NewProof(ProofLRAT, []byte("5 0 1 0\n")), ProofLRAT, "5 0 1 0\n"},
		{"empty LRAT", NewProof(ProofLRAT, []byte{}), ProofLRAT, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.format, tt.proof.Format())
			assert.Equal(t, tt.data, string(tt.proof.Data()))
			b, err := json.Marshal(tt.proof)
			require.NoError(t, err)
			var back Proof
			require.NoError(t, json.Unmarshal(b, &back))
			assert.Equal(t, tt.format, back.Format(), "%s", b)
			assert.Equal(t, tt.data, string(back.Data()))
		})
	}
	assert.Nil(t, NewProof("frat", []byte("x")))
}
