// Package atomicfile writes files so that an interrupted run never leaves a
// partial file behind.
package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
)

// Write writes data to a temporary file in path's directory and renames it
// to path. (No fsync: this guards against interruption, not power loss, and
// a run may write a million files.) Its errors are *os.PathError values that
// name path, never the temporary file: "write DIR/f.json: no such file or
// directory".
func Write(path string, data []byte) error {
	return write(path, 0o644, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// Copy copies src to dst as Write writes, with mode: a process still
// running the old dst (a staged binary) keeps its file.
func Copy(src, dst string, mode os.FileMode) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	return write(dst, mode, func(w io.Writer) error {
		_, err := io.Copy(w, in)
		return err
	})
}

func write(path string, mode os.FileMode, fill func(io.Writer) error) (err error) {
	defer func() {
		if err != nil {
			err = &os.PathError{Op: "write", Path: path, Err: cause(err)}
		}
	}()
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err = fill(tmp); err != nil {
		return err
	}
	if err = tmp.Chmod(mode); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// cause strips the path (the temporary file's) from an os error.
func cause(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}
