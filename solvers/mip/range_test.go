package mip

import (
	"context"
	"flag"
	"fmt"
	"math/bits"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nashbench/nashbench/encodings/lp"
	"github.com/nashbench/nashbench/game"
	"github.com/nashbench/nashbench/internal/highs"
	"github.com/nashbench/nashbench/internal/testgen"
	"github.com/nashbench/nashbench/solvers"
	"github.com/nashbench/nashbench/verify"
)

// bruteForce decides by game.Check on every profile whether g has a
// non-trivial pure equilibrium.
func bruteForce(t testing.TB, g *game.Game) solvers.Answer {
	k := g.Players()
	for bits := uint64(1); bits < 1<<k; bits++ {
		_, ok, err := g.Check(testgen.Profile(bits, k))
		require.NoError(t, err)
		if ok {
			return solvers.Found
		}
	}
	return solvers.None
}

func log2(v int64) int {
	if v <= 0 {
		return 0
	}
	return bits.Len64(uint64(v)) - 1
}

// limits are the solvers' range limits by formulation.
var limits = map[string]int64{"compact": CompactRange, "paper": PaperRange}

// normSpread is the progress spread of the game the solver with this limit
// builds its model from.
func normSpread(t testing.TB, g *game.Game, limit int64) int64 {
	_, s, err := lp.Fit(g, limit)
	require.NoError(t, err)
	return s
}

// The flags of TestMeasureRange, a measurement run by hand, and of
// TestDecidesExactlyOrRefuses:
//
//	go test -run TestMeasureRange -v ./solvers/mip -range.measure 10-50/2/40 -range.kmax 6
var (
	rangeMeasure  = flag.String("range.measure", "", "TestMeasureRange: the magnitudes 2^b and games per kind and b, as b0-b1/step/games (e.g. 10-50/2/40); the test runs only when set")
	rangeKmax     = flag.Int("range.kmax", 8, "TestMeasureRange: the most players of a game")
	rangeForms    = flag.String("range.forms", "compact,paper", "TestMeasureRange: the formulations, comma-separated")
	rangeOpts     = flag.String("range.opts", "", "TestMeasureRange: HiGHS double options, name=value,...")
	rangePresolve = flag.String("range.presolve", "", "TestMeasureRange: HiGHS's presolve option")
	rangeCheck    = flag.Bool("range.check", false, "TestMeasureRange: apply the solvers' range checks (off, to see the wrong answers they prevent)")
	rangeFJ       = flag.Bool("range.fj", false, "TestMeasureRange: run HiGHS's feasibility jump (off, as on small models in Solve)")
	rangeVerbose  = flag.Bool("range.verbose", false, "TestMeasureRange: log every wrong answer and error")
	rangeGames    = flag.Int("range.games", 4, "TestDecidesExactlyOrRefuses: games per kind and magnitude (1 with -short)")
)

// TestMeasureRange measures, for each magnitude 2^b, how often each HiGHS
// formulation answers wrongly on scaled random games. It runs only when
// the flag -range.measure is set; the other -range.* flags (above) tune
// it.
func TestMeasureRange(t *testing.T) {
	spec := *rangeMeasure
	if spec == "" {
		t.Skip("a measurement: set -range.measure b0-b1/step/games to run it")
	}
	var b0, b1, step, games int
	_, err := fmt.Sscanf(strings.NewReplacer("-", " ", "/", " ").Replace(spec), "%d %d %d %d", &b0, &b1, &step, &games)
	require.NoError(t, err, "-range.measure %q: want b0-b1/step/games", spec)
	kmax := *rangeKmax
	forms := strings.Split(*rangeForms, ",")
	opts := highs.Options{NoFeasibilityJump: !*rangeFJ, Presolve: *rangePresolve}
	if o := *rangeOpts; o != "" {
		opts.Doubles = map[string]float64{}
		for _, kv := range strings.Split(o, ",") {
			name, v, _ := strings.Cut(kv, "=")
			x, err := strconv.ParseFloat(v, 64)
			require.NoError(t, err, "-range.opts %q", o)
			opts.Doubles[name] = x
		}
	}
	for _, form := range forms {
		// Normalized as the solver does, but without the refusal unless
		// -range.check.
		limit := limits[form]
		s := &Solver{build: func(ctx context.Context, g *game.Game, check lp.Check) (*lp.Formulation, error) {
			n, _, err := lp.Fit(g, limit)
			if err != nil {
				return nil, err
			}
			return lp.Build(ctx, n, form, check)
		}, HiGHS: opts}
		if *rangeCheck {
			s.build = formulations[form].build
		}
		defer s.Close()
		for b := b0; b <= b1; b += step {
			var total, found, wrong, errs, refused, timeouts int
			minWrong := int64(-1)
			perKind := make([]int, len(testgen.ScaledKinds))
			for q := range testgen.ScaledKinds {
				for n := range games {
					g, what := testgen.DrawScaled(q, n, uint(b), kmax)
					want := bruteForce(t, g)
					total++
					if want == solvers.Found {
						found++
					}
					ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
					got, err := s.Solve(ctx, &solvers.Problem{Game: g}, solvers.Options{})
					cancel()
					switch {
					case err == nil && got.Answer == solvers.Unknown:
						timeouts++
					case solvers.IsRefused(err):
						refused++
					case err != nil:
						errs++
						perKind[q]++
						if sp := normSpread(t, g, limit); minWrong < 0 || sp < minWrong {
							minWrong = sp
						}
						if *rangeVerbose {
							t.Logf("%s error: %v (%s)", form, err, what)
						}
					case got.Answer != want:
						wrong++
						perKind[q]++
						sp := normSpread(t, g, limit)
						if minWrong < 0 || sp < minWrong {
							minWrong = sp
						}
						if *rangeVerbose {
							t.Logf("%s wrong: got %v want %v, spread 2^%d (%s)", form, got.Answer, want, log2(sp), what)
						}
					}
				}
			}
			var kinds []string
			for q, n := range perKind {
				kinds = append(kinds, testgen.ScaledKinds[q].Name+"="+strconv.Itoa(n))
			}
			t.Logf("%-7s b=%2d games=%d found=%d wrong=%d errors=%d refused=%d timeouts=%d least-failing-spread=2^%d [%s]",
				form, b, total, found, wrong, errs, refused, timeouts, log2(minWrong), strings.Join(kinds, " "))
		}
	}
}

