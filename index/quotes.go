package index

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"maps"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"

	gojson "github.com/goccy/go-json"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/mapping"
	bq "github.com/blevesearch/bleve/v2/search/query"
	bindex "github.com/blevesearch/bleve_index_api"

	"github.com/folio-search/folio/corpus"
	"github.com/folio-search/folio/internal/facet"
	"github.com/folio-search/folio/internal/textnorm"
)

// Lineage: the same quote in several articles is one quote record. Two
// quotes are the same when their normalised texts (quoteKey) are equal, or
// near variants when their sets of normalised words overlap by at least
// nearOverlap (shared words over the larger set's size).
const nearOverlap = 0.9

// maxCachedQuoteWords bounds Index.quoteWords (a vocabulary, a few tens
// of megabytes at most); past it the cache starts again.
const maxCachedQuoteWords = 1 << 20

// minLineageWords is the fewest words a quote has for its lineage to be
// followed across articles.
const minLineageWords = 3

// nearCandidates bounds the records a quote is compared with to find a
// near variant.
const nearCandidates = 50

// quoteRecord is a quote and its lineage: every article that carries it,
// first appearance first. It is stored as JSON with short keys.
type quoteRecord struct {
	Seen []quoteSeen `json:"o"`
}

// quoteSeen is one article's copy of a quote.
type quoteSeen struct {
	Article string     `json:"a"`
	Title   string     `json:"t,omitempty"`
	URL     string     `json:"u,omitempty"`
	Date    *time.Time `json:"d,omitempty"`
	Tags    []string   `json:"g,omitempty"`
	Text    string     `json:"x"`
	Norm    string     `json:"-"` // quoteKey(Text), not stored
	Speaker string     `json:"s,omitempty"`
	Kind    string     `json:"k,omitempty"`
	Cue     string     `json:"c,omitempty"`
	Start   int        `json:"b"`
	End     int        `json:"e"`
	InTitle bool       `json:"h,omitempty"` // Start and End are in Title
}

// decodeQuoteRecord decodes an inflated quote record. Every copy of a
// quote reads its record again to extend it, so a record of many
// appearances is read many times; github.com/goccy/go-json reads the JSON
// encoding/json reads (FuzzDecodeQuoteRecord) three times as fast, 45 µs
// for a record of 46 appearances where encoding/json took 151.
func decodeQuoteRecord(js []byte, rec *quoteRecord) error {
	return gojson.Unmarshal(js, rec)
}

// decodeRecord reads a record stored by quoteRecord.document.
func decodeRecord(stored string) (*quoteRecord, error) {
	var rec *quoteRecord
	err := readStored(stored, func(r io.Reader) error {
		buf := recordBuffers.Get().(*bytes.Buffer)
		defer recordBuffers.Put(buf)
		buf.Reset()
		if _, err := buf.ReadFrom(r); err != nil {
			return err
		}
		rec = &quoteRecord{}
		return decodeQuoteRecord(buf.Bytes(), rec)
	})
	if err != nil {
		return nil, err
	}
	// The appearances of a quote mostly share its text.
	for i := range rec.Seen {
		if i > 0 && rec.Seen[i].Text == rec.Seen[i-1].Text {
			rec.Seen[i].Norm = rec.Seen[i-1].Norm
		} else {
			rec.Seen[i].Norm = quoteKey(rec.Seen[i].Text)
		}
	}
	return rec, nil
}

// recordBuffers hold inflated quote records while they are parsed.
var recordBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// seenBefore orders appearances: earliest date (undated last), then
// earliest article ID.
func seenBefore(a, b quoteSeen) int {
	switch {
	case a.Date != nil && b.Date == nil:
		return -1
	case a.Date == nil && b.Date != nil:
		return 1
	case a.Date != nil && !a.Date.Equal(*b.Date):
		return a.Date.Compare(*b.Date)
	}
	return strings.Compare(a.Article, b.Article)
}

