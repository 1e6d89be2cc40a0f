package record_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nashbench/nashbench/record"
)

func ptr[T any](v T) *T { return &v }

// The string values of Status, Answer and Check, the kinds and the
// reference solver are a contract with users' scripts: pin them.
func TestConstantValues(t *testing.T) {
	tests := []struct {
		name string
		got  string
		want string
	}{
		{"Solved", string(record.Solved), "solved"},
		{"Timeout", string(record.Timeout), "timeout"},
		{"Memout", string(record.Memout), "memout"},
		{"Refused", string(record.Refused), "refused"},
		{"Error", string(record.Error), "error"},
		{"BadInput", string(record.BadInput), "bad-input"},
		{"SAT", string(record.SAT), "sat"},
		{"UNSAT", string(record.UNSAT), "unsat"},
		{"PNE", string(record.PNE), "pne"},
		{"NoPNE", string(record.NoPNE), "no-pne"},
		{"Unknown", string(record.Unknown), "unknown"},
		{"CheckWitness", string(record.CheckWitness), "witness"},
		{"CheckExhaustive", string(record.CheckExhaustive), "exhaustive"},
		{"CheckProof", string(record.CheckProof), "proof"},
		{"CheckNone", string(record.CheckNone), "none"},
		{"KindCNF", record.KindCNF, "cnf"},
		{"KindGame", record.KindGame, "game"},
		{"Reference", record.Reference, "gophersat"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.got)
		})
	}
}

// The values must also be what lands in JSON, through the typed fields.
func TestConstantsInJSON(t *testing.T) {
	b, err := json.Marshal(record.Record{
		Instance: "i", Solver: "s", Answer: record.NoPNE, Status: record.BadInput,
		Check: record.CheckProof, CountCheck: record.CheckExhaustive,
	})
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(b, &m))
	assert.Equal(t, "no-pne", m["answer"])
	assert.Equal(t, "bad-input", m["status"])
	assert.Equal(t, "proof", m["check"])
	assert.Equal(t, "exhaustive", m["count_check"])
}

func TestAnswerPredicates(t *testing.T) {
	tests := []struct {
		a                           record.Answer
		decided, positive, negative bool
	}{
		{record.SAT, true, true, false},
		{record.PNE, true, true, false},
		{record.UNSAT, true, false, true},
		{record.NoPNE, true, false, true},
		{record.Unknown, false, false, false},
		{"", false, false, false},
		{"SAT", false, false, false}, // values are case-sensitive
	}
	for _, tt := range tests {
		t.Run(string(tt.a), func(t *testing.T) {
			assert.Equal(t, tt.decided, tt.a.Decided(), "Decided")
			assert.Equal(t, tt.positive, tt.a.Positive(), "Positive")
			assert.Equal(t, tt.negative, tt.a.Negative(), "Negative")
		})
	}
}

// fullRow has every field set to a value that survives JSON (non-empty
// slices, Attempt >= 1), so that a round trip must give it back unchanged.
func fullRow() record.Row {
	return record.Row{
		Record: record.Record{
			Instance:     "inst/a.cnf",
			Kind:         record.KindCNF,
			Solver:       "gophersat",
			Reduction:    "pairwise",
			InputSHA256:  strings.Repeat("ab", 32),
			Answer:       record.UNSAT,
			Count:        ptr(int64(0)),
			TrivialPNE:   ptr(false),
			Witness:      []int{1, -2, 3},
			Status:       record.Solved,
			Check:        record.CheckProof,
			CountCheck:   record.CheckProof,
			Verified:     ptr(true),
			Seconds:      1.234567891,
			CheckSeconds: 0.1,
			Timeout:      60,
			WallSeconds:  1.5,
			CPUSeconds:   2.25,
			MaxRSSBytes:  1 << 30,
			CPUs:         []int{0, 2},
			Stats:        map[string]float64{"conflicts": 12, "proof-lemmas": 3.5},
			Error:        "some \"quoted\"\nerror",
			Workers:      4,
			Prover:       "cadical",
			ProofFormat:  "lrat",
			ProofBytes:   1234,
			ProofSeconds: 0.75,
			CheckNote:    "note",
			Part:         "2/4",
		},
		N:       50,
		M:       213,
		K:       3,
		Ratio:   4.26,
		Seed:    ptr(uint64(1<<63 + 7)),
		Index:   ptr(9),
		Planted: true,
		Family:  "coordination",
		Attempt: 3,
		Jobs:    8,
	}
}

