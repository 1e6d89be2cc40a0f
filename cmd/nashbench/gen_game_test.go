package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nashbench/nashbench/game"
	"github.com/nashbench/nashbench/instances"
)

func TestGenGame(t *testing.T) {
	dir1 := filepath.Join(t.TempDir(), "games") // created if missing
	code, out, errs := runCmd("gen", "--game", "race", "--players", "6", "--count", "3", "--seed", "5", "--out", dir1)
	require.Equal(t, 0, code, errs)
	assert.Empty(t, errs)
	names := []string{"race-k6-s5-i000000.json", "race-k6-s5-i000001.json", "race-k6-s5-i000002.json"}
	var want []string
	for _, n := range names {
		want = append(want, filepath.Join(dir1, n))
	}
	assert.Equal(t, strings.Join(want, "\n")+"\n", out)
	files := readDir(t, dir1)
	require.Len(t, files, 3)
	for i, n := range names {
		g, err := game.ReadFile(filepath.Join(dir1, n))
		require.NoError(t, err)
		assert.Equal(t, 6, g.Players())
		// Exactly what the library writes, parameters in the comment.
		s := instances.GameSpec{Family: "race", Players: 6, Seed: 5, Index: i}
		lib, err := s.Generate()
		require.NoError(t, err)
		var buf bytes.Buffer
		require.NoError(t, game.WriteJSON(&buf, lib, s.Comment()))
		assert.Equal(t, buf.String(), string(files[n]))
		assert.Contains(t, string(files[n]), `"comment": "nashbench race game: k=6 base=0:1000 own=-50:50 spill=0:100 seed=5 index=`+string(rune('0'+i)))
	}
	assert.NotEqual(t, files[names[0]], files[names[1]])

	// The same flags give the same bytes; another seed other games.
	dir2 := t.TempDir()
	code, _, errs = runCmd("gen", "--out", dir2, "--count", "3", "--players", "6", "--seed", "5", "--game", "race")
	require.Equal(t, 0, code, errs)
	assert.Equal(t, files, readDir(t, dir2))
	dir3 := t.TempDir()
	code, _, errs = runCmd("gen", "--game", "race", "--players", "6", "--seed", "6", "--out", dir3)
	require.Equal(t, 0, code, errs)
	assert.NotEqual(t, files[names[0]], readDir(t, dir3)["race-k6-s6-i000000.json"])
}

func TestGenGameRanges(t *testing.T) {
	dir := t.TempDir()
	code, out, errs := runCmd("gen", "--game", "uniform", "--players", "4", "--base", "0:0", "--own", "-3:-1", "--spill", "5:9", "--out", dir)
	require.Equal(t, 0, code, errs)
	path := strings.TrimSpace(out)
	assert.Equal(t, filepath.Join(dir, "uniform-k4-base0_0-ownm3_m1-spill5_9-s1-i000000.json"), path)
	g, err := game.ReadFile(path)
	require.NoError(t, err)
	for i := range 4 {
		assert.Zero(t, g.Base(i))
		for j := range 4 {
			x := g.Entry(i, j)
			if i == j {
				assert.True(t, -3 <= x && x <= -1, "delta %d", x)
			} else {
				assert.True(t, 5 <= x && x <= 9, "spill %d", x)
			}
		}
	}
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Contains(t, string(b), "base=0:0 own=-3:-1 spill=5:9")

	// Ring games, the default for the ring family.
	code, out, errs = runCmd("gen", "--game", "ring", "--players", "5", "--count", "2", "--out", dir)
	require.Equal(t, 0, code, errs)
	assert.Contains(t, out, "ring-k5-s1-i000001.json")
}

func TestGenGameBadFlags(t *testing.T) {
	tests := []struct {
		name string
		args []string
		msg  string
	}{
		{"unknown family", []string{"--game", "chess", "--players", "4"}, `unknown game family "chess" (known: race, uniform, ring)`},
		{"empty family", []string{"--game", "", "--players", "4"}, "unknown game family"},
		{"no players", []string{"--game", "race"}, "--game needs --players K"},
		{"zero players", []string{"--game", "race", "--players", "0"}, "race game of 0 players: want 2..1024 players"},
		{"one player", []string{"--game", "race", "--players", "1"}, "want 2..1024 players"},
		{"too many players", []string{"--game", "uniform", "--players", "5000"}, "want 2..1024 players"},
		{"small ring", []string{"--game", "ring", "--players", "2"}, "want 3..1024 players"},
		{"reversed range", []string{"--game", "race", "--players", "4", "--base", "9:1"}, "the low end exceeds the high end"},
		{"not a range", []string{"--game", "race", "--players", "4", "--spill", "a:b"}, "want LO:HI with integers"},
		{"huge range", []string{"--game", "race", "--players", "4", "--own", "0:9999999999999"}, "beyond the limit"},
		{"own for ring", []string{"--game", "ring", "--players", "4", "--own", "1:5"}, "the own range does not apply"},
		{"ring help too low", []string{"--game", "ring", "--players", "4", "--spill", "1:5"}, "want a low end of at least 2"},
		{"zero count", []string{"--game", "race", "--players", "4", "--count", "0"}, "--count must be in 1..1000000"},
		{"n with game", []string{"--game", "race", "--players", "4", "--n", "5"}, "--n is for formulas: --game generates games"},
		{"planted with game", []string{"--game", "race", "--players", "4", "--planted"}, "--planted is for formulas"},
		{"players without game", []string{"--n", "5", "--players", "4"}, "--players needs --game FAMILY (one of race, uniform, ring)"},
		{"range without game", []string{"--n", "5", "--spill", "0:1"}, "--spill needs --game"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			code, out, errs := runCmd(append([]string{"gen", "--out", dir}, tt.args...)...)
			assert.Equal(t, 2, code, errs)
			assert.Empty(t, out)
			assert.Contains(t, errs, tt.msg)
			assert.Empty(t, readDir(t, dir), "nothing written")
		})
	}
}
