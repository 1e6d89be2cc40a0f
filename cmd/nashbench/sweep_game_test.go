package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nashbench/nashbench/bench"
	"github.com/nashbench/nashbench/game"
	"github.com/nashbench/nashbench/instances"
	"github.com/nashbench/nashbench/record"
	"github.com/nashbench/nashbench/rundir"
	"github.com/nashbench/nashbench/solvers"
)

func TestSweepGames(t *testing.T) {
	run := filepath.Join(t.TempDir(), "run")
	code, out, errs := runCmd("sweep", "--game", "race", "--players", "6,4", "--count", "2", "--solvers", "enum,gophersat-pb", "--jobs", "2", "--out", run)
	require.Equal(t, 0, code, errs)
	assert.Contains(t, errs, "sweep: race games; players 6, 4; 2 games per size; solvers enum, gophersat-pb; 8 jobs; timeout 30s per job\n")
	rows, err := rundir.Read(run)
	require.NoError(t, err)
	require.Len(t, rows, 2*2*2)
	for _, r := range rows {
		assert.Equal(t, record.KindGame, r.Kind)
		assert.Equal(t, "race", r.Family)
		assert.Contains(t, []int{4, 6}, r.N)
		assert.Zero(t, r.M)
		assert.Zero(t, r.Ratio)
		assert.Zero(t, r.K)
		require.NotNil(t, r.Seed)
		require.NotNil(t, r.Index)
		assert.Equal(t, record.Solved, r.Outcome(), "%+v", r)
		// The row names its game, written under instances/ as gen writes it.
		s := instances.GameSpec{Family: "race", Players: r.N, Seed: *r.Seed, Index: *r.Index}
		assert.Equal(t, filepath.Join(rundir.InstancesDir, s.FileName()), r.Instance)
		g, err := game.ReadFile(filepath.Join(run, r.Instance))
		require.NoError(t, err)
		want, err := s.Generate()
		require.NoError(t, err)
		assert.Equal(t, want.String(), g.String())
	}
	// The rows file holds the family; the summary speaks of players.
	b, err := os.ReadFile(rundir.RowsFile(run, 0, 1))
	require.NoError(t, err)
	assert.Contains(t, string(b), `"family":"race"`)
	assert.Contains(t, out, "players")
	assert.Contains(t, out, "equilibria: fraction of games with a non-trivial pure equilibrium")
	assert.NotContains(t, out, "phase transition")
	assert.NotContains(t, out, "ratio")
	svg, err := os.ReadFile(filepath.Join(run, "time-vs-n.svg"))
	require.NoError(t, err)
	assert.Contains(t, string(svg), "players (k)")

	// run.json records the game experiment, without formulas' fields.
	info, err := rundir.ReadInfo(run)
	require.NoError(t, err)
	assert.Equal(t, "race", info.Experiment.Game)
	assert.ElementsMatch(t, []int{4, 6}, info.Experiment.Players)
	assert.Empty(t, info.Experiment.Sizes)
	assert.Zero(t, info.Experiment.K)
	js, err := os.ReadFile(filepath.Join(run, rundir.InfoFile))
	require.NoError(t, err)
	assert.Contains(t, string(js), `"game": "race"`)

	// Resuming takes the run's experiment; a contradicting flag is refused.
	code, _, errs = runCmd("sweep", "--resume", "--out", run, "--quiet")
	require.Equal(t, 0, code, errs)
	rows2, err := rundir.Read(run)
	require.NoError(t, err)
	assert.Len(t, rows2, len(rows))
	code, _, errs = runCmd("sweep", "--resume", "--out", run, "--game", "race", "--players", "4,8", "--quiet")
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, "--players 4,8 contradicts the run in "+run)
	code, _, errs = runCmd("sweep", "--resume", "--out", run, "--game", "ring", "--quiet")
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, "--game ring contradicts the run")
}

func TestSweepGameRingEnd(t *testing.T) {
	// A ring sweep: the games enum answers, both answers met at 4 players.
	run := filepath.Join(t.TempDir(), "run")
	code, out, errs := runCmd("sweep", "--game", "ring", "--players", "4,6", "--count", "2", "--solvers", "enum", "--out", run, "--quiet")
	require.Equal(t, 0, code, errs)
	assert.Contains(t, out, "players")
	rows, err := rundir.Read(run)
	require.NoError(t, err)
	require.Len(t, rows, 4)
	for _, r := range rows {
		assert.Equal(t, "ring", r.Family)
		assert.True(t, strings.HasPrefix(r.Instance, filepath.Join(rundir.InstancesDir, "ring-k")), r.Instance)
	}
}

func TestSweepGameFlags(t *testing.T) {
	tests := []struct {
		name string
		args []string
		msg  string
	}{
		{"n", []string{"--game", "race", "--n", "5"}, "--n is for formulas: a --game sweep runs generated games (give --players)"},
		{"ratio", []string{"--game", "race", "--ratio", "4"}, "--ratio is for formulas"},
		{"corpus", []string{"--game", "race", "--corpus", "."}, "--corpus is for formulas"},
		{"k", []string{"--game", "race", "--k", "4"}, "--k is for formulas"},
		{"planted", []string{"--game", "race", "--planted"}, "--planted is for formulas"},
		{"players alone", []string{"--players", "4"}, "--players needs --game FAMILY (one of race, uniform, ring); formulas take --n and --ratio"},
		{"players with corpus", []string{"--corpus", ".", "--players", "4"}, "--players needs --game"},
		{"empty family", []string{"--game", ""}, "--game: give a family"},
		{"unknown family", []string{"--game", "chess"}, `unknown game family "chess"`},
		{"one player", []string{"--game", "race", "--players", "1,4"}, "race game of 1 player: want 2..1024 players"},
		{"small ring", []string{"--game", "ring", "--players", "2"}, "want 3..1024 players"},
		{"twice", []string{"--game", "race", "--players", "4,4"}, "4 players is given twice"},
		{"bad list", []string{"--game", "race", "--players", "four"}, `--players: "four" is not a number`},
		{"formula solver", []string{"--game", "race", "--players", "4", "--solvers", "enum,gophersat"}, "sweep: gophersat reads formulas, not games: a game sweep takes game solvers"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "run")
			code, _, errs := runCmd(append([]string{"sweep", "--out", out, "--quiet"}, tt.args...)...)
			assert.Equal(t, 2, code, errs)
			assert.Contains(t, errs, tt.msg)
			assert.NoDirExists(t, out, "nothing written")
		})
	}
}

func TestExperimentLineGames(t *testing.T) {
	s := &bench.Sweep{Experiment: rundir.Experiment{Game: "ring", Players: []int{8, 12}, Count: 4, Seed: 1, Solvers: []string{"enum", "highs-compact"}}, Shards: 1}
	assert.Equal(t, "ring games; players 8, 12; 4 games per size; solvers enum, highs-compact; 16 jobs; timeout 0s per job", s.String())
	// The defaults of a game sweep: its players, count and game solvers.
	assert.Equal(t, "8,12,16,20", defaultGamePlayers)
	assert.Equal(t, 4, defaultGameCount)
	for _, name := range strings.Split(defaultGameSolvers, ",") {
		_, err := solvers.New(name)
		require.NoError(t, err, "a default game solver is registered")
		assert.NotEqual(t, "gophersat", name, "a formula solver")
	}
	b, err := json.Marshal(s.Experiment)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"game":"ring","players":[8,12]`)
}
