package analysis_test

import (
	"context"
	"fmt"
	"log"

	"github.com/nashbench/nashbench/analysis"
	"github.com/nashbench/nashbench/game"
)

// Two labs: opening gains each 1 and gives the other 3, a prisoner's
// dilemma in which closing is dominant and opening is optimal.
func ExampleAnalyze() {
	g, err := game.New([]string{"A", "B"}, [][]int64{{1, 3}, {3, 1}}, []int64{5, 5})
	if err != nil {
		log.Fatal(err)
	}
	r, err := analysis.Analyze(context.Background(), g, analysis.Options{Name: "dilemma"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("pure equilibria:", r.PureCount, r.Pure[0].Profile)
	fmt.Println("optimum:", r.Optimum.Profile, "welfare", r.Optimum.Welfare)
	fmt.Println("price of anarchy:", *r.PriceOfAnarchy)
	fmt.Println("corollary 1:", r.Corollary1)
	// Output:
	// pure equilibria: 1 [0 0]
	// optimum: [1 1] welfare 18
	// price of anarchy: 1.8
	// corollary 1: [closed closed]
}
