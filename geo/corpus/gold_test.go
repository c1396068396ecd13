package corpus

import (
	"errors"
	"strings"
	"testing"
)

func TestReadToponymGold(t *testing.T) {
	const good = `[{"file": "a.txt", "id": "a", "date": "2009-03-20", "url": null, "toponyms": [
	 {"text": "Oldtown", "start": 16, "end": 23, "lat": 39.8, "lon": -89.6, "geonameid": 1234567,
	  "name": "Oldtown", "type": "Toponym", "feature_class": "P", "feature_code": "PPLA", "country": null, "counts": true},
	 {"text": "Freedonian", "start": 40, "end": 50, "lat": null, "lon": null, "geonameid": null, "name": null,
	  "type": "Demonym", "modifier": "Adjective", "country": null, "counts": false}]}]`
	arts, err := ReadToponymGold(strings.NewReader(good))
	if err != nil {
		t.Fatal(err)
	}
	if len(arts) != 1 || len(arts[0].Toponyms) != 2 {
		t.Fatalf("got %+v, want one article with two toponyms", arts)
	}
	sp, fr := arts[0].Toponyms[0], arts[0].Toponyms[1]
	if !sp.HasPoint() || *sp.Lat != 39.8 || sp.End != 23 || !sp.Counts || sp.FeatureClass != "P" || *sp.GeonameID != 1234567 {
		t.Errorf("first toponym %+v", sp)
	}
	if fr.HasPoint() || fr.Counts || fr.Modifier != "Adjective" || fr.Country != "" || fr.Name != nil {
		t.Errorf("second toponym %+v", fr)
	}

	bad := []struct{ name, in, want string }{
		{"not an array", `{"file": "a.txt"}`, "cannot unmarshal"},
		{"truncated", `[{"file": "a.txt", "toponyms": [`, "unexpected EOF"},
		{"no file name", `[{"id": "a", "toponyms": []}]`, "no file name"},
		{"end before start", `[{"file": "a.txt", "toponyms": [{"start": 9, "end": 3}]}]`, "span 9-3"},
		{"negative start", `[{"file": "a.txt", "toponyms": [{"start": -1, "end": 3}]}]`, "span -1-3"},
		{"latitude alone", `[{"file": "a.txt", "toponyms": [{"start": 1, "end": 3, "lat": 3}]}]`, "latitude without longitude"},
		{"off the globe", `[{"file": "a.txt", "toponyms": [{"start": 1, "end": 3, "lat": 91, "lon": 0}]}]`, "off the globe"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadToponymGold(strings.NewReader(tt.in))
			if !errors.Is(err, ErrGold) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want ErrGold mentioning %q", err, tt.want)
			}
		})
	}
}

// ucdpHeader is gold.csv's header.
const ucdpHeader = "id,half,source,country,year,date_start,date_end,date_prec,type_of_violence,side_a,side_b," +
	"where_prec,where_coordinates,where_description,adm_1,adm_2,latitude,longitude,best,low,high,source_office,n_rows,alt_coords,text\n"

func TestReadUCDP(t *testing.T) {
	const rows = `7,dev,global,Freedonia,2020,2020-05-01,2020-05-03,2,1,Government of Freedonia,Rebels,1,"Oldtown village, North district",` +
		`"Oldtown, near the river",North province,North district,12.5,30.25,4,3,6,Agency,2,"[[12.75, 30.5], [13, 31]]","Four die in Oldtown, says agency"` + "\n" +
		`8,dev,global,Freedonia,2020,2020-06-01,2020-06-01,1,3,Rebels,Civilians,3,North province,,North province,,13,31,0,0,0,Agency,1,[],Quiet day` + "\n"
	evs, err := ReadUCDP(strings.NewReader(ucdpHeader + rows))
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 2 {
		t.Fatalf("%d rows, want 2", len(evs))
	}
	e := evs[0]
	if e.File() != "7.txt" || e.DateStart.Format("2006-01-02") != "2020-05-01" || e.DateEnd.Day() != 3 ||
		e.WhereCoordinates != "Oldtown village, North district" || e.Lat != 12.5 || e.Lon != 30.25 ||
		e.Best != 4 || e.Low != 3 || e.High != 6 || e.WherePrec != 1 || e.Text != "Four die in Oldtown, says agency" {
		t.Errorf("first row %+v", e)
	}
	if len(e.AltCoords) != 2 || e.AltCoords[0] != [2]float64{12.75, 30.5} || e.AltCoords[1] != [2]float64{13, 31} {
		t.Errorf("alt_coords %v, want [[12.75 30.5] [13 31]] as lat, lon", e.AltCoords)
	}
	if len(evs[1].AltCoords) != 0 || evs[1].Best != 0 {
		t.Errorf("second row %+v", evs[1])
	}

	bad := []struct{ name, in, want string }{
		{"empty", "", "header"},
		{"missing column", "id,latitude,longitude\n1,2,3\n", `no "date_start" column`},
		{"bad date", ucdpHeader + "1,dev,g,X,2020,2020-13-01,2020-05-03,1,1,a,b,1,X,X,X,X,1,2,3,3,3,s,1,[],t\n", "date_start"},
		{"end before start", ucdpHeader + "1,dev,g,X,2020,2020-05-04,2020-05-03,1,1,a,b,1,X,X,X,X,1,2,3,3,3,s,1,[],t\n", "before date_start"},
		{"bad latitude", ucdpHeader + "1,dev,g,X,2020,2020-05-01,2020-05-03,1,1,a,b,1,X,X,X,X,north,2,3,3,3,s,1,[],t\n", "latitude"},
		{"off the globe", ucdpHeader + "1,dev,g,X,2020,2020-05-01,2020-05-03,1,1,a,b,1,X,X,X,X,1,200,3,3,3,s,1,[],t\n", "off the globe"},
		{"alt point of three numbers", ucdpHeader + "1,dev,g,X,2020,2020-05-01,2020-05-03,1,1,a,b,1,X,X,X,X,1,2,3,3,3,s,1,\"[[1,2,3]]\",t\n", "alt_coords"},
		{"no deaths", ucdpHeader + "1,dev,g,X,2020,2020-05-01,2020-05-03,1,1,a,b,1,X,X,X,X,1,2,,3,3,s,1,[],t\n", "best"},
		{"id that is a path", ucdpHeader + "../x,dev,g,X,2020,2020-05-01,2020-05-03,1,1,a,b,1,X,X,X,X,1,2,3,3,3,s,1,[],t\n", "id"},
		{"short record", ucdpHeader + "1,dev\n", "wrong number of fields"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadUCDP(strings.NewReader(tt.in))
			if !errors.Is(err, ErrGold) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want ErrGold mentioning %q", err, tt.want)
			}
		})
	}
}