// quoteKey is a quote's text normalised for lineage: quote marks,
// apostrophes and case folded, apostrophes dropped, other punctuation and
// runs of white space as one space.
func quoteKey(text string) string {
	var b strings.Builder
	space := false
	for _, r := range textnorm.Key(text) {
		switch {
		case r == '\'':
			continue
		case unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.IsMark(r):
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		default:
			space = true
		}
	}
	return b.String()
}

// normHash names a normalised text in the quote index's exact-lineage
// field: a short fixed-size term costs the term dictionary far less than
// the whole text would.
func normHash(norm string) string {
	h := sha256.Sum256([]byte(norm))
	return hex.EncodeToString(h[:12])
}

// wordSet is the distinct words of a quote key.
func wordSet(key string) map[string]bool {
	out := map[string]bool{}
	for _, w := range strings.Fields(key) {
		out[w] = true
	}
	return out
}

// overlap is the words two sets share over the larger set's size.
func overlap(a, b map[string]bool) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	shared := 0
	for w := range a {
		if b[w] {
			shared++
		}
	}
	return float64(shared) / float64(max(len(a), len(b)))
}

// articleIDs lists the distinct articles carrying r, first appearance first.
func (r *quoteRecord) articleIDs() []string {
	var out distinct
	for _, s := range r.Seen {
		out.add(s.Article)
	}
	return out.list
}

// distinct is a list of distinct non-empty strings in the order they were
// first added.
type distinct struct {
	list []string
	set  map[string]bool
}

func (d *distinct) add(v string) {
	if v == "" || d.set[v] {
		return
	}
	if d.set == nil {
		d.set = map[string]bool{}
	}
	d.set[v] = true
	d.list = append(d.list, v)
}

// document is what the quote index, of mapping m, holds for r under id;
// positional analyses its words.
func (r *quoteRecord) document(id string, m mapping.IndexMapping, positional analysis.Analyzer, packed bool) (*document.Document, error) {
	first := r.Seen[0]
	d := map[string]interface{}{
		fSortDate: sortDateKey(first.Date, id),
	}
	// A record gains an appearance each time its quote is written again,
	// mostly with the same text, speaker and tags: each distinct value is
	// worked on once, in the order of its first appearance.
	var speakers, speakerKeys, norms, words, tagKeys distinct
	seenNorm, seenSpeaker, seenTag := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, s := range r.Seen {
		if !seenSpeaker[s.Speaker] {
			seenSpeaker[s.Speaker] = true
			speakers.add(s.Speaker)
			speakerKeys.add(facet.Key(s.Speaker))
		}
		if !seenNorm[s.Norm] {
			seenNorm[s.Norm] = true
			norms.add(normHash(s.Norm))
			for w := range wordSet(s.Norm) {
				words.add(w)
			}
		}
		for _, t := range s.Tags {
			if !seenTag[t] {
				seenTag[t] = true
				tagKeys.add(facet.Key(t))
			}
		}
	}
	if len(speakers.list) > 0 {
		d[fqSpeaker] = speakers.list // with doc values, for the speaker facet
	}
	if first.Date != nil {
		t := first.Date.UTC()
		d[fDate] = time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
		d[fMonth] = t.Format(monthLayout)
		d[fDay] = t.Format(dayLayout)
	}
	// The words are one text, split where the spaces are: an array would
	// be one field for each word, which costs Bleve many times more.
	d[fqWords] = strings.Join(words.list, " ")
	stored, err := compressStored(r)
	if err != nil {
		return nil, fmt.Errorf("encode quote %s: %w", id, err)
	}
	d[fqRecord] = stored
	doc, err := textDocument(m, positional, packed, id, d, map[string]string{fBody: first.Text})
	if err != nil {
		return nil, err
	}
	// The lists of keywords that only filters read are a field each, not
	// a field per value (keywords.go).
	lists := []struct {
		field  string
		values []string
	}{{fqArticles, r.articleIDs()}, {fqSpeakerKey, speakerKeys.list}, {fqNorm, norms.list}, {keyField(fqTag), tagKeys.list}}
	for _, l := range lists {
		if len(l.values) == 0 {
			continue
		}
		f, err := newKeywordsField(m, l.field, l.values)
		if err != nil {
			return nil, err
		}
		doc.AddField(f)
	}
	return doc, nil
}

