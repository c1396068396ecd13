package gazetteer

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// Admin1Abbreviation lists the short forms of one admin-1 region that
// news writes after a place name: AP style ("Springfield, Ill.", "Carthage,
// N.C.") and postal codes ("Madison, WI").
type Admin1Abbreviation struct {
	Country       string   `json:"country"`
	Admin1        string   `json:"admin1"` // GeoNames admin-1 code
	Abbreviations []string `json:"abbreviations"`
	Postal        string   `json:"postal"`
}

// importAbbreviations adds the short forms of admin-1 regions as names
// flagged FlagQualifier: the parser reads them only where they qualify a
// place, or, for dotted forms, where they stand with their dot.
func importAbbreviations(ctx context.Context, tx *sql.Tx, r io.Reader) (int, error) {
	var list []Admin1Abbreviation
	if err := json.NewDecoder(r).Decode(&list); err != nil {
		return 0, fmt.Errorf("decode abbreviations: %w", err)
	}
	names, err := newNameWriter(ctx, tx)
	if err != nil {
		return 0, err
	}
	defer names.Close()
	exists, err := tx.PrepareContext(ctx, `SELECT 1 FROM places WHERE id = ?`)
	if err != nil {
		return 0, fmt.Errorf("prepare region check: %w", err)
	}
	defer exists.Close()
	n := 0
	for _, a := range list {
		if len(a.Country) != 2 || a.Admin1 == "" {
			return n, fmt.Errorf("abbreviations: entry %+v needs country and admin1", a)
		}
		id := regionID(strings.ToUpper(a.Country) + "." + a.Admin1)
		var one int
		if err := exists.QueryRowContext(ctx, id).Scan(&one); err == sql.ErrNoRows {
			continue // the region is not in this gazetteer (a small extract)
		} else if err != nil {
			return n, fmt.Errorf("abbreviations %s.%s: %w", a.Country, a.Admin1, err)
		}
		forms := append([]string(nil), a.Abbreviations...)
		if a.Postal != "" {
			forms = append(forms, a.Postal)
		}
		for _, f := range forms {
			if err := names.Add(id, f, FlagQualifier); err != nil {
				return n, err
			}
			n++
		}
	}
	return n, nil
}
