package solvers

// Warner is implemented by solvers with a caveat a user should read
// before waiting on them, such as an expected running time far beyond
// the others'. Commands print each warning once per run.
type Warner interface {
	Warning() string
}

// WarningsOf returns the warnings of the named solvers, each once, in the
// order of first mention; unknown names are skipped.
func WarningsOf(names []string) []string {
	var out []string
	for _, name := range names {
		s, err := New(name)
		if err != nil {
			continue
		}
		if w, ok := s.(Warner); ok && w.Warning() != "" {
			out = appendOnce(out, name+": "+w.Warning())
		}
		closeSolver(s)
	}
	return out
}

func appendOnce(xs []string, x string) []string {
	for _, y := range xs {
		if y == x {
			return xs
		}
	}
	return append(xs, x)
}
