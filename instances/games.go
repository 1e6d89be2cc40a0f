// games.go draws seeded games of the paper's model (package game) from a
// few families, for sweeps over the number of players.

package instances

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/nashbench/nashbench/game"
	"github.com/nashbench/nashbench/internal/plural"
)

// The game families GameSpec draws from.
//
//   - race: the paper's AI race: every d_i, delta_i = D[i][i] and
//     Delta = D[j][i] (j != i) uniform integers, by default d in 0..1000,
//     delta in -50..50 and Delta in 0..100.
//   - uniform: every entry of D and d uniform in -100..100.
//   - ring: a leader-follower ring on a level start, built so that games
//     without a non-trivial pure equilibrium are common: all d_i = 0;
//     player i's opening helps every rival by the same B_i (uniform in
//     50..100) except its predecessor i-1 in the ring, which it sets back
//     by x_i (uniform in -20..0); its own gain delta_i is uniform in
//     1..B_i-1, below its help. See docs/sweeps.md for why (Lemma 1).
const (
	FamilyRace    = "race"
	FamilyUniform = "uniform"
	FamilyRing    = "ring"
)

// GameFamilies returns the names of the game families, in a fixed order.
func GameFamilies() []string { return []string{FamilyRace, FamilyUniform, FamilyRing} }

// MaxGamePlayers is the most players a generated game may have: D has k*k
// entries, and a sweep's solvers are slow far below it.
const MaxGamePlayers = 1024

// MaxGameEntry bounds the ends of a range, so that no progress can leave
// game.Bound for any number of players up to MaxGamePlayers.
const MaxGameEntry = int64(1) << 40

// ringPred is the range of x_i, what a ring player's opening does to its
// predecessor.
var ringPred = Range{-20, 0}

// Range is a closed range of integers Lo..Hi.
type Range struct{ Lo, Hi int64 }

// String formats r as on the command line, "lo:hi".
func (r Range) String() string { return fmt.Sprintf("%d:%d", r.Lo, r.Hi) }

// ParseRange reads "lo:hi" (or a single integer, for lo = hi), checking
// that lo <= hi and both are within ±MaxGameEntry.
func ParseRange(s string) (Range, error) {
	lo, hi, ok := strings.Cut(strings.TrimSpace(s), ":")
	if !ok {
		hi = lo
	}
	a, err1 := strconv.ParseInt(strings.TrimSpace(lo), 10, 64)
	b, err2 := strconv.ParseInt(strings.TrimSpace(hi), 10, 64)
	if err1 != nil || err2 != nil {
		return Range{}, fmt.Errorf("%q: want LO:HI with integers LO <= HI, such as 0:1000 or -50:50", s)
	}
	r := Range{a, b}
	return r, r.check()
}

func (r Range) check() error {
	switch {
	case r.Lo > r.Hi:
		return fmt.Errorf("%s: the low end exceeds the high end", r)
	case r.Lo < -MaxGameEntry || r.Hi > MaxGameEntry:
		return fmt.Errorf("%s: beyond the limit of ±2^40", r)
	}
	return nil
}

// draw returns an integer uniform in r (r checked).
func (r Range) draw(rng *rand.Rand) int64 {
	return r.Lo + int64(rng.Uint64N(uint64(r.Hi-r.Lo)+1))
}

// name is r in a file name: "0_1000", "m50_50" (m for minus).
func (r Range) name() string {
	f := func(x int64) string {
		if x < 0 {
			return "m" + strconv.FormatInt(-x, 10)
		}
		return strconv.FormatInt(x, 10)
	}
	return f(r.Lo) + "_" + f(r.Hi)
}

// GameSpec describes one generated game: Players players of Family, drawn
// with rand.New(rand.NewPCG(Seed, uint64(Index))) as Spec draws formulas,
// so that each game of a run can be regenerated on its own.
//
// Base, Own and Spill are the ranges of d_i, of delta_i = D[i][i] and of
// the spillovers D[j][i] (j != i); nil is the family's default. Ring games
// take Base and Spill (the help B_i); their own gain is drawn below the
// help, so Own does not apply.
type GameSpec struct {
	Family  string
	Players int
	Seed    uint64
	Index   int

	Base, Own, Spill *Range
}

// defaultRanges are each family's base, own and spill ranges.
var defaultRanges = map[string][3]Range{
	FamilyRace:    {{0, 1000}, {-50, 50}, {0, 100}},
	FamilyUniform: {{-100, 100}, {-100, 100}, {-100, 100}},
	FamilyRing:    {{0, 0}, {1, 99}, {50, 100}}, // own: 1..B_i-1
}

