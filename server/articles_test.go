package server_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// articleSummary is an entry of GET /api/articles.
type articleSummary struct {
	ID     int64  `json:"id"`
	Name   string `json:"name"`
	Source string `json:"source"`
	URL    string `json:"url"`
	Date   string `json:"date"`
	Hash   string `json:"hash"`
	Bytes  int    `json:"bytes"`
	Events int    `json:"events"`
	Places int    `json:"places"`
}

type articleList struct {
	Articles []articleSummary `json:"articles"`
	Count    int              `json:"count"`
}

// articleDetail is GET /api/articles/{id}.
type articleDetail struct {
	articleSummary
	Text     string `json:"text"`
	Mentions []struct {
		PlaceID int64  `json:"place_id"`
		Name    string `json:"name"`
		Text    string `json:"text"`
		Start   int    `json:"start"`
		End     int    `json:"end"`
		Role    string `json:"role"`
	} `json:"mentions"`
	Events []map[string]any `json:"events"`
}

type postAnswer struct {
	Article  articleDetail `json:"article"`
	Existing bool          `json:"existing"`
}

func (ts *testServer) articles(t *testing.T) articleList {
	t.Helper()
	var l articleList
	ts.getJSON(t, "/api/articles", "application/json", &l)
	if l.Count != len(l.Articles) {
		t.Fatalf("count %d, %d articles", l.Count, len(l.Articles))
	}
	return l
}

// post sends an article with the test token and decodes the answer.
func (ts *testServer) post(t *testing.T, path, contentType string, body []byte) (response, postAnswer) {
	t.Helper()
	res := ts.request(t, http.MethodPost, path, body, "Content-Type", contentType, "Authorization", bearer)
	var a postAnswer
	if res.status == http.StatusOK || res.status == http.StatusCreated {
		if err := json.Unmarshal(res.body, &a); err != nil {
			t.Fatalf("POST %s: decode: %v\n%s", path, err, clip(res.body))
		}
	}
	return res, a
}

func TestArticlesList(t *testing.T) {
	ts := seeded(t)
	l := ts.articles(t)
	if len(l.Articles) != 3 {
		t.Fatalf("%d articles, want the 3 seeds", len(l.Articles))
	}
	for i, a := range l.Articles {
		if a.ID != int64(i+1) || a.Name != seedFiles[i] || a.Hash == "" || a.Bytes == 0 || a.Events == 0 || a.Places == 0 {
			t.Errorf("article %d: %+v", i+1, a)
		}
	}
	if l.Articles[0].Date != "2019-04-07" || l.Articles[1].Date != "2019-04-05" {
		t.Errorf("dates %q %q, want the headers' 2019-04-07 and 2019-04-05", l.Articles[0].Date, l.Articles[1].Date)
	}
}

// TestArticleDetail: the text, its metadata, mention spans that point
// into the text, and the events.
func TestArticleDetail(t *testing.T) {
	ts := seeded(t)
	for i := range seedFiles {
		id := strconv.Itoa(i + 1)
		t.Run(id, func(t *testing.T) {
			var d articleDetail
			ts.getJSON(t, "/api/articles/"+id, "application/json", &d)
			if d.ID != int64(i+1) || !strings.HasPrefix(d.Text, "date 2019-04-0") {
				t.Errorf("article %s: id %d, text %.30q", id, d.ID, d.Text)
			}
			// SQLite's length() counts characters; "António" has a 2-byte one
			if d.Bytes != len(d.Text) {
				t.Errorf("article %s: bytes %d, but the text is %d bytes (%d characters)", id, d.Bytes, len(d.Text), utf8.RuneCountInString(d.Text))
			}
			if len(d.Mentions) == 0 || len(d.Events) == 0 || d.Events[0]["sub_event_type"] == nil {
				t.Fatalf("article %s: %d mentions, %d events", id, len(d.Mentions), len(d.Events))
			}
			for _, m := range d.Mentions {
				if m.Start < 0 || m.End > len(d.Text) || m.Start >= m.End || d.Text[m.Start:m.End] != m.Text {
					t.Errorf("mention %q at %d..%d does not match the text", m.Text, m.Start, m.End)
				}
			}
		})
	}
}

