package corpus

import (
	"bytes"
	"testing"
)

// FuzzReadToponymGold: any input is either refused with ErrGold or gives
// toponyms the scorer can use without checks of its own.
func FuzzReadToponymGold(f *testing.F) {
	f.Add([]byte(`[{"file": "a.txt", "toponyms": [{"text": "X", "start": 1, "end": 2, "lat": 1, "lon": 2, "counts": true}]}]`))
	f.Add([]byte(`[{"file": "a.txt", "toponyms": [{"start": 3, "end": 2}]}]`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, data []byte) {
		arts, err := ReadToponymGold(bytes.NewReader(data))
		if err != nil {
			return
		}
		for _, a := range arts {
			if a.File == "" {
				t.Fatal("accepted an article without a file name")
			}
			for _, tp := range a.Toponyms {
				if tp.check() != nil {
					t.Fatalf("accepted %+v", tp)
				}
			}
		}
	})
}

// FuzzReadUCDP: any input is either refused or gives events with dates in
// order and points on the globe.
func FuzzReadUCDP(f *testing.F) {
	f.Add([]byte(ucdpHeader + "7,dev,g,X,2020,2020-05-01,2020-05-03,2,1,a,b,1,\"Oldtown village, North\",d,p,q,12.5,30.25,4,3,6,s,2,\"[[12.75, 30.5]]\",t\n"))
	f.Add([]byte(ucdpHeader))
	f.Add([]byte("id,date_start\n1,2020-01-01\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		evs, err := ReadUCDP(bytes.NewReader(data))
		if err != nil {
			return
		}
		for _, e := range evs {
			if e.ID == "" || e.DateEnd.Before(e.DateStart) || !onGlobe(e.Lat, e.Lon) {
				t.Fatalf("accepted %+v", e)
			}
			for _, p := range e.AltCoords {
				if !onGlobe(p[0], p[1]) {
					t.Fatalf("accepted alt point %v", p)
				}
			}
		}
	})
}
