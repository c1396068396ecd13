package corpus

import (
	"math"
	"sort"
	"strings"

	"github.com/paulmach/orb/geojson"

	"github.com/conflictmap/conflictmap/gazetteer"
)

// AccKm is the distance within which a resolved toponym is right: 161 km,
// 100 miles, as the geoparsing literature uses.
const AccKm = 161.0

// noPointKm is the distance charged to a recognised place without a
// point: half the Earth's circumference.
const noPointKm = math.Pi * 6371.0088

// PRF is precision, recall and F1 of predicted spans.
type PRF struct {
	TP, Pred, Gold        int
	Precision, Recall, F1 float64
}

func newPRF(tp, pred, gold int) PRF {
	r := PRF{TP: tp, Pred: pred, Gold: gold}
	if pred > 0 {
		r.Precision = float64(tp) / float64(pred)
	}
	if gold > 0 {
		r.Recall = float64(tp) / float64(gold)
	}
	if r.Precision+r.Recall > 0 {
		r.F1 = 2 * r.Precision * r.Recall / (r.Precision + r.Recall)
	}
	return r
}

// Resolution is how far the recognised toponyms with gold coordinates were
// placed. The figures are 0 when N is.
type Resolution struct {
	N int
	// Acc161 is the share within AccKm, or right by the country credit;
	// Acc161Raw the share within AccKm.
	Acc161, Acc161Raw float64
	MedianKm, MeanKm  float64
	// Credits counts the pairs right only by the country credit; NoPoint
	// the recognised places without a point.
	Credits, NoPoint int
}

// resolved is one recognised gold toponym with coordinates.
type resolved struct {
	km                     float64
	right, credit, noPoint bool
}

func newResolution(rows []resolved) Resolution {
	r := Resolution{N: len(rows)}
	if len(rows) == 0 {
		return r
	}
	km := make([]float64, len(rows))
	var right, raw int
	for i, x := range rows {
		km[i] = x.km
		r.MeanKm += x.km
		if x.right {
			right++
		}
		if x.km <= AccKm {
			raw++
		}
		if x.credit {
			r.Credits++
		}
		if x.noPoint {
			r.NoPoint++
		}
	}
	n := float64(len(rows))
	r.Acc161, r.Acc161Raw, r.MeanKm = float64(right)/n, float64(raw)/n, r.MeanKm/n
	sort.Float64s(km)
	if m := len(km) / 2; len(km)%2 == 1 {
		r.MedianKm = km[m]
	} else {
		r.MedianKm = (km[m-1] + km[m]) / 2
	}
	return r
}

// resolve measures a recognised gold toponym against its prediction. A
// country is right when the system names the same country: gazetteers keep
// different representative points for large countries.
func resolve(g Toponym, p Prediction) resolved {
	r := resolved{km: noPointKm, noPoint: true}
	if p.HasPoint {
		r.km, r.noPoint = gazetteer.HaversineKm(*g.Lat, *g.Lon, p.Point.Lat(), p.Point.Lon()), false
	}
	credit := g.Country != "" && strings.ToUpper(strings.TrimSpace(p.Country)) == strings.ToUpper(g.Country)
	r.right = r.km <= AccKm || credit
	r.credit = credit && r.km > AccKm
	return r
}

// Match is recognition and resolution under one way of pairing spans.
type Match struct {
	PRF
	Resolution Resolution
}

// ToponymScores are score_toponyms.py's figures.
type ToponymScores struct {
	Articles, Counted, CountedWithPoint int
	// Missing lists the articles without output, scored as empty.
	Missing []string
	// Exact pairs spans with the same start and end; Overlap also pairs
	// overlapping spans, one to one, by largest overlap.
	Exact, Overlap Match
	// E2ERecall161 is the share of the counted gold toponyms with
	// coordinates that were found (overlap) and placed right.
	E2ERecall161 float64
	// FalsePosUncounted counts the false positives (overlap) that fall on
	// a gold annotation that does not count, such as a demonym.
	FalsePosUncounted int
}

