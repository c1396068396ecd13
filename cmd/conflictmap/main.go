// Command conflictmap reads news articles about armed conflict and turns
// them into a map: places, relative locations and events.
//
// Usage:
//
//	conflictmap <command> [flags] [args]
//
// Run `conflictmap help` for the list of commands.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// command is one subcommand: it parses its own flags from args.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, env *Env, args []string) error
}

// Env is what a command may touch of the outside world; tests swap it.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getenv         func(string) string
	// Terminal says whether Stderr is an interactive terminal (for
	// progress bars).
	Terminal bool
}

// errUsage marks a command-line mistake: exit code 2.
var errUsage = errors.New("usage")

func commands() []command {
	return []command{
		{"serve", "serve the map: OGC API - Features, GeoJSON and the article API", runServe},
		{"extract", "find places, relative locations and events in articles; print GeoJSON", runExtract},
		{"ingest", "store articles, their places and events in the database; fuse the events", runIngest},
		{"events", "print the fused events as GeoJSON or ACLED-style CSV", runEvents},
		{"render", "draw a static map image (PNG) with legend, scale bar and date", runRender},
		{"export", "write the map's data: MBTiles vector tiles, GeoJSON, ACLED CSV or PNG", runExport},
		{"geocode", "list the ranked gazetteer candidates for a name", runGeocode},
		{"gazetteer", "manage the gazetteer: import, fixture, stats", runGazetteer},
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	env := &Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv, Terminal: isTerminal(os.Stderr)}
	code := Main(ctx, env, os.Args[1:])
	stop()
	os.Exit(code)
}

// Main runs one command line and returns the process exit code. Errors are
// printed as a single line on stderr.
func Main(ctx context.Context, env *Env, args []string) int {
	err := dispatch(ctx, env, args)
	switch {
	case err == nil:
		return 0
	case errors.Is(err, errHelp):
		return 0
	case errors.Is(err, errUsage):
		fmt.Fprintf(env.Stderr, "conflictmap: %v\n", oneLine(err))
		return 2
	default:
		fmt.Fprintf(env.Stderr, "conflictmap: %v\n", oneLine(err))
		return 1
	}
}

var errHelp = errors.New("help requested")

func dispatch(ctx context.Context, env *Env, args []string) error {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		printHelp(env.Stdout)
		if len(args) == 0 {
			return fmt.Errorf("%w: no command given", errUsage)
		}
		return errHelp
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(ctx, env, args[1:])
		}
	}
	return fmt.Errorf("%w: unknown command %q (try 'conflictmap help')", errUsage, args[0])
}

func printHelp(w io.Writer) {
	fmt.Fprintln(w, "conflictmap turns news articles about armed conflict into a map.")
	fmt.Fprintln(w, "\nUsage: conflictmap <command> [flags] [args]\n\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun 'conflictmap <command> -h' for a command's flags.")
}

// oneLine keeps an error message on a single line.
func oneLine(err error) string {
	b := []byte(err.Error())
	for i, c := range b {
		if c == '\n' || c == '\r' {
			b[i] = ' '
		}
	}
	return string(b)
}

func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
