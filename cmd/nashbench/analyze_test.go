package main

import (
	"bytes"
	"encoding/json"
	"math/big"
	"math/rand/v2"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nashbench/nashbench/game"
	"github.com/nashbench/nashbench/internal/testgen"
)

// jsonAnalysis mirrors the documented --json fields.
type jsonAnalysis struct {
	Game         string   `json:"game"`
	Players      []string `json:"players"`
	PureCount    int64    `json:"pure_count"`
	PureComplete bool     `json:"pure_complete"`
	Pure         []struct {
		Profile    []int       `json:"profile"`
		Welfare    json.Number `json:"welfare"`
		Continuous bool        `json:"continuous"`
	} `json:"pure"`
	Optimum struct {
		Profile    []int       `json:"profile"`
		Welfare    json.Number `json:"welfare"`
		Continuous bool        `json:"continuous"`
	} `json:"optimum"`
	PriceOfAnarchy   *float64     `json:"price_of_anarchy"`
	PriceOfStability *float64     `json:"price_of_stability"`
	AnarchyGap       *json.Number `json:"anarchy_gap"`
	StabilityGap     *json.Number `json:"stability_gap"`
	ContinuousStatus string       `json:"continuous_status"`
	Continuous       *struct {
		Profile      []string  `json:"profile"`
		ProfileFloat []float64 `json:"profile_float"`
		Welfare      string    `json:"welfare"`
		WelfareFloat float64   `json:"welfare_float"`
		WelfareGap   string    `json:"welfare_gap"`
		Nodes        int64     `json:"nodes"`
	} `json:"continuous"`
	Corollary1 []string `json:"corollary1"`
	Corollary2 []bool   `json:"corollary2"`
}

func analyzeJSON(t *testing.T, args ...string) jsonAnalysis {
	t.Helper()
	code, out, errs := runCmd(append([]string{"analyze", "--json"}, args...)...)
	require.Equal(t, 0, code, errs)
	dec := json.NewDecoder(bytes.NewReader([]byte(out)))
	dec.DisallowUnknownFields()
	var an jsonAnalysis
	require.NoError(t, dec.Decode(&an), out)
	return an
}

func profiles(an jsonAnalysis) [][]int {
	var out [][]int
	for _, p := range an.Pure {
		out = append(out, p.Profile)
	}
	return out
}

func TestAnalyzeExamples(t *testing.T) {
	dir := filepath.Join("..", "..", "examples")

	an := analyzeJSON(t, filepath.Join(dir, "leader-followers.json"))
	assert.Equal(t, []string{"Leader", "Follower A", "Follower B"}, an.Players)
	assert.Equal(t, int64(2), an.PureCount)
	assert.True(t, an.PureComplete)
	assert.Equal(t, [][]int{{0, 0, 1}, {1, 1, 0}}, profiles(an))
	assert.Equal(t, json.Number("23"), an.Pure[0].Welfare)
	assert.False(t, an.Pure[0].Continuous)
	assert.Equal(t, []int{1, 1, 1}, an.Optimum.Profile)
	assert.Equal(t, json.Number("30"), an.Optimum.Welfare)
	require.NotNil(t, an.PriceOfAnarchy)
	assert.InDelta(t, 30.0/23, *an.PriceOfAnarchy, 1e-12)
	assert.InDelta(t, 30.0/26, *an.PriceOfStability, 1e-12)
	assert.Equal(t, json.Number("7"), *an.AnarchyGap)
	assert.Equal(t, json.Number("4"), *an.StabilityGap)
	assert.Equal(t, "found", an.ContinuousStatus)
	require.NotNil(t, an.Continuous)
	assert.Equal(t, []string{"0", "3/8", "7/8"}, an.Continuous.Profile)
	assert.Equal(t, "24", an.Continuous.Welfare)
	assert.Equal(t, "6", an.Continuous.WelfareGap)
	assert.Equal(t, []string{"undetermined", "undetermined", "undetermined"}, an.Corollary1)
	assert.Equal(t, []bool{false, false, true}, an.Corollary2)

	an = analyzeJSON(t, filepath.Join(dir, "equals.json"))
	assert.Equal(t, [][]int{{0, 0, 0, 0}}, profiles(an))
	assert.True(t, an.Pure[0].Continuous)
	assert.Equal(t, []int{1, 1, 1, 1}, an.Optimum.Profile)
	assert.InDelta(t, 3.2, *an.PriceOfAnarchy, 1e-12)
	assert.Equal(t, []string{"0", "0", "0", "0"}, an.Continuous.Profile)
	assert.Equal(t, []string{"closed", "closed", "closed", "closed"}, an.Corollary1)

	an = analyzeJSON(t, filepath.Join(dir, "open-weights.json"))
	assert.Equal(t, [][]int{{0, 0, 0}}, profiles(an))
	assert.False(t, an.Pure[0].Continuous)
	assert.Equal(t, []string{"0", "1/3", "0"}, an.Continuous.Profile)
	assert.Equal(t, "82/3", an.Continuous.Welfare)
	assert.Equal(t, []string{"closed", "undetermined", "closed"}, an.Corollary1)
	assert.Equal(t, []bool{false, false, false}, an.Corollary2)
}

