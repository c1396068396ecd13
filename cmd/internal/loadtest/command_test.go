package loadtest

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"testing"
)

func TestExitCode(t *testing.T) {
	tests := []struct {
		err    error
		code   int
		stderr string
	}{
		{nil, 0, ""},
		{ErrHelp, 0, ""},
		{fmt.Errorf("%w: bad flag", ErrUsage), 2, "tool: usage: bad flag\n"},
		{errors.New("3 requests failed"), 1, "tool: 3 requests failed\n"},
	}
	for _, tt := range tests {
		var stderr bytes.Buffer
		if code := exitCode("tool", tt.err, &stderr); code != tt.code || stderr.String() != tt.stderr {
			t.Errorf("exitCode(%v) = %d, %q; want %d, %q", tt.err, code, stderr.String(), tt.code, tt.stderr)
		}
	}
}

func TestParseFlags(t *testing.T) {
	tests := []struct {
		args []string
		want error
		out  string
	}{
		{nil, nil, ""},
		{[]string{"-n", "3"}, nil, ""},
		{[]string{"-h"}, ErrHelp, "about the tool"},
		{[]string{"-x"}, ErrUsage, ""},
		{[]string{"extra"}, ErrUsage, ""},
	}
	for _, tt := range tests {
		fs := flag.NewFlagSet("tool", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		fs.Int("n", 1, "a number")
		var stdout bytes.Buffer
		err := ParseFlags(fs, tt.args, "about the tool\n", &stdout)
		if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) || !strings.Contains(stdout.String(), tt.out) {
			t.Errorf("ParseFlags(%q) = %v, stdout %q; want %v, %q", tt.args, err, stdout.String(), tt.want, tt.out)
		}
	}
}
