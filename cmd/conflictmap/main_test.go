package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/conflictmap/conflictmap/gazetteer"
	"github.com/conflictmap/conflictmap/gazetteer/gazettest"
)

// The fixture database is imported once per test binary, through the
// `gazetteer import` command itself, into a folder TestMain removes.
var fixture struct {
	once sync.Once
	dir  string
	path string
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if fixture.dir != "" {
		os.RemoveAll(fixture.dir)
	}
	os.Exit(code)
}

// result is what one in-process run of Main produced.
type result struct {
	code           int
	stdout, stderr string
}

func (r result) String() string {
	return fmt.Sprintf("exit %d\nstdout:\n%s\nstderr:\n%s", r.code, clip(r.stdout), clip(r.stderr))
}

func clip(s string) string {
	if len(s) > 2000 {
		return s[:2000] + "...(clipped)"
	}
	return s
}

// sourceFlags names the `gazetteer import` flag of each gazetteer.Sources
// field whose flag is not simply its lower-cased name.
var sourceFlags = map[string]string{"GeoNames": "geonames", "CommonWords": "words", "PersonNames": "persons", "USCounties": "us-counties"}

// source is one file of a gazetteer.Sources.
type source struct{ field, flag, path string }

// sources lists every field of src. It uses reflection so that a source
// added to gazetteer.Sources is passed too, rather than silently taken from
// the default data folder.
func sources(src gazetteer.Sources) []source {
	v := reflect.ValueOf(src)
	var out []source
	for i := 0; i < v.NumField(); i++ {
		name := v.Type().Field(i).Name
		flag, ok := sourceFlags[name]
		if !ok {
			flag = strings.ToLower(name)
		}
		out = append(out, source{name, flag, v.Field(i).String()})
	}
	return out
}

// importArgs is the `gazetteer import` command line that loads the committed
// fixture into db.
func importArgs(db string) []string {
	args := []string{"gazetteer", "import", "--db", db}
	for _, s := range sources(gazettest.FixtureSources()) {
		args = append(args, "--"+s.flag+"="+s.path)
	}
	return args
}

// fixtureDB returns the path of the shared fixture database. Tests only
// read it.
func fixtureDB(tb testing.TB) string {
	tb.Helper()
	fixture.once.Do(func() {
		dir, err := os.MkdirTemp("", "conflictmap-cmd-test")
		if err != nil {
			fixture.err = err
			return
		}
		fixture.dir = dir
		path := filepath.Join(dir, "fixture.db")
		vars := map[string]string{"HOME": dir, "XDG_DATA_HOME": filepath.Join(dir, "xdg"), "CONFLICTMAP_DATA": filepath.Join(dir, "no-data")}
		res := invoke(context.Background(), vars, nil, importArgs(path))
		if res.code != 0 {
			fixture.err = fmt.Errorf("gazetteer import failed: %v", res)
			return
		}
		fixture.path = path
	})
	if fixture.err != nil {
		tb.Fatalf("fixture database: %v", fixture.err)
	}
	return fixture.path
}

// newVars is a hermetic environment: HOME and XDG_DATA_HOME in a temporary
// folder, no bundled data, and CONFLICTMAP_DB set to db when db != "".
func newVars(t *testing.T, db string) map[string]string {
	t.Helper()
	home := t.TempDir()
	vars := map[string]string{
		"HOME":             home,
		"XDG_DATA_HOME":    filepath.Join(home, "xdg"),
		"CONFLICTMAP_DATA": filepath.Join(home, "no-data"),
	}
	if db != "" {
		vars["CONFLICTMAP_DB"] = db
	}
	return vars
}

func invoke(ctx context.Context, vars map[string]string, stdin io.Reader, args []string) result {
	if stdin == nil {
		stdin = strings.NewReader("")
	}
	var out, errb bytes.Buffer
	env := &Env{Stdin: stdin, Stdout: &out, Stderr: &errb, Getenv: func(k string) string { return vars[k] }}
	code := Main(ctx, env, args)
	return result{code: code, stdout: out.String(), stderr: errb.String()}
}

// run calls Main in-process and turns a panic into a test failure.
func run(t *testing.T, vars map[string]string, stdin io.Reader, args ...string) (res result) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Fatalf("conflictmap %s panicked: %v", strings.Join(args, " "), r)
		}
	}()
	return invoke(t.Context(), vars, stdin, args)
}

// checkOneLineError checks the error contract: a non-zero exit code, nothing
// on stdout and exactly one stderr line "conflictmap: ..." containing want.
func checkOneLineError(t *testing.T, res result, wantCode int, want string) {
	t.Helper()
	if res.code == 0 || (wantCode != 0 && res.code != wantCode) {
		t.Errorf("exit code = %d, want %d", res.code, wantCode)
	}
	if res.stdout != "" {
		t.Errorf("stdout = %q, want nothing", clip(res.stdout))
	}
	lines := strings.Split(strings.TrimSuffix(res.stderr, "\n"), "\n")
	if len(lines) != 1 || !strings.HasSuffix(res.stderr, "\n") {
		t.Errorf("stderr has %d lines, want exactly one:\n%s", len(lines), clip(res.stderr))
	}
	if !strings.HasPrefix(res.stderr, "conflictmap: ") {
		t.Errorf("stderr = %q, want it to start with \"conflictmap: \"", clip(res.stderr))
	}
	if !strings.Contains(res.stderr, want) {
		t.Errorf("stderr = %q, want it to name the problem: %q", clip(res.stderr), want)
	}
}

func TestMainCommandLine(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		wantCode int
		// wantErr, when set, is the problem the single stderr line names.
		wantErr string
		// wantStdout lists strings the help text must contain.
		wantStdout []string
	}{
		{"unknown command", []string{"frobnicate"}, 2, `unknown command "frobnicate"`, nil},
		{"gazetteer without subcommand", []string{"gazetteer"}, 2, "gazetteer needs a subcommand", nil},
		{"unknown gazetteer subcommand", []string{"gazetteer", "frob"}, 2, `unknown gazetteer subcommand "frob"`, nil},
		{"help", []string{"help"}, 0, "", []string{"extract", "geocode", "gazetteer"}},
		{"--help", []string{"--help"}, 0, "", []string{"extract", "geocode", "gazetteer"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := run(t, newVars(t, ""), nil, tt.args...)
			if tt.wantErr != "" {
				checkOneLineError(t, res, tt.wantCode, tt.wantErr)
				return
			}
			if res.code != tt.wantCode {
				t.Fatalf("exit code = %d, want %d\n%v", res.code, tt.wantCode, res)
			}
			if res.stderr != "" {
				t.Errorf("stderr = %q, want nothing", res.stderr)
			}
			for _, w := range tt.wantStdout {
				if !strings.Contains(res.stdout, w) {
					t.Errorf("stdout does not mention %q:\n%s", w, res.stdout)
				}
			}
		})
	}
}

// TestMainNoArguments: a bare `conflictmap` prints the help but still fails
// with exit code 2, so scripts notice.
func TestMainNoArguments(t *testing.T) {
	res := run(t, newVars(t, ""), nil)
	if res.code != 2 {
		t.Errorf("exit code = %d, want 2", res.code)
	}
	if !strings.Contains(res.stdout, "Commands:") {
		t.Errorf("stdout has no command list:\n%s", res.stdout)
	}
	if res.stderr != "conflictmap: usage: no command given\n" {
		t.Errorf("stderr = %q, want the single line %q", res.stderr, "conflictmap: usage: no command given\n")
	}
}
