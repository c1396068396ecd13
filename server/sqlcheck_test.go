package server_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/build"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/conflictmap/conflictmap/gazetteer/gazettest"
)

// TestSQLOnlyWithParameters makes sure no request value can become SQL:
// every query string handed to database/sql in the module is a constant,
// or a value that only constants reach, and requests shaped like SQL
// injections are refused or find nothing, leaving the store intact.
func TestSQLOnlyWithParameters(t *testing.T) {
	t.Run("queries are constants", testQueriesAreConstants)
	t.Run("the check finds built queries", testQueryCheckFinds)
	t.Run("injections through the API", testInjections)
}

// testInjections sends SQL through every parameter the API reads.
func testInjections(t *testing.T) {
	ts := newTestServer(t, testToken, true)
	const drop = "'); DROP TABLE articles;--"
	body, _ := json.Marshal(map[string]string{"text": "Robert" + drop + " said clashes broke out in Misrata.",
		"source": "Robert" + drop, "url": "https://example.org/?q=1' OR '1'='1", "date": "2019-04-08"})
	res, posted := ts.post(t, "/api/articles", "application/json", body)
	if res.status != http.StatusCreated {
		t.Fatalf("POST an article holding SQL: status %d: %s", res.status, clip(res.body))
	}
	id := posted.Article.ID
	before := ts.get(t, "/api/articles")
	eventsBefore := len(ts.allItems(t, "events"))

	inject := []string{"1 OR 1=1", "1; DROP TABLE articles;--", "' OR '1'='1", drop, "1) OR (1=1", "0 UNION SELECT hash FROM articles"}
	for _, sql := range inject {
		q := url.PathEscape(sql)
		v := url.QueryEscape(sql)
		for _, path := range []string{
			"/api/articles/" + q,
			"/collections/events/items/" + q,
			"/collections/places/items/" + q,
			"/collections/events/items?datetime=2019-04-05" + v,
			"/collections/events/items?datetime=" + v,
			"/collections/events/items?bbox=12,32,14," + v,
			"/collections/events/items?limit=" + v,
			"/collections/events/items?offset=" + v,
			"/collections/distances/items?from=" + v,
			"/collections/distances/items?from=Tripoli" + v,
			"/collections/zones/items?datetime=" + v,
			"/tiles/6/34/" + q + ".mvt",
		} {
			res := ts.get(t, path)
			if res.status != http.StatusOK {
				checkProblem(t, res, res.status)
				if res.status < 400 || res.status >= 500 {
					t.Errorf("GET %s: status %d, want a 4xx or an empty 200", path, res.status)
				}
				continue
			}
			var fc featureCollection
			if err := json.Unmarshal(res.body, &fc); err != nil || fc.NumberMatched != 0 || len(fc.Features) != 0 {
				t.Errorf("GET %s: 200 with %d features (%v), want a 4xx or nothing found", path, len(fc.Features), err)
			}
		}
		res := ts.request(t, http.MethodDelete, "/api/articles/"+q, nil, "Authorization", bearer)
		checkProblem(t, res, http.StatusBadRequest)
	}

	if after := ts.get(t, "/api/articles"); !bytes.Equal(after.body, before.body) {
		t.Errorf("the injections changed the stored articles:\nbefore %s\nafter  %s", clip(before.body), clip(after.body))
	}
	if n := len(ts.allItems(t, "events")); n != eventsBefore {
		t.Errorf("%d events after the injections, %d before", n, eventsBefore)
	}
	var d articleDetail
	ts.getJSON(t, fmt.Sprintf("/api/articles/%d", id), "application/json", &d)
	if d.Source != "Robert"+drop || !strings.Contains(d.Text, drop) || d.URL != "https://example.org/?q=1' OR '1'='1" {
		t.Errorf("the article holding SQL came back as source %q url %q text %q", d.Source, d.URL, d.Text)
	}
}