// ToponymOptions change what is scored.
type ToponymOptions struct {
	// DropAssociated leaves out the mentions of features with role
	// "associated" (demonyms), as score_toponyms.py --no-associated.
	DropAssociated bool
}

// ScoreToponyms scores the features output for each article (by file
// name) against the gold, as score_toponyms.py does.
func ScoreToponyms(gold []ToponymArticle, outputs map[string][]*geojson.Feature, opt ToponymOptions) ToponymScores {
	s := ToponymScores{Articles: len(gold)}
	var tp, pred [2]int
	var rows [2][]resolved
	for _, art := range gold {
		fs, ok := outputs[art.File]
		if !ok {
			s.Missing = append(s.Missing, art.File)
		}
		preds := PlacePredictions(fs, opt.DropAssociated)
		var counted, others []Toponym
		for _, t := range art.Toponyms {
			if t.Counts {
				counted = append(counted, t)
			} else {
				others = append(others, t)
			}
		}
		s.Counted += len(counted)
		for mode, lenient := range []bool{false, true} {
			pairs := match(counted, preds, lenient)
			tp[mode] += len(pairs)
			pred[mode] += len(preds)
			for i, g := range counted {
				if lenient && g.HasPoint() {
					s.CountedWithPoint++
				}
				if j, ok := pairs[i]; ok && g.HasPoint() {
					rows[mode] = append(rows[mode], resolve(g, preds[j]))
				}
			}
			if lenient {
				s.FalsePosUncounted += onUncounted(preds, pairs, others)
			}
		}
	}
	s.Exact = Match{newPRF(tp[0], pred[0], s.Counted), newResolution(rows[0])}
	s.Overlap = Match{newPRF(tp[1], pred[1], s.Counted), newResolution(rows[1])}
	if s.CountedWithPoint > 0 {
		right := 0
		for _, r := range rows[1] {
			if r.right {
				right++
			}
		}
		s.E2ERecall161 = float64(right) / float64(s.CountedWithPoint)
	}
	return s
}

// onUncounted counts the unpaired predictions that overlap a gold
// annotation that does not count.
func onUncounted(preds []Prediction, pairs map[int]int, others []Toponym) int {
	paired := map[int]bool{}
	for _, j := range pairs {
		paired[j] = true
	}
	n := 0
	for j, p := range preds {
		if paired[j] {
			continue
		}
		for _, t := range others {
			if overlap(t, p) > 0 {
				n++
				break
			}
		}
	}
	return n
}

func overlap(g Toponym, p Prediction) int {
	return min(g.End, p.End) - max(g.Start, p.Start)
}

// match pairs gold toponyms with predictions one to one, {gold index:
// prediction index}: exact spans first, in gold order; then, when lenient,
// overlapping spans by largest overlap, ties by gold then prediction
// order.
func match(gold []Toponym, preds []Prediction, lenient bool) map[int]int {
	pairs := map[int]int{}
	used := map[int]bool{}
	type span struct{ start, end int }
	bySpan := map[span][]int{}
	for j, p := range preds {
		k := span{p.Start, p.End}
		bySpan[k] = append(bySpan[k], j)
	}
	for i, g := range gold {
		for _, j := range bySpan[span{g.Start, g.End}] {
			if !used[j] {
				pairs[i] = j
				used[j] = true
				break
			}
		}
	}
	if !lenient {
		return pairs
	}
	type cand struct{ ov, i, j int }
	var cands []cand
	for i, g := range gold {
		if _, ok := pairs[i]; ok {
			continue
		}
		for j, p := range preds {
			if ov := overlap(g, p); !used[j] && ov > 0 {
				cands = append(cands, cand{ov, i, j})
			}
		}
	}
	sort.Slice(cands, func(a, b int) bool {
		x, y := cands[a], cands[b]
		if x.ov != y.ov {
			return x.ov > y.ov
		}
		if x.i != y.i {
			return x.i < y.i
		}
		return x.j < y.j
	})
	for _, c := range cands {
		if _, ok := pairs[c.i]; !ok && !used[c.j] {
			pairs[c.i] = c.j
			used[c.j] = true
		}
	}
	return pairs
}