// Ranges returns the base, own and spill ranges the game is drawn with,
// the family's defaults where s gives none. For a ring game, own is the
// widest range of delta_i: 1..B_i-1 for the help B_i.
func (s GameSpec) Ranges() (base, own, spill Range) {
	def := defaultRanges[s.Family]
	base, own, spill = def[0], def[1], def[2]
	if s.Base != nil {
		base = *s.Base
	}
	if s.Own != nil {
		own = *s.Own
	}
	if s.Spill != nil {
		spill = *s.Spill
	}
	if s.Family == FamilyRing {
		own = Range{1, spill.Hi - 1}
	}
	return base, own, spill
}

// Validate reports whether Generate can draw the game: a known family,
// 2..MaxGamePlayers players (3 for a ring, which needs a rival beside the
// predecessor), a non-negative index and well-formed ranges.
func (s GameSpec) Validate() error {
	if _, ok := defaultRanges[s.Family]; !ok {
		return fmt.Errorf("unknown game family %q (known: %s)", s.Family, strings.Join(GameFamilies(), ", "))
	}
	least := 2
	if s.Family == FamilyRing {
		least = 3
	}
	switch {
	case s.Players < least || s.Players > MaxGamePlayers:
		return fmt.Errorf("%s game of %s: want %d..%d players", s.Family, plural.Count(s.Players, "player", "players"), least, MaxGamePlayers)
	case s.Index < 0:
		return fmt.Errorf("game index %d: need index >= 0", s.Index)
	}
	for _, r := range []struct {
		name string
		r    *Range
	}{{"base", s.Base}, {"own", s.Own}, {"spill", s.Spill}} {
		if r.r == nil {
			continue
		}
		if err := r.r.check(); err != nil {
			return fmt.Errorf("%s range %w", r.name, err)
		}
	}
	if s.Family == FamilyRing {
		if s.Own != nil {
			return errors.New("ring games draw each player's own gain in 1..B-1 below its help B: the own range does not apply")
		}
		if _, _, spill := s.Ranges(); spill.Lo < 2 {
			return fmt.Errorf("ring help (spill) range %s: want a low end of at least 2, so that an own gain 1..B-1 exists", spill)
		}
	}
	return nil
}

// Generate draws the game. The draws are, in order: d_1..d_k from the base
// range; then for race and uniform games D row by row (D[i][i] from the
// own range, the other entries from the spill range); for ring games, per
// player i in turn, its help B_i (spill range), its own gain delta_i in
// 1..B_i-1 and what it does to its predecessor, x_i in -20..0.
func (s GameSpec) Generate() (*game.Game, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	rng := rand.New(rand.NewPCG(s.Seed, uint64(s.Index)))
	k := s.Players
	base, own, spill := s.Ranges()
	d := make([]int64, k)
	for i := range d {
		d[i] = base.draw(rng)
	}
	D := make([][]int64, k)
	cells := make([]int64, k*k)
	for i := range D {
		D[i] = cells[i*k : (i+1)*k : (i+1)*k]
	}
	if s.Family == FamilyRing {
		for i := range k {
			help := spill.draw(rng)
			for j := range k {
				D[j][i] = help
			}
			D[i][i] = Range{1, help - 1}.draw(rng)
			D[(i+k-1)%k][i] = ringPred.draw(rng)
		}
	} else {
		for i := range D {
			for j := range D[i] {
				if i == j {
					D[i][j] = own.draw(rng)
				} else {
					D[i][j] = spill.draw(rng)
				}
			}
		}
	}
	return game.New(nil, D, d)
}

// FileName names the game after its parameters, e.g.
// "race-k12-s1-i000000.json" (12 players, seed 1, index 0), with the
// ranges that differ from the family's defaults before the seed:
// "race-k12-base0_0-ownm10_10-s1-i000000.json" (m for minus). The index is
// zero-padded to six digits, as in Spec.FileName.
func (s GameSpec) FileName() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s-k%d", s.Family, s.Players)
	def := defaultRanges[s.Family]
	for i, r := range []*Range{s.Base, s.Own, s.Spill} {
		if r != nil && *r != def[i] {
			b.WriteString("-" + [...]string{"base", "own", "spill"}[i] + r.name())
		}
	}
	fmt.Fprintf(&b, "-s%d-i%06d.json", s.Seed, s.Index)
	return b.String()
}

// Comment returns the comment WriteJSON should put in the game's file: the
// family, its parameters and the seed derivation.
func (s GameSpec) Comment() string {
	base, own, spill := s.Ranges()
	if s.Family == FamilyRing {
		return fmt.Sprintf("nashbench ring game (leader-follower ring): k=%d base=%s help=%s own=1:help-1 pred=%s seed=%d index=%d; rng: math/rand/v2 PCG(seed, index)",
			s.Players, base, spill, ringPred, s.Seed, s.Index)
	}
	return fmt.Sprintf("nashbench %s game: k=%d base=%s own=%s spill=%s seed=%d index=%d; rng: math/rand/v2 PCG(seed, index)",
		s.Family, s.Players, base, own, spill, s.Seed, s.Index)
}
