package events_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/conflictmap/conflictmap/gazetteer/gazettest"
	"github.com/conflictmap/conflictmap/gazetteer/geoparse"
	"github.com/conflictmap/conflictmap/geo/article"
	"github.com/conflictmap/conflictmap/geo/events"
)

// TestControlClaims: each kind of text that reveals control, in our own
// words, yields its (place, actor, date, kind) claim.
func TestControlClaims(t *testing.T) {
	const gna, lna = "Government of National Accord", "Libyan National Army"
	tests := []struct {
		name, text string
		want       []string // "place|actor|date|kind|disputed"
		notPlace   string   // a place that must not be claimed
	}{
		{
			"statement: an actor in a city",
			"date 2019-04-06\n\nDiplomats met officials of the UN-backed government in Tripoli on Saturday.",
			[]string{"Tripoli|" + gna + "|2019-04-06|statement|false"}, "",
		},
		{
			"statement: based in, far from its actor",
			"date 2019-04-06\n\nThe Libyan National Army of Khalifa Hifter answers to a rival administration based in the eastern city of Tobruk.",
			[]string{"Tobruk|" + lna + "|2019-04-06|statement|false"}, "",
		},
		{
			"capture, dated by the weekday",
			"date 2019-04-06\n\nForces of the Libyan National Army captured Gharyan on Thursday after brief fighting.",
			[]string{"Gharyan|" + lna + "|2019-04-04|capture|false"}, "",
		},
		{
			"a capture the sources doubt is kept, marked disputed",
			"date 2019-04-06\n\nThe Libyan National Army said it had seized Gharyan on Thursday, a claim that could not be independently confirmed.",
			[]string{"Gharyan|" + lna + "|2019-04-04|capture|true"}, "",
		},
		{
			"alignment: a town's fighters join a side",
			"date 2019-04-06\n\nArmed groups from Zintan and Misrata joined the pro-government forces on Friday to defend the capital.",
			[]string{"Zintan|" + gna + "|2019-04-05|alignment|false", "Mişrātah|" + gna + "|2019-04-05|alignment|false"}, "",
		},
		{
			"a city merely named beside an actor is no claim",
			"date 2019-04-06\n\nThe Libyan National Army denied reports from Misrata about its losses.",
			nil, "Misrata",
		},
	}
	p, err := geoparse.New(gazettest.Index(t))
	if err != nil {
		t.Fatal(err)
	}
	x := events.NewExtractor(events.DefaultActors(), p.Index())
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := article.Parse([]byte(tt.text), "t.txt")
			if err != nil {
				t.Fatal(err)
			}
			res := p.Parse(a.Text)
			var got []string
			for _, c := range x.ControlClaims(a, res, x.Extract(a, res)) {
				if c.Place == tt.notPlace {
					t.Errorf("claim on %s: %+v", c.Place, c)
				}
				if c.Text == "" || c.PlaceID == 0 || c.Country != "LY" {
					t.Errorf("claim without its text, place id or country: %+v", c)
				}
				got = append(got, fmt.Sprintf("%s|%s|%s|%s|%t", c.Place, c.Actor, c.Date, c.Kind, c.Disputed))
			}
			for _, w := range tt.want {
				if !slices.Contains(got, w) {
					t.Errorf("missing claim %s; got %q", w, got)
				}
			}
		})
	}
}
