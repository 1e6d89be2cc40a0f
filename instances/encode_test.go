package instances_test

import (
	"bytes"
	"fmt"
	"io"
	"log"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nashbench/nashbench/game"
	"github.com/nashbench/nashbench/instances"
)

// A generated formula's file, as nashbench gen and sweep write it.
func ExampleSpec_Encode() {
	s := instances.Spec{N: 4, M: 3, K: 2, Planted: true, Seed: 7, Index: 0}
	fmt.Println(s.FileName())
	if err := s.Encode(os.Stdout); err != nil {
		log.Fatal(err)
	}
	// Output:
	// planted2-n4-m3-s7-i000000.cnf
	// c nashbench planted 2-SAT
	// c n=4 m=3 k=2 ratio=0.75 seed=7 index=0
	// c rng: math/rand/v2 PCG(seed, index)
	// c model: -1 -2 -3 -4
	// p cnf 4 3
	// 3 -2 0
	// -2 -4 0
	// -4 -3 0
}

// A generated game's file, as nashbench gen and sweep write it.
func ExampleGameSpec_Encode() {
	s := instances.GameSpec{Family: instances.FamilyRace, Players: 2, Seed: 1}
	fmt.Println(s.FileName())
	if err := s.Encode(os.Stdout); err != nil {
		log.Fatal(err)
	}
	// Output:
	// race-k2-s1-i000000.json
	// {
	//   "comment": "nashbench race game: k=2 base=0:1000 own=-50:50 spill=0:100 seed=1 index=0; rng: math/rand/v2 PCG(seed, index)",
	//   "D": [
	//     [22, 2],
	//     [70, 6]
	//   ],
	//   "d": [598, 89]
	// }
}

// Encode writes what Generate draws, with the spec's comments.
func TestEncode(t *testing.T) {
	formula := func(s instances.Spec) func() ([]byte, error) {
		return func() ([]byte, error) {
			f, model, err := s.Generate()
			if err != nil {
				return nil, err
			}
			var buf bytes.Buffer
			err = instances.WriteDIMACS(&buf, f, s.Comments(model)...)
			return buf.Bytes(), err
		}
	}
	gameFile := func(s instances.GameSpec) func() ([]byte, error) {
		return func() ([]byte, error) {
			g, err := s.Generate()
			if err != nil {
				return nil, err
			}
			var buf bytes.Buffer
			err = game.WriteJSON(&buf, g, s.Comment())
			return buf.Bytes(), err
		}
	}
	random := instances.Spec{N: 10, M: 43, K: 3, Ratio: 4.3, Seed: 1, Index: 2}
	planted := instances.Spec{N: 30, M: 120, K: 3, Planted: true, Seed: 5}
	bad := instances.Spec{N: 2, M: 1, K: 3}
	race := instances.GameSpec{Family: instances.FamilyRace, Players: 6, Seed: 3, Index: 1}
	ring := instances.GameSpec{Family: instances.FamilyRing, Players: 5, Seed: 2, Spill: &instances.Range{Lo: 10, Hi: 20}}
	chess := instances.GameSpec{Family: "chess", Players: 4}
	tests := []struct {
		name   string
		encode func(io.Writer) error
		want   func() ([]byte, error)
	}{
		{"random formula", random.Encode, formula(random)},
		{"planted formula", planted.Encode, formula(planted)},
		{"bad formula", bad.Encode, formula(bad)},
		{"race game", race.Encode, gameFile(race)},
		{"ring game", ring.Encode, gameFile(ring)},
		{"unknown family", chess.Encode, gameFile(chess)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want, wantErr := tt.want()
			var buf bytes.Buffer
			err := tt.encode(&buf)
			if wantErr != nil {
				assert.EqualError(t, err, wantErr.Error())
				assert.Zero(t, buf.Len(), "nothing written")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, string(want), buf.String())
			buf.Reset()
			require.NoError(t, tt.encode(&buf))
			assert.Equal(t, string(want), buf.String(), "the same bytes again")
		})
	}
	var buf bytes.Buffer
	require.NoError(t, planted.Encode(&buf))
	assert.Contains(t, buf.String(), "c model: ", "a planted formula's model")
}