// quoteBatch updates the quote records for the batches of articles of an
// ingest: it drops the links of the articles' former quotes and links
// their quotes now. Records are read from the committed quote index and
// kept here, changed, until they are written together (flushQuotes): one
// segment for many article batches costs far less to build and merge than
// one each, and lineage among the quotes of the ingest is found here,
// without a search.
type quoteBatch struct {
	ix        *Index
	ctx       context.Context
	r         bindex.IndexReader
	recs      map[string]*quoteRecord    // every record read or made, by ID
	dirty     map[string]bool            // IDs of the records changed, to be written
	byNorm    map[string]string          // normalised text -> record ID, for quotes placed here
	byWord    map[string]map[string]bool // word -> IDs of records read or made here
	byArticle map[string][]string        // article -> IDs of the records it was linked to here
	counts    map[string]uint64          // records by word, of the quote being placed (rarest)
	// dict caches count: the committed records do not change while a
	// batch is pending, and a batch's quotes share most of their words.
	dict    map[string]uint64
	wordsOf map[string]map[string]bool // word sets by normalised text (words)
}

// maxPendingQuotes is how many records a pending quote batch holds before
// it is written, whatever the ingest: it bounds the memory they take.
const maxPendingQuotes = 5_000

// writeQuotes brings the quote records up to date with articles, which were
// just written, and with the deleted articles. The records are written
// when the ingest finishes (FinishIngest), when maxPendingQuotes are held,
// on Close, and at once for a deletion; until then quote searches do not
// see them. Quote writes are serialised (ix.quoteMu).
func (ix *Index) writeQuotes(ctx context.Context, articles []corpus.Article, deleted []string) error {
	ix.quoteMu.Lock()
	defer ix.quoteMu.Unlock()
	qb := ix.pendingQuotes
	if qb == nil {
		adv, err := ix.quotes.Advanced()
		if err != nil {
			return err
		}
		r, err := adv.Reader()
		if err != nil {
			return err
		}
		// Like the articles' batches, pending records are written whole
		// once begun, whoever's context began them.
		qb = &quoteBatch{ix: ix, ctx: context.WithoutCancel(ctx), r: r, recs: map[string]*quoteRecord{}, dirty: map[string]bool{},
			byNorm: map[string]string{}, byWord: map[string]map[string]bool{}, byArticle: map[string][]string{},
			dict: map[string]uint64{}, wordsOf: map[string]map[string]bool{}}
		ix.pendingQuotes = qb
	}
	if err := qb.place(articles, deleted); err != nil {
		ix.dropPendingQuotes()
		return err
	}
	if len(deleted) > 0 || len(qb.recs) >= maxPendingQuotes {
		return ix.flushQuotesLocked()
	}
	return nil
}

// place unlinks the deleted articles and links the quotes of articles.
func (qb *quoteBatch) place(articles []corpus.Article, deleted []string) error {
	for _, id := range deleted {
		if err := qb.unlink(id); err != nil {
			return err
		}
	}
	// An ID written twice in a batch is the last one, as Bleve keeps it.
	last := map[string]int{}
	for i := range articles {
		last[articles[i].ID] = i
	}
	for i := range articles {
		if last[articles[i].ID] == i {
			if err := qb.unlink(articles[i].ID); err != nil {
				return err
			}
		}
	}
	for i := range articles {
		if last[articles[i].ID] == i {
			if err := qb.link(&articles[i]); err != nil {
				return err
			}
		}
	}
	return nil
}

// flushQuotes writes the pending quote records.
func (ix *Index) flushQuotes() error {
	ix.quoteMu.Lock()
	defer ix.quoteMu.Unlock()
	return ix.flushQuotesLocked()
}