func TestRowRoundTrip(t *testing.T) {
	minimal := record.Row{Record: record.Record{Instance: "m", Solver: "s", Answer: record.Unknown, Status: record.Timeout}, Attempt: 1}
	emptyWitness := record.Row{Record: record.Record{Instance: "w", Solver: "s", Answer: record.SAT, Witness: []int{}, Verified: ptr(false)}, Attempt: 1}
	tests := []struct {
		name string
		rows []record.Row
	}{
		{"full", []record.Row{fullRow()}},
		{"minimal", []record.Row{minimal}},
		{"empty witness, verified false", []record.Row{emptyWitness}},
		{"several", []record.Row{fullRow(), minimal, emptyWitness}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			require.NoError(t, record.Write(&buf, tt.rows))
			assert.Equal(t, len(tt.rows), strings.Count(buf.String(), "\n"), "one line a row")
			got, err := record.Parse(buf.Bytes(), "rows.jsonl")
			require.NoError(t, err)
			assert.Equal(t, tt.rows, got)
		})
	}
}

// Field names are the file format: a row written with every field set
// must carry exactly these keys.
func TestRowJSONFieldNames(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, record.Write(&buf, []record.Row{fullRow()}))
	var m map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(buf.Bytes(), &m))
	want := []string{
		"instance", "kind", "solver", "reduction", "input_sha256", "answer",
		"count", "trivial_pne", "witness", "status", "check", "count_check",
		"verified", "seconds", "check_seconds", "timeout", "wall_seconds",
		"cpu_seconds", "max_rss_bytes", "cpus", "stats", "error", "workers",
		"prover", "proof_format", "proof_bytes", "proof_seconds", "check_note",
		"shard",
		"n", "m", "k", "ratio", "seed", "index", "planted", "family",
		"attempt", "jobs",
	}
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	assert.ElementsMatch(t, want, keys)
}

// Attempt is omitted when 0 and read back as 1 (rows of older versions).
func TestRowAttemptDefaultsToOne(t *testing.T) {
	tests := []struct {
		name string
		line string
		want int
	}{
		{"absent", `{"instance":"i","solver":"s"}`, 1},
		{"zero", `{"instance":"i","solver":"s","attempt":0}`, 1},
		{"negative", `{"instance":"i","solver":"s","attempt":-2}`, 1},
		{"one", `{"instance":"i","solver":"s","attempt":1}`, 1},
		{"five", `{"instance":"i","solver":"s","attempt":5}`, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows, err := record.Parse([]byte(tt.line+"\n"), "x")
			require.NoError(t, err)
			require.Len(t, rows, 1)
			assert.Equal(t, tt.want, rows[0].Attempt)
		})
	}
}