// queryArg is, for each database/sql method that takes a query, the
// index of the query among its arguments.
var queryArg = map[string]int{"Query": 0, "QueryRow": 0, "Exec": 0, "Prepare": 0,
	"QueryContext": 1, "QueryRowContext": 1, "ExecContext": 1, "PrepareContext": 1}

// allowedQueries are queries the check cannot prove constant, by
// "file:line" from the module root, with the reason each is safe. Keep it
// empty: prefer a constant.
var allowedQueries = map[string]string{}

func testQueriesAreConstants(t *testing.T) {
	root := gazettest.RepoRoot()
	qc := newQueryCheck(t, root)
	n := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			return nil
		}
		if name := d.Name(); path != root && (name == "testdata" || name == "node_modules" || name == "vendor" ||
			strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
			return filepath.SkipDir
		}
		rel, _ := filepath.Rel(root, path)
		if qc.loadDir(filepath.ToSlash(rel)) != nil {
			n++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, err := range qc.typeErrs {
		t.Logf("type error (the calls in its package are still checked): %v", err)
	}
	found, followed := qc.findings()
	if n < 10 || qc.calls < 50 {
		t.Fatalf("checked %d packages and %d database/sql calls: the walk missed the module", n, qc.calls)
	}
	used := map[string]bool{}
	for _, f := range found {
		key, _, _ := strings.Cut(f, ": ")
		if reason, ok := allowedQueries[key]; ok {
			used[key] = true
			t.Logf("allowed: %s (%s)", f, reason)
			continue
		}
		t.Errorf("%s", f)
	}
	for key := range allowedQueries {
		if !used[key] {
			t.Errorf("allowedQueries names %s, where no query needs it: remove it", key)
		}
	}
	t.Logf("%d packages, %d database/sql calls with a query; these queries are not literals but only constants reach them:\n%s",
		n, qc.calls, strings.Join(followed, "\n"))
}

// testQueryCheckFinds runs the check on small programs: it must flag a
// query built from a variable however the value travels, and accept
// constants however they travel.
func testQueryCheckFinds(t *testing.T) {
	tests := []struct {
		name, body string
		bad        bool
	}{
		{"literal", `db.Query("SELECT 1")`, false},
		{"constant", `db.Exec(del + " WHERE id = ?", name)`, false},
		{"statement with arguments", `st, _ := db.Prepare(del); st.Exec(name); st.QueryRow(name)`, false},
		{"local set from constants", `q := "SELECT 1"; if name != "" { q = del }; db.QueryRowContext(ctx, q)`, false},
		{"range over constants", `for _, q := range []string{"SELECT 1", del} { tx.ExecContext(ctx, q) }`, false},
		{"field of constant literals", `for _, m := range []step{{"SELECT 1"}, {del}} { db.Exec(m.sql) }`, false},
		{"helper called with constants", `run(ctx, tx, del); run(ctx, tx, "SELECT 3")`, false},
		{"Sprintf", `db.Query(fmt.Sprintf("SELECT * FROM t WHERE n = '%s'", name))`, true},
		{"concatenated variable", `db.ExecContext(ctx, "DELETE FROM t WHERE n = '" + name + "'")`, true},
		{"local built up", `q := "SELECT * FROM t"; q += " WHERE n = " + name; tx.QueryContext(ctx, q)`, true},
		{"helper called with a variable", `run(ctx, tx, "SELECT " + name)`, true},
		{"field set from a variable", `s := step{sql: name}; db.Exec(s.sql)`, true},
		{"range over variables", `for _, q := range []string{del, name} { db.Exec(q) }`, true},
		{"strings.Join", `db.Prepare(strings.Join([]string{"SELECT", name}, " "))`, true},
		{"conn", `c, _ := db.Conn(ctx); c.ExecContext(ctx, name)`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := `package probe

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

const del = "DELETE FROM t"

type step struct{ sql string }

func run(ctx context.Context, tx *sql.Tx, q string) { tx.ExecContext(ctx, q) }

func probe(ctx context.Context, db *sql.DB, tx *sql.Tx, name string) {
	` + tt.body + `
	run(ctx, tx, "SELECT 2")
}

var _, _ = fmt.Sprint, strings.Join
`
			qc := newQueryCheck(t, gazettest.RepoRoot())
			f, err := parser.ParseFile(qc.fset, "probe.go", src, 0)
			if err != nil {
				t.Fatal(err)
			}
			qc.check("example.org/probe", []*ast.File{f})
			if len(qc.typeErrs) > 0 {
				t.Fatalf("the probe does not compile: %v", qc.typeErrs)
			}
			if got, _ := qc.findings(); (len(got) > 0) != tt.bad {
				t.Errorf("findings %q, want bad=%v", got, tt.bad)
			}
		})
	}
}

