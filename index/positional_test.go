package index

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2"
	bq "github.com/blevesearch/bleve/v2/search/query"
	bindex "github.com/blevesearch/bleve_index_api"

	"github.com/folio-search/folio/corpus"
	"github.com/folio-search/folio/internal/query"
	"github.com/folio-search/folio/internal/search"
)

// The positional analyzer puts each word's marked stem at the word's own
// position, and none for a stop word.
func TestPositionalAnalyzerRepeatsStemsInPlace(t *testing.T) {
	ix := sampleIndex(t)
	type tok struct {
		term string
		pos  int
	}
	var got []tok
	for _, tk := range ix.positional.Analyze([]byte("The Minister’s talks were running")) {
		got = append(got, tok{strings.ReplaceAll(string(tk.Term), stemMark, "~"), tk.Position})
	}
	want := []tok{{"the", 1}, {"minister's", 2}, {"~minist", 2}, {"talks", 3}, {"~talk", 3},
		{"were", 4}, {"running", 5}, {"~run", 5}}
	if !slices.Equal(got, want) {
		t.Errorf("positional tokens %v, want %v", got, want)
	}
	// A query's stems are those the index holds.
	if q := ix.analyze(ix.text, "Running"); !slices.Equal(q, []string{stemMark + "run"}) {
		t.Errorf("query stems %q", q)
	}
}

// Bleve's scorch keeps two terms at one position: phrases over the exact
// words match as if the stems were not there, stems match as terms, and a
// field's length is its count of positions. (Bleve's own phrase searcher
// agrees on an index of unpacked positions: TestPhraseSearcherAgreesWithBleve.)
func TestScorchKeepsStemsBesideWords(t *testing.T) {
	ix, err := Open(t.TempDir() + "/index")
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if err := ix.Put(
		corpus.Article{ID: "a", Title: "Talks", Body: "The ministers were running the talks in Baku"},
		corpus.Article{ID: "b", Body: "Running ministers talk"},
		corpus.Article{ID: "c", Body: "the minister ran"},
	); err != nil {
		t.Fatal(err)
	}
	ids := func(q bq.Query) []string {
		req := bleve.NewSearchRequestOptions(q, 10, 0, false)
		res, err := ix.bleve.SearchInContext(ix.withBM25Stats(context.Background()), req)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, h := range res.Hits {
			out = append(out, h.ID)
		}
		slices.Sort(out)
		return out
	}
	for _, tc := range []struct {
		q    bq.Query
		want []string
	}{
		{&exactPhraseQuery{field: fBody, words: []string{"were", "running", "the", "talks"}}, []string{"a"}},
		{&exactPhraseQuery{field: fBody, words: []string{"running", "ministers"}}, []string{"b"}},
		{&exactPhraseQuery{field: fBody, words: []string{"running", "talks"}}, nil},
		{&sloppyPhraseQuery{field: fBody, words: []string{"running", "talks"}, slop: 1}, []string{"a"}},
		{&sloppyPhraseQuery{field: fBody, words: []string{"ministers", "running"}, slop: 2}, []string{"a", "b"}},
		{&bm25TermQuery{field: fBody, term: stemMark + "minist"}, []string{"a", "b", "c"}},
		{&bm25TermQuery{field: fBody, term: stemMark + "talk"}, []string{"a", "b"}},
		{&bm25TermQuery{field: fBody, term: "talk"}, []string{"b"}},
		{&bm25TermQuery{field: fBody, term: stemMark + "the"}, nil},
		{&bm25TermQuery{field: fTitle, term: stemMark + "talk"}, []string{"a"}},
	} {
		if got := ids(tc.q); !slices.Equal(got, tc.want) {
			t.Errorf("%#v: %v, want %v", tc.q, got, tc.want)
		}
	}

	r, err := ix.bleve.Advanced()
	if err != nil {
		t.Fatal(err)
	}
	rd, err := r.Reader()
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	fields, err := rd.Fields()
	if err != nil {
		t.Fatal(err)
	}
	if slices.Contains(fields, "_all") {
		t.Errorf("the index has a composite field: %v", fields)
	}
	// A body's length counts its positions but stop words once, not its
	// terms (a: 8 words, 4 of them stop words, and 4 stems), whichever
	// kind is read.
	positions := map[string]float64{"a": 4, "b": 3, "c": 2}
	for _, term := range []string{"the", stemMark + "minist"} {
		tfr, err := rd.TermFieldReader(context.Background(), []byte(term), fBody, true, true, true)
		if err != nil {
			t.Fatal(err)
		}
		seen := 0
		for {
			var d bindex.TermFieldDoc
			n, err := tfr.Next(&d)
			if err != nil {
				t.Fatal(err)
			}
			if n == nil {
				break
			}
			seen++
			id, err := rd.ExternalID(n.ID)
			if err != nil {
				t.Fatal(err)
			}
			if length := math.Round(1 / (n.Norm * n.Norm)); length != positions[id] {
				t.Errorf("%q in %s: field length %v, want %v", term, id, length, positions[id])
			}
			if isStem(term) != (len(n.Vectors) == 0) {
				t.Errorf("%q in %s: %d positions kept", term, id, len(n.Vectors))
			}
		}
		if seen < 2 {
			t.Errorf("%q: %d postings", term, seen)
		}
		tfr.Close()
	}
	// Prefix and fuzzy dictionaries of the field hold words alone.
	fz := rd.(bindex.IndexReaderFuzzy)
	for name, open := range map[string]func() (bindex.FieldDict, error){
		"prefix": func() (bindex.FieldDict, error) { return rd.FieldDictPrefix(fBody, []byte("mi")) },
		"fuzzy":  func() (bindex.FieldDict, error) { return fz.FieldDictFuzzy(fBody, "ministr", 2, "") },
	} {
		d, err := open()
		if err != nil {
			t.Fatal(err)
		}
		var terms []string
		for e, err := d.Next(); e != nil && err == nil; e, err = d.Next() {
			terms = append(terms, e.Term)
		}
		d.Close()
		if len(terms) == 0 || slices.ContainsFunc(terms, isStem) {
			t.Errorf("%s expands to %q", name, terms)
		}
	}
}

