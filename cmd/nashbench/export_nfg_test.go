package main

import (
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// nfgTable is a strategic-form game as read from an NFG file.
type nfgTable struct {
	title      string
	players    []string
	strategies []int        // per player
	payoffs    [][]*big.Rat // per profile, per player
}

// readNFG reads the payoff version of Gambit's NFG format as its
// documentation describes it ("The strategic game (.nfg) file format,
// payoff version"), independently of game.WriteNFG: the tokens NFG, 1 and
// R; the title; the players' names in braces; their numbers of strategies
// in braces; an optional comment string; then the payoffs, whitespace
// separated, of every player in each profile, the profiles ordered with
// player 1's strategy changing fastest. Strings are double-quoted, \"
// standing for a quote; payoffs are integers, decimals or fractions.
func readNFG(text string) (*nfgTable, error) {
	var toks []string // strings keep their opening quote
	for i := 0; i < len(text); {
		c := text[i]
		switch {
		case unicode.IsSpace(rune(c)):
			i++
		case c == '{' || c == '}':
			toks = append(toks, string(c))
			i++
		case c == '"':
			var b strings.Builder
			b.WriteByte('"')
			j := i + 1
			for ; j < len(text) && text[j] != '"'; j++ {
				if text[j] == '\\' && j+1 < len(text) && text[j+1] == '"' {
					j++
				}
				b.WriteByte(text[j])
			}
			if j == len(text) {
				return nil, fmt.Errorf("unterminated string at byte %d", i)
			}
			toks = append(toks, b.String())
			i = j + 1
		default:
			j := i
			for j < len(text) && !unicode.IsSpace(rune(text[j])) && text[j] != '{' && text[j] != '}' && text[j] != '"' {
				j++
			}
			toks = append(toks, text[i:j])
			i = j
		}
	}
	pos := 0
	next := func() string {
		if pos == len(toks) {
			return ""
		}
		pos++
		return toks[pos-1]
	}
	isString := func(s string) bool { return strings.HasPrefix(s, `"`) }
	if next() != "NFG" || next() != "1" || next() != "R" {
		return nil, fmt.Errorf("want the prologue NFG 1 R")
	}
	t := &nfgTable{}
	if s := next(); isString(s) {
		t.title = s[1:]
	} else {
		return nil, fmt.Errorf("want a title, found %q", s)
	}
	if next() != "{" {
		return nil, fmt.Errorf("want the players' list")
	}
	for s := next(); s != "}"; s = next() {
		if !isString(s) {
			return nil, fmt.Errorf("want a player's name, found %q", s)
		}
		t.players = append(t.players, s[1:])
	}
	if next() != "{" {
		return nil, fmt.Errorf("want the strategies' list")
	}
	for s := next(); s != "}"; s = next() {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			return nil, fmt.Errorf("want a positive number of strategies, found %q", s)
		}
		t.strategies = append(t.strategies, n)
	}
	if len(t.strategies) != len(t.players) {
		return nil, fmt.Errorf("%d players but %d strategy counts", len(t.players), len(t.strategies))
	}
	if pos < len(toks) && isString(toks[pos]) {
		pos++ // the comment
	}
	profiles := 1
	for _, n := range t.strategies {
		profiles *= n
	}
	for range profiles {
		row := make([]*big.Rat, len(t.players))
		for i := range row {
			s := next()
			x, ok := new(big.Rat).SetString(s)
			if !ok {
				return nil, fmt.Errorf("want a payoff, found %q", s)
			}
			row[i] = x
		}
		t.payoffs = append(t.payoffs, row)
	}
	if pos != len(toks) {
		return nil, fmt.Errorf("%d tokens after the payoffs", len(toks)-pos)
	}
	return t, nil
}

// pureEquilibria counts the table's pure Nash equilibria by brute force:
// profiles where no player gains by another strategy of its own, the
// others' fixed. It reports too whether the profile of every player's
// first strategy is one.
func (t *nfgTable) pureEquilibria() (count int, first bool) {
	// The profile numbered p gives player i the strategy
	// (p / prod_{j<i} n_j) mod n_i (from 0), player 1's digit lowest.
	stride := make([]int, len(t.strategies))
	s := 1
	for i, n := range t.strategies {
		stride[i] = s
		s *= n
	}
	for p := range t.payoffs {
		eq := true
		for i := range t.players {
			own := p / stride[i] % t.strategies[i]
			for alt := range t.strategies[i] {
				q := p + (alt-own)*stride[i]
				if t.payoffs[q][i].Cmp(t.payoffs[p][i]) > 0 {
					eq = false
				}
			}
		}
		if eq {
			count++
			if p == 0 {
				first = true
			}
		}
	}
	return count, first
}