// queryCheck type-checks the module's packages from source (its own
// packages) and export data (the rest), and finds the database/sql calls
// whose query is not known to be constant.
type queryCheck struct {
	t        *testing.T
	fset     *token.FileSet
	root     string
	module   string
	exports  map[string]string
	gc       types.Importer
	info     *types.Info
	pkgs     map[string]*types.Package
	files    []*ast.File
	typeErrs []error
	calls    int
}

func newQueryCheck(t *testing.T, root string) *queryCheck {
	t.Helper()
	qc := &queryCheck{t: t, fset: token.NewFileSet(), root: root, exports: exportData(t, root), pkgs: map[string]*types.Package{},
		info: &types.Info{Types: map[ast.Expr]types.TypeAndValue{}, Defs: map[*ast.Ident]types.Object{},
			Uses: map[*ast.Ident]types.Object{}, Selections: map[*ast.SelectorExpr]*types.Selection{}}}
	mod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	qc.module = modfileModule(mod)
	qc.gc = importer.ForCompiler(qc.fset, "gc", func(path string) (io.ReadCloser, error) {
		file, ok := qc.exports[path]
		if !ok {
			return nil, fmt.Errorf("no export data for %s", path)
		}
		return os.Open(file)
	})
	return qc
}

// modfileModule reads the module path of a go.mod.
func modfileModule(mod []byte) string {
	for _, line := range strings.Split(string(mod), "\n") {
		if p, ok := strings.CutPrefix(strings.TrimSpace(line), "module "); ok {
			return strings.Trim(strings.TrimSpace(p), `"`)
		}
	}
	return ""
}

var exports struct {
	once sync.Once
	m    map[string]string
}

// exportData maps every package outside the module that the module
// imports to its compiled export data, as `go list -export` builds it.
// It runs go list once per test binary.
func exportData(t *testing.T, root string) map[string]string {
	t.Helper()
	exports.once.Do(func() { exports.m = listExports(t, root) })
	if exports.m == nil {
		t.Fatal("no export data: see the first test that asked")
	}
	return exports.m
}

