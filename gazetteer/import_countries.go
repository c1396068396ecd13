package gazetteer

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"io"
	"strings"
	"unicode"
)

// worldCountry is the part of a world-countries record the gazetteer uses.
type worldCountry struct {
	Name struct {
		Common   string `json:"common"`
		Official string `json:"official"`
	} `json:"name"`
	CCA2         string               `json:"cca2"`
	CCN3         string               `json:"ccn3"`
	AltSpellings []string             `json:"altSpellings"`
	Capital      []string             `json:"capital"`
	LatLng       []float64            `json:"latlng"`
	Area         float64              `json:"area"`
	Demonyms     map[string]demonymMF `json:"demonyms"`
}

type demonymMF struct {
	F string `json:"f"`
	M string `json:"m"`
}

// importCountries reads the world-countries JSON array into countries,
// places and place_names.
func importCountries(ctx context.Context, tx *sql.Tx, r io.Reader) (int, error) {
	var list []worldCountry
	if err := json.NewDecoder(r).Decode(&list); err != nil {
		return 0, fmt.Errorf("decode countries: %w", err)
	}
	insPlace, err := tx.PrepareContext(ctx, `INSERT INTO places
		(id, name, lat, lon, feature_class, feature_code, country, population, kind, source, min_lon, min_lat, max_lon, max_lat)
		VALUES (?,?,?,?,'A','PCLI',?,0,'country','world-countries',?,?,?,?)
		ON CONFLICT(id) DO UPDATE SET name=excluded.name, lat=excluded.lat, lon=excluded.lon,
		min_lon=excluded.min_lon, min_lat=excluded.min_lat, max_lon=excluded.max_lon, max_lat=excluded.max_lat`)
	if err != nil {
		return 0, fmt.Errorf("prepare country place: %w", err)
	}
	defer insPlace.Close()
	insCountry, err := tx.PrepareContext(ctx, `INSERT INTO countries(code, place_id, name, official, capital, ccn3)
		VALUES (?,?,?,?,?,?) ON CONFLICT(code) DO UPDATE SET place_id=excluded.place_id, name=excluded.name,
		official=excluded.official, capital=excluded.capital, ccn3=excluded.ccn3`)
	if err != nil {
		return 0, fmt.Errorf("prepare country: %w", err)
	}
	defer insCountry.Close()
	names, err := newNameWriter(ctx, tx)
	if err != nil {
		return 0, err
	}
	defer names.Close()

	n := 0
	for _, c := range list {
		if len(c.CCA2) != 2 || c.Name.Common == "" || len(c.LatLng) != 2 {
			continue
		}
		id := CountryID(c.CCA2)
		ext := approxExtent(c.LatLng[0], c.LatLng[1], c.Area)
		if _, err := insPlace.ExecContext(ctx, id, c.Name.Common, c.LatLng[0], c.LatLng[1], c.CCA2,
			ext[0], ext[1], ext[2], ext[3]); err != nil {
			return n, fmt.Errorf("country %s: %w", c.CCA2, err)
		}
		capital := ""
		if len(c.Capital) > 0 {
			capital = c.Capital[0]
		}
		if _, err := insCountry.ExecContext(ctx, c.CCA2, id, c.Name.Common, c.Name.Official, capital, c.CCN3); err != nil {
			return n, fmt.Errorf("country %s: %w", c.CCA2, err)
		}
		if err := names.Replace(id, c.Name.Common, FlagPreferred); err != nil {
			return n, err
		}
		if err := names.Add(id, c.Name.Official, 0); err != nil {
			return n, err
		}
		for _, alt := range c.AltSpellings {
			if err := addCountryName(names, id, alt); err != nil {
				return n, err
			}
		}
		if d, ok := c.Demonyms["eng"]; ok {
			for _, dem := range []string{d.M, d.F} {
				if dem == "" {
					continue
				}
				if err := names.Add(id, dem, FlagDemonym); err != nil {
					return n, err
				}
				if err := names.Add(id, dem+"s", FlagDemonym); err != nil {
					return n, err
				}
			}
		}
		n++
	}
	if err := linkCapitals(ctx, tx); err != nil {
		return n, err
	}
	return n, nil
}

// addCountryName stores an alternate spelling. Short all-capital forms are
// abbreviations (UAE, UK, US), also stored dotted (U.S.).
func addCountryName(names *nameWriter, id ID, alt string) error {
	if isAbbrev(alt) {
		if err := names.Add(id, alt, FlagAbbrev); err != nil {
			return err
		}
		dotted := strings.Join(strings.Split(alt, ""), ".") + "."
		return names.Add(id, dotted, FlagAbbrev)
	}
	// "Republic of Turkey" is also "Turkey", "Great Britain" also "Britain"
	for _, prefix := range []string{"Republic of ", "Kingdom of ", "State of ", "Great "} {
		if rest, ok := strings.CutPrefix(alt, prefix); ok && strings.Count(rest, " ") < 2 {
			if err := names.Add(id, rest, 0); err != nil {
				return err
			}
		}
	}
	return names.Add(id, alt, 0)
}

func isAbbrev(s string) bool {
	if len(s) < 2 || len(s) > 4 {
		return false
	}
	for _, r := range s {
		if !unicode.IsUpper(r) {
			return false
		}
	}
	return true
}

// linkCapitals points every country at its capital city: the GeoNames PPLC
// of that country, or failing that the largest place with the capital's name.
func linkCapitals(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, `UPDATE countries SET capital_id = COALESCE(
		(SELECT p.id FROM places p WHERE p.country = countries.code AND p.feature_code = 'PPLC'
			ORDER BY p.population DESC LIMIT 1),
		(SELECT p.id FROM places p JOIN place_names n ON n.place_id = p.id
			WHERE p.country = countries.code AND p.feature_class = 'P' AND n.key = lower(countries.capital)
			ORDER BY p.population DESC LIMIT 1),
		0)`)
	if err != nil {
		return fmt.Errorf("link capitals: %w", err)
	}
	return nil
}

// approxExtent guesses a country's box from its centre and area when no
// polygon is at hand: a square of the same area around the centre.
func approxExtent(lat, lon, areaKm2 float64) BBox {
	if areaKm2 <= 0 {
		return BBox{}
	}
	halfKm := 0.5 * sqrt(areaKm2)
	dLat := halfKm / 111.32
	dLon := dLat / maxf(0.1, cosDeg(lat))
	return BBox{clampLon(lon - dLon), clampLat(lat - dLat), clampLon(lon + dLon), clampLat(lat + dLat)}
}

// regionID gives an admin-1 region a stable synthetic ID from its code.
func regionID(code string) ID {
	h := fnv.New32a()
	h.Write([]byte(code))
	return -ID(10_000_000_000 + int64(h.Sum32()))
}
