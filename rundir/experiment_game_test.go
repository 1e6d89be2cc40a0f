package rundir

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nashbench/nashbench/game"
	"github.com/nashbench/nashbench/instances"
	_ "github.com/nashbench/nashbench/solvers/gophersat" // a solver of formulas
)

func gameExperiment() *Experiment {
	return &Experiment{Game: "race", Players: []int{6, 4}, Count: 2, Seed: 3, Solvers: []string{"highs-compact"}}
}

func TestGameExperimentValidate(t *testing.T) {
	require.NoError(t, gameExperiment().Validate())
	bad := []struct {
		change func(e *Experiment)
		msg    string
	}{
		{func(e *Experiment) { e.Game = "chess" }, `unknown game family "chess"`},
		{func(e *Experiment) { e.Players = nil }, "no numbers of players"},
		{func(e *Experiment) { e.Players = []int{4, 1} }, "race game of 1 player: want 2..1024 players"},
		{func(e *Experiment) { e.Game, e.Players = "ring", []int{2} }, "want 3..1024 players"},
		{func(e *Experiment) { e.Players = []int{4, 6, 4} }, "4 players is given twice"},
		{func(e *Experiment) { e.Count = 0 }, "count 0: want 1..100000 games per number of players"},
		{func(e *Experiment) { e.Corpus = "dir" }, "a game sweep generates its games: it takes no corpus"},
		{func(e *Experiment) { e.Sizes, e.Ratios = []int{5}, []float64{3} }, "a game sweep takes numbers of players, not sizes or ratios"},
		{func(e *Experiment) { e.Planted = true }, "no planted instances"},
		{func(e *Experiment) { e.Game = "" }, "players are for game sweeps"},
		{func(e *Experiment) { e.Solvers = []string{"highs-compact", "gophersat"} }, "gophersat reads formulas, not games: a game sweep takes game solvers"},
	}
	for _, b := range bad {
		e := gameExperiment()
		b.change(e)
		err := e.Validate()
		require.Error(t, err, "%+v", e)
		assert.Contains(t, err.Error(), b.msg)
	}
	// A formula experiment is unchanged.
	f := tinyExperiment()
	f.Solvers = []string{"highs-compact"}
	require.NoError(t, f.Validate())
}

func TestGameExperimentDiff(t *testing.T) {
	a, b := gameExperiment(), gameExperiment()
	b.Players = []int{4, 6} // another order: the same jobs
	b.K = 3                 // not a game's parameter
	assert.Empty(t, a.Diff(b))
	b.Players = []int{4, 8}
	b.Game = "ring"
	assert.Equal(t, []Difference{{"game", "race", "ring"}, {"players", "6,4", "4,8"}}, a.Diff(b))
	d := tinyExperiment().Diff(a)
	var fields []string
	for _, x := range d {
		fields = append(fields, x.Field)
	}
	assert.Equal(t, []string{"sizes", "ratios", "k", "seed", "game", "players", "solvers"}, fields)
}

// TestGameExperimentJSON: run.json gains game and players only for a game
// sweep, so that an older run.json reads as the same formula experiment.
func TestGameExperimentJSON(t *testing.T) {
	b, err := json.Marshal(tinyExperiment())
	require.NoError(t, err)
	assert.NotContains(t, string(b), "game")
	assert.NotContains(t, string(b), "players")
	var back Experiment
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Empty(t, back.Diff(tinyExperiment()))
	old := `{"sizes":[5],"ratios":[3],"count":2,"k":3,"seed":1,"planted":false,"corpus":"","solvers":["enum"],"timeout_seconds":0,"reduction":"corrected"}`
	back = Experiment{}
	require.NoError(t, json.Unmarshal([]byte(old), &back))
	assert.Empty(t, back.Game)
	assert.Empty(t, back.Diff(tinyExperiment()))

	b, err = json.Marshal(gameExperiment().normalized())
	require.NoError(t, err)
	assert.Contains(t, string(b), `"game":"race","players":[6,4]`)
	back = Experiment{}
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Empty(t, back.Diff(gameExperiment()))
}

func TestGameExperimentInstances(t *testing.T) {
	e := gameExperiment()
	insts, err := e.Instances(true)
	require.NoError(t, err)
	require.Len(t, insts, 4)
	// By increasing players, then index.
	want := []string{"race-k4-s3-i000000.json", "race-k4-s3-i000001.json", "race-k6-s3-i000000.json", "race-k6-s3-i000001.json"}
	for i, in := range insts {
		assert.Equal(t, filepath.Join(InstancesDir, want[i]), in.Path)
		require.NotNil(t, in.Game)
		assert.Nil(t, in.Spec)
		assert.Equal(t, "race", in.Params.Family)
		assert.Equal(t, in.Game.Players, in.Params.N)
		assert.Zero(t, in.Params.M)
		assert.Zero(t, in.Params.Ratio)
		require.NotNil(t, in.Params.Index)
		assert.Equal(t, i%2, *in.Params.Index)
		assert.Equal(t, uint64(3), *in.Params.Seed)
		assert.Equal(t, filepath.Join("run", in.Path), in.File("run"))
	}
	jobs := e.Plan(insts, 1, 2)
	require.Len(t, jobs, 2)
	assert.Equal(t, insts[1].Path, jobs[0].Instance.Path)

	// WriteInstances writes the games' JSON as gen does, and leaves
	// files that already hold them alone.
	dir := t.TempDir()
	require.NoError(t, WriteInstances(dir, insts))
	for _, in := range insts {
		b, err := os.ReadFile(in.File(dir))
		require.NoError(t, err)
		g, err := in.Game.Generate()
		require.NoError(t, err)
		var buf bytes.Buffer
		require.NoError(t, game.WriteJSON(&buf, g, in.Game.Comment()))
		assert.Equal(t, buf.String(), string(b))
	}
	file := insts[0].File(dir)
	old := time_(t, file)
	require.NoError(t, WriteInstances(dir, insts))
	assert.Equal(t, old, time_(t, file), "rewritten")

	// The same games as a GameSpec gives on its own.
	s := instances.GameSpec{Family: "race", Players: 6, Seed: 3, Index: 1}
	assert.Equal(t, s, *insts[3].Game)
}

func time_(t *testing.T, path string) int64 {
	t.Helper()
	st, err := os.Stat(path)
	require.NoError(t, err)
	return st.ModTime().UnixNano()
}

// TestGameExperimentRunJSON: a game experiment recorded by Init reads back
// as itself, the formulas' fields zero.
func TestGameExperimentRunJSON(t *testing.T) {
	dir := t.TempDir()
	e := gameExperiment()
	e.K = 3 // as the command line's default sets it
	require.NoError(t, Init(dir, e, 1, false, false))
	ri, err := ReadInfo(dir)
	require.NoError(t, err)
	assert.Equal(t, "race", ri.Experiment.Game)
	assert.Equal(t, []int{6, 4}, ri.Experiment.Players)
	assert.Zero(t, ri.Experiment.K)
	assert.Empty(t, ri.Experiment.Diff(gameExperiment()))
}