func TestReaderErrors(t *testing.T) {
	const good = `{"instance":"a","solver":"s","answer":"sat"}`
	tests := []struct {
		name     string
		input    string
		wantRows int
		wantErr  string // exact error text
	}{
		{"truncated line", good + "\n" + `{"instance":"b","solv` + "\n", 1, "rows.jsonl:2: unexpected end of JSON input"},
		{"truncated last line without newline", good + "\n" + good + "\n" + `{"instance":"c"`, 2, "rows.jsonl:3: unexpected end of JSON input"},
		{"garbage", good + "\n\n  \n" + `not json` + "\n" + good + "\n", 1, "rows.jsonl:4: invalid character 'o' in literal null (expecting 'u')"},
		{"trailing garbage", good + "}\n", 0, "rows.jsonl:1: invalid character '}' after top-level value"},
		{"two rows on one line", good + good + "\n", 0, "rows.jsonl:1: invalid character '{' after top-level value"},
		{"wrong type", `{"instance":"a","solver":"s","n":"ten"}` + "\n", 0, "rows.jsonl:1: json: cannot unmarshal string into Go struct field Row.n of type int"},
		{"not an object", "[1,2]\n", 0, "rows.jsonl:1: json: cannot unmarshal array into Go value of type record.Row"},
		{"no instance", good + "\n" + `{"solver":"s"}` + "\n", 1, "rows.jsonl:2: a row needs instance and solver"},
		{"no solver", `{"instance":"a"}` + "\n", 0, "rows.jsonl:1: a row needs instance and solver"},
		{"null", "null\n", 0, "rows.jsonl:1: a row needs instance and solver"},
		{"empty object", "{}\n", 0, "rows.jsonl:1: a row needs instance and solver"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rd := record.NewReader(strings.NewReader(tt.input), "rows.jsonl")
			n := 0
			for rd.Scan() {
				n++
			}
			assert.Equal(t, tt.wantRows, n, "rows before the error")
			require.Error(t, rd.Err())
			// The "name:line: " prefix is the Reader's: compare it exactly;
			// the rest, the JSON decoder's words, exactly too (they are
			// stable), but report the prefix on its own for clarity.
			prefix, _, _ := strings.Cut(tt.wantErr, ": ")
			assert.True(t, strings.HasPrefix(rd.Err().Error(), prefix+": "), "error %q should start with %q", rd.Err(), prefix+": ")
			assert.EqualError(t, rd.Err(), tt.wantErr)
			// The error sticks: no more rows, the same error.
			err := rd.Err()
			assert.False(t, rd.Scan())
			assert.Equal(t, err, rd.Err())
		})
	}
}

// Line counts every line, blank ones included, and is the line of the
// last row read (or of the bad line after an error).
func TestReaderLine(t *testing.T) {
	in := "\n" + `{"instance":"a","solver":"s"}` + "\r\n\n \t\n" + `{"instance":"b","solver":"s"}` + "\n" + "bad\n"
	rd := record.NewReader(strings.NewReader(in), "f")
	var lines []int
	var insts []string
	for rd.Scan() {
		lines = append(lines, rd.Line())
		insts = append(insts, rd.Row().Instance)
	}
	assert.Equal(t, []int{2, 5}, lines)
	assert.Equal(t, []string{"a", "b"}, insts)
	assert.Equal(t, 6, rd.Line())
	require.Error(t, rd.Err())
	assert.True(t, strings.HasPrefix(rd.Err().Error(), "f:6: "), rd.Err().Error())
}

// Row is overwritten by each Scan, and no field of a row leaks into the
// next.
func TestReaderRowReset(t *testing.T) {
	in := `{"instance":"a","solver":"s","error":"boom","count":3,"witness":[1],"attempt":2}` + "\n" +
		`{"instance":"b","solver":"s"}` + "\n"
	rd := record.NewReader(strings.NewReader(in), "f")
	require.True(t, rd.Scan())
	first := rd.Row()
	copied := *first
	require.True(t, rd.Scan())
	second := rd.Row()
	assert.Equal(t, "b", second.Instance)
	assert.Empty(t, second.Error)
	assert.Nil(t, second.Count)
	assert.Nil(t, second.Witness)
	assert.Equal(t, 1, second.Attempt)
	assert.Equal(t, "a", copied.Instance)
	assert.Equal(t, 2, copied.Attempt)
	assert.False(t, rd.Scan())
	assert.NoError(t, rd.Err())
}

func TestReaderEmptyInput(t *testing.T) {
	for name, in := range map[string]string{
		"empty":      "",
		"newline":    "\n",
		"blank only": "\n  \n\t\r\n\n",
	} {
		t.Run(name, func(t *testing.T) {
			rd := record.NewReader(strings.NewReader(in), "f")
			assert.False(t, rd.Scan())
			assert.NoError(t, rd.Err())

			rows, err := record.Parse([]byte(in), "f")
			assert.NoError(t, err)
			assert.Empty(t, rows)
		})
	}
}

// A read error of the underlying reader is reported with the name, and
// wrapped.
func TestReaderLongLine(t *testing.T) {
	if testing.Short() {
		t.Skip("allocates a 64 MiB line")
	}
	line := `{"instance":"` + strings.Repeat("x", 64<<20) + `","solver":"s"}` + "\n"
	rd := record.NewReader(strings.NewReader(line), "big.jsonl")
	assert.False(t, rd.Scan())
	require.Error(t, rd.Err())
	assert.ErrorIs(t, rd.Err(), bufio.ErrTooLong)
	assert.True(t, strings.HasPrefix(rd.Err().Error(), "big.jsonl: "), rd.Err().Error())
}

