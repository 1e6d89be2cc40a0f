package main

import (
	"io"
	"sync"
)

// headerWriter writes header to w before the first write through it, or at
// flush: sweep's "writing to DIR" then follows the checks that may refuse
// the run (unknown solvers, a directory that already has rows, ...)
// instead of preceding their errors.
type headerWriter struct {
	w      io.Writer
	header string
	once   sync.Once
}

func (h *headerWriter) flush() { h.once.Do(func() { io.WriteString(h.w, h.header) }) }

func (h *headerWriter) Write(p []byte) (int, error) {
	h.flush()
	return h.w.Write(p)
}