// TestExportNFGCountsEquilibria writes generated games of 2 to 8 players
// as NFG, reads each file back with readNFG, counts its pure equilibria
// by brute force over the payoff table, and compares with enum's count
// (solve --solver enum --count, which counts every pure equilibrium and
// says whether the all-closed one, every player's strategy 1, is one) and
// answer (whether a non-trivial one exists). The count is what
// gambit-enumpure would list, were Gambit installed.
func TestExportNFGCountsEquilibria(t *testing.T) {
	dir := t.TempDir()
	var games []string
	for _, fam := range []string{"race", "uniform", "ring"} {
		for k := 2; k <= 8; k++ {
			if fam == "ring" && k < 3 {
				continue
			}
			code, out, errs := runCmd("gen", "--game", fam, "--players", strconv.Itoa(k), "--count", "3", "--seed", "11", "--out", dir)
			require.Equal(t, 0, code, errs)
			games = append(games, strings.Fields(out)...)
		}
	}
	// And a hand-made one, with named players.
	games = append(games, writeFile(t, dir, "coord.json", `{"players": ["A \\ \"B\"", "C", "D"], "D": [[-1, 5, 0], [5, -1, 0], [0, 0, -1]], "d": [0, 0, 3]}`))
	code, out, errs := runCmd(append([]string{"solve", "--solver", "enum", "--count", "--json"}, games...)...)
	require.Equal(t, 0, code, errs)
	recs := records(t, out)
	require.Len(t, recs, len(games))
	withTrivial, withOthers := 0, 0
	for i, path := range games {
		nfg := filepath.Join(dir, filepath.Base(path)+".nfg")
		code, _, errs := runCmd("export", "--formulation", "nfg", path, "-o", nfg)
		require.Equal(t, 0, code, errs)
		b, err := os.ReadFile(nfg)
		require.NoError(t, err)
		tab, err := readNFG(string(b))
		require.NoError(t, err, path)
		k := len(tab.players)
		require.Equal(t, k, len(tab.strategies))
		for _, n := range tab.strategies {
			require.Equal(t, 2, n)
		}
		require.Len(t, tab.payoffs, 1<<k)
		count, first := tab.pureEquilibria()
		require.NotNil(t, recs[i].Count, path)
		require.NotNil(t, recs[i].TrivialPNE, path)
		assert.Equal(t, *recs[i].Count, int64(count), "%s: pure equilibria in the NFG table against enum's count", path)
		assert.Equal(t, *recs[i].TrivialPNE, first, "%s: all-closed an equilibrium", path)
		if first {
			withTrivial++
		}
		if n := int64(count) - map[bool]int64{true: 1}[first]; n > 0 {
			withOthers++ // a non-trivial equilibrium: enum's answer is yes
			assert.Equal(t, "pne", string(recs[i].Answer), path)
		} else {
			assert.Equal(t, "no-pne", string(recs[i].Answer), path)
		}
	}
	// Both kinds of game were met.
	assert.Positive(t, withTrivial)
	assert.Positive(t, withOthers)
	assert.Less(t, withOthers, len(games))
}

func TestExportNFGRefusesLargeGames(t *testing.T) {
	dir := t.TempDir()
	code, out, errs := runCmd("gen", "--game", "uniform", "--players", "17", "--out", dir)
	require.Equal(t, 0, code, errs)
	code, out, errs = runCmd("export", "--formulation", "nfg", strings.TrimSpace(out))
	assert.Equal(t, 2, code)
	assert.Empty(t, out)
	assert.Contains(t, errs, "the game has 17 players: --formulation nfg writes every one of the 2^k profiles and takes at most 16 players")

	// 16 players is the most, and the file has all 65536 profiles.
	code, out, errs = runCmd("gen", "--game", "ring", "--players", "16", "--out", dir)
	require.Equal(t, 0, code, errs)
	nfg := filepath.Join(dir, "g.nfg")
	code, _, errs = runCmd("export", "--formulation", "nfg", strings.TrimSpace(out), "-o", nfg)
	require.Equal(t, 0, code, errs)
	b, err := os.ReadFile(nfg)
	require.NoError(t, err)
	tab, err := readNFG(string(b))
	require.NoError(t, err)
	assert.Len(t, tab.payoffs, 1<<16)
	assert.Equal(t, "nashbench game ring-k16-s1-i000000.json", tab.title)
}