// optimizeQuotes merges the quote index's segments, as an optimizing
// ingest ends. Each flush writes a segment, and each record a flush
// rewrites stays behind, deleted, in an older one; on Reuters the merged
// quote index is a fifth smaller (11.0 → 9.0 MB). It is small beside the
// articles', so merging it whole costs little.
func (ix *Index) optimizeQuotes(ctx context.Context) error {
	return forceMerge(ctx, ix.quotes, filepath.Join(ix.dir, quotesDir))
}

// dropPendingQuotes forgets the pending records, after an error: their
// articles' quotes are left out until the articles are written again.
func (ix *Index) dropPendingQuotes() {
	if ix.pendingQuotes != nil {
		ix.pendingQuotes.r.Close()
		ix.pendingQuotes = nil
	}
	ix.quoteWords = nil
}

func (ix *Index) flushQuotesLocked() error {
	qb := ix.pendingQuotes
	if qb == nil {
		return nil
	}
	ix.pendingQuotes = nil
	defer qb.r.Close()
	if len(qb.dirty) == 0 {
		return nil
	}
	// Only changed records are written: most records read here were
	// candidates for a near variant and stay as they were.
	b := ix.quotes.NewBatch()
	for id := range qb.dirty {
		rec := qb.recs[id]
		if len(rec.Seen) == 0 {
			b.Delete(id)
			continue
		}
		slices.SortStableFunc(rec.Seen, seenBefore)
		d, err := rec.document(id, ix.quotes.Mapping(), ix.positional, ix.packedPositions)
		if err == nil {
			err = b.IndexAdvanced(d)
		}
		if err != nil {
			ix.quoteWords = nil
			return fmt.Errorf("index quote %s: %w", id, err)
		}
	}
	if err := ix.quotes.Batch(b); err != nil {
		ix.quoteWords = nil
		return fmt.Errorf("write quotes: %w", err)
	}
	// The cached counts stay upper bounds: every word of every record
	// written counts once more, whether or not the record held it before.
	// (Once for each appearance: a text that several hold counts as often.)
	times := map[string]uint64{}
	for id := range qb.dirty {
		clear(times)
		for _, s := range qb.recs[id].Seen {
			times[s.Norm]++
		}
		for norm, k := range times {
			for w := range qb.words(norm) {
				if n, ok := ix.quoteWords[w]; ok {
					ix.quoteWords[w] = n + k
				}
			}
		}
	}
	return nil
}

// count is an upper bound of the committed records with term in field
// (deleted ones may still be counted), from the term dictionary.
func (qb *quoteBatch) count(field, term string) (uint64, error) {
	key := field + "\x00" + term
	if n, ok := qb.dict[key]; ok {
		return n, nil
	}
	if field == fqWords {
		if n, ok := qb.ix.quoteWords[term]; ok {
			return n, nil
		}
	}
	tfr, err := qb.r.TermFieldReader(qb.ctx, []byte(term), field, false, false, false)
	if err != nil {
		return 0, err
	}
	defer tfr.Close()
	n := tfr.Count()
	if field != fqWords {
		qb.dict[key] = n
		return n, nil
	}
	if qb.ix.quoteWords == nil || len(qb.ix.quoteWords) >= maxCachedQuoteWords {
		qb.ix.quoteWords = map[string]uint64{}
	}
	qb.ix.quoteWords[term] = n
	return n, nil
}

// matching returns the IDs of committed records that q matches, by ID.
func (qb *quoteBatch) matching(q bq.Query, size int) ([]string, error) {
	sr := bleve.NewSearchRequestOptions(q, size, 0, false)
	sr.SortBy([]string{"_id"})
	res, err := qb.ix.quotes.SearchInContext(qb.ctx, sr)
	if err != nil {
		return nil, fmt.Errorf("quote lineage: %w", err)
	}
	ids := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		ids[i] = h.ID
	}
	return ids, nil
}

