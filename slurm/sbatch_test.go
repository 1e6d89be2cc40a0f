package slurm

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseSbatchOpts(t *testing.T) {
	tests := []struct {
		in    string
		names []string
		lines []string // the words of each option
		err   string
	}{
		{"", nil, nil, ""},
		{"-p long --time=4:00:00 -c4 --mem 8G --hold", []string{"", "time", "cpus-per-task", "mem", "hold"},
			[]string{"-p long", "--time=4:00:00", "-c4", "--mem 8G", "--hold"}, ""},
		{"-o /x/%j.out -J name", []string{"output", "job-name"}, []string{"-o /x/%j.out", "-J name"}, ""},
		{"long", nil, nil, `"long" is not an sbatch option`},
		{"--time=1:00 extra", nil, nil, `"extra" is not an sbatch option`},
		{"-p a b", nil, nil, `"b" is not an sbatch option`},
		{"--array=1-3", nil, nil, "nashbench sets --array itself"},
		{"-a 1-3", nil, nil, "nashbench sets --array itself"},
		{"--dependency=afterok:1", nil, nil, "nashbench sets --dependency itself"},
		{"-d after:1", nil, nil, "nashbench sets --dependency itself"},
		{"--wrap=ls", nil, nil, "not an option for nashbench's scripts"},
		{`--comment='say "hi"'`, nil, nil, "quotes and newlines"},
		{"--x='open", nil, nil, "unterminated"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := parseSbatchOpts(tt.in)
			if tt.err != "" {
				assert.ErrorContains(t, err, tt.err)
				return
			}
			require.NoError(t, err)
			var names, lines []string
			for _, o := range got {
				names = append(names, o.name)
				lines = append(lines, strings.Join(o.words, " "))
			}
			assert.Equal(t, tt.names, names)
			assert.Equal(t, tt.lines, lines)
		})
	}
}

func TestTaskList(t *testing.T) {
	for _, tt := range []struct {
		in   []int
		want string
	}{
		{[]int{1}, "1"},
		{[]int{1, 2, 3}, "1-3"},
		{[]int{2, 5}, "2,5"},
		{[]int{1, 2, 4, 6, 7, 8, 10}, "1-2,4,6-8,10"},
	} {
		assert.Equal(t, tt.want, taskList(tt.in), "%v", tt.in)
	}
}
