package loadtest

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// Article is a generated news report, as POST /api/articles takes it.
type Article struct {
	Text   string `json:"text"`
	Date   string `json:"date"`
	Source string `json:"source"`
}

// theatre is a conflict the generator writes about: real places (that
// the bundled cities500 gazetteer knows) and the sides fighting there.
type theatre struct {
	places []string
	sides  [2][]string
}

// The texts are the generator's own, made up for load: they are not news.
var theatres = []theatre{
	{places: []string{"Tripoli", "Gharyan", "Tarhuna", "Misrata", "Sirte", "Zawiya", "Ajdabiya", "Benghazi", "Aziziya", "Zliten"},
		sides: [2][]string{{"forces loyal to Khalifa Haftar", "the Libyan National Army", "Haftar's fighters"},
			{"forces of the UN-backed government", "pro-government militias", "fighters from Misrata"}}},
	{places: []string{"Idlib", "Saraqeb", "Ariha", "Maarat al-Numan", "Aleppo", "Hama", "Jisr al-Shughur", "Latakia"},
		sides: [2][]string{{"Syrian government forces", "troops loyal to Bashar al-Assad", "Russian-backed troops"},
			{"rebel factions", "Turkish-backed fighters", "Hayat Tahrir al-Sham fighters"}}},
	{places: []string{"Hodeidah", "Marib", "Taiz", "Aden", "Sanaa", "Mocha"},
		sides: [2][]string{{"Houthi rebels", "Houthi fighters"},
			{"forces of the Saudi-led coalition", "government troops", "southern separatists"}}},
	{places: []string{"Khartoum", "Omdurman", "El Fasher", "Nyala", "El Obeid", "Wad Madani"},
		sides: [2][]string{{"the Rapid Support Forces", "RSF fighters"},
			{"the Sudanese army", "army units"}}},
	{places: []string{"Kharkiv", "Izium", "Kupiansk", "Bakhmut", "Avdiivka", "Donetsk", "Sloviansk", "Kramatorsk"},
		sides: [2][]string{{"Russian forces", "Russian troops"},
			{"Ukrainian troops", "Ukraine's armed forces"}}},
}

var (
	bearings = []string{"north", "south", "east", "west", "north-east", "north-west", "south-east", "south-west"}
	sources  = []string{"local officials", "a war monitor", "medical sources", "residents", "a military spokesman", "aid workers"}
	outlets  = []string{"Wire Desk", "Field Report", "Morning Dispatch", "Regional Monitor", "Evening Brief"}
	weekdays = []string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}
	numbers  = []string{"two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"}
)

// sentence templates; %[1]s place, %[2]s side A, %[3]s side B, %[4]s
// number, %[5]s weekday, %[6]s source, %[7]d kilometres, %[8]s bearing,
// %[9]s another place, %[10]d a count in digits
var templates = []string{
	"Heavy fighting broke out near %[1]s on %[5]s between %[2]s and %[3]s, killing %[4]s fighters, %[6]s said.",
	"Shelling hit a market in %[1]s, about %[7]d km %[8]s of %[9]s, killing %[4]s civilians and wounding %[10]d, %[6]s said.",
	"A drone strike on a convoy outside %[1]s killed %[4]s people on %[5]s, according to %[6]s.",
	"%[2]s said on %[5]s they had taken a village some %[7]d kilometres %[8]s of %[1]s after days of clashes with %[3]s.",
	"Residents of %[1]s reported air strikes overnight; %[6]s put the death toll at %[10]d.",
	"Hundreds of families fled %[1]s toward %[9]s as the front line moved closer, %[6]s said.",
	"%[2]s shelled positions held by %[3]s near %[1]s on %[5]s, %[6]s said, without giving casualty figures.",
	"Clashes between %[2]s and %[3]s around %[1]s left %[10]d dead by %[5]s evening, %[6]s said.",
	"An artillery barrage struck the outskirts of %[1]s, %[7]d km %[8]s of %[9]s, on %[5]s.",
	"Protesters gathered in %[9]s on %[5]s to demand an end to the fighting around %[1]s.",
}

var headlines = []string{
	"Fighting flares near %s",
	"Civilians killed as shelling hits %s",
	"Front line shifts around %s",
	"Strikes reported near %s overnight",
}

// Generator writes short, varied articles about fighting near real
// places. It is deterministic for a seed.
type Generator struct {
	rng      *rand.Rand
	from     time.Time
	days     int
	produced int
}

// NewGenerator returns a generator whose article dates fall between from
// and to (inclusive).
func NewGenerator(seed uint64, from, to time.Time) *Generator {
	if to.Before(from) {
		from, to = to, from
	}
	return &Generator{rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), from: from,
		days: int(to.Sub(from).Hours()/24) + 1}
}

func (g *Generator) pick(xs []string) string { return xs[g.rng.IntN(len(xs))] }

// Next returns a new article: a headline and three to six sentences about
// one conflict, dated within the generator's range.
func (g *Generator) Next() Article {
	g.produced++
	th := theatres[g.rng.IntN(len(theatres))]
	date := g.from.AddDate(0, 0, g.rng.IntN(g.days))
	var b strings.Builder
	fmt.Fprintf(&b, headlines[g.rng.IntN(len(headlines))]+"\n\n", g.pick(th.places))
	n := 3 + g.rng.IntN(4)
	for range n {
		p := g.pick(th.places)
		q := g.pick(th.places)
		for q == p {
			q = g.pick(th.places)
		}
		a, c := g.pick(th.sides[0]), g.pick(th.sides[1])
		if g.rng.IntN(2) == 0 {
			a, c = c, a
		}
		s := fmt.Sprintf(g.pick(templates), p, a, c, g.pick(numbers), g.pick(weekdays), g.pick(sources),
			5+g.rng.IntN(120), g.pick(bearings), q, 2+g.rng.IntN(60))
		b.WriteString(strings.ToUpper(s[:1]) + s[1:])
		b.WriteByte(' ')
	}
	// a serial keeps every text distinct: the server stores a text once
	fmt.Fprintf(&b, "\n\nReport %d.\n", g.produced)
	return Article{Text: b.String(), Date: date.Format("2006-01-02"), Source: g.pick(outlets)}
}

// Corpus returns at least size bytes of articles, each headed by its
// "date YYYY-MM-DD" line as in the article files.
func (g *Generator) Corpus(size int) string {
	var b strings.Builder
	for b.Len() < size {
		a := g.Next()
		fmt.Fprintf(&b, "date %s\n\n%s\n", a.Date, a.Text)
	}
	return b.String()
}
