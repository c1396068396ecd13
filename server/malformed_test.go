package server_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"
)

// malformedCase is a request a client gets wrong, and the 4xx it earns.
type malformedCase struct {
	name        string
	method      string
	path        string
	contentType string
	// auth is the Authorization header; "" sends none.
	auth   string
	body   []byte
	status int
	// detail, when set, is a word the problem's detail must contain.
	detail string
}

const bearer = "Bearer " + testToken

// malformedCases are keyed by the mistake they guard against. Every one
// must answer its 4xx as an RFC 9457 problem with a detail, never a 5xx.
var malformedCases = []malformedCase{
	// bbox
	{name: "bbox with 3 numbers", path: "/collections/events/items?bbox=12.9,32.7,13.4", status: 400, detail: "bbox"},
	{name: "bbox with 5 numbers", path: "/collections/events/items?bbox=12.9,32.7,13.4,33,1", status: 400, detail: "bbox"},
	{name: "bbox with letters", path: "/collections/events/items?bbox=a,b,c,d", status: 400, detail: "bbox"},
	{name: "bbox with NaN", path: "/collections/events/items?bbox=NaN,32.7,13.4,33", status: 400, detail: "bbox"},
	{name: "bbox with Inf", path: "/collections/events/items?bbox=12.9,32.7,Inf,33", status: 400, detail: "bbox"},
	{name: "bbox with -Infinity", path: "/collections/events/items?bbox=-Infinity,32.7,13.4,33", status: 400, detail: "bbox"},
	{name: "bbox south above north", path: "/collections/events/items?bbox=12.9,33,13.4,32.7", status: 400, detail: "south"},
	{name: "bbox latitude 91", path: "/collections/events/items?bbox=12.9,32.7,13.4,91", status: 400, detail: "bbox"},
	{name: "bbox latitude -91", path: "/collections/events/items?bbox=12.9,-91,13.4,33", status: 400, detail: "bbox"},
	{name: "bbox west edge 200", path: "/collections/events/items?bbox=200,32.7,13.4,33", status: 400, detail: "bbox"},
	{name: "bbox east edge -200", path: "/collections/events/items?bbox=12.9,32.7,-200,33", status: 400, detail: "bbox"},
	{name: "bbox empty", path: "/collections/events/items?bbox=", status: 400, detail: "bbox"},
	{name: "bbox 3D with latitude 95", path: "/collections/events/items?bbox=12.9,32.7,0,13.4,95,10", status: 400, detail: "bbox"},
	{name: "bbox-crs not CRS84", path: "/collections/events/items?bbox=12.9,32.7,13.4,33&bbox-crs=http://www.opengis.net/def/crs/EPSG/0/4326", status: 400, detail: "CRS84"},
	// datetime
	{name: "datetime garbage", path: "/collections/events/items?datetime=yesterday", status: 400, detail: "datetime"},
	{name: "datetime month 13", path: "/collections/events/items?datetime=2019-13-01", status: 400, detail: "datetime"},
	{name: "datetime open at both ends", path: "/collections/events/items?datetime=../..", status: 400, detail: "open"},
	{name: "datetime ends before it starts", path: "/collections/events/items?datetime=2019-04-05/2019-04-01", status: 400, detail: "before"},
	{name: "datetime with three parts", path: "/collections/events/items?datetime=2019-04-01/2019-04-02/2019-04-03", status: 400, detail: "datetime"},
	{name: "datetime empty", path: "/collections/events/items?datetime=", status: 400, detail: "datetime"},
	{name: "datetime hour 25", path: "/collections/events/items?datetime=2019-04-05T25:00:00Z", status: 400, detail: "datetime"},
	{name: "datetime end in year 1 before the start", path: "/collections/events/items?datetime=2019-04-06/0001-01-01", status: 400, detail: "datetime"},
	// limit and offset
	{name: "limit -1", path: "/collections/events/items?limit=-1", status: 400, detail: "limit"},
	{name: "limit 0", path: "/collections/events/items?limit=0", status: 400, detail: "limit"},
	{name: "limit 10001", path: "/collections/events/items?limit=10001", status: 400, detail: "limit"},
	{name: "limit ten", path: "/collections/events/items?limit=ten", status: 400, detail: "limit"},
	{name: "limit 1e3", path: "/collections/events/items?limit=1e3", status: 400, detail: "limit"},
	{name: "limit 2.5", path: "/collections/events/items?limit=2.5", status: 400, detail: "limit"},
	{name: "offset -5", path: "/collections/events/items?offset=-5", status: 400, detail: "offset"},
	{name: "offset x", path: "/collections/events/items?offset=x", status: 400, detail: "offset"},
	{name: "offset overflows int64", path: "/collections/events/items?offset=99999999999999999999", status: 400, detail: "offset"},
	{name: "offset past the maximum", path: "/collections/events/items?offset=1000000001", status: 400, detail: "offset"},
	// other query parameters
	{name: "unknown query parameter", path: "/collections/events/items?colour=red", status: 400, detail: "colour"},
	{name: "repeated parameter", path: "/collections/events/items?limit=1&limit=2", status: 400, detail: "limit"},
	{name: "f=xml on items", path: "/collections/events/items?f=xml", status: 400, detail: "f="},
	{name: "f=xml on an item", path: "/collections/events/items/x?f=xml", status: 400, detail: "f="},
	{name: "f=xml on the landing page", path: "/?f=xml", status: 400, detail: "f="},
	{name: "f=xml on collections", path: "/collections?f=xml", status: 400, detail: "f="},
	{name: "f=csv on conformance", path: "/conformance?f=csv", status: 400, detail: "f="},
	// paths
	{name: "unknown collection", path: "/collections/tanks", status: 404, detail: "tanks"},
	{name: "unknown collection items", path: "/collections/tanks/items", status: 404, detail: "tanks"},
	{name: "unknown collection item", path: "/collections/tanks/items/1", status: 404, detail: "tanks"},
	{name: "unknown feature id", path: "/collections/events/items/ev-000000000000", status: 404, detail: "ev-000000000000"},
	{name: "unknown place id", path: "/collections/places/items/p1", status: 404, detail: "p1"},
	{name: "unknown distance id", path: "/collections/distances/items/d-nothing", status: 404, detail: "d-nothing"},
	{name: "unknown path", path: "/tiles/1/2/3", status: 404},
	// from
	{name: "from an unknown place", path: "/collections/distances/items?from=Atlantis", status: 404, detail: "Atlantis"},
	{name: "from an unknown geonameid", path: "/collections/distances/items?from=999999999", status: 404, detail: "999999999"},
	{name: "from a negative geonameid", path: "/collections/distances/items?from=-7", status: 404, detail: "-7"},
	{name: "from an unknown place on an item", path: "/collections/distances/items/d-x?from=Atlantis", status: 404, detail: "Atlantis"},
	{name: "from on places", path: "/collections/places/items?from=Benghazi", status: 400, detail: "from"},
	{name: "from on events", path: "/collections/events/items?from=Tripoli", status: 400, detail: "from"},
	{name: "from on a places item", path: "/collections/places/items/p88319?from=Benghazi", status: 400, detail: "from"},
	// article ids
	{name: "article id abc", path: "/api/articles/abc", status: 400, detail: "abc"},
	{name: "article id -1", path: "/api/articles/-1", status: 400, detail: "-1"},
	{name: "article id 0", path: "/api/articles/0", status: 400, detail: "0"},
	{name: "article id overflows int64", path: "/api/articles/99999999999999999999", status: 400},
	{name: "article id 99999", path: "/api/articles/99999", status: 404, detail: "99999"},
	// auth
	{name: "POST without a token", method: "POST", path: "/api/articles", contentType: "text/plain", body: []byte("Clashes in Misrata."), status: 401, detail: "Bearer"},
	{name: "POST with a wrong token", method: "POST", path: "/api/articles", auth: "Bearer nope", contentType: "text/plain", body: []byte("Clashes in Misrata."), status: 403, detail: "token"},
	{name: "POST with Bearer and nothing", method: "POST", path: "/api/articles", auth: "Bearer", contentType: "text/plain", body: []byte("Clashes in Misrata."), status: 401},
	{name: "POST with Bearer and a space", method: "POST", path: "/api/articles", auth: "Bearer  ", contentType: "text/plain", body: []byte("Clashes in Misrata."), status: 401},
	{name: "POST with Basic auth", method: "POST", path: "/api/articles", auth: "Basic YWRtaW46czNjcmV0", contentType: "text/plain", body: []byte("Clashes in Misrata."), status: 401},
	{name: "POST with the token as a prefix", method: "POST", path: "/api/articles", auth: bearer + "x", contentType: "text/plain", body: []byte("Clashes in Misrata."), status: 403},
	{name: "DELETE without a token", method: "DELETE", path: "/api/articles/1", status: 401},
	{name: "DELETE with a wrong token", method: "DELETE", path: "/api/articles/1", auth: "Bearer nope", status: 403},
	// POST bodies
	{name: "POST image/png", method: "POST", path: "/api/articles", auth: bearer, contentType: "image/png", body: []byte("\x89PNG\r\n\x1a\n"), status: 415},
	{name: "POST without Content-Type", method: "POST", path: "/api/articles", auth: bearer, body: []byte("Clashes in Misrata."), status: 415},
	{name: "POST with a broken Content-Type", method: "POST", path: "/api/articles", auth: bearer, contentType: "text/", body: []byte("Clashes in Misrata."), status: 415},
	{name: "POST form encoded", method: "POST", path: "/api/articles", auth: bearer, contentType: "application/x-www-form-urlencoded", body: []byte("text=Clashes"), status: 415},
	{name: "POST malformed JSON", method: "POST", path: "/api/articles", auth: bearer, contentType: "application/json", body: []byte(`{"text": "Clashes`), status: 400, detail: "JSON"},
	{name: "POST JSON with an unknown field", method: "POST", path: "/api/articles", auth: bearer, contentType: "application/json", body: []byte(`{"text": "Clashes in Misrata.", "author": "x"}`), status: 400, detail: "author"},
	{name: "POST JSON array", method: "POST", path: "/api/articles", auth: bearer, contentType: "application/json", body: []byte(`[{"text": "Clashes in Misrata."}]`), status: 400, detail: "JSON"},
	{name: "POST JSON text as a number", method: "POST", path: "/api/articles", auth: bearer, contentType: "application/json", body: []byte(`{"text": 5}`), status: 400, detail: "JSON"},
	{name: "POST JSON with a second object", method: "POST", path: "/api/articles", auth: bearer, contentType: "application/json", body: []byte(`{"text": "Clashes in Misrata."} {"text": "x"}`), status: 400},
	{name: "POST JSON with a stray bracket after it", method: "POST", path: "/api/articles", auth: bearer, contentType: "application/json", body: []byte(`{"text": "Clashes in Misrata, stray bracket."}]`), status: 400},
	{name: "POST JSON null", method: "POST", path: "/api/articles", auth: bearer, contentType: "application/json", body: []byte(`null`), status: 400},
	{name: "POST empty JSON text", method: "POST", path: "/api/articles", auth: bearer, contentType: "application/json", body: []byte(`{"text": "", "date": "2019-04-05"}`), status: 400, detail: "empty"},
	{name: "POST empty body", method: "POST", path: "/api/articles", auth: bearer, contentType: "text/plain", body: []byte{}, status: 400, detail: "empty"},
	{name: "POST blank text", method: "POST", path: "/api/articles", auth: bearer, contentType: "text/plain", body: []byte(" \n\t "), status: 400, detail: "empty"},
	{name: "POST header without a report", method: "POST", path: "/api/articles", auth: bearer, contentType: "text/plain", body: []byte("date 2019-04-05\n"), status: 400, detail: "empty"},
	{name: "POST text with NUL", method: "POST", path: "/api/articles", auth: bearer, contentType: "text/plain", body: []byte("Clashes\x00in Misrata."), status: 400, detail: "binary"},
	{name: "POST JSON text with NUL", method: "POST", path: "/api/articles", auth: bearer, contentType: "application/json", body: []byte(`{"text": "Clashes\u0000in Misrata."}`), status: 400, detail: "binary"},
	{name: "POST invalid UTF-8", method: "POST", path: "/api/articles", auth: bearer, contentType: "text/plain", body: []byte("Clashes in Misr\xe2ta."), status: 400, detail: "UTF-8"},
	{name: "POST bad JSON date", method: "POST", path: "/api/articles", auth: bearer, contentType: "application/json", body: []byte(`{"text": "Clashes in Misrata.", "date": "2019-02-30"}`), status: 400, detail: "date"},
	{name: "POST bad query date", method: "POST", path: "/api/articles?date=05/04/2019", auth: bearer, contentType: "text/plain", body: []byte("Clashes in Misrata."), status: 400, detail: "date"},
	{name: "POST bad header date", method: "POST", path: "/api/articles", auth: bearer, contentType: "text/plain", body: []byte("date 2019-13-45\nClashes in Misrata."), status: 400, detail: "date"},
	{name: "POST source too long", method: "POST", path: "/api/articles?source=" + strings.Repeat("s", 201), auth: bearer, contentType: "text/plain", body: []byte("Clashes in Misrata."), status: 400, detail: "source"},
	{name: "POST body over 1 MiB", method: "POST", path: "/api/articles", auth: bearer, contentType: "text/plain", body: bytes.Repeat([]byte("Clashes in Misrata. "), 1<<20/20+1), status: 413, detail: "bytes"},
	{name: "POST JSON over 1 MiB", method: "POST", path: "/api/articles", auth: bearer, contentType: "application/json", body: append(append([]byte(`{"text": "`), bytes.Repeat([]byte("a"), 1<<20)...), `"}`...), status: 413},
	// DELETE and methods
	{name: "DELETE article abc", method: "DELETE", path: "/api/articles/abc", auth: bearer, status: 400, detail: "abc"},
	{name: "DELETE article 99999", method: "DELETE", path: "/api/articles/99999", auth: bearer, status: 404, detail: "99999"},
	{name: "PUT articles", method: "PUT", path: "/api/articles", auth: bearer, contentType: "text/plain", body: []byte("x"), status: 405, detail: "PUT"},
	{name: "PATCH articles", method: "PATCH", path: "/api/articles", auth: bearer, contentType: "text/plain", body: []byte("x"), status: 405, detail: "PATCH"},
	{name: "PUT an article", method: "PUT", path: "/api/articles/1", auth: bearer, contentType: "text/plain", body: []byte("x"), status: 405},
	{name: "DELETE all articles", method: "DELETE", path: "/api/articles", auth: bearer, status: 405},
	{name: "POST to items", method: "POST", path: "/collections/events/items", auth: bearer, contentType: "application/geo+json", body: []byte("{}"), status: 405},
	{name: "DELETE a feature", method: "DELETE", path: "/collections/events/items/x", auth: bearer, status: 405},
}