// An index written by an older Folio, whose fields are not positional or
// whose stored records another dictionary compressed, or by a newer one,
// is refused with a message that says to rebuild it.
func TestOlderSchemaIsRefused(t *testing.T) {
	for _, c := range []struct{ name, key, older string }{
		{"articles", "index", "5"}, {"articles, stored without dictionary", "index", "6"},
		{"articles, with a stem for every word", "index", "7"},
		{"articles of a newer Folio", "index", "11"},
		{"quotes", "quotes", "3"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "index")
			ix, err := Open(dir)
			if err != nil {
				t.Fatal(err)
			}
			target := ix.bleve
			if c.key == "quotes" {
				target = ix.quotes
			}
			if err := target.SetInternal([]byte(schemaKey), []byte(c.older)); err != nil {
				t.Fatal(err)
			}
			if err := ix.Close(); err != nil {
				t.Fatal(err)
			}
			_, err = Open(dir)
			if err == nil {
				t.Fatalf("an index of schema %s opened", c.older)
			}
			if msg := err.Error(); !strings.Contains(msg, "another version of Folio") || !strings.Contains(msg, "ingest again") {
				t.Errorf("error %q does not say to rebuild", msg)
			}
			if _, serr := os.Stat(dir); serr != nil {
				t.Errorf("the refused index was touched: %v", serr)
			}
		})
	}
}