// A row a little longer than bufio's default 64 KiB limit still reads.
func TestReaderLineAboveDefaultLimit(t *testing.T) {
	r := record.Row{Record: record.Record{Instance: "i", Solver: "s", Witness: make([]int, 100_000)}, Attempt: 1}
	var buf bytes.Buffer
	require.NoError(t, record.Write(&buf, []record.Row{r}))
	require.Greater(t, buf.Len(), 64<<10)
	rows, err := record.Parse(buf.Bytes(), "f")
	require.NoError(t, err)
	require.Len(t, rows, 1)
	assert.Len(t, rows[0].Witness, 100_000)
}

func writeFile(t *testing.T, data string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "rows.jsonl")
	require.NoError(t, os.WriteFile(path, []byte(data), 0o644))
	return path
}

func TestReadFile(t *testing.T) {
	const a = `{"instance":"a","solver":"s","answer":"sat"}` + "\n"
	const b = `{"instance":"b","solver":"s","answer":"unsat"}` + "\n"
	const partial = `{"instance":"c","sol`
	tests := []struct {
		name      string
		data      string
		repair    bool
		wantInsts []string
		wantErr   error  // errors.Is
		wantFile  string // the file's content afterwards
	}{
		{"complete", a + b, false, []string{"a", "b"}, nil, a + b},
		{"complete repair", a + b, true, []string{"a", "b"}, nil, a + b},
		{"empty", "", false, nil, nil, ""},
		{"partial", a + b + partial, false, nil, record.ErrPartial, a + b + partial},
		{"partial repaired", a + b + partial, true, []string{"a", "b"}, nil, a + b},
		{"only a partial line", partial, false, nil, record.ErrPartial, partial},
		{"only a partial line repaired", partial, true, nil, nil, ""},
		// A complete JSON object without its newline is still a partial
		// line: the writer had not finished it.
		{"last row without newline", a + strings.TrimSuffix(b, "\n"), false, nil, record.ErrPartial, a + strings.TrimSuffix(b, "\n")},
		{"last row without newline repaired", a + strings.TrimSuffix(b, "\n"), true, []string{"a"}, nil, a},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeFile(t, tt.data)
			rows, err := record.ReadFile(path, tt.repair)
			if tt.wantErr != nil {
				require.ErrorIs(t, err, tt.wantErr)
				assert.Contains(t, err.Error(), path)
				assert.Nil(t, rows)
			} else {
				require.NoError(t, err)
				var insts []string
				for _, r := range rows {
					insts = append(insts, r.Instance)
				}
				assert.Equal(t, tt.wantInsts, insts)
			}
			got, err := os.ReadFile(path)
			require.NoError(t, err)
			assert.Equal(t, tt.wantFile, string(got))
		})
	}
}

func TestReadFileBadLineNamesPathAndLine(t *testing.T) {
	path := writeFile(t, `{"instance":"a","solver":"s"}`+"\n"+"{oops}\n")
	_, err := record.ReadFile(path, true)
	require.Error(t, err)
	assert.True(t, strings.HasPrefix(err.Error(), path+":2: "), err.Error())
}

func TestReadFileMissing(t *testing.T) {
	_, err := record.ReadFile(filepath.Join(t.TempDir(), "none.jsonl"), false)
	assert.ErrorIs(t, err, os.ErrNotExist)
}

func TestComplete(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"partial", ""},
		{"a\n", "a\n"},
		{"a\nb", "a\n"},
		{"a\nb\n", "a\nb\n"},
		{"a\nb\n{", "a\nb\n"},
		{"\n", "\n"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			assert.Equal(t, tt.want, string(record.Complete([]byte(tt.in))))
		})
	}
}

func row(inst, solver string, ans record.Answer, attempt int) record.Row {
	return record.Row{Record: record.Record{Instance: inst, Solver: solver, Answer: ans}, Attempt: attempt}
}

// tagged returns a row told apart from row(...) by its Error, to see
// which of two agreeing rows Merge kept.
func tagged(inst, solver string, ans record.Answer, attempt int, tag string) record.Row {
	r := row(inst, solver, ans, attempt)
	r.Error = tag
	return r
}

