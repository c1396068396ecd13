package gazetteer

import (
	"context"
	"sort"
	"strings"
	"time"
)

// Candidate is one gazetteer entry a name may refer to.
type Candidate struct {
	Place *Place
	Flags int // FlagAbbrev, FlagDemonym... of the name that matched
}

// Index is the in-memory part of the gazetteer used to scan text: every
// name written in Latin script, the countries and the common English words.
// It is read-only after LoadIndex and safe for concurrent use.
//
// It is backed by an index snapshot (see snapshotVersion): the name and
// word tables are searched where they lie in the snapshot, and every
// string of places and countries points into it.
type Index struct {
	data       string  // the snapshot, kept whole and never changed
	places     []Place // in ascending ID order
	names      keyTable
	refs       string // names.refs: u32 place index, u32 flags
	ranks      [numRankTables]keyTable
	countries  map[string]*Country
	maxWords   int
	cellStart  []int32 // places of grid cell c: cellPlaces[cellStart[c]:cellStart[c+1]]
	cellPlaces []int32
	admin1     map[string]int32 // "LY.80" -> region
	// LoadTime is how long LoadIndex took.
	LoadTime time.Duration
}

// LoadIndex reads the gazetteer's index snapshot. When the store has none
// that this program can read (a database imported by an older version, or
// a damaged snapshot), it builds the index from the tables instead and
// stores its snapshot if the database is writable, so that only the first
// start after an upgrade is slow.
func LoadIndex(ctx context.Context, s *Store) (*Index, error) {
	start := time.Now()
	ix, err := s.loadSnapshot(ctx)
	if err != nil {
		return nil, err
	}
	if ix == nil {
		if ix, err = s.rebuildSnapshot(ctx); err != nil {
			return nil, err
		}
	}
	if len(ix.places) == 0 {
		return nil, ErrEmpty
	}
	ix.LoadTime = time.Since(start)
	return ix, nil
}

// Lookup returns the candidates for a normalised key (see Normalize).
func (ix *Index) Lookup(key string) []Candidate {
	first, n, ok := ix.names.find(key)
	if !ok || n == 0 {
		return nil
	}
	out := make([]Candidate, n)
	for i := range out {
		off := int(first+uint32(i)) * 8
		out[i] = Candidate{Place: &ix.places[u32(ix.refs, off)], Flags: int(u32(ix.refs, off+4))}
	}
	return out
}

// Has reports whether any name normalises to key.
func (ix *Index) Has(key string) bool {
	_, n, ok := ix.names.find(key)
	return ok && n > 0
}

// MaxWords is the largest number of words in any indexed name.
func (ix *Index) MaxWords() int { return ix.maxWords }

// Place returns the entry with id, or nil.
func (ix *Index) Place(id ID) *Place {
	i := sort.Search(len(ix.places), func(i int) bool { return ix.places[i].ID >= id })
	if i < len(ix.places) && ix.places[i].ID == id {
		return &ix.places[i]
	}
	return nil
}

// Country returns the country with ISO code cc, or nil.
func (ix *Index) Country(cc string) *Country { return ix.countries[cc] }

// CommonWordRank returns the frequency rank of a lower-case English word,
// or 0 when the word is not common.
func (ix *Index) CommonWordRank(word string) int { return ix.rank(rankCommonWords, word) }

// PersonName returns how common a word is as a given name and as a
// surname; the zero value when it is neither. The word may be in any case.
func (ix *Index) PersonName(word string) PersonNameRank {
	w := strings.ToLower(word)
	return PersonNameRank{Given: ix.rank(rankGivenNames, w), Surname: ix.rank(rankSurnames, w)}
}

// rank returns the rank of word in word table t, 0 when it is not there.
func (ix *Index) rank(t int, word string) int {
	r, _, _ := ix.ranks[t].find(word)
	return int(r)
}

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

// sumTownPopulations sets TownPopulation of every country and admin-1
// region from the populated places in it.
func (ix *Index) sumTownPopulations() {
	byCountry := map[string]int64{}
	byRegion := map[string]int64{}
	for i := range ix.places {
		p := &ix.places[i]
		if p.FeatureClass != "P" {
			continue
		}
		byCountry[p.Country] += p.Population
		byRegion[p.Country+"."+p.Admin1] += p.Population
	}
	for i := range ix.places {
		p := &ix.places[i]
		switch {
		case p.Kind == KindCountry:
			p.TownPopulation = byCountry[p.Country]
		case p.FeatureCode == "ADM1":
			p.TownPopulation = byRegion[p.Country+"."+p.Admin1]
		}
	}
}
