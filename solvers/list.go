package solvers

import (
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
	"text/tabwriter"
)

// ShippedSource is the Source of the external solver definitions built
// into nashbench.
const ShippedSource = "shipped"

// Info describes a registered solver for a listing (nashbench solvers,
// whose --json writes it as one object per solver): its Description, with
// its name, its kind and whether it can run here.
type Info struct {
	Name      string `json:"name"`
	Kind      string `json:"kind"` // "built-in" or "external"
	Input     string `json:"input"`
	Version   string `json:"version,omitempty"`
	Status    string `json:"status"` // "ok", or why it cannot run ("missing: ...")
	Certifies bool   `json:"certifies,omitempty"`
	Source    string `json:"source,omitempty"` // the definitions file of an external solver
}

// List describes every registered solver, in the order of Names. A solver
// that cannot be made has its error as its Status. The solvers describe
// themselves side by side: an external solver's version command may take
// up to its timeout.
func List(ctx context.Context) []Info {
	names := Names()
	infos := make([]Info, len(names))
	var wg sync.WaitGroup
	for i, name := range names {
		wg.Go(func() { infos[i] = describe(ctx, name) })
	}
	wg.Wait()
	return infos
}

// describe says what the solver registered as name is.
func describe(ctx context.Context, name string) Info {
	in := Info{Name: name, Kind: "built-in", Status: "ok"}
	if IsExternal(name) {
		in.Kind = "external"
	}
	s, err := New(name)
	if err != nil {
		in.Status = err.Error()
		return in
	}
	if c, ok := s.(io.Closer); ok {
		defer c.Close()
	}
	if d, ok := s.(Describer); ok {
		desc := d.Describe(ctx)
		in.Input, in.Version, in.Certifies, in.Source = desc.Input, desc.Version, desc.Certifies, desc.Source
		if desc.Missing != "" {
			in.Status = desc.Missing
		}
	}
	return in
}

// WriteTable writes infos as a table, a row per solver: its kind (with the
// definitions file of an external solver a user defined), its input
// (", proofs" when it certifies its negative answers), version and status.
func WriteTable(w io.Writer, infos []Info) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tKIND\tINPUT\tVERSION\tSTATUS")
	for _, in := range infos {
		kind, input, version := in.Kind, in.Input, in.Version
		if in.Source != "" && in.Source != ShippedSource {
			kind += " (" + in.Source + ")"
		}
		if in.Certifies {
			input += ", proofs"
		}
		if strings.TrimSpace(version) == "" {
			version = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", in.Name, kind, input, version, in.Status)
	}
	return tw.Flush()
}