func TestMerge(t *testing.T) {
	tests := []struct {
		name    string
		in      []record.Row
		want    []record.Row
		wantErr string
	}{
		{"nil", nil, nil, ""},
		{"one", []record.Row{row("a", "s", record.SAT, 1)}, []record.Row{row("a", "s", record.SAT, 1)}, ""},
		{
			"ordered by instance then solver",
			[]record.Row{row("b", "y", record.SAT, 1), row("a", "z", record.SAT, 1), row("b", "x", record.UNSAT, 1), row("a", "y", record.SAT, 1)},
			[]record.Row{row("a", "y", record.SAT, 1), row("a", "z", record.SAT, 1), row("b", "x", record.UNSAT, 1), row("b", "y", record.SAT, 1)},
			"",
		},
		{
			"duplicated line kept once, the first",
			[]record.Row{tagged("a", "s", record.SAT, 1, "first"), tagged("a", "s", record.SAT, 1, "second")},
			[]record.Row{tagged("a", "s", record.SAT, 1, "first")},
			"",
		},
		{
			"latest attempt wins, met last",
			[]record.Row{row("a", "s", record.Unknown, 1), row("a", "s", record.UNSAT, 2)},
			[]record.Row{row("a", "s", record.UNSAT, 2)},
			"",
		},
		{
			"latest attempt wins, met first",
			[]record.Row{row("a", "s", record.UNSAT, 3), row("a", "s", record.Unknown, 1), row("a", "s", record.SAT, 2)},
			[]record.Row{row("a", "s", record.UNSAT, 3)},
			"",
		},
		{
			"earlier attempts may disagree with the latest",
			[]record.Row{row("a", "s", record.SAT, 1), row("a", "s", record.UNSAT, 2)},
			[]record.Row{row("a", "s", record.UNSAT, 2)},
			"",
		},
		{
			"same job, different solvers are different jobs",
			[]record.Row{row("a", "s1", record.SAT, 1), row("a", "s2", record.UNSAT, 1)},
			[]record.Row{row("a", "s1", record.SAT, 1), row("a", "s2", record.UNSAT, 1)},
			"",
		},
		{
			"same attempt disagreeing is an error",
			[]record.Row{row("a", "s", record.SAT, 1), row("a", "s", record.UNSAT, 1)},
			nil,
			"two rows for a with s disagree: sat and unsat",
		},
		{
			"same latest attempt disagreeing is an error",
			[]record.Row{row("a", "s", record.Unknown, 1), row("a", "s", record.PNE, 2), row("a", "s", record.NoPNE, 2)},
			nil,
			"two rows for a with s disagree: pne and no-pne",
		},
		{
			// Before, a row was compared only with the row kept: attempt
			// 2 replaced attempt 1's sat, and attempt 1's unsat was
			// dropped unseen.
			"same attempt disagreeing behind a later attempt",
			[]record.Row{row("a", "s", record.SAT, 1), row("a", "s", record.SAT, 2), row("a", "s", record.UNSAT, 1)},
			nil,
			"two rows for a with s disagree: sat and unsat",
		},
		{
			"same attempt disagreeing behind a later attempt met first",
			[]record.Row{row("a", "s", record.SAT, 2), row("a", "s", record.SAT, 1), row("a", "s", record.UNSAT, 1)},
			nil,
			"two rows for a with s disagree: sat and unsat",
		},
		{
			// In memory as in a file: a row without an attempt is
			// attempt 1 (before, 1 replaced 0 and nothing was compared).
			"attempt 0 is attempt 1: disagreeing",
			[]record.Row{row("a", "s", record.SAT, 0), row("a", "s", record.UNSAT, 1)},
			nil,
			"two rows for a with s disagree: sat and unsat",
		},
		{
			"attempt 0 is attempt 1: agreeing, the first kept",
			[]record.Row{tagged("a", "s", record.SAT, 0, "first"), tagged("a", "s", record.SAT, 1, "second")},
			[]record.Row{tagged("a", "s", record.SAT, 1, "first")},
			"",
		},
		{
			"attempt 0 is attempt 1: a retry wins",
			[]record.Row{row("a", "s", record.UNSAT, 2), row("a", "s", record.Unknown, 0)},
			[]record.Row{row("a", "s", record.UNSAT, 2)},
			"",
		},
		{
			// Only the answer is compared: rows of one attempt that
			// differ otherwise agree, and the first is kept.
			"same attempt agreeing in answer only",
			[]record.Row{tagged("a", "s", record.Unknown, 1, "timeout"), tagged("a", "s", record.Unknown, 1, "memout")},
			[]record.Row{tagged("a", "s", record.Unknown, 1, "timeout")},
			"",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := append([]record.Row(nil), tt.in...)
			got, err := record.Merge(in)
			if tt.wantErr != "" {
				require.EqualError(t, err, tt.wantErr)
				assert.Nil(t, got)
				return
			}
			require.NoError(t, err)
			if len(tt.want) == 0 {
				assert.Empty(t, got)
			} else {
				assert.Equal(t, tt.want, got)
			}
			assert.Equal(t, tt.in, in, "Merge must not change its input")
		})
	}
}

