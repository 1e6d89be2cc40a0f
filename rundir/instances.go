// instances.go brings the generated instances of merged runs together.

package rundir

import (
	"errors"
	"fmt"
	iofs "io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"

	"github.com/nashbench/nashbench/internal/atomicfile"
	"github.com/nashbench/nashbench/internal/filehash"
)

// mergeInstance is a file of some input's instances/ to bring into the
// merge's.
type mergeInstance struct {
	src, sum string
}

// planInstances lists the files under the inputs' instances/ directories
// by path relative to instances/, so that the merged directory holds the
// instances its rows name. Two inputs, or an input and out, that hold
// different content (by SHA-256) under one name are refused: the rows
// would not say which one they ran. It writes nothing.
func planInstances(inputs []string, out string) (map[string]mergeInstance, error) {
	plan := map[string]mergeInstance{}
	for _, p := range inputs {
		dir := p
		if st, err := os.Stat(p); err != nil {
			return nil, err
		} else if !st.IsDir() {
			dir = filepath.Dir(p)
		}
		root := filepath.Join(dir, InstancesDir)
		err := filepath.WalkDir(root, func(path string, d iofs.DirEntry, err error) error {
			if err != nil || !d.Type().IsRegular() {
				return err
			}
			rel, err := filepath.Rel(root, path)
			if err != nil {
				return err
			}
			sum, err := filehash.SHA256(path)
			if err != nil {
				return err
			}
			if old, ok := plan[rel]; ok && old.sum != sum {
				return fmt.Errorf("%s and %s differ (sha256 %s and %s): two instances under one name", old.src, path, old.sum, sum)
			}
			if _, ok := plan[rel]; !ok {
				plan[rel] = mergeInstance{src: path, sum: sum}
			}
			return nil
		})
		if err != nil && !errors.Is(err, iofs.ErrNotExist) {
			return nil, err
		}
	}
	for _, rel := range slices.Sorted(maps.Keys(plan)) {
		dst := filepath.Join(out, InstancesDir, rel)
		sum, err := filehash.SHA256(dst)
		switch {
		case errors.Is(err, iofs.ErrNotExist):
		case err != nil:
			return nil, err
		case sum != plan[rel].sum:
			return nil, fmt.Errorf("--out %s holds another %s (sha256 %s, not %s as in %s)", out, filepath.Join(InstancesDir, rel), sum, plan[rel].sum, plan[rel].src)
		default:
			delete(plan, rel) // already there
		}
	}
	return plan, nil
}

// link is os.Link, replaced in tests to take the copying path.
var link = os.Link

// placeInstances hard-links each planned file into out's instances/, or
// copies it where a link cannot be made (another filesystem).
func placeInstances(plan map[string]mergeInstance, out string) error {
	for _, rel := range slices.Sorted(maps.Keys(plan)) {
		dst := filepath.Join(out, InstancesDir, rel)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		if err := link(plan[rel].src, dst); err == nil {
			continue
		}
		if err := atomicfile.Copy(plan[rel].src, dst, 0o644); err != nil {
			return err
		}
	}
	return nil
}