// The two games reported in issue 10: HiGHS answered no-pne on both,
// although each has a non-trivial equilibrium. Now each solver answers
// correctly or refuses.
func TestReportedLargeGames(t *testing.T) {
	tests := []struct {
		name string
		json string
		pne  []bool
	}{
		{"ties-2^21", `{"D":[[-1,2097151,-2097152,2097153,-2097153],[0,0,0,1,0],[1,-2097153,1,2097152,1],[1,-2097153,1,-2097152,-2097153],[-1,-2097152,-2097152,1,2097152]],"d":[-1,2097151,-1,2097152,0]}`,
			[]bool{false, true, true, false, true}},
		{"uniform-2^29", `{"D":[[-225236364,109724990,513324592],[248013291,70429115,-472182122],[-267445818,-397160387,363724424]],"d":[-315661661,-54896032,-139044293]}`,
			[]bool{true, false, true}},
	}
	for _, tt := range tests {
		g, err := game.ReadJSON(strings.NewReader(tt.json), tt.name)
		require.NoError(t, err)
		_, ok, err := g.Check(tt.pne)
		require.NoError(t, err)
		require.True(t, ok)
		require.Equal(t, solvers.Found, bruteForce(t, g))
		for _, form := range []string{"compact", "paper"} {
			t.Run(tt.name+"/"+form, func(t *testing.T) {
				sp := normSpread(t, g, limits[form])
				t.Logf("normalized spread %d (2^%d)", sp, log2(sp))
				p := &solvers.Problem{Game: g}
				r, err := solver(form).Solve(context.Background(), p, solvers.Options{})
				if solvers.IsRefused(err) {
					assert.Contains(t, err.Error(), "highs-"+form)
					assert.Contains(t, err.Error(), "progress spread")
					return
				}
				require.NoError(t, err)
				require.Equal(t, solvers.Found, r.Answer)
				require.NoError(t, verify.Result(p, r))
			})
		}
	}
}

// Each HiGHS solver decides exactly, against exhaustive checking, on
// scaled random games whose normalized progress spread is within its
// limit, and refuses the others: no wrong answer and no error either way.
// The magnitudes straddle the limit, from 2^-8 of it to 2^4 beyond.
// -range.games sets the games per kind and magnitude (4; 1 with -short,
// unless set).
func TestDecidesExactlyOrRefuses(t *testing.T) {
	t.Parallel()
	games := *rangeGames
	if testing.Short() && !flagSet("range.games") {
		games = 1
	}
	tests := []struct {
		form  string
		limit int64
		kmax  int // players at most (the paper's model is slow)
	}{
		{"compact", CompactRange, 8},
		{"paper", PaperRange, 5},
	}
	for _, tt := range tests {
		t.Run(tt.form, func(t *testing.T) {
			s := solver(tt.form)
			m := uint(log2(tt.limit))
			var near, within, beyond int
			for b := m - 8; b <= m+2; b++ {
				for q := range testgen.ScaledKinds {
					for n := range games {
						g, what := testgen.DrawScaled(q, 1000+n, b, tt.kmax)
						spread := normSpread(t, g, tt.limit)
						p := &solvers.Problem{Game: g}
						r, err := s.Solve(context.Background(), p, solvers.Options{})
						if spread > tt.limit {
							require.True(t, solvers.IsRefused(err), "spread %d beyond %d not refused: %v (%s)", spread, tt.limit, err, what)
							assert.Contains(t, err.Error(), "highs-"+tt.form, what)
							assert.Contains(t, err.Error(), strconv.FormatInt(spread, 10), what)
							beyond++
							continue
						}
						require.NoError(t, err, what)
						require.Equal(t, bruteForce(t, g), r.Answer, "spread %d (%s)", spread, what)
						require.NoError(t, verify.Result(p, r), what)
						within++
						if spread > tt.limit>>4 {
							near++
						}
					}
				}
			}
			t.Logf("%s: %d games solved within the limit (%d within 2^4 of it), %d refused beyond it", tt.form, within, near, beyond)
			assert.Positive(t, near)
			assert.Positive(t, beyond)
		})
	}
}

// flagSet reports whether the flag name was given on the command line.
func flagSet(name string) bool {
	set := false
	flag.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}