// Merge is "the one rule for rows of one job met more than once": shards
// and the history file can list a job's rows in any order, so whether
// Merge errs must not depend on it. Documented: "two rows of the same
// attempt must agree in answer, else it is an error".
func TestMergeOrderIndependent(t *testing.T) {
	a1sat := row("a", "s", record.SAT, 1)
	a1unsat := row("a", "s", record.UNSAT, 1)
	a2 := row("a", "s", record.SAT, 2)
	perms := map[string][]record.Row{
		"1sat,1unsat,2": {a1sat, a1unsat, a2},
		"1sat,2,1unsat": {a1sat, a2, a1unsat},
		"2,1sat,1unsat": {a2, a1sat, a1unsat},
	}
	errs := map[string]bool{}
	for name, rows := range perms {
		_, err := record.Merge(rows)
		errs[name] = err != nil
	}
	for name, failed := range errs {
		assert.Equal(t, errs["1sat,1unsat,2"], failed,
			"Merge(%s) erred=%v, Merge(1sat,1unsat,2) erred=%v: the outcome depends on the order of the rows", name, failed, errs["1sat,1unsat,2"])
	}
}

// Merge of rows read by the Reader: a row of an older version (no
// attempt, read as 1) and its retry.
func TestMergeAfterRead(t *testing.T) {
	in := `{"instance":"a","solver":"s","answer":"unknown","status":"timeout"}` + "\n" +
		`{"instance":"a","solver":"s","answer":"sat","status":"solved","attempt":2}` + "\n" +
		`{"instance":"a","solver":"s","answer":"unknown","status":"timeout"}` + "\n"
	rows, err := record.Parse([]byte(in), "f")
	require.NoError(t, err)
	merged, err := record.Merge(rows)
	require.NoError(t, err)
	require.Len(t, merged, 1)
	assert.Equal(t, record.SAT, merged[0].Answer)
	assert.Equal(t, 2, merged[0].Attempt)
}

func TestRowKey(t *testing.T) {
	key := func(inst, solver string, ans record.Answer, attempt int) string {
		r := row(inst, solver, ans, attempt)
		return r.Key()
	}
	a := key("a", "s", record.SAT, 1)
	assert.Equal(t, a, key("a", "s", record.UNSAT, 2), "a job is its instance and solver")
	assert.NotEqual(t, a, key("a", "t", record.SAT, 1))
	assert.NotEqual(t, a, key("b", "s", record.SAT, 1))
	// Concatenation must not make two jobs one.
	assert.NotEqual(t, key("ab", "c", record.SAT, 1), key("a", "bc", record.SAT, 1))
}

// Missing is written in summaries: its field names are part of the format.
func TestMissingJSON(t *testing.T) {
	b, err := json.Marshal(record.Missing{Planned: 10, Jobs: 3, Shards: []int{1, 4}, Of: 4})
	require.NoError(t, err)
	assert.JSONEq(t, `{"planned":10,"jobs":3,"shards":[1,4],"of":4}`, string(b))

	var m record.Missing
	require.NoError(t, json.Unmarshal([]byte(`{"planned":2,"jobs":0,"shards":[],"of":1}`), &m))
	assert.Equal(t, record.Missing{Planned: 2, Shards: []int{}, Of: 1}, m)
}