func TestAnalyzeText(t *testing.T) {
	code, out, errs := runCmd("analyze", filepath.Join("..", "..", "examples", "open-weights.json"))
	require.Equal(t, 0, code, errs)
	want := `Game ../../examples/open-weights.json: 3 players (Incumbent, Challenger, Lab)

Pure equilibria (each player opens or not): 1
  all closed   welfare 25

Welfare optimum (i opens iff delta_i + sum_j Delta_ij > 0):
  all open   welfare 42

Price of anarchy   (optimum / worst equilibrium): 1.68 (gap 17)
Price of stability (optimum / best equilibrium):  1.68 (gap 17)

A continuous equilibrium (a_i in [0,1]; theorem4 MIP, checked exactly):
  Incumbent 0, Challenger 1/3 (0.3333), Lab 0   welfare 82/3 (27.33)
  44/3 (14.67) below the optimum

Corollary 1 (corrected: by what each player gives; strictly dominant actions):
  always opens: -
  never opens:  Incumbent, Lab
  undetermined: Challenger

Corollary 2 (strict: who gains by opening alone when all are closed):
  nobody, so all-closed is an equilibrium
`
	assert.Equal(t, want, out)
}

// On random games every field agrees with brute force over all profiles.
func TestAnalyzeRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(31, 31))
	dir := t.TempDir()
	for n := range 12 {
		k := 2 + rng.IntN(4)
		g := testgen.Game(rng, k, 4)
		var buf bytes.Buffer
		require.NoError(t, game.WriteJSON(&buf, g, ""))
		path := writeFile(t, dir, "g.json", buf.String())
		an := analyzeJSON(t, path)

		var want [][]int
		var optW *big.Int
		var worst, best *big.Int
		zero := 0
		for bits := range uint64(1) << k {
			a := testgen.Profile(bits, k)
			w, err := g.WelfareBig(a)
			require.NoError(t, err)
			if optW == nil || w.Cmp(optW) > 0 {
				optW = w
			}
			if !testgen.Equilibrium(g, a) {
				continue
			}
			if bits == 0 {
				zero = 1
			}
			p := make([]int, k)
			for i, x := range a {
				if x {
					p[i] = 1
				}
			}
			want = append(want, p)
			if worst == nil || w.Cmp(worst) < 0 {
				worst = w
			}
			if best == nil || w.Cmp(best) > 0 {
				best = w
			}
		}
		got := profiles(an)
		for _, p := range an.Pure {
			a := make([]bool, k)
			for i, x := range p.Profile {
				a[i] = x == 1
			}
			_, cont, err := g.CheckContinuous(game.RatProfile(a))
			require.NoError(t, err)
			assert.Equal(t, cont, p.Continuous)
		}
		assert.ElementsMatch(t, want, got, "game %d: %v", n, g)
		assert.Equal(t, int64(len(want)), an.PureCount)
		if zero == 1 {
			assert.Equal(t, make([]int, k), got[0], "all-closed first")
		}
		assert.Equal(t, json.Number(optW.String()), an.Optimum.Welfare)
		if len(want) == 0 {
			assert.Nil(t, an.AnarchyGap)
			assert.Nil(t, an.PriceOfAnarchy)
		} else {
			assert.Equal(t, json.Number(new(big.Int).Sub(optW, worst).String()), *an.AnarchyGap)
			assert.Equal(t, json.Number(new(big.Int).Sub(optW, best).String()), *an.StabilityGap)
			if optW.Sign() > 0 && worst.Sign() > 0 {
				require.NotNil(t, an.PriceOfAnarchy)
				f, _ := new(big.Rat).SetFrac(optW, worst).Float64()
				assert.Equal(t, f, *an.PriceOfAnarchy)
			} else {
				assert.Nil(t, an.PriceOfAnarchy)
			}
		}
		require.NotNil(t, an.Continuous)
		a := make([]*big.Rat, k)
		for i, s := range an.Continuous.Profile {
			var ok bool
			a[i], ok = new(big.Rat).SetString(s)
			require.True(t, ok, s)
		}
		_, ok, err := g.CheckContinuous(a)
		require.NoError(t, err)
		assert.True(t, ok, "the continuous profile must be an equilibrium")
		for i, p := range g.Corollary1() {
			assert.Equal(t, p.String(), an.Corollary1[i])
		}
		assert.Equal(t, g.Corollary2(), an.Corollary2)
	}
}

