package loadtest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	_ "github.com/mattn/go-sqlite3" // VACUUM INTO for CopyDB
)

// Server is a conflictmap server process this tool launched.
type Server struct {
	// Base is the server's URL, http://127.0.0.1:PORT.
	Base string
	// PID is the server's process id, for its RSS.
	PID int

	cmd     *exec.Cmd
	done    chan struct{}
	waitErr error
	logPath string
}

// LaunchOptions says how to start `conflictmap serve`.
type LaunchOptions struct {
	Bin string // the conflictmap binary
	Dir string // working folder: the repository, where gazetteer/data is
	DB  string
	// Articles is the folder ingested on first run, when the store is
	// empty; "" ingests nothing.
	Articles string
	Token    string
	// Log receives the server's output (its JSON request log).
	Log string
	// Ready bounds the wait for /healthz.
	Ready time.Duration
}

// Launch starts a server on a free loopback port and waits until it
// answers /healthz.
func Launch(ctx context.Context, o LaunchOptions) (*Server, error) {
	addr, err := FreeAddr()
	if err != nil {
		return nil, err
	}
	logf, err := os.OpenFile(o.Log, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, fmt.Errorf("open server log: %w", err)
	}
	args := []string{"serve", "--addr", addr, "--db", o.DB, "--articles", o.Articles}
	if o.Token != "" {
		args = append(args, "--token", o.Token)
	}
	cmd := exec.Command(o.Bin, args...)
	cmd.Dir = o.Dir
	cmd.Stdout, cmd.Stderr = logf, logf
	// the server must not outlive this tool if it is killed
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
	if err := cmd.Start(); err != nil {
		logf.Close()
		return nil, fmt.Errorf("start %s: %w", o.Bin, err)
	}
	s := &Server{Base: "http://" + addr, PID: cmd.Process.Pid, cmd: cmd, done: make(chan struct{}), logPath: o.Log}
	go func() {
		s.waitErr = cmd.Wait()
		logf.Close()
		close(s.done)
	}()
	ready := o.Ready
	if ready <= 0 {
		ready = 2 * time.Minute
	}
	if err := s.waitHealthy(ctx, ready); err != nil {
		s.Stop()
		return nil, err
	}
	return s, nil
}

// waitHealthy polls /healthz until it answers 200, the process exits or
// the wait runs out.
func (s *Server) waitHealthy(ctx context.Context, wait time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	c := Client(ClientOptions{Timeout: 2 * time.Second, Conns: 1})
	defer c.CloseIdleConnections()
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-s.done:
			return fmt.Errorf("server exited before it was ready (%v): %s", s.waitErr, s.LogTail(400))
		case <-ctx.Done():
			return fmt.Errorf("server not ready after %v: %s", wait, s.LogTail(400))
		case <-tick.C:
		}
		resp, err := c.Get(s.Base + "/healthz")
		if err != nil {
			continue
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK {
			return nil
		}
	}
}

// Stop asks the server to shut down (SIGTERM: it lets requests in flight
// finish) and kills it if it has not within 25 seconds.
func (s *Server) Stop() error {
	select {
	case <-s.done:
		return nil
	default:
	}
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return fmt.Errorf("stop server %d: %w", s.PID, err)
	}
	select {
	case <-s.done:
		return nil
	case <-time.After(25 * time.Second):
	}
	s.cmd.Process.Kill()
	<-s.done
	return fmt.Errorf("server %d did not stop within 25s of SIGTERM: killed", s.PID)
}

// Exited reports whether the server process has ended.
func (s *Server) Exited() bool {
	select {
	case <-s.done:
		return true
	default:
		return false
	}
}

// LogTail returns the last n bytes of the server's log on one line.
func (s *Server) LogTail(n int) string {
	b, err := os.ReadFile(s.logPath)
	if err != nil {
		return "(no log: " + err.Error() + ")"
	}
	if len(b) > n {
		b = b[len(b)-n:]
	}
	return strings.ReplaceAll(strings.TrimSpace(string(b)), "\n", " | ")
}

// FreeAddr returns a loopback address with a port free at the time of the
// call.
func FreeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("find a free port: %w", err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr, nil
}

// BuildBinary builds ./cmd/conflictmap of the repository at repo into out.
func BuildBinary(ctx context.Context, repo, out string, log io.Writer) error {
	cmd := exec.CommandContext(ctx, "go", "build", "-o", out, "./cmd/conflictmap")
	cmd.Dir = repo
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("build conflictmap in %s: %w", repo, err)
	}
	return nil
}

// ImportGazetteer runs `conflictmap gazetteer import` into db, from the
// bundled data of the repository at repo (`make data` installs it).
func ImportGazetteer(ctx context.Context, bin, repo, db string, log io.Writer) error {
	if _, err := os.Stat(filepath.Join(repo, "gazetteer", "data", "node_modules")); err != nil {
		return fmt.Errorf("no bundled data in %s/gazetteer/data/node_modules: run 'make data' there, or pass --db", repo)
	}
	cmd := exec.CommandContext(ctx, bin, "gazetteer", "import", "--db", db)
	cmd.Dir = repo
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("import gazetteer into %s: %w", db, err)
	}
	return nil
}

// CopyDB writes a consistent copy of the SQLite database src to dst with
// VACUUM INTO, which reads src in one transaction: safe while a server
// is writing to src, and src is opened read-only, so it is never changed.
func CopyDB(ctx context.Context, src, dst string) error {
	if _, err := os.Stat(src); err != nil {
		return fmt.Errorf("copy database: %w", err)
	}
	db, err := sql.Open("sqlite3", "file:"+(&url.URL{Path: src}).EscapedPath()+"?mode=ro&_busy_timeout=10000")
	if err != nil {
		return fmt.Errorf("open %s: %w", src, err)
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, `VACUUM INTO ?`, dst); err != nil {
		return fmt.Errorf("copy %s to %s: %w", src, dst, err)
	}
	return nil
}
