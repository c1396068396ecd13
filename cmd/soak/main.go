// Command soak puts a conflictmap server under a steady mixed load for a
// fixed time while a writer adds articles, and reports errors, latency
// percentiles per endpoint class, throughput and whether the server's
// memory stays flat.
//
// Usage:
//
//	go run ./cmd/soak [--duration 60s] [--clients 8] [--bin conflictmap] [--db DB] [--json out.json]
//	go run ./cmd/soak --base http://127.0.0.1:8080 --pid PID --token T
//
// It only talks to loopback addresses and always stops: after --warmup
// plus --duration, and in any case within five more minutes.
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/conflictmap/conflictmap/cmd/internal/loadtest"
)

// errFailed is a run that went through but did not pass: the report says
// why.
var errFailed = errors.New("soak failed")

func main() { loadtest.Main("soak", run) }

// serverRef is the server of a run: launched by the soak, or attached to.
type serverRef struct {
	base string
	pid  int // 0: unknown
	proc *loadtest.Server
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg, err := parseConfig(args, stdout)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, cfg.hardLimit())
	defer cancel()
	tmp, err := os.MkdirTemp("", "conflictmap-soak-")
	if err != nil {
		return fmt.Errorf("temporary folder: %w", err)
	}
	if cfg.keep {
		fmt.Fprintf(stderr, "soak: keeping %s\n", tmp)
	} else {
		defer os.RemoveAll(tmp)
	}
	machine := loadtest.ReadMachine()
	srv, err := startServer(ctx, &cfg, tmp, stderr)
	if err != nil {
		return err
	}
	if srv.proc != nil {
		defer func() {
			if err := srv.proc.Stop(); err != nil {
				fmt.Fprintf(stderr, "soak: %v\n", err)
			}
		}()
	}
	rep, err := soak(ctx, cfg, srv, stderr)
	if err != nil {
		return err
	}
	rep.Machine = machine
	rep.print(stdout)
	if cfg.jsonPath != "" {
		if err := loadtest.WriteJSON(cfg.jsonPath, rep); err != nil {
			return err
		}
	}
	if !rep.Pass {
		return errFailed
	}
	return nil
}

// startServer attaches to --base, or builds (or takes --bin), prepares a
// database and launches a server with a random write token.
func startServer(ctx context.Context, cfg *config, tmp string, stderr io.Writer) (serverRef, error) {
	if cfg.base != "" {
		return serverRef{base: cfg.base, pid: cfg.pid}, nil
	}
	repo, err := filepath.Abs(cfg.repo)
	if err != nil {
		return serverRef{}, err
	}
	bin := cfg.bin
	if bin == "" {
		bin = filepath.Join(tmp, "conflictmap")
		fmt.Fprintf(stderr, "soak: building conflictmap from %s\n", repo)
		if err := loadtest.BuildBinary(ctx, repo, bin, stderr); err != nil {
			return serverRef{}, err
		}
	}
	db := filepath.Join(tmp, "soak.db")
	if cfg.db != "" {
		fmt.Fprintf(stderr, "soak: copying %s\n", cfg.db)
		err = loadtest.CopyDB(ctx, cfg.db, db)
	} else {
		fmt.Fprintf(stderr, "soak: importing the gazetteer into %s\n", db)
		err = loadtest.ImportGazetteer(ctx, bin, repo, db, io.Discard)
	}
	if err != nil {
		return serverRef{}, err
	}
	cfg.token = randomToken()
	fmt.Fprintln(stderr, "soak: starting the server")
	p, err := loadtest.Launch(ctx, loadtest.LaunchOptions{Bin: bin, Dir: repo, DB: db, Token: cfg.token,
		Articles: filepath.Join(repo, "testdata", "articles"), Log: filepath.Join(tmp, "server.log")})
	if err != nil {
		return serverRef{}, err
	}
	return serverRef{base: p.Base, pid: p.PID, proc: p}, nil
}

