package instances

import (
	"bytes"
	"io"
	"os"
	"path/filepath"

	"github.com/nashbench/nashbench/internal/atomicfile"
)

// WriteFiles writes the instances 0..count-1 of spec, a Spec or a GameSpec
// (its Index is ignored), into dir, created if missing, each into its
// FileName, and returns their paths; after an error, those written before
// it. It checks spec first, so that bad parameters create nothing. Each file
// is written atomically: an interrupted run leaves no partial instance.
//
// An error creating dir is an *os.PathError with Op "mkdir", and one
// writing a file an *os.PathError with Op "write"; a spec that Validate
// refuses or an instance that cannot be encoded gives any other error.
func WriteFiles[S Spec | GameSpec](dir string, spec S, count int) ([]string, error) {
	// nth is instance i of spec; the type switch reaches the Index field,
	// which a union of types does not.
	var nth func(i int) fileEncoder
	var err error
	switch s := any(spec).(type) {
	case Spec:
		err = s.Validate()
		nth = func(i int) fileEncoder { s.Index = i; return s }
	case GameSpec:
		err = s.Validate()
		nth = func(i int) fileEncoder { s.Index = i; return s }
	}
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	var paths []string
	var buf bytes.Buffer
	for i := range count {
		s := nth(i)
		buf.Reset()
		if err := s.Encode(&buf); err != nil {
			return paths, err
		}
		path := filepath.Join(dir, s.FileName())
		if err := atomicfile.Write(path, buf.Bytes()); err != nil {
			return paths, err
		}
		paths = append(paths, path)
	}
	return paths, nil
}

// fileEncoder is an instance that WriteFiles writes: a Spec or a GameSpec
// with its Index.
type fileEncoder interface {
	FileName() string
	Encode(w io.Writer) error
}
