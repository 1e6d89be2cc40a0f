// Package all registers every solver of nashbench, the built-in ones and
// the shipped external ones (package external); import it for its side
// effect where solvers are picked by name.
package all

import (
	_ "github.com/nashbench/nashbench/solvers/enum"
	_ "github.com/nashbench/nashbench/solvers/external"
	_ "github.com/nashbench/nashbench/solvers/gophersat"
	_ "github.com/nashbench/nashbench/solvers/mip"
	_ "github.com/nashbench/nashbench/solvers/search"
)