// On news text, the positional analyzer's words are the exact analyzer's
// and its stems the stemming analyzer's, each at the same position: what
// the two fields it replaced held. A stem that is the word at its
// position is not repeated: the word is marked as its own stem instead,
// and isOwnStem says so of the stem, so that a ranked term reads the word.
func TestPositionalAnalyzerHoldsBothAnalyses(t *testing.T) {
	ix := sampleIndex(t)
	type tok struct {
		term string
		pos  int
	}
	own := 0
	for _, a := range firstReuters(t, 1000) {
		for _, text := range []string{a.Title, a.Body} {
			var words, stems, wantWords, wantStems []tok
			ownAt := map[int]string{}
			for _, tk := range ix.positional.Analyze([]byte(text)) {
				switch {
				case isStem(string(tk.Term)):
					stems = append(stems, tok{string(tk.Term), tk.Position})
				case tk.Type == ownStem:
					ownAt[tk.Position] = string(tk.Term)
					stems = append(stems, tok{string(markStem(tk.Term)), tk.Position})
					fallthrough
				default:
					words = append(words, tok{string(tk.Term), tk.Position})
				}
			}
			for _, tk := range ix.exact.Analyze([]byte(text)) {
				wantWords = append(wantWords, tok{string(tk.Term), tk.Position})
			}
			for _, tk := range ix.text.Analyze([]byte(text)) {
				wantStems = append(wantStems, tok{string(tk.Term), tk.Position})
				if w, ok := ownAt[tk.Position]; ok {
					own++
					if string(tk.Term) != string(markStem([]byte(w))) || !isOwnStem(tk.Term) {
						t.Errorf("article %s: %q at %d is marked its own stem; the stem is %q", a.ID, w, tk.Position, tk.Term)
					}
				} else if isOwnStem(tk.Term) && slices.Contains(wantWords, tok{string(tk.Term[len(stemMark):]), tk.Position}) {
					t.Errorf("article %s: %q at %d is its own stem, not marked so", a.ID, tk.Term, tk.Position)
				}
			}
			slices.SortFunc(stems, func(x, y tok) int { return x.pos - y.pos })
			if !slices.Equal(words, wantWords) || !slices.Equal(stems, wantStems) {
				t.Fatalf("article %s: positional analysis differs:\nwords %v\nwant  %v\nstems %v\nwant  %v", a.ID, words, wantWords, stems, wantStems)
			}
		}
	}
	if own == 0 {
		t.Error("no word was its own stem")
	}
}