func randomToken() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// rssOf reads the server's RSS, -1 when unknown.
func rssOf(pid int) int64 {
	if pid <= 0 {
		return -1
	}
	v, err := loadtest.RSS(pid)
	if err != nil {
		return -1
	}
	return v
}

// soak runs the warm-up and the measured run and returns the report.
func soak(ctx context.Context, cfg config, srv serverRef, stderr io.Writer) (*report, error) {
	client := loadtest.Client(loadtest.ClientOptions{Timeout: cfg.requestTimeout, Conns: cfg.clients + 1})
	defer client.CloseIdleConnections()
	area, err := loadtest.FetchArea(ctx, client, srv.base)
	if err != nil {
		return nil, err
	}
	rep := &report{Base: srv.base, PID: srv.pid, Launched: srv.proc != nil, DurationS: cfg.duration.Seconds(),
		WarmupS: cfg.warmup.Seconds(), Clients: cfg.clients, WriteEveryS: cfg.writeEvery.Seconds(), MaxGrowthPct: cfg.maxGrowth}
	rep.RSSBefore = rssOf(srv.pid)

	rec := &recorder{}
	warm, measured := newPhase(), newPhase()
	rec.start(warm)
	l := &loader{cfg: cfg, base: srv.base, client: client, rec: rec, area: area}
	var wg sync.WaitGroup
	for i := range cfg.clients {
		wg.Go(func() { l.reader(ctx, cfg.seed*1000+uint64(i)) })
	}
	var late atomic.Int64
	if cfg.writeEvery > 0 {
		gen := loadtest.NewGenerator(cfg.seed, area.From, area.To)
		wg.Go(func() { l.writer(ctx, gen, cfg.writeEvery, &late) })
	}
	start := time.Now()
	var phaseName atomic.Value
	phaseName.Store("warm-up")
	samplerDone, loadDone := make(chan struct{}), make(chan struct{})
	var samples []rssSample
	go func() {
		defer close(samplerDone)
		samples = sampleRSS(ctx, srv.pid, start, cfg.sampleEvery, &phaseName, loadDone)
	}()

	fmt.Fprintf(stderr, "soak: warm-up %v, %d readers\n", cfg.warmup, cfg.clients)
	stoppedEarly := !sleep(ctx, cfg.warmup)
	rep.RSSAfterWarmup = rssOf(srv.pid)
	rec.start(measured)
	phaseName.Store("run")
	runStart := time.Now()
	fmt.Fprintf(stderr, "soak: measuring for %v\n", cfg.duration)
	stoppedEarly = stoppedEarly || !sleep(ctx, cfg.duration)
	l.stop.Store(true)
	close(loadDone)
	wg.Wait()
	elapsed := time.Since(runStart)
	<-samplerDone
	rep.RSSAfter = rssOf(srv.pid)
	if rep.RSSAfter >= 0 {
		samples = append(samples, rssSample{AtS: time.Since(start).Seconds(), Phase: "end", RSS: rep.RSSAfter})
	}
	rep.Samples = samples
	rep.LatePosts = late.Load()
	rep.summarize(measured, warm, elapsed)
	rep.judge()
	if stoppedEarly {
		rep.Failures = append(rep.Failures, "stopped before the end: "+context.Cause(ctx).Error())
		rep.Pass = false
	}
	if srv.proc != nil && srv.proc.Exited() {
		rep.Failures = append(rep.Failures, "the server exited during the run: "+srv.proc.LogTail(300))
		rep.Pass = false
	}
	return rep, nil
}

// sleep waits for d; false when ctx ended first.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// sampleRSS reads the RSS at once and then every interval until done is
// closed.
func sampleRSS(ctx context.Context, pid int, start time.Time, every time.Duration, phase *atomic.Value, done <-chan struct{}) []rssSample {
	if pid <= 0 {
		return nil
	}
	var out []rssSample
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		if v := rssOf(pid); v >= 0 {
			out = append(out, rssSample{AtS: time.Since(start).Seconds(), Phase: phase.Load().(string), RSS: v})
		}
		select {
		case <-ctx.Done():
			return out
		case <-done:
			return out
		case <-tick.C:
		}
	}
}