func TestOutcome(t *testing.T) {
	tests := []struct {
		name string
		r    record.Record
		want record.Status
	}{
		{"status wins", record.Record{Status: record.Memout, Answer: record.SAT, Error: "x"}, record.Memout},
		{"status refused", record.Record{Status: record.Refused}, record.Refused},
		{"old: error", record.Record{Error: "crash"}, record.Error},
		{"old: error with a decided answer", record.Record{Error: "crash", Answer: record.SAT}, record.Error},
		{"old: verification failure is solved", record.Record{Error: "bad model", Answer: record.SAT, Verified: ptr(false)}, record.Solved},
		{"old: verification failure undecided", record.Record{Error: "bad", Answer: record.Unknown, Verified: ptr(false)}, record.Timeout},
		{"old: decided", record.Record{Answer: record.NoPNE}, record.Solved},
		{"old: verified decided", record.Record{Answer: record.UNSAT, Verified: ptr(true)}, record.Solved},
		{"old: undecided", record.Record{Answer: record.Unknown}, record.Timeout},
		{"old: nothing", record.Record{}, record.Timeout},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.r.Outcome())
			assert.Equal(t, tt.want == record.Solved, tt.r.Solved())
		})
	}
}

func TestFailed(t *testing.T) {
	assert.False(t, (&record.Record{}).Failed())
	assert.False(t, (&record.Record{Verified: ptr(true)}).Failed())
	assert.True(t, (&record.Record{Verified: ptr(false)}).Failed())
}

func TestRetryable(t *testing.T) {
	tests := []struct {
		name string
		r    record.Record
		want bool
	}{
		{"error", record.Record{Status: record.Error}, true},
		{"timeout", record.Record{Status: record.Timeout}, true},
		{"memout", record.Record{Status: record.Memout}, true},
		{"solved", record.Record{Status: record.Solved, Answer: record.SAT}, false},
		{"refused", record.Record{Status: record.Refused, Error: "cannot"}, false},
		{"bad input", record.Record{Status: record.BadInput, Error: "parse"}, false},
		{"solved, verification failed", record.Record{Status: record.Solved, Answer: record.SAT, Verified: ptr(false), Error: "bad"}, false},
		{"old: error", record.Record{Error: "crash", Answer: record.Unknown}, true},
		{"old: error, decided", record.Record{Error: "crash", Answer: record.SAT}, true},
		{"old: verification failure", record.Record{Error: "bad model", Answer: record.SAT, Verified: ptr(false)}, false},
		{"old: undecided", record.Record{Answer: record.Unknown}, true},
		{"old: decided", record.Record{Answer: record.UNSAT}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := record.Row{Record: tt.r}
			assert.Equal(t, tt.want, r.Retryable())
		})
	}
}

