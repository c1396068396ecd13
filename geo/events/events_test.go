package events

import (
	"strings"
	"testing"
	"time"
)

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestResolveDates(t *testing.T) {
	friday := day("2019-04-05")
	tests := []struct {
		name, sentence string
		want           string
		precision      int
		background     bool
	}{
		{"weekday before the article", "On Thursday, forces captured the town.", "2019-04-04", PrecisionDay, false},
		{"weekday of the article itself", "Clashes broke out Friday south of the capital.", "2019-04-05", PrecisionDay, false},
		{"last weekday a week back", "Fighting began last Friday.", "2019-03-29", PrecisionDay, false},
		{"yesterday", "A drone struck the base yesterday.", "2019-04-04", PrecisionDay, false},
		{"explicit date", "The town fell on April 2.", "2019-04-02", PrecisionDay, false},
		{"explicit date day first", "The town fell on 2 April 2019.", "2019-04-02", PrecisionDay, false},
		{"date later in the year is last year's", "The siege began on December 30.", "2018-12-30", PrecisionDay, false},
		{"days ago", "The attack happened three days ago.", "2019-04-02", PrecisionDay, false},
		{"days after a weekday", "Talks resumed two days after Monday.", "2019-04-03", PrecisionDay, false},
		{"last week", "Shelling hit the port last week.", "2019-03-29", PrecisionWeek, false},
		{"no date", "Forces clashed near the airport.", "2019-04-05", PrecisionWeek, false},
		{"vague past is background", "In recent months, the army has swept across the south.", "2019-04-05", PrecisionMonth, true},
		{"older year is background", "Since the 2011 overthrow of Gaddafi, militias have multiplied.", "2011-01-01", PrecisionMonth, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := Resolve(tt.sentence, friday, 0)
			if got := w.Date.Format("2006-01-02"); got != tt.want || w.Precision != tt.precision || w.Background != tt.background {
				t.Errorf("got %s precision %d background %v, want %s %d %v", got, w.Precision, w.Background, tt.want, tt.precision, tt.background)
			}
		})
	}
}

func TestResolvePicksTheDateNearestTheTrigger(t *testing.T) {
	s := "After talks on Monday, the army captured the town on Thursday."
	w := Resolve(s, day("2019-04-05"), strings.Index(s, "captured"))
	if got := w.Date.Format("2006-01-02"); got != "2019-04-04" {
		t.Errorf("date = %s, want the Thursday 2019-04-04", got)
	}
}

func TestCasualties(t *testing.T) {
	tests := []struct {
		sentence        string
		killed, wounded int // -1: none
	}{
		{"At least 21 people had been killed and 27 wounded, a spokesman said.", 21, 27},
		{"The strike killed 5 civilians and wounded 12 others.", 5, 12},
		{"Dozens of fighters were killed.", 12, -1},
		{"Two soldiers died and three were injured.", 2, 3},
		{"The death toll rose to 40.", 40, -1},
		{"Shelling hit the port, killing three and injuring 8.", 3, 8},
		{"Nobody was hurt.", -1, -1},
		{"The UN called for a two-hour truce so that the wounded could be evacuated.", -1, -1},
		{"Forces advanced on Tripoli.", -1, -1},
	}
	for _, tt := range tests {
		t.Run(tt.sentence, func(t *testing.T) {
			c := countCasualties(tt.sentence)
			if got := deref(c.Killed); got != tt.killed {
				t.Errorf("killed = %d, want %d", got, tt.killed)
			}
			if got := deref(c.Wounded); got != tt.wounded {
				t.Errorf("wounded = %d, want %d", got, tt.wounded)
			}
		})
	}
}

func deref(p *int) int {
	if p == nil {
		return -1
	}
	return *p
}