func termQuery(field, term string) bq.Query {
	q := bleve.NewTermQuery(term)
	q.SetField(field)
	return q
}

// record returns the record id, read from the index the first time.
func (qb *quoteBatch) record(id string) (*quoteRecord, error) {
	if rec, ok := qb.recs[id]; ok {
		return rec, nil
	}
	d, err := qb.ix.quotes.Document(id)
	if err != nil {
		return nil, err
	}
	rec := &quoteRecord{}
	if d != nil {
		var stored string
		d.VisitFields(func(f bindex.Field) {
			if f.Name() == fqRecord {
				stored = string(f.Value())
			}
		})
		if rec, err = decodeRecord(stored); err != nil {
			return nil, fmt.Errorf("stored quote %s is damaged: %w", id, err)
		}
	}
	qb.keep(id, rec)
	return rec, nil
}

// keep holds rec in the batch and indexes its words for near variants.
func (qb *quoteBatch) keep(id string, rec *quoteRecord) {
	qb.recs[id] = rec
	for i, s := range rec.Seen {
		if i == 0 || s.Norm != rec.Seen[i-1].Norm {
			qb.note(id, s.Norm)
		}
	}
}

func (qb *quoteBatch) note(id, norm string) {
	for w := range qb.words(norm) {
		if qb.byWord[w] == nil {
			qb.byWord[w] = map[string]bool{}
		}
		qb.byWord[w][id] = true
	}
}

// unlink removes article id from every record that holds it.
func (qb *quoteBatch) unlink(article string) error {
	drop := func(id string) error {
		rec, err := qb.record(id)
		if err != nil {
			return err
		}
		rec.Seen = slices.DeleteFunc(rec.Seen, func(s quoteSeen) bool { return s.Article == article })
		qb.dirty[id] = true
		return nil
	}
	// Records linked while pending are not committed yet.
	for _, id := range qb.byArticle[article] {
		if err := drop(id); err != nil {
			return err
		}
	}
	delete(qb.byArticle, article)
	// Most articles written are new, or quote nothing: a look in the
	// term dictionary spares them a search.
	n, err := qb.count(fqArticles, article)
	if err != nil || n == 0 {
		return err
	}
	ids, err := qb.matching(termQuery(fqArticles, article), int(n))
	if err != nil {
		return err
	}
	for _, id := range ids {
		if err := drop(id); err != nil {
			return err
		}
	}
	return nil
}

// link adds a's quotes to their records, making new ones as needed.
func (qb *quoteBatch) link(a *corpus.Article) error {
	done := map[string]bool{}
	for _, q := range a.Quotes {
		norm := quoteKey(q.Text)
		if norm == "" || done[norm] {
			continue // one appearance per article
		}
		done[norm] = true
		// A fragment of a word or two ("delighted", "golden rule") said in
		// two articles is a coincidence, not one quote travelling: it keeps
		// a record of its own, which no other article joins.
		lineage := len(qb.words(norm)) >= minLineageWords
		var id string
		if lineage {
			var err error
			if id, err = qb.find(norm); err != nil {
				return err
			}
		}
		if id == "" {
			h := sha256.Sum256([]byte(norm + "\x00" + a.ID))
			id = "q" + hex.EncodeToString(h[:8])
		}
		if lineage {
			qb.byNorm[norm] = id
		}
		rec, ok := qb.recs[id]
		var err error
		if !ok {
			if rec, err = qb.record(id); err != nil {
				return err
			}
		}
		var date *time.Time
		if a.Date != nil {
			t := a.Date.UTC()
			date = &t
		}
		rec.Seen = append(rec.Seen, quoteSeen{
			Article: a.ID, Title: a.Title, URL: a.URL, Date: date, Tags: a.Tags,
			Text: q.Text, Norm: norm, Speaker: q.Speaker, Kind: q.SpeakerKind, Cue: q.Cue,
			Start: q.Start, End: q.End, InTitle: q.InTitle,
		})
		qb.dirty[id] = true
		qb.byArticle[a.ID] = append(qb.byArticle[a.ID], id)
		if lineage {
			qb.note(id, norm)
		}
	}
	return nil
}