func listExports(t *testing.T, root string) map[string]string {
	t.Helper()
	list := func(args ...string) string {
		cmd := exec.CommandContext(t.Context(), "go", append([]string{"list", "-e"}, args...)...)
		cmd.Dir = root
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil && len(out) == 0 {
			t.Fatalf("go list %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
		}
		return string(out)
	}
	deps := strings.Fields(list("-deps", "-f", "{{if not .Module}}{{.ImportPath}}{{else if not .Module.Main}}{{.ImportPath}}{{end}}", "./..."))
	deps = append(deps, "context", "database/sql", "fmt", "strings") // the probe's imports
	out := map[string]string{}
	for _, line := range strings.Split(list(append([]string{"-export", "-f", "{{.ImportPath}}\t{{.Export}}"}, deps...)...), "\n") {
		if path, file, ok := strings.Cut(line, "\t"); ok && file != "" {
			out[path] = file
		}
	}
	if out["database/sql"] == "" {
		t.Fatal("go list -export gave no export data for database/sql")
	}
	return out
}

// Import makes the check a types.Importer: the module's packages are
// checked from source, once.
func (qc *queryCheck) Import(path string) (*types.Package, error) {
	if rel, ok := strings.CutPrefix(path, qc.module+"/"); ok {
		if p := qc.loadDir(rel); p != nil {
			return p, nil
		}
		return nil, fmt.Errorf("no Go files for %s", path)
	}
	return qc.gc.Import(path)
}

// loadDir checks the package in the folder rel of the module (nil if
// there is none).
func (qc *queryCheck) loadDir(rel string) *types.Package {
	path := qc.module
	if rel != "." && rel != "" {
		path += "/" + rel
	}
	if p, ok := qc.pkgs[path]; ok {
		return p
	}
	qc.pkgs[path] = nil // an import cycle finds nothing
	bp, err := build.Default.ImportDir(filepath.Join(qc.root, rel), 0)
	if err != nil {
		return nil
	}
	var files []*ast.File
	for _, name := range append(bp.GoFiles, bp.CgoFiles...) {
		f, err := parser.ParseFile(qc.fset, filepath.Join(bp.Dir, name), nil, 0)
		if err != nil {
			qc.t.Errorf("parse %s: %v", name, err)
			return nil
		}
		files = append(files, f)
	}
	p := qc.check(path, files)
	qc.pkgs[path] = p
	return p
}

func (qc *queryCheck) check(path string, files []*ast.File) *types.Package {
	conf := types.Config{Importer: qc, FakeImportC: true, Error: func(err error) { qc.typeErrs = append(qc.typeErrs, err) }}
	p, _ := conf.Check(path, qc.fset, files, qc.info)
	qc.files = append(qc.files, files...)
	return p
}

// valueFlow records where every variable, field and parameter of the
// checked code gets its values.
type valueFlow struct {
	info *types.Info
	// writes are the expressions assigned to a variable or a field; a nil
	// entry is a value the check cannot follow
	writes map[types.Object][]ast.Expr
	// ranged are the collections a range variable walks
	ranged map[types.Object][]ast.Expr
	// params are the parameters of declared functions, with the function
	params map[types.Object]paramOf
	// calls are the argument lists of each function's static calls
	calls map[types.Object][][]ast.Expr
	// escapes are functions used other than by a call
	escapes map[types.Object]bool
	seen    map[types.Object]bool
}

type paramOf struct {
	fn       types.Object
	index    int
	variadic bool
}

func (qc *queryCheck) flow() *valueFlow {
	vf := &valueFlow{info: qc.info, writes: map[types.Object][]ast.Expr{}, ranged: map[types.Object][]ast.Expr{},
		params: map[types.Object]paramOf{}, calls: map[types.Object][][]ast.Expr{}, escapes: map[types.Object]bool{},
		seen: map[types.Object]bool{}}
	called := map[*ast.Ident]bool{}
	for _, f := range qc.files {
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncDecl:
				vf.declare(n)
			case *ast.CallExpr:
				if id := calleeIdent(n.Fun); id != nil {
					called[id] = true
					if fn := vf.info.Uses[id]; fn != nil {
						vf.calls[fn] = append(vf.calls[fn], n.Args)
					}
				}
			case *ast.AssignStmt:
				for i, lhs := range n.Lhs {
					var rhs ast.Expr
					if len(n.Rhs) == len(n.Lhs) {
						rhs = n.Rhs[i]
					}
					vf.write(lhs, rhs)
				}
			case *ast.ValueSpec:
				for i, name := range n.Names {
					switch {
					case len(n.Values) == len(n.Names):
						vf.write(name, n.Values[i])
					case len(n.Values) > 0:
						vf.write(name, nil)
					}
				}
			case *ast.RangeStmt:
				if n.Value != nil {
					if obj := vf.object(n.Value); obj != nil {
						vf.ranged[obj] = append(vf.ranged[obj], n.X)
					}
				}
			case *ast.UnaryExpr:
				if n.Op == token.AND {
					vf.write(n.X, nil) // written through a pointer, perhaps
				}
			case *ast.CompositeLit:
				vf.literal(n)
			}
			return true
		})
	}
	for id, obj := range vf.info.Uses {
		if _, ok := obj.(*types.Func); ok && !called[id] {
			vf.escapes[obj] = true
		}
	}
	return vf
}