// TestPostArticle: text/plain with the query's metadata, then JSON; the
// same text again answers 200 and stores nothing new.
func TestPostArticle(t *testing.T) {
	ts := newTestServer(t, testToken, true)
	text := "Heavy clashes broke out in Misrata between rival militias on Monday, and fighting spread to Sirte."
	q := url.Values{"date": {"2019-04-08"}, "source": {"Wire"}, "url": {"https://example.org/misrata"}}
	res, got := ts.post(t, "/api/articles?"+q.Encode(), "text/plain; charset=utf-8", []byte(text))
	if res.status != http.StatusCreated {
		t.Fatalf("POST: status %d, want 201: %s", res.status, clip(res.body))
	}
	if ct := mediaType(res.header); ct != "application/json" {
		t.Errorf("Content-Type %q", ct)
	}
	a := got.Article
	if a.ID != 4 || a.Text != text || a.Date != "2019-04-08" || a.Source != "Wire" || a.URL != "https://example.org/misrata" || got.Existing {
		t.Errorf("stored %+v existing %v", a.articleSummary, got.Existing)
	}
	if loc := res.header.Get("Location"); !strings.HasSuffix(loc, "/api/articles/4") {
		t.Errorf("Location %q, want .../api/articles/4", loc)
	}
	var names []string
	for _, m := range a.Mentions {
		names = append(names, m.Text)
	}
	if !slices.Contains(names, "Misrata") || !slices.Contains(names, "Sirte") {
		t.Errorf("places %v, want Misrata and Sirte", names)
	}
	if len(a.Events) == 0 {
		t.Fatal("no events in the answer")
	}

	t.Run("listed and mapped", func(t *testing.T) {
		if l := ts.articles(t); len(l.Articles) != 4 || l.Articles[3].ID != 4 {
			t.Errorf("articles after POST: %+v", l.Articles)
		}
		found := false
		for _, f := range ts.allItems(t, "events") {
			found = found || slices.Contains(eventArticles(f), "4:Wire 2019-04-08")
		}
		if !found {
			t.Error("no event of the posted article on the events layer")
		}
		var d articleDetail
		ts.getJSON(t, "/api/articles/4", "application/json", &d)
		if d.Text != text {
			t.Errorf("GET text %q", d.Text)
		}
	})
	t.Run("same text again", func(t *testing.T) {
		res, again := ts.post(t, "/api/articles?"+q.Encode(), "text/plain", []byte(text))
		if res.status != http.StatusOK || !again.Existing || again.Article.ID != 4 {
			t.Errorf("status %d existing %v id %d, want 200, true, 4", res.status, again.Existing, again.Article.ID)
		}
		if l := ts.articles(t); len(l.Articles) != 4 {
			t.Errorf("%d articles after a repeat, want 4", len(l.Articles))
		}
	})
	t.Run("JSON", func(t *testing.T) {
		body, _ := json.Marshal(map[string]string{"text": "Gunmen attacked a checkpoint in Zintan.", "date": "2019-04-09", "source": "Radio", "url": "https://example.org/zintan"})
		res, got := ts.post(t, "/api/articles", "application/json; charset=utf-8", body)
		if res.status != http.StatusCreated {
			t.Fatalf("status %d, want 201: %s", res.status, clip(res.body))
		}
		if a := got.Article; a.ID != 5 || a.Date != "2019-04-09" || a.Source != "Radio" || len(a.Mentions) == 0 {
			t.Errorf("stored %+v with %d mentions", a.articleSummary, len(a.Mentions))
		}
	})
	t.Run("header date and no source", func(t *testing.T) {
		res, got := ts.post(t, "/api/articles", "text/plain", []byte("date 2019-04-10\nShelling hit Tripoli overnight."))
		if res.status != http.StatusCreated || got.Article.Date != "2019-04-10" || got.Article.Source != "api" {
			t.Errorf("status %d date %q source %q, want 201, 2019-04-10, api", res.status, got.Article.Date, got.Article.Source)
		}
	})
	t.Run("exactly 1 MiB", func(t *testing.T) {
		body := []byte(strings.Repeat("Clashes in Misrata. ", 1<<20/20))
		body = append(body, strings.Repeat(".", 1<<20-len(body))...)
		res, _ := ts.post(t, "/api/articles", "text/plain", body)
		if res.status != http.StatusCreated {
			t.Errorf("1 MiB article: status %d, want 201: %.300s", res.status, res.body)
		}
	})
}

