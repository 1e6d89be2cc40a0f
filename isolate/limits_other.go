//go:build !linux

package isolate

import (
	"errors"
	"sync/atomic"
)

var noCgroup atomic.Bool

func allowedCPUs() []int { return nil }

func pinAll([]int) error { return errors.New("pinning to cores needs Linux") }

type memLimit struct{ bytes int64 }

func newMemLimit(n int64) *memLimit { return &memLimit{bytes: n} }

func (m *memLimit) mechanism() string { return "none" }

func (m *memLimit) apply(int) error {
	return errors.New("memory limits need Linux")
}

func (m *memLimit) outOfMemory(string) bool { return false }

func (m *memLimit) close() {}

func (m *memLimit) env() []string { return nil }

func limitSelf(int64) error { return errors.New("memory limits need Linux") }