func calleeIdent(fun ast.Expr) *ast.Ident {
	switch f := ast.Unparen(fun).(type) {
	case *ast.Ident:
		return f
	case *ast.SelectorExpr:
		return f.Sel
	}
	return nil
}

// declare records the parameters of a function (not of a method: a
// method may be called through an interface, out of the check's sight).
func (vf *valueFlow) declare(fd *ast.FuncDecl) {
	fn := vf.info.Defs[fd.Name]
	if fn == nil || fd.Recv != nil {
		return
	}
	i := 0
	for _, field := range fd.Type.Params.List {
		_, variadic := field.Type.(*ast.Ellipsis)
		for _, name := range field.Names {
			if obj := vf.info.Defs[name]; obj != nil {
				vf.params[obj] = paramOf{fn: fn, index: i, variadic: variadic}
			}
			i++
		}
		if len(field.Names) == 0 {
			i++
		}
	}
}

// object is the variable or field an expression names.
func (vf *valueFlow) object(e ast.Expr) types.Object {
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		if obj := vf.info.Defs[e]; obj != nil {
			return obj
		}
		return vf.info.Uses[e]
	case *ast.SelectorExpr:
		if sel := vf.info.Selections[e]; sel != nil {
			if sel.Kind() == types.FieldVal {
				return sel.Obj()
			}
			return nil
		}
		return vf.info.Uses[e.Sel] // a package's variable
	}
	return nil
}

func (vf *valueFlow) write(lhs, rhs ast.Expr) {
	if obj := vf.object(lhs); obj != nil {
		vf.writes[obj] = append(vf.writes[obj], rhs)
	}
}

// literal records the fields a struct literal sets.
func (vf *valueFlow) literal(lit *ast.CompositeLit) {
	tv, ok := vf.info.Types[lit]
	if !ok {
		return
	}
	st, ok := tv.Type.Underlying().(*types.Struct)
	if !ok {
		return
	}
	for i, elt := range lit.Elts {
		if kv, ok := elt.(*ast.KeyValueExpr); ok {
			if key, ok := kv.Key.(*ast.Ident); ok {
				if obj := vf.info.Uses[key]; obj != nil {
					vf.writes[obj] = append(vf.writes[obj], kv.Value)
				}
			}
			continue
		}
		if i < st.NumFields() {
			vf.writes[st.Field(i)] = append(vf.writes[st.Field(i)], elt)
		}
	}
}

// constant reports whether only constants can reach e.
func (vf *valueFlow) constant(e ast.Expr) bool {
	if e == nil {
		return false
	}
	e = ast.Unparen(e)
	if tv, ok := vf.info.Types[e]; ok && tv.Value != nil {
		return true
	}
	if b, ok := e.(*ast.BinaryExpr); ok {
		return b.Op == token.ADD && vf.constant(b.X) && vf.constant(b.Y)
	}
	obj := vf.object(e)
	if obj == nil {
		return false
	}
	if vf.seen[obj] {
		return true // a cycle adds no new value
	}
	vf.seen[obj] = true
	defer delete(vf.seen, obj)
	if p, ok := vf.params[obj]; ok {
		// an exported function may be called from outside the module
		if vf.escapes[p.fn] || p.fn.Exported() || len(vf.calls[p.fn]) == 0 {
			return false
		}
		for _, args := range vf.calls[p.fn] {
			if p.index >= len(args) && !p.variadic {
				return false
			}
			for j := p.index; j < len(args) && (j == p.index || p.variadic); j++ {
				if !vf.constant(args[j]) {
					return false
				}
			}
		}
		return true
	}
	if _, ok := obj.(*types.Var); !ok {
		return false
	}
	if isParam(obj) {
		return false // of a method or a function literal
	}
	for _, w := range vf.writes[obj] {
		if !vf.constant(w) {
			return false
		}
	}
	for _, x := range vf.ranged[obj] {
		if !vf.elementsConstant(x) {
			return false
		}
	}
	return true
}

