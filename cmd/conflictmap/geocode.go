package main

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/conflictmap/conflictmap/gazetteer"
	"github.com/conflictmap/conflictmap/gazetteer/geoparse"
)

func runGeocode(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet("geocode", env.Stdout)
	country := fs.String("country", "", "ISO 3166-1 alpha-2 code of the country to favour, as an article's focus would")
	dbPath := fs.String("db", defaultDBPath(env), "SQLite database file holding the gazetteer")
	limit := fs.Int("limit", 10, "most candidates to print")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	name := strings.Join(fs.Args(), " ")
	if strings.TrimSpace(name) == "" {
		return fmt.Errorf("%w: geocode needs a NAME", errUsage)
	}
	cc := strings.ToUpper(*country)
	if cc != "" && len(cc) != 2 {
		return fmt.Errorf("%w: --country wants a two-letter ISO code, got %q", errUsage, *country)
	}
	parser, closeDB, err := openParser(ctx, env, *dbPath)
	if err != nil {
		return err
	}
	defer closeDB()
	ranked := parser.Rank(name, cc)
	if len(ranked) == 0 {
		return fmt.Errorf("no gazetteer entry is named %q (key %q)", name, gazetteer.Normalize(name))
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "RANK\tNAME\tCOUNTRY\tCODE\tKIND\tPOPULATION\tLAT\tLON\tGEONAMEID\tSCORE")
	for i, r := range ranked {
		if i >= *limit {
			break
		}
		p := r.Place
		gid := "-"
		if id := p.ID.GeonameID(); id > 0 {
			gid = fmt.Sprint(id)
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%d\t%.5f\t%.5f\t%s\t%.3f\n", i+1, p.Name, p.Country, p.FeatureCode, p.Kind, p.Population, p.Lat, p.Lon, gid, r.Score)
	}
	if len(ranked) > *limit {
		fmt.Fprintf(tw, "(%d more)\n", len(ranked)-*limit)
	}
	return tw.Flush()
}

var _ = geoparse.RoleLocation
