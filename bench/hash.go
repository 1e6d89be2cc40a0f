package bench

import (
	"crypto/sha256"
	"encoding/hex"

	"github.com/nashbench/nashbench/game"
	"github.com/nashbench/nashbench/instances"
	"github.com/nashbench/nashbench/solvers"
)

// inputHash identifies a problem by content (record.Record.InputSHA256):
// the SHA-256 of its formula as DIMACS without comments, or, for a game
// input, of its game JSON. "" when neither can be written.
func inputHash(p *solvers.Problem) string {
	h := sha256.New()
	var err error
	switch {
	case p.Formula != nil:
		err = instances.WriteDIMACS(h, p.Formula)
	case p.Game != nil:
		err = game.WriteJSON(h, p.Game, "")
	default:
		return ""
	}
	if err != nil {
		return ""
	}
	return hex.EncodeToString(h.Sum(nil))
}
