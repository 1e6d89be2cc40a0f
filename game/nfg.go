package game

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// MaxNFGPlayers is the most players WriteNFG writes: the strategic form
// lists every one of the 2^k profiles, k payoffs each (at 16 players, about
// a million numbers).
const MaxNFGPlayers = 16

// WriteNFG writes g as a Gambit strategic-form game file in the payoff
// version of the NFG format (version 1, "NFG 1 R"), so that tools such as
// gambit-enumpure can count its pure equilibria independently.
//
// Each player has two strategies: 1 is closed (a_i = 0), 2 is open
// (a_i = 1). The body lists, for every profile, the payoffs
// u_i = mu_i - max_{j != i} mu_j of players 1..k in order; the profiles
// come in Gambit's order, player 1's strategy changing fastest, so the
// profile numbered p (from 0) has a_i = bit i of p. The title and comment
// are quoted strings: double quotes in them become single quotes and
// backslashes slashes, which Gambit's reader would otherwise take as
// escapes; line breaks become spaces.
//
// Games of more than MaxNFGPlayers players are refused.
func WriteNFG(w io.Writer, g *Game, title, comment string) error {
	k := g.Players()
	if k > MaxNFGPlayers {
		return fmt.Errorf("game: %d players: the strategic form lists all 2^%d profiles; at most %d players can be written as NFG", k, k, MaxNFGPlayers)
	}
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "NFG 1 R %s {", nfgString(title))
	for i := range k {
		bw.WriteString(" " + nfgString(g.Name(i)))
	}
	bw.WriteString(" } {")
	for range k {
		bw.WriteString(" 2")
	}
	bw.WriteString(" }\n")
	if comment != "" {
		bw.WriteString(nfgString(comment) + "\n")
	}
	bw.WriteString("\n")
	a := make([]bool, k)
	var mu []int64
	buf := make([]byte, 0, 24)
	for p := range uint64(1) << k {
		for i := range a {
			a[i] = p>>i&1 == 1
		}
		mu = g.Mu(a, mu)
		for i := range k {
			if i > 0 {
				bw.WriteByte(' ')
			}
			bw.Write(strconv.AppendInt(buf[:0], mu[i]-maxExcept(mu, i), 10))
		}
		bw.WriteByte('\n')
	}
	return bw.Flush()
}

// nfgString quotes s for an NFG file.
func nfgString(s string) string {
	s = strings.NewReplacer(`"`, `'`, `\`, `/`, "\r\n", " ", "\n", " ", "\r", " ").Replace(s)
	return `"` + s + `"`
}
