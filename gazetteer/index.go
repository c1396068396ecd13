package gazetteer

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Candidate is one gazetteer entry a name may refer to.
type Candidate struct {
	Place *Place
	Flags int // FlagAbbrev, FlagDemonym... of the name that matched
}

// nameRef points from a key to an entry of Index.places.
type nameRef struct {
	place int32
	flags uint8
}

// Index is the in-memory part of the gazetteer used to scan text: every
// name written in Latin script, the countries and the common English words.
// It is read-only after LoadIndex and safe for concurrent use.
type Index struct {
	places     []Place
	byID       map[ID]int32
	byKey      map[string][]nameRef
	countries  map[string]*Country
	common     map[string]int
	maxWords   int
	cellStart  []int32 // places of grid cell c: cellPlaces[cellStart[c]:cellStart[c+1]]
	cellPlaces []int32
	admin1     map[string]int32 // "LY.80" -> region
	// LoadTime is how long LoadIndex took.
	LoadTime time.Duration
}

// LoadIndex reads the store into memory.
func LoadIndex(ctx context.Context, s *Store) (*Index, error) {
	start := time.Now()
	ix := &Index{byID: map[ID]int32{}, byKey: map[string][]nameRef{}, countries: map[string]*Country{}, common: map[string]int{}}
	if err := ix.loadPlaces(ctx, s); err != nil {
		return nil, err
	}
	if err := ix.loadNames(ctx, s); err != nil {
		return nil, err
	}
	if err := ix.loadCountries(ctx, s); err != nil {
		return nil, err
	}
	if err := ix.loadCommonWords(ctx, s); err != nil {
		return nil, err
	}
	if len(ix.places) == 0 {
		return nil, ErrEmpty
	}
	ix.buildGrid()
	ix.admin1 = map[string]int32{}
	for i := range ix.places {
		if p := &ix.places[i]; p.FeatureCode == "ADM1" {
			ix.admin1[p.Country+"."+p.Admin1] = int32(i)
		}
	}
	ix.LoadTime = time.Since(start)
	return ix, nil
}

func (ix *Index) loadPlaces(ctx context.Context, s *Store) error {
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM places`).Scan(&n); err != nil {
		return fmt.Errorf("count places: %w", err)
	}
	ix.places = make([]Place, 0, n)
	rows, err := s.db.QueryContext(ctx, `SELECT `+placeColumns+` FROM places`)
	if err != nil {
		return fmt.Errorf("load places: %w", err)
	}
	defer rows.Close()
	codes := map[string]string{} // intern feature codes and admin codes
	intern := func(s string) string {
		if v, ok := codes[s]; ok {
			return v
		}
		codes[s] = s
		return s
	}
	for rows.Next() {
		p, err := scanPlace(rows)
		if err != nil {
			return fmt.Errorf("load places: %w", err)
		}
		p.FeatureClass, p.FeatureCode, p.Country, p.Admin1 = intern(p.FeatureClass), intern(p.FeatureCode), intern(p.Country), intern(p.Admin1)
		ix.byID[p.ID] = int32(len(ix.places))
		ix.places = append(ix.places, p)
	}
	return rows.Err()
}

func (ix *Index) loadNames(ctx context.Context, s *Store) error {
	rows, err := s.db.QueryContext(ctx, `SELECT key, place_id, flags FROM place_names`)
	if err != nil {
		return fmt.Errorf("load names: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var key string
		var id ID
		var flags int
		if err := rows.Scan(&key, &id, &flags); err != nil {
			return fmt.Errorf("load names: %w", err)
		}
		if flags&FlagCode != 0 || !IsLatinKey(key) {
			continue
		}
		i, ok := ix.byID[id]
		if !ok {
			continue
		}
		ix.byKey[key] = append(ix.byKey[key], nameRef{place: i, flags: uint8(flags)})
		if w := strings.Count(key, " ") + 1; w > ix.maxWords {
			ix.maxWords = w
		}
	}
	return rows.Err()
}

func (ix *Index) loadCountries(ctx context.Context, s *Store) error {
	rows, err := s.db.QueryContext(ctx, `SELECT code, name, official, capital, capital_id FROM countries`)
	if err != nil {
		return fmt.Errorf("load countries: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		c := &Country{}
		if err := rows.Scan(&c.Code, &c.Name, &c.Official, &c.Capital, &c.CapitalID); err != nil {
			return fmt.Errorf("load countries: %w", err)
		}
		if i, ok := ix.byID[CountryID(c.Code)]; ok {
			c.Lat, c.Lon = ix.places[i].Lat, ix.places[i].Lon
		}
		ix.countries[c.Code] = c
	}
	return rows.Err()
}

func (ix *Index) loadCommonWords(ctx context.Context, s *Store) error {
	rows, err := s.db.QueryContext(ctx, `SELECT word, rank FROM common_words`)
	if err != nil {
		return fmt.Errorf("load common words: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var w string
		var r int
		if err := rows.Scan(&w, &r); err != nil {
			return fmt.Errorf("load common words: %w", err)
		}
		ix.common[w] = r
	}
	return rows.Err()
}

// Lookup returns the candidates for a normalised key (see Normalize).
func (ix *Index) Lookup(key string) []Candidate {
	refs := ix.byKey[key]
	if len(refs) == 0 {
		return nil
	}
	out := make([]Candidate, len(refs))
	for i, r := range refs {
		out[i] = Candidate{Place: &ix.places[r.place], Flags: int(r.flags)}
	}
	return out
}

// Has reports whether any name normalises to key.
func (ix *Index) Has(key string) bool { _, ok := ix.byKey[key]; return ok }

// MaxWords is the largest number of words in any indexed name.
func (ix *Index) MaxWords() int { return ix.maxWords }

// Place returns the entry with id, or nil.
func (ix *Index) Place(id ID) *Place {
	if i, ok := ix.byID[id]; ok {
		return &ix.places[i]
	}
	return nil
}

// Country returns the country with ISO code cc, or nil.
func (ix *Index) Country(cc string) *Country { return ix.countries[cc] }

// CommonWordRank returns the frequency rank of a lower-case English word,
// or 0 when the word is not common.
func (ix *Index) CommonWordRank(word string) int { return ix.common[word] }

// Len is the number of places in the index.
func (ix *Index) Len() int { return len(ix.places) }

// Places calls fn for every place until fn returns false.
func (ix *Index) Places(fn func(*Place) bool) {
	for i := range ix.places {
		if !fn(&ix.places[i]) {
			return
		}
	}
}

// RegionOf returns the admin-1 region with GeoNames code admin1 in country
// cc, or nil.
func (ix *Index) RegionOf(cc, admin1 string) *Place {
	if i, ok := ix.admin1[cc+"."+admin1]; ok {
		return &ix.places[i]
	}
	return nil
}