// TestMalformedRequests runs against a server of its own, so that a
// request wrongly accepted cannot change what other tests read.
func TestMalformedRequests(t *testing.T) {
	ts := newTestServer(t, testToken, true)
	before := ts.get(t, "/api/articles")
	for _, tc := range malformedCases {
		t.Run(tc.name, func(t *testing.T) {
			method := tc.method
			if method == "" {
				method = http.MethodGet
			}
			var headers []string
			if tc.contentType != "" {
				headers = append(headers, "Content-Type", tc.contentType)
			}
			if tc.auth != "" {
				headers = append(headers, "Authorization", tc.auth)
			}
			res := ts.request(t, method, tc.path, tc.body, headers...)
			p := checkProblem(t, res, tc.status)
			if t.Failed() {
				return
			}
			if tc.detail != "" && !strings.Contains(strings.ToLower(p.Detail), strings.ToLower(tc.detail)) {
				t.Errorf("detail %q does not mention %q", p.Detail, tc.detail)
			}
			if p.Instance == "" {
				t.Errorf("problem has no instance")
			}
			if res.header.Get("ETag") != "" {
				t.Errorf("a problem has an ETag %q", res.header.Get("ETag"))
			}
		})
	}
	if len(malformedCases) < 40 {
		t.Errorf("only %d malformed cases", len(malformedCases))
	}
	after := ts.get(t, "/api/articles")
	if string(after.body) != string(before.body) {
		t.Errorf("a malformed request changed the stored articles:\nbefore %s\nafter  %s", clip(before.body), clip(after.body))
	}
}