// isParam reports whether a variable is a parameter or a result of a
// signature (one the check does not follow).
func isParam(obj types.Object) bool {
	v, ok := obj.(*types.Var)
	return ok && v.Kind() == types.ParamVar || ok && v.Kind() == types.ResultVar || ok && v.Kind() == types.RecvVar
}

// elementsConstant reports whether only constants are elements of x.
func (vf *valueFlow) elementsConstant(x ast.Expr) bool {
	switch x := ast.Unparen(x).(type) {
	case *ast.CompositeLit:
		for _, elt := range x.Elts {
			if kv, ok := elt.(*ast.KeyValueExpr); ok {
				elt = kv.Value
			}
			if _, isLit := elt.(*ast.CompositeLit); isLit {
				continue // a struct: its fields are followed on their own
			}
			if !vf.constant(elt) {
				return false
			}
		}
		return true
	case *ast.Ident, *ast.SelectorExpr:
		obj := vf.object(x)
		if obj == nil || isParam(obj) {
			return false
		}
		for _, w := range vf.writes[obj] {
			if w == nil || !vf.elementsConstant(w) {
				return false
			}
		}
		return true
	}
	return false
}

// findings lists, as "file:line: call", every database/sql call whose
// query the check cannot prove constant, and then those it proved by
// following the values of variables, fields and parameters.
func (qc *queryCheck) findings() (out, followed []string) {
	vf := qc.flow()
	for _, f := range qc.files {
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
			if !ok {
				return true
			}
			idx, ok := queryArg[sel.Sel.Name]
			if !ok || len(call.Args) <= idx {
				return true
			}
			where := qc.position(call)
			s := qc.info.Selections[sel]
			if s == nil {
				if tv, ok := qc.info.Types[sel.X]; !ok || tv.Type == nil || tv.Type == types.Typ[types.Invalid] {
					out = append(out, where+": "+types.ExprString(call.Fun)+": the type of the receiver is unknown (does the package compile?)")
				}
				return true
			}
			if !sqlQueryMethod(s.Obj()) {
				return true
			}
			qc.calls++
			q := call.Args[idx]
			switch tv := qc.info.Types[q]; {
			case !vf.constant(q):
				out = append(out, fmt.Sprintf("%s: %s: the query %s is not a constant", where, types.ExprString(call.Fun), types.ExprString(q)))
			case tv.Value == nil:
				followed = append(followed, fmt.Sprintf("%s: %s(%s)", where, types.ExprString(call.Fun), types.ExprString(q)))
			}
			return true
		})
	}
	return out, followed
}

// sqlQueryMethod reports whether fn is a method of sql.DB, sql.Tx or
// sql.Conn that takes a query (sql.Stmt's take only arguments).
func sqlQueryMethod(fn types.Object) bool {
	f, ok := fn.(*types.Func)
	if !ok || f.Pkg() == nil || f.Pkg().Path() != "database/sql" {
		return false
	}
	recv := f.Type().(*types.Signature).Recv()
	if recv == nil {
		return false
	}
	t := recv.Type()
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	named, ok := t.(*types.Named)
	if !ok {
		return false
	}
	switch named.Obj().Name() {
	case "DB", "Tx", "Conn":
		return true
	}
	return false
}

func (qc *queryCheck) position(n ast.Node) string {
	pos := qc.fset.Position(n.Pos())
	name := pos.Filename
	if rel, err := filepath.Rel(qc.root, name); err == nil && !strings.HasPrefix(rel, "..") {
		name = filepath.ToSlash(rel)
	}
	return fmt.Sprintf("%s:%d", name, pos.Line)
}