func TestSummary(t *testing.T) {
	base := func() record.Record {
		return record.Record{Instance: "g.json", Solver: "enum", Answer: record.PNE, Status: record.Solved, Seconds: 1.5}
	}
	tests := []struct {
		name string
		edit func(r *record.Record)
		want string
	}{
		{
			"count exhaustive",
			func(r *record.Record) {
				r.Count, r.CountCheck = ptr(int64(42)), record.CheckExhaustive
				r.Check, r.Verified = record.CheckExhaustive, ptr(true)
			},
			"g.json: pne (enum, 1.500s) count=42 (checked) verified (exhaustive search)",
		},
		{
			"count proof by another prover",
			func(r *record.Record) {
				r.Answer, r.Solver = record.NoPNE, "gophersat"
				r.Count, r.CountCheck = ptr(int64(0)), record.CheckProof
				r.Check, r.Verified, r.Prover, r.ProofSeconds = record.CheckProof, ptr(true), "cadical", 0.25
			},
			"g.json: no-pne (gophersat, 1.500s) count=0 (checked) verified (proof by cadical, 0.250s)",
		},
		{
			"count proof by the solver itself",
			func(r *record.Record) {
				r.Answer, r.Solver = record.UNSAT, "gophersat"
				r.Count, r.CountCheck = ptr(int64(0)), record.CheckProof
				r.Check, r.Verified, r.Prover = record.CheckProof, ptr(true), "gophersat"
			},
			"g.json: unsat (gophersat, 1.500s) count=0 (checked) verified (proof)",
		},
		{
			"count none",
			func(r *record.Record) {
				r.Count, r.CountCheck = ptr(int64(7)), record.CheckNone
			},
			"g.json: pne (enum, 1.500s) count=7 unchecked",
		},
		{
			"count without count_check",
			func(r *record.Record) { r.Count = ptr(int64(7)) },
			"g.json: pne (enum, 1.500s) count=7 unchecked",
		},
		{
			// Answer and count unchecked: the word once, with the note.
			"count and answer unchecked with a note",
			func(r *record.Record) {
				r.Count, r.CountCheck, r.Check, r.CheckNote = ptr(int64(7)), record.CheckNone, record.CheckNone, "certification off"
			},
			"g.json: pne (enum, 1.500s) count=7 unchecked (certification off)",
		},
		{
			// No answer to check: the count says it is unchecked.
			"count unchecked, answer unknown",
			func(r *record.Record) {
				r.Answer, r.Status, r.Timeout, r.Count = record.Unknown, record.Timeout, 30, ptr(int64(7))
			},
			"g.json: unknown (enum, 1.500s) TIMEOUT after 30s count=7 (unchecked)",
		},
		{
			"count witness is not a count check",
			func(r *record.Record) {
				r.Count, r.CountCheck = ptr(int64(7)), record.CheckWitness
				r.Check, r.Verified = record.CheckWitness, ptr(true)
			},
			"g.json: pne (enum, 1.500s) count=7 (unchecked) verified (witness)",
		},
		{
			"negative count",
			func(r *record.Record) { r.Count, r.CountCheck = ptr(int64(-1)), record.CheckExhaustive },
			"g.json: pne (enum, 1.500s) count=-1 (checked) unchecked",
		},
		{
			"part",
			func(r *record.Record) { r.Part, r.Count, r.CountCheck = "2/4", ptr(int64(3)), record.CheckExhaustive },
			"g.json: pne (enum, 1.500s) part 2/4 (sum the counts of all parts) count=3 (checked) unchecked",
		},
		{
			"timeout",
			func(r *record.Record) { r.Answer, r.Status, r.Timeout = record.Unknown, record.Timeout, 30 },
			"g.json: unknown (enum, 1.500s) TIMEOUT after 30s",
		},
		{"memout", func(r *record.Record) { r.Answer, r.Status = record.Unknown, record.Memout }, "g.json: unknown (enum, 1.500s) MEMOUT"},
		{
			"refused",
			func(r *record.Record) { r.Answer, r.Status, r.Error = record.Unknown, record.Refused, "no games" },
			"g.json: unknown (enum, 1.500s) REFUSED: no games",
		},
		{
			"error",
			func(r *record.Record) { r.Answer, r.Status, r.Error = record.Unknown, record.Error, "exit 1" },
			"g.json: unknown (enum, 1.500s) SOLVER ERROR: exit 1",
		},
		{
			"bad input",
			func(r *record.Record) { r.Answer, r.Status, r.Error = record.Unknown, record.BadInput, "line 3" },
			"g.json: unknown (enum, 1.500s) BAD INPUT: line 3",
		},
		{
			"not verified",
			func(r *record.Record) {
				r.Answer, r.Check, r.Verified, r.Witness, r.Error = record.SAT, record.CheckWitness, ptr(false), []int{1, -2}, "model falsifies clause 3"
			},
			"g.json: sat (enum, 1.500s) NOT VERIFIED witness=[1 -2]: model falsifies clause 3",
		},
		{
			"unchecked with a note",
			func(r *record.Record) {
				r.Answer, r.Check, r.CheckNote = record.UNSAT, record.CheckNone, "certification off"
			},
			"g.json: unsat (enum, 1.500s) unchecked (certification off)",
		},
		{
			"witness verified",
			func(r *record.Record) {
				r.Check, r.Verified, r.Witness = record.CheckWitness, ptr(true), []int{0, 1, 1}
			},
			"g.json: pne (enum, 1.500s) verified (witness) witness=[0 1 1]",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := base()
			tt.edit(&r)
			assert.Equal(t, tt.want, r.Summary())
		})
	}
}
