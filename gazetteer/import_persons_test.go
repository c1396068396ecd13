package gazetteer

import (
	"errors"
	"strings"
	"testing"
)

func TestParsePersonNames(t *testing.T) {
	const lists = `// a comment
module.exports.first_male = [
  'Aldo',
  'Bertram',
  'Casimir'
];
module.exports.last = [
  'Okafor',
  'Casimir',
];
module.exports.first_female = [
  'Bertram',
  'Dagny',
];
module.exports.other = [
  'Zeno',
];
`
	got, err := ParsePersonNames(strings.NewReader(lists))
	if err != nil {
		t.Fatal(err)
	}
	want := PersonNames{
		"aldo":    {Given: 1},
		"bertram": {Given: 1}, // second on the male list, first on the female one
		"casimir": {Given: 3, Surname: 2},
		"okafor":  {Surname: 1},
		"dagny":   {Given: 2},
	}
	if len(got) != len(want) {
		t.Errorf("got %d names %v, want %d", len(got), got, len(want))
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s: got %+v, want %+v", k, got[k], w)
		}
	}
}

func TestParsePersonNamesRejects(t *testing.T) {
	for name, text := range map[string]string{
		"unclosed list":        "module.exports.last = [\n  'Okafor',\n",
		"bracket outside list": "];\n",
		"name outside list":    "'Okafor',\n",
		"unquoted name":        "module.exports.last = [\n  Okafor,\n];\n",
		"digit in name":        "module.exports.last = [\n  'Ok4for',\n];\n",
		"nested list":          "module.exports.last = [\nmodule.exports.first_male = [\n];\n",
		"not an array":         "module.exports.last = 'x';\n",
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := ParsePersonNames(strings.NewReader(text)); !errors.Is(err, ErrBadNameList) {
				t.Errorf("err = %v, want ErrBadNameList", err)
			}
		})
	}
}

func FuzzParsePersonNames(f *testing.F) {
	f.Add("module.exports.last = [\n  'Okafor',\n];\n")
	f.Add("module.exports.first_male = [\n'A',\n'B'\n];\nmodule.exports.last = [\n];\n")
	f.Add("];")
	f.Fuzz(func(t *testing.T, text string) {
		names, err := ParsePersonNames(strings.NewReader(text))
		if err != nil {
			if !errors.Is(err, ErrBadNameList) {
				t.Fatalf("error %v is not ErrBadNameList", err)
			}
			return
		}
		for k, r := range names {
			if k != strings.ToLower(k) || r.Given < 0 || r.Surname < 0 || r.Given+r.Surname == 0 {
				t.Fatalf("bad entry %q: %+v", k, r)
			}
		}
	})
}