// Prices are null when the equilibria are not all listed or welfare is not
// positive; the gaps stay defined in the latter case.
func TestAnalyzePriceConventions(t *testing.T) {
	dir := t.TempDir()
	// leader-followers has two equilibria; list only one.
	an := analyzeJSON(t, "--list", "1", filepath.Join("..", "..", "examples", "leader-followers.json"))
	assert.Equal(t, int64(2), an.PureCount)
	assert.False(t, an.PureComplete)
	assert.Len(t, an.Pure, 1)
	assert.Nil(t, an.PriceOfAnarchy)
	assert.Nil(t, an.AnarchyGap)
	code, out, _ := runCmd("analyze", "--list", "1", filepath.Join("..", "..", "examples", "leader-followers.json"))
	require.Equal(t, 0, code)
	assert.Contains(t, out, "Pure equilibria (each player opens or not): 2, the first 1 listed")
	assert.Contains(t, out, "undefined (not every pure equilibrium is listed (raise --list))")

	// Negative welfare: both players stay closed (opening costs 1), W = -7.
	p := writeFile(t, dir, "neg.json", `{"d": [-3, -4], "D": [[-1, 0], [0, -1]]}`)
	an = analyzeJSON(t, p)
	assert.Equal(t, [][]int{{0, 0}}, profiles(an))
	assert.Equal(t, json.Number("-7"), an.Optimum.Welfare)
	assert.Nil(t, an.PriceOfAnarchy)
	assert.Nil(t, an.PriceOfStability)
	assert.Equal(t, json.Number("0"), *an.AnarchyGap)
	code, out, _ = runCmd("analyze", p)
	require.Equal(t, 0, code)
	assert.Contains(t, out, "undefined (welfare not positive), gap 0")
	assert.Contains(t, out, "P1, P2")
}

func TestAnalyzeBadInput(t *testing.T) {
	dir := t.TempDir()
	bad := writeFile(t, dir, "bad.json", "{\n  \"d\": [1, 2],\n  \"D\": [[1, 2], [3]]\n}\n")
	code, out, errs := runCmd("analyze", bad)
	assert.Equal(t, 2, code)
	assert.Empty(t, out)
	assert.Contains(t, errs, bad+":3:")

	code, _, errs = runCmd("analyze", filepath.Join(dir, "missing.json"))
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, "missing.json")

	code, _, errs = runCmd("analyze")
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, "give exactly one game file")

	code, _, errs = runCmd("analyze", "--list", "0", bad)
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, "analyze: --list 0: want at least 1")

	big := writeFile(t, dir, "big.json", `{"d": [0, 0], "D": [[9007199254740993, 0], [0, 0]]}`)
	code, _, errs = runCmd("analyze", big)
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, big+": continuous: D[0][0] = 9007199254740993 exceeds 2^53")
}