// TestDeleteArticle removes one seed: its events go, the other articles'
// events stay (with the deleted article's sources taken out), and a
// second DELETE is a 404.
func TestDeleteArticle(t *testing.T) {
	ts := newTestServer(t, testToken, true)
	const gone = "3:libya-03.txt"
	before := ts.allItems(t, "events")
	beforeETag := ts.get(t, "/collections/events/items").header.Get("ETag")
	beforePlaces := ts.allItems(t, "places")
	if !slices.ContainsFunc(before, func(f feature) bool { return slices.Contains(eventArticles(f), gone) }) {
		t.Fatalf("no event cites %s before the delete", gone)
	}

	res := ts.request(t, http.MethodDelete, "/api/articles/3", nil, "Authorization", bearer)
	if res.status != http.StatusNoContent || len(res.body) != 0 {
		t.Fatalf("DELETE: status %d, %d bytes; want 204 and none: %s", res.status, len(res.body), clip(res.body))
	}

	after := ts.allItems(t, "events")
	// the reports of the other articles, by their stable ids (a1-e2):
	// fusion may regroup them and pick other dates or names, but every
	// one must still be there, and nothing of the deleted article
	reports := func(fs []feature) []string {
		var out []string
		for _, f := range fs {
			srcs, _ := f.Properties["sources"].([]any)
			for _, s := range srcs {
				m := s.(map[string]any)
				if m["article"] != gone {
					out = append(out, m["id"].(string))
				}
			}
		}
		slices.Sort(out)
		return out
	}
	for _, f := range after {
		if slices.Contains(eventArticles(f), gone) {
			t.Errorf("event %v still cites the deleted article", f.ID)
		}
		if n := f.Properties["num_articles"].(float64); int(n) != len(eventArticles(f)) {
			t.Errorf("event %v: num_articles %v, %d sources", f.ID, n, len(eventArticles(f)))
		}
	}
	if got, want := reports(after), reports(before); !slices.Equal(got, want) || len(got) == 0 {
		t.Errorf("reports after the delete %v, want the others' reports kept: %v", got, want)
	}
	if len(after) >= len(before) {
		t.Errorf("%d events after the delete, %d before", len(after), len(before))
	}
	if etag := ts.get(t, "/collections/events/items").header.Get("ETag"); etag == beforeETag {
		t.Error("the events' ETag did not change")
	}

	t.Run("places", func(t *testing.T) {
		names := map[string][]any{}
		for _, f := range ts.allItems(t, "places") {
			names[f.Properties["name"].(string)], _ = f.Properties["articles"].([]any)
		}
		for _, f := range beforePlaces {
			arts, _ := f.Properties["articles"].([]any)
			name := f.Properties["name"].(string)
			onlyGone := len(arts) == 1 && arts[0] == float64(3)
			if _, ok := names[name]; ok == onlyGone {
				t.Errorf("place %s (articles %v) present after the delete: %v", name, arts, ok)
			}
			if slices.Contains(names[name], any(float64(3))) {
				t.Errorf("place %s still lists article 3", name)
			}
		}
	})
	t.Run("estimates", func(t *testing.T) {
		for _, f := range ts.allItems(t, "estimates") {
			if f.Properties["article_id"] == float64(3) {
				t.Errorf("estimate %v of the deleted article", f.ID)
			}
		}
	})
	t.Run("other articles untouched", func(t *testing.T) {
		l := ts.articles(t)
		if len(l.Articles) != 2 || l.Articles[0].ID != 1 || l.Articles[1].ID != 2 {
			t.Errorf("articles %+v, want 1 and 2", l.Articles)
		}
		checkProblem(t, ts.get(t, "/api/articles/3"), http.StatusNotFound)
	})
	t.Run("second delete", func(t *testing.T) {
		checkProblem(t, ts.request(t, http.MethodDelete, "/api/articles/3", nil, "Authorization", bearer), http.StatusNotFound)
	})
}