// Suggestions and spelling corrections offer words as written, never a
// stem: "minist" and "govern" (the stems of ministers and governments)
// are no words of the text.
func TestSuggestionsAndCorrectionsReadWordsOnly(t *testing.T) {
	ix, err := Open(t.TempDir() + "/index")
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if err := ix.Put(corpus.Article{ID: "a", Title: "Ministers meet", Body: "The ministers of two governments were running the talks."}); err != nil {
		t.Fatal(err)
	}
	table, err := ix.suggestions(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var words []string
	for _, e := range table.entries {
		words = append(words, e.key)
	}
	if slices.ContainsFunc(words, isStem) || !slices.Contains(words, "ministers") {
		t.Errorf("suggestion vocabulary %q", words)
	}
	// ministerx is one edit from ministers; goverm is one from the stem
	// govern alone.
	for _, c := range []struct {
		typo, want string
		hits       uint64
	}{{"ministerx", "ministers", 1}, {"goverm", "", 0}} {
		res, err := ix.Search(context.Background(), search.Request{Query: query.Term{Text: c.typo}})
		if err != nil {
			t.Fatal(err)
		}
		if res.DidYouMean != c.want || res.Total != c.hits {
			t.Errorf("%s: did you mean %q, %d hits; want %q, %d", c.typo, res.DidYouMean, res.Total, c.want, c.hits)
		}
	}
}

// A ranked term reads a stem that is also a word from the word's postings
// and the stem's: the same matches, frequencies and document frequency as
// one posting of every form, in plain reading and when a conjunction
// advances it.
func TestOwnStemReadsTheWordAndTheStem(t *testing.T) {
	ix := openTemp(t)
	bodies := map[string]string{
		"d1": "Oil and oil again.", "d2": "Oils rose.", "d3": "Oil's price and oils.",
		"d4": "Gas only.", "d5": "Oil near gas.", "d6": "Oils near gas.", "d7": "Nothing here.",
	}
	for id, body := range bodies {
		if err := ix.Put(corpus.Article{ID: id, Body: body}); err != nil {
			t.Fatal(err)
		}
	}
	stem := string(markStem([]byte("oil")))
	if !isOwnStem([]byte(stem)) || isOwnStem(markStem([]byte("oils"))) {
		t.Fatal("oil is not its own stem, or oils is")
	}
	want := map[string]float64{"d1": 2, "d2": 1, "d3": 2, "d5": 1, "d6": 1} // frequencies
	idf := math.Log(1 + (7-5+0.5)/(5+0.5))
	search := func(q bq.Query) map[string]float64 {
		t.Helper()
		res, err := ix.bleve.SearchInContext(context.Background(), bleve.NewSearchRequestOptions(q, 100, 0, false))
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]float64{}
		for _, h := range res.Hits {
			got[h.ID] = h.Score
		}
		return got
	}
	got := search(&bm25TermQuery{term: stem, field: fBody})
	if len(got) != len(want) {
		t.Fatalf("matches %v, want %v", got, want)
	}
	for id, f := range want {
		if s := idf * f * (bm25K1 + 1) / (f + bm25K1); math.Abs(got[id]-s) > 1e-9 {
			t.Errorf("%s scored %v, want %v (frequency %v of 5 documents in 7)", id, got[id], s, f)
		}
	}
	gas := bq.NewTermQuery("gas")
	gas.SetField(fBody)
	got = search(bq.NewConjunctionQuery([]bq.Query{gas, &bm25TermQuery{term: stem, field: fBody}}))
	if _, ok5 := got["d5"]; !ok5 || len(got) != 2 || got["d6"] == 0 {
		t.Errorf("oil and gas matched %v, want d5 d6", got)
	}
	// Written again, each article leaves a deleted copy behind, which is
	// not counted; a new article is, though the count before it was kept.
	count := func(want uint64) {
		t.Helper()
		adv, err := ix.bleve.Advanced()
		if err != nil {
			t.Fatal(err)
		}
		r, err := adv.Reader()
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		if c, err := stemDocCount(context.Background(), r, fBody, stem); err != nil || c != want {
			t.Errorf("document frequency %d (%v), want %d", c, err, want)
		}
	}
	count(5)
	for _, id := range []string{"d1", "d2", "d4"} {
		if err := ix.Put(corpus.Article{ID: id, Body: bodies[id]}); err != nil {
			t.Fatal(err)
		}
	}
	count(5)
	if err := ix.Put(corpus.Article{ID: "d8", Body: "More oil."}); err != nil {
		t.Fatal(err)
	}
	count(6)
}

// The union's live size is counted without making it, deleted documents
// taken off once whichever list holds them.
func TestLiveUnion(t *testing.T) {
	bm := roaring.BitmapOf
	for _, c := range []struct {
		a, b, del *roaring.Bitmap
		want      uint64
	}{
		{nil, nil, nil, 0},
		{bm(1, 2), nil, nil, 2},
		{nil, bm(1, 2), bm(2), 1},
		{bm(1, 2, 3), bm(3, 4), nil, 4},
		{bm(1, 2, 3), bm(3, 4), bm(3), 3},
		{bm(1, 2, 3), bm(3, 4), bm(1, 3, 4, 9), 1},
		{bm(1, 2, 3), bm(3, 4), roaring.New(), 4},
	} {
		if got := liveUnion(c.a, c.b, c.del); got != c.want {
			t.Errorf("liveUnion(%v, %v, %v) = %d, want %d", c.a, c.b, c.del, got, c.want)
		}
	}
}

// openUnpacked opens a new index of schema 9 at dir, as the Folio before
// schema 10 made it: each position in a location of its own, the date a
// Bleve date field.
func openUnpacked(t testing.TB, dir string) *Index {
	t.Helper()
	if err := create(dir, unpackedSchemaVersion); err != nil {
		t.Fatal(err)
	}
	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	if ix.packedPositions || ix.datedByDay {
		t.Fatal("an index of schema 9 is written as schema 10")
	}
	return ix
}