// find returns the ID of the record that norm belongs to, or "": one
// holding the same normalised text, else the nearest variant at or over
// nearOverlap.
func (qb *quoteBatch) find(norm string) (string, error) {
	if id, ok := qb.byNorm[norm]; ok && qb.holds(id, norm) {
		return id, nil
	}
	var ids []string
	if n, err := qb.count(fqNorm, normHash(norm)); err != nil {
		return "", err
	} else if n > 0 {
		if ids, err = qb.matching(termQuery(fqNorm, normHash(norm)), 1); err != nil {
			return "", err
		}
	}
	if len(ids) > 0 {
		if _, err := qb.record(ids[0]); err != nil {
			return "", err
		}
		if qb.holds(ids[0], norm) {
			return ids[0], nil
		}
	}
	// A variant within the overlap shares at least nearOverlap of norm's n
	// words, so it lacks at most miss of them and holds at least k-miss of
	// any k. Records are looked up by the k rarest words with that minimum:
	// two words for a short quote (it must hold both), more for a long one.
	words := qb.words(norm)
	miss := len(words) - int(math.Ceil(nearOverlap*float64(len(words))-1e-9))
	rare, err := qb.rarest(words, miss+2)
	if err != nil {
		return "", err
	}
	need := max(len(rare)-miss, 1)
	cands := map[string]bool{}
	held := map[string]int{}
	var qs []bq.Query
	committed := 0
	for _, w := range rare {
		qs = append(qs, termQuery(fqWords, w))
		for id := range qb.byWord[w] {
			held[id]++
		}
		if qb.counts[w] > 0 {
			committed++
		}
	}
	for id, n := range held {
		if n >= need {
			cands[id] = true
		}
	}
	if committed >= need {
		q := bleve.NewDisjunctionQuery(qs...)
		q.SetMin(float64(need))
		ids, err := qb.matching(q, nearCandidates)
		if err != nil {
			return "", err
		}
		for _, id := range ids {
			cands[id] = true
		}
	}
	best, bestID := 0.0, ""
	for _, id := range slices.Sorted(maps.Keys(cands)) {
		rec, err := qb.record(id)
		if err != nil {
			return "", err
		}
		for i, s := range rec.Seen {
			if i > 0 && s.Norm == rec.Seen[i-1].Norm {
				continue // the same overlap again
			}
			if o := overlap(words, qb.words(s.Norm)); o >= nearOverlap && o > best {
				best, bestID = o, id
			}
		}
	}
	return bestID, nil
}

// words is the word set of a normalised text, made once per batch.
func (qb *quoteBatch) words(norm string) map[string]bool {
	if w, ok := qb.wordsOf[norm]; ok {
		return w
	}
	w := wordSet(norm)
	qb.wordsOf[norm] = w
	return w
}

// holds reports whether record id still has an appearance of norm.
func (qb *quoteBatch) holds(id, norm string) bool {
	rec := qb.recs[id]
	if rec == nil {
		return false
	}
	for _, s := range rec.Seen {
		if s.Norm == norm {
			return true
		}
	}
	return false
}

// rarest returns the n words held by the fewest records, committed or
// pending; it leaves the committed counts in qb.counts.
func (qb *quoteBatch) rarest(words map[string]bool, n int) ([]string, error) {
	counts := map[string]uint64{}
	held := map[string]int{}
	for w := range words {
		n, err := qb.count(fqWords, w)
		if err != nil {
			return nil, err
		}
		counts[w] = n
		held[w] = int(n) + len(qb.byWord[w])
	}
	qb.counts = counts
	out := slices.Sorted(maps.Keys(words))
	slices.SortStableFunc(out, func(a, b string) int { return held[a] - held[b] })
	return out[:min(n, len(out))], nil
}