// TestWritesDisabledWithoutToken: a server started without a token refuses
// every write, whatever the request carries.
func TestWritesDisabledWithoutToken(t *testing.T) {
	ts := newTestServer(t, "", false)
	tests := []struct {
		name, method, path, auth string
	}{
		{"POST without auth", "POST", "/api/articles", ""},
		{"POST with a bearer", "POST", "/api/articles", bearer},
		{"POST with an empty bearer", "POST", "/api/articles", "Bearer "},
		{"DELETE without auth", "DELETE", "/api/articles/1", ""},
		{"DELETE with a bearer", "DELETE", "/api/articles/1", bearer},
		{"DELETE an unknown article", "DELETE", "/api/articles/99999", bearer},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			headers := []string{"Content-Type", "text/plain"}
			if tt.auth != "" {
				headers = append(headers, "Authorization", tt.auth)
			}
			p := checkProblem(t, ts.request(t, tt.method, tt.path, []byte("Clashes in Misrata."), headers...), http.StatusForbidden)
			if !strings.Contains(p.Detail, "writes are disabled") {
				t.Errorf("detail %q does not say writes are disabled", p.Detail)
			}
		})
	}
	if l := ts.articles(t); len(l.Articles) != 0 {
		t.Errorf("%d articles stored by a server without a token", len(l.Articles))
	}
}

// TestEmptyStore: a fresh server with no articles still describes its
// collections; the distances layer has no focal city yet.
func TestEmptyStore(t *testing.T) {
	ts := newTestServer(t, "", false)
	for _, path := range []string{"/collections", "/collections/distances", "/collections/places", "/collections/places/items"} {
		t.Run(path, func(t *testing.T) {
			if res := ts.get(t, path); res.status != http.StatusOK {
				t.Errorf("status %d, want 200: %s", res.status, clip(res.body))
			}
		})
	}
	if l := ts.articles(t); l.Count != 0 || l.Articles == nil {
		t.Errorf("articles %+v, want an empty list", l)
	}
	// without articles there is no default place to measure from
	if res := ts.get(t, "/collections/distances/items"); res.status >= 500 {
		t.Errorf("distances on an empty store: %d", res.status)
	}
}

// TestUndatedArticleKeepsPlaceDates: an article posted without a date has
// no mention date; it must not erase the dates other articles give a place.
func TestUndatedArticleKeepsPlaceDates(t *testing.T) {
	ts := newTestServer(t, testToken, true)
	res, _ := ts.post(t, "/api/articles", "text/plain", []byte("Fighting was reported again in Tripoli and Benghazi."))
	if res.status != http.StatusCreated {
		t.Fatalf("POST: %d %s", res.status, clip(res.body))
	}
	for _, f := range ts.allItems(t, "places") {
		if f.Properties["name"] != "Tripoli" {
			continue
		}
		if f.Properties["first_mention"] != "2019-04-05" || f.Properties["last_mention"] != "2019-04-07" {
			t.Errorf("Tripoli mentioned %v..%v, want 2019-04-05..2019-04-07", f.Properties["first_mention"], f.Properties["last_mention"])
		}
	}
	fc := ts.items(t, "/collections/places/items?limit=10000&datetime=2019-04-05")
	if !slices.ContainsFunc(fc.Features, func(f feature) bool { return f.Properties["name"] == "Tripoli" }) {
		t.Error("Tripoli no longer matches datetime=2019-04-05")
	}
}

// TestNoFocalCity: events that no stored city is near leave the distances
// layer without a default focal place; the collections must still be
// described.
func TestNoFocalCity(t *testing.T) {
	ts := newTestServer(t, testToken, false)
	res, got := ts.post(t, "/api/articles", "text/plain", []byte("date 2019-04-05\nHeavy clashes broke out in Libya between rival militias."))
	if res.status != http.StatusCreated || len(got.Article.Events) == 0 {
		t.Fatalf("POST: status %d, %d events; want 201 and an event: %s", res.status, len(got.Article.Events), clip(res.body))
	}
	for _, path := range []string{"/collections", "/collections/distances"} {
		if res := ts.get(t, path); res.status != http.StatusOK {
			t.Errorf("%s: status %d, want 200: %s", path, res.status, clip(res.body))
		}
	}
	if res := ts.get(t, "/collections/distances/items?from=Tripoli"); res.status != http.StatusOK {
		t.Errorf("distances from Tripoli: status %d: %s", res.status, clip(res.body))
	}
}
