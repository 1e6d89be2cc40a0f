package record_test

import (
	"fmt"
	"os"
	"strings"

	"github.com/nashbench/nashbench/record"
)

// Reading a rows file line by line: Scan until false, then Err. Blank
// lines are skipped, and rows of older versions, without an attempt, read
// as attempt 1.
func ExampleReader() {
	const rows = `{"instance":"a.cnf","solver":"gophersat","answer":"sat","status":"solved"}

{"instance":"b.cnf","solver":"gophersat","answer":"unsat","status":"solved","attempt":2}
`
	rd := record.NewReader(strings.NewReader(rows), "rows.jsonl")
	for rd.Scan() {
		r := rd.Row()
		fmt.Printf("line %d: %s %s %s attempt %d\n", rd.Line(), r.Instance, r.Solver, r.Answer, r.Attempt)
	}
	if err := rd.Err(); err != nil {
		fmt.Println(err)
	}
	// Output:
	// line 1: a.cnf gophersat sat attempt 1
	// line 3: b.cnf gophersat unsat attempt 2
}

// A line that is not a row stops the Reader; the error names the input
// and the line.
func ExampleReader_error() {
	const rows = `{"instance":"a.cnf","solver":"gophersat","answer":"sat"}
{"instance":"b.cnf","solv
`
	rd := record.NewReader(strings.NewReader(rows), "rows.jsonl")
	for rd.Scan() {
		fmt.Println("read", rd.Row().Instance)
	}
	fmt.Println(rd.Err())
	// Output:
	// read a.cnf
	// rows.jsonl:2: unexpected end of JSON input
}

// Merging rows of one job met more than once: the latest attempt wins,
// and the result is ordered by instance, then solver.
func ExampleMerge() {
	rows := []record.Row{
		{Record: record.Record{Instance: "b.cnf", Solver: "gophersat", Answer: record.Unknown, Status: record.Timeout}, Attempt: 1},
		{Record: record.Record{Instance: "a.cnf", Solver: "gophersat", Answer: record.SAT, Status: record.Solved}, Attempt: 1},
		{Record: record.Record{Instance: "b.cnf", Solver: "gophersat", Answer: record.UNSAT, Status: record.Solved}, Attempt: 2},
		// A duplicated line.
		{Record: record.Record{Instance: "a.cnf", Solver: "gophersat", Answer: record.SAT, Status: record.Solved}, Attempt: 1},
	}
	merged, err := record.Merge(rows)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range merged {
		fmt.Println(r.Instance, r.Solver, r.Answer, r.Status, r.Attempt)
	}
	// Output:
	// a.cnf gophersat sat solved 1
	// b.cnf gophersat unsat solved 2
}

// Writing rows: one JSON object a line, with the field names of the file
// format.
func ExampleWrite() {
	rows := []record.Row{{
		Record: record.Record{
			Instance: "a.cnf", Kind: record.KindCNF, Solver: "gophersat",
			Answer: record.SAT, Status: record.Solved, Check: record.CheckWitness,
			Witness: []int{1, -2}, Seconds: 0.5,
		},
		N: 2, M: 3, Ratio: 1.5, Attempt: 1,
	}}
	if err := record.Write(os.Stdout, rows); err != nil {
		fmt.Println(err)
	}
	// Output:
	// {"instance":"a.cnf","kind":"cnf","solver":"gophersat","answer":"sat","witness":[1,-2],"status":"solved","check":"witness","verified":null,"seconds":0.5,"n":2,"m":3,"ratio":1.5,"attempt":1}
}

// The readable one-line form of a record, with a checked count.
func ExampleRecord_Summary() {
	count := int64(3)
	verified := true
	r := record.Record{
		Instance: "g.json", Solver: "enum", Answer: record.PNE, Seconds: 0.25,
		Status: record.Solved, Count: &count, CountCheck: record.CheckExhaustive,
		Check: record.CheckExhaustive, Verified: &verified,
	}
	fmt.Println(r.Summary())
	// Output:
	// g.json: pne (enum, 0.250s) count=3 (checked) verified (exhaustive search)
}
