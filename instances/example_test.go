package instances_test

import (
	"fmt"
	"log"
	"os"
	"strings"

	"github.com/nashbench/nashbench/instances"
)

// Reading a formula in DIMACS; errors name the file and line.
func ExampleReadDIMACS() {
	f, err := instances.ReadDIMACS(strings.NewReader("c two clauses\np cnf 3 2\n1 -2 0\n2 3 0\n"), "f.cnf", instances.Limits{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(f.Vars, f.Clauses, f.Satisfies([]bool{true, false, true}))

	_, err = instances.ReadDIMACS(strings.NewReader("p cnf 3 1\n1 4 0\n"), "bad.cnf", instances.Limits{})
	fmt.Println(err)
	// Output:
	// 3 [[1 -2] [2 3]] true
	// bad.cnf:2: literal 4 exceeds variable count 3
}

// A generated instance is fixed by its Spec, so it can be regenerated
// anywhere from its file name's parameters.
func ExampleSpec_Generate() {
	s := instances.Spec{N: 20, M: instances.ClausesForRatio(20, 4.26), K: 3, Seed: 1, Index: 0}
	f, _, err := s.Generate()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(s.FileName(), len(f.Clauses))
	if err := instances.WriteDIMACS(os.Stdout, &instances.CNF{Vars: 2, Clauses: [][]int{{1, -2}}}); err != nil {
		log.Fatal(err)
	}
	// Output:
	// uf3-n20-m85-s1-i000000.cnf 85
	// p cnf 2 1
	// 1 -2 0
}