func TestTaxonomy(t *testing.T) {
	tests := []struct {
		sentence, eventType, subType string
	}{
		{"Forces overran and captured the town.", Battles, SubOvertakes},
		{"Government troops retook the airport.", Battles, SubRegains},
		{"Rival militias clashed overnight.", Battles, "Armed clash"},
		{"Warplanes carried out their first strike.", Explosions, "Air/drone strike"},
		{"Rockets fell on the port.", Explosions, "Shelling/artillery/missile attack"},
		{"A roadside bomb hit a patrol.", Explosions, "Remote explosive/landmine/IED"},
		{"A suicide bomber struck a checkpoint.", Explosions, "Suicide bomb"},
		{"Gunmen kidnapped two aid workers.", Violence, "Abduction/forced disappearance"},
		{"Thousands protested in the square.", Protests, "Peaceful protest"},
		{"Police fired tear gas at the crowd.", Protests, "Protest with intervention"},
		{"Police arrested the mayor.", Strategic, "Arrests"},
		{"The two sides signed a ceasefire agreement.", Strategic, "Agreement"},
		{"American forces have been evacuated.", Strategic, "Other"},
		{"The UN chief met with the commander.", Strategic, "Other"},
		{"A mob lynched two suspected thieves.", Riots, "Mob violence"},
		{"Militias from Misrata joined forces with pro-government fighters.", Strategic, "Change to group/activity"},
		{"The two brigades merged into a single force.", Strategic, "Change to group/activity"},
	}
	for _, tt := range tests {
		t.Run(tt.sentence, func(t *testing.T) {
			ru, _, ok := match(tt.sentence)
			if !ok || ru.eventType != tt.eventType || ru.subType != tt.subType {
				t.Errorf("got %q/%q (%v), want %q/%q", ru.eventType, ru.subType, ok, tt.eventType, tt.subType)
			}
		})
	}
}

func TestNoEventInWishesAndQuotes(t *testing.T) {
	for _, s := range []string{
		"The UN is committed to supporting the Libyan people.",
		"It is unclear whether the injured could be evacuated.",
		"He hopes to avoid a bloody confrontation.",
		"The offensive will continue until terrorism is defeated.",
		"The UN called for all parties to stop the fighting.",
	} {
		t.Run(s, func(t *testing.T) {
			if ru, _, ok := match(s); ok {
				t.Errorf("event %q/%q found in %q", ru.eventType, ru.subType, s)
			}
		})
	}
}

func TestSplit(t *testing.T) {
	text := "Gen. Khalifa Hifter met the U.N. chief. Fighting resumed!\n\nRead more\nTripoli fell? No."
	got := Split(text)
	want := []struct {
		text      string
		reporting bool
	}{
		{"Gen. Khalifa Hifter met the U.N. chief.", true},
		{"Fighting resumed!", true},
		{"Read more", false},
		{"Tripoli fell?", true},
		{"No.", true},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d sentences %+v, want %d", len(got), got, len(want))
	}
	for i, w := range want {
		if got[i].Text != w.text || got[i].Reporting != w.reporting || text[got[i].Start:got[i].End] != got[i].Text {
			t.Errorf("sentence %d = %+v, want %q reporting=%v", i, got[i], w.text, w.reporting)
		}
	}
}

func TestActors(t *testing.T) {
	a := DefaultActors()
	tests := []struct {
		sentence string
		want     []string
	}{
		{"Fighters loyal to Hifter clashed with pro-government forces.", []string{"Libyan National Army", "Government of National Accord"}},
		{"Haftar's forces pushed toward the capital.", []string{"Libyan National Army"}},
		{"Forces of an eastern commander clashed with militias who support the U.N.-installed and Western-backed government.", []string{"Libyan National Army", "Government of National Accord"}},
		{"The United Nations chief met with Haftar.", []string{"United Nations", "Libyan National Army"}},
		{"Nothing here.", nil},
	}
	for _, tt := range tests {
		t.Run(tt.sentence, func(t *testing.T) {
			var got []string
			for _, h := range a.find(tt.sentence) {
				got = append(got, h.name)
			}
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("actors = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestParseActorsRejectsBadFiles(t *testing.T) {
	for name, in := range map[string]string{
		"not json":      "nope",
		"unknown field": `{"actors":[{"name":"X","colour":"red"}]}`,
		"nameless":      `{"actors":[{"aliases":["x"]}]}`,
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := ParseActors(strings.NewReader(in)); err == nil {
				t.Error("want an error")
			}
		})
	}
}

func FuzzResolve(f *testing.F) {
	for _, s := range []string{"On Thursday", "3 days after Monday", "December 31, 2019", "in 1999", "400 weeks ago", "31 February"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		w := Resolve(s, day("2019-04-05"), len(s)/2)
		if w.Date.After(day("2019-04-05")) {
			t.Fatalf("%q resolved after the article date: %v", s, w.Date)
		}
		if w.Precision < 1 || w.Precision > 3 {
			t.Fatalf("precision %d", w.Precision)
		}
	})
}

func FuzzCasualties(f *testing.F) {
	f.Add("At least 21 people had been killed and 27 wounded")
	f.Add("killing 99999999999999999999")
	f.Fuzz(func(t *testing.T, s string) {
		c := countCasualties(s)
		if c.Killed != nil && *c.Killed < 0 || c.Wounded != nil && *c.Wounded < 0 {
			t.Fatalf("negative count from %q", s)
		}
	})
}