// unpackedAndPacked are an index of schema 9 and a new one, each holding
// articles in two batches, so that each has more than one segment.
func unpackedAndPacked(t testing.TB, articles []corpus.Article) (plain, packed *Index) {
	t.Helper()
	plain = openUnpacked(t, t.TempDir()+"/plain")
	packed, err := Open(t.TempDir() + "/packed")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { packed.Close() })
	half := len(articles) / 2
	for _, ix := range []*Index{plain, packed} {
		if err := ix.Put(articles[:half]...); err != nil {
			t.Fatal(err)
		}
		if err := ix.Put(articles[half:]...); err != nil {
			t.Fatal(err)
		}
	}
	return plain, packed
}

// A word's positions packed into one location read back as they were,
// whether it is met once, twice, three times or more, and unpacked
// locations read as they always did.
func TestPackedPositionsReadBack(t *testing.T) {
	ix := sampleIndex(t)
	text := []byte("the oil price and the oil output and the oil minister said the oil talks end; the the")
	f := newPositionalField(fBody, string(text), ix.positional, true)
	f.Analyze()
	plain := newPositionalField(fBody, string(text), ix.positional, false)
	plain.Analyze()
	vectors := func(tf *bindex.TokenFreq) []*bindex.TermFieldVector {
		var out []*bindex.TermFieldVector
		for _, l := range tf.Locations {
			out = append(out, &bindex.TermFieldVector{Pos: uint64(l.Position), Start: uint64(l.Start),
				End: uint64(l.End), ArrayPositions: l.ArrayPositions})
		}
		return out
	}
	want := map[string][]uint64{"the": {1, 5, 9, 13, 17, 18}, "oil": {2, 6, 10, 14}, "and": {4, 8},
		"price": {3}, "talks": {15}, stemMark + "talk": nil}
	for term, positions := range want {
		tf, ok := f.freqs[term]
		if !ok {
			t.Fatalf("no %q", term)
		}
		if tf.Frequency() != max(len(positions), 1) {
			t.Errorf("%q: frequency %d, want %d", term, tf.Frequency(), len(positions))
		}
		if got := appendPositions(nil, vectors(tf)); !slices.Equal(got, positions) {
			t.Errorf("%q: packed positions read %v, want %v", term, got, positions)
		}
		if len(positions) > 0 && len(tf.Locations) != 1 {
			t.Errorf("%q: %d locations packed, want 1", term, len(tf.Locations))
		}
		unpacked := plain.freqs[term]
		if got := appendPositions(nil, vectors(unpacked)); !slices.Equal(got, positions) {
			t.Errorf("%q: unpacked positions read %v, want %v", term, got, positions)
		}
		if len(unpacked.Locations) != len(positions) {
			t.Errorf("%q: %d unpacked locations, want %d", term, len(unpacked.Locations), len(positions))
		}
	}
	if f.length != plain.length {
		t.Errorf("packing changed the field length: %d, want %d", f.length, plain.length)
	}
}

// An index written before positions were packed (schema 9) opens and takes
// more articles in its own kind; its phrases, slop and ranking answer as a
// new index's do, on segments of both kinds once a version 10 segment is
// merged with them.
func TestUnpackedIndexAnswersAsPacked(t *testing.T) {
	plain, packed := unpackedAndPacked(t, firstReuters(t, 600))
	ctx := context.Background()
	queries := []string{`"the company said"`, `"mln dlrs" oil`, `"company expects"~3`,
		`oil prices`, `"in the first quarter"`, `"that that"`, `"net loss" OR "net profit"`}
	for _, s := range queries {
		n, err := query.Parse(s)
		if err != nil {
			t.Fatal(err)
		}
		req := search.Request{Query: n, Size: 10, Fragments: 1}
		want, err := plain.Search(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		got, err := packed.Search(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		if got.Total != want.Total || !reflect.DeepEqual(got.Hits, want.Hits) {
			t.Errorf("%s: packed %d %v, unpacked %d %v", s, got.Total, hitIDs(got), want.Total, hitIDs(want))
		}
		if s == queries[0] && want.Total == 0 {
			t.Fatalf("%s finds nothing: the test is not testing", s)
		}
	}
}
