package instances

import (
	"io"

	"github.com/nashbench/nashbench/game"
)

// Encode draws the formula and writes it to w as the file that nashbench
// writes under s.FileName(): DIMACS with the comments of s.Comments, the
// hidden model among them for a planted formula. The same s gives the
// same bytes.
func (s Spec) Encode(w io.Writer) error {
	f, model, err := s.Generate()
	if err != nil {
		return err
	}
	return WriteDIMACS(w, f, s.Comments(model)...)
}

// Encode draws the game and writes it to w as the file that nashbench
// writes under s.FileName(): game JSON (game.WriteJSON) with the comment
// s.Comment(). The same s gives the same bytes.
func (s GameSpec) Encode(w io.Writer) error {
	g, err := s.Generate()
	if err != nil {
		return err
	}
	return game.WriteJSON(w, g, s.Comment())
}
