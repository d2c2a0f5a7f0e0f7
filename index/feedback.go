package index

import (
	"cmp"
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	bsearch "github.com/blevesearch/bleve/v2/search"
	bq "github.com/blevesearch/bleve/v2/search/query"
	bindex "github.com/blevesearch/bleve_index_api"
	"github.com/folio-search/folio/internal/search"
)

// rerank is pseudo-relevance feedback in the manner of RM3: the words that
// characterise the best rank.FeedbackDocs of hits (frequent in them, each
// article weighted by its score, and rare in the archive) become an
// optional clause, and the first search.FeedbackRerank hits are scored again
// with it. A researcher's word for a subject is seldom the only one its
// stories use; the clause lifts the matches that also speak the
// subject's other words. It never adds a match: what a query finds stays
// what its words say. hits are in relevance order, those the page may
// show with their stored articles. It returns the hits reranked and the
// words, or hits as they were and nil when the query found too few
// articles to learn from. A fill, when not nil, has its candidates scored
// with the hits and ranked.
func (ix *Index) rerank(ctx context.Context, c *compiler, rank Ranking, hits []*bsearch.DocumentMatch, snap *scorch.IndexSnapshot, fill *filling) ([]*bsearch.DocumentMatch, []*bm25TermQuery, []string, error) {
	docs := hits[:min(len(hits), rank.FeedbackDocs)]
	if len(docs) < 2 {
		return hits, nil, nil, nil
	}
	clauses, words, err := ix.expansion(ctx, docs, c, rank)
	if err != nil || clauses == nil {
		return hits, nil, nil, err
	}
	// A flash's headline stands for its body (headline.go): the clause,
	// on bodies only, is scored on it too.
	var flashes map[string]float64
	if rank.HeadlineBody {
		bodies, err := ix.headlineBodies(hits[:min(len(hits), search.FeedbackRerank)])
		if err != nil {
			return nil, nil, nil, err
		}
		weights := make(map[string]float64, len(clauses))
		for _, q := range clauses {
			weights[q.term] += q.boost
		}
		if flashes, err = ix.headlineScores(ctx, rank, bodies, weights); err != nil {
			return nil, nil, nil, err
		}
	}
	top := hits[:min(len(hits), search.FeedbackRerank)]
	scored := top
	var fillSnap *scorch.IndexSnapshot // the fill's candidates' snapshot, once scored with the hits
	if fill != nil && snap != nil {
		// The candidates' stored articles are read now only if their
		// text is to be scored (fillByText's estimate); else the page's
		// are once they are ranked, on the same snapshot.
		_, byText := ix.fillByText(ctx, clauses, hits)
		cands, onSnap, err := fill.candidates(ctx, ix, c, hits, snap, byText)
		switch {
		case err != nil:
			return nil, nil, nil, err
		case onSnap:
			scored = append(slices.Clip(top), cands...)
			fillSnap = snap
		} // else found on a newer snapshot: left unscored, the fill runs apart as before
	}
	extra, err := ix.feedbackScores(ctx, snap, scored, clauses)
	if err != nil {
		return nil, nil, nil, err
	}
	if fillSnap != nil {
		if err := fill.rank(fillSnap, scored[len(top):], extra); err != nil {
			return nil, nil, nil, err
		}
	}
	if extra == nil {
		extra = make(map[string]float64, len(flashes))
	}
	for id, s := range flashes {
		extra[id] += roundScore(s)
	}
	reranked := slices.Clone(top)
	addScores(reranked, extra)
	return append(reranked, hits[len(top):]...), clauses, words, nil
}

// expansion is the clause (one term query a word) of the words that characterise docs
// (search.FeedbackTerms), and the words; nil when none qualifies.
func (ix *Index) expansion(ctx context.Context, docs []*bsearch.DocumentMatch, c *compiler, rank Ranking) ([]*bm25TermQuery, []string, error) {
	asked := map[string]bool{}
	for _, t := range c.matches.terms {
		asked[t.text] = true
	}
	fdocs := make([]search.FeedbackDoc, 0, len(docs))
	counter := newStemCounter(ix.positional, nil) // the stems of the text analyzer (stemcount_test.go)
	for _, h := range docs {
		tf, err := ix.feedbackDocs.stems(h, func() (search.TermCounts, error) {
			title, body, err := matchText(h)
			if err != nil {
				return search.TermCounts{}, err
			}
			tf := make(map[string]int, (len(title)+len(body))/16) // about the distinct words of news text
			counter.addStems(title, tf)
			counter.addStems(body, tf) // apart: as one text with a line between
			return search.CountTerms(tf), nil
		})
		if err != nil {
			return nil, nil, err
		}
		fdocs = append(fdocs, search.FeedbackDoc{Score: h.Score, Terms: tf})
	}
	r, err := ix.reader()
	if err != nil {
		return nil, nil, err
	}
	defer r.Close()
	n, err := r.DocCount()
	if err != nil {
		return nil, nil, fmt.Errorf("search: %w", err)
	}
	var dfs map[string]int
	docFreqs := func(terms []string) (map[string]int, error) {
		dfs = make(map[string]int, len(terms))
		for _, t := range terms {
			count, err := stemDocCount(ctx, r, fBody, t)
			if err != nil {
				return nil, fmt.Errorf("search: %w", err)
			}
			dfs[t] = int(count)
		}
		return dfs, nil
	}
	picked, err := search.FeedbackTerms(fdocs, rank.FeedbackTerms, rank.FeedbackMaxDF, func(t string) bool { return asked[t] }, docFreqs, int(n))
	if err != nil || len(picked) == 0 {
		return nil, nil, err
	}
	clauses := make([]*bm25TermQuery, len(picked))
	words := make([]string, len(picked))
	for i, p := range picked {
		words[i] = strings.TrimPrefix(p.Term, stemMark) // shown as the stem it is
		clauses[i] = &bm25TermQuery{term: p.Term, field: fBody, boost: rank.FeedbackWeight * p.Weight, bm25: rank.bm25(), docFreq: uint64(dfs[p.Term])}
	}
	return clauses, words, nil
}

// feedbackScores is what the feedback clause adds to each of hits (by
// ID): BM25 of each of its words in the article's body, summed and scaled
// by the share of the words the body holds, as Bleve scores a disjunction.
//
// Bleve's postings iterators reach a document by walking every posting
// before it, so scoring a hundred articles scattered over a large archive
// reads the whole postings list of every word, once: the lists are then
// kept decoded (postingscache.go). The same figures come from the hits'
// stored articles, analysed again as they were indexed, at a cost that
// does not grow with the archive. Each is taken where it costs less: the
// postings while the lists not yet decoded are short, the stored text
// once they are long (measured at 20,000 and 1,000,000 articles: a
// posting walked costs about 12–38 ns, a byte of stored article read and
// analysed about 70 ns).
func (ix *Index) feedbackScores(ctx context.Context, snap *scorch.IndexSnapshot, hits []*bsearch.DocumentMatch, clauses []*bm25TermQuery) (map[string]float64, error) {
	ctx = ix.withBM25Stats(ctx)
	st, _ := ctx.Value(bsearch.BM25StatsKey).(*bsearch.BM25Stats)
	if st == nil || st.DocCount == 0 {
		return nil, nil
	}
	dfs, err := ix.clauseDocFreqs(ctx, clauses)
	if err != nil {
		return nil, err
	}
	// The postings to walk: those not decoded yet.
	var segIDs []uint64
	if snap != nil {
		for _, ss := range snap.Segments() {
			segIDs = append(segIDs, ss.Id())
		}
	}
	var postings uint64
	for i, df := range dfs {
		if snap == nil || !ix.postings.holds(segIDs, clauses[i].field, clauses[i].term) {
			postings += df
		}
	}
	// The stored text of hits not read yet is taken to be as long as that
	// of those read.
	stored, read, unread := 0, 0, false
	for _, h := range hits {
		if n, ok := storedSize(h); ok {
			stored += n
			read++
		}
		unread = unread || !mayShow(h)
	}
	if read > 0 {
		stored = stored * len(hits) / read
	}
	if unread || read == 0 || postings < postingsPerStoredByte*uint64(stored) {
		if snap != nil {
			return ix.feedbackOnSnapshot(ctx, st, snap, hits, clauses, dfs)
		}
		return ix.feedbackFromPostings(ctx, hits, clauses)
	}
	return ix.feedbackFromText(ctx, st, hits, clauses, dfs)
}

// addScores adds extra to the scores of hits by ID and orders them
// again, by score and then ID.
func addScores(hits []*bsearch.DocumentMatch, extra map[string]float64) {
	for _, h := range hits {
		h.Score += extra[h.ID]
	}
	sort.SliceStable(hits, func(i, j int) bool {
		if hits[i].Score != hits[j].Score {
			return hits[i].Score > hits[j].Score
		}
		return hits[i].ID < hits[j].ID
	})
}

// reader opens a reader of the index's current snapshot.
func (ix *Index) reader() (bindex.IndexReader, error) {
	adv, err := ix.bleve.Advanced()
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	r, err := adv.Reader()
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	return r, nil
}

// feedbackClause is the disjunction of the feedback words' clauses.
func feedbackClause(clauses []*bm25TermQuery) bq.Query {
	qs := make([]bq.Query, len(clauses))
	for i, q := range clauses {
		qs[i] = q
	}
	return bleve.NewDisjunctionQuery(qs...)
}

// clauseDocFreqs is how many articles hold each clause's term.
func (ix *Index) clauseDocFreqs(ctx context.Context, clauses []*bm25TermQuery) ([]uint64, error) {
	var r bindex.IndexReader
	dfs := make([]uint64, len(clauses))
	for i, q := range clauses {
		if q.docFreq > 0 {
			dfs[i] = q.docFreq // counted when the words were chosen
			continue
		}
		if r == nil {
			var err error
			if r, err = ix.reader(); err != nil {
				return nil, err
			}
			defer r.Close()
		}
		var err error
		if dfs[i], err = stemDocCount(ctx, r, q.field, q.term); err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
	}
	return dfs, nil
}

// postingsPerStoredByte is how many postings walked cost as much as one
// byte of stored article read and analysed (feedbackScores).
const postingsPerStoredByte = 2

// feedbackFromPostings is feedbackScores from the postings: the clause
// scored on hits alone by Bleve.
func (ix *Index) feedbackFromPostings(ctx context.Context, hits []*bsearch.DocumentMatch, clauses []*bm25TermQuery) (map[string]float64, error) {
	ids := make([]string, len(hits))
	for i, h := range hits {
		ids[i] = h.ID
	}
	only := bleve.NewDocIDQuery(ids)
	only.SetBoost(0) // it selects, and adds nothing to the score
	col := &hitCollector{ranked: true, n: len(hits), stored: func(int) bool { return false }}
	sr := bleve.NewSearchRequestOptions(bleve.NewConjunctionQuery(only, feedbackClause(clauses)), len(hits), 0, false)
	sr.Sort = bsearch.SortOrder{&bsearch.SortScore{Desc: true}}
	if _, err := ix.bleve.SearchInContext(col.install(ctx), sr); err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	extra := make(map[string]float64, len(col.hits))
	for _, h := range col.hits {
		extra[h.ID] = roundScore(h.Score)
	}
	return extra, nil
}

// feedbackOnSnapshot is feedbackFromPostings read directly on snap, the
// snapshot the hits were found on: each word's postings in each segment
// are decoded once into ix.postings and looked up there for the hits,
// where a search of the hits' IDs would first look each up and merge the
// words' postings in a heap. The clauses' document frequencies are dfs,
// the index's statistics st.
func (ix *Index) feedbackOnSnapshot(ctx context.Context, st *bsearch.BM25Stats, snap *scorch.IndexSnapshot, hits []*bsearch.DocumentMatch, clauses []*bm25TermQuery, dfs []uint64) (map[string]float64, error) {
	type hitDoc struct {
		doc uint32 // local to its segment
		hit int
	}
	segs, offsets := segmentsOf(snap)
	bySegment := make([][]hitDoc, len(segs))
	for i, h := range hits {
		seg, doc := locate(offsets, binary.BigEndian.Uint64(h.IndexInternalID))
		bySegment[seg] = append(bySegment[seg], hitDoc{doc: uint32(doc), hit: i})
	}
	sums := make([]float64, len(hits))
	matched := make([]int, len(hits))
	m := newMeter(ctx)
	defer m.check()
	for s, docs := range bySegment {
		if len(docs) == 0 {
			continue
		}
		slices.SortFunc(docs, func(a, b hitDoc) int { return cmp.Compare(a.doc, b.doc) })
		for i, q := range clauses {
			key := postingsKey{segment: segs[s].Id(), field: q.field, term: q.term}
			p, walked, err := ix.postings.get(key, func() (*decodedPostings, error) {
				dict, err := segs[s].Segment().Dictionary(q.field)
				if err != nil {
					return nil, err
				}
				terms := [][]byte{[]byte(q.term)}
				if isStem(q.term) && isOwnStem([]byte(q.term)) {
					terms = append(terms, []byte(q.term[len(stemMark):]))
				}
				return decodePostings(dict, terms...)
			})
			if err != nil {
				return nil, fmt.Errorf("search: %w", err)
			}
			if err := m.step(walked+len(docs), 0); err != nil {
				return nil, err
			}
			df := float64(dfs[i])
			weight := q.boost * math.Log(1+(st.DocCount-df+0.5)/(df+0.5))
			avgLen := float64(st.FieldCardinality[q.field]) / st.DocCount
			score := func(d hitDoc, at int) {
				sums[d.hit] += bm25Score(float64(p.freqs[at]), float64(p.norms[at]), weight, avgLen, q.bm25.orDefault())
				matched[d.hit]++
			}
			if len(p.docs) <= mergeShare*len(docs) {
				// A short list is walked beside the hits, in order: reading it
				// through costs less than a search in it for each hit.
				at := 0
				for _, d := range docs {
					for at < len(p.docs) && p.docs[at] < d.doc {
						at++
					}
					if at < len(p.docs) && p.docs[at] == d.doc {
						score(d, at)
					}
				}
				continue
			}
			next := 0
			for _, d := range docs {
				var at int
				if at, next = p.find(d.doc, next); at >= 0 {
					score(d, at)
				}
			}
		}
	}
	extra := make(map[string]float64, len(hits))
	for i, h := range hits {
		if matched[i] > 0 {
			extra[h.ID] = roundScore(sums[i] * float64(matched[i]) / float64(len(clauses)))
		}
	}
	return extra, nil
}

// mergeShare: a word's postings no longer than this many times the hits
// of a segment are walked beside them rather than searched for each
// (feedbackOnSnapshot): a step along the list costs about a
// nanosecond, a binary search's step several, most of them mispredicted.
const mergeShare = 16

// feedbackFromText is feedbackScores from the hits' stored bodies, with
// the clauses' document frequencies dfs and the index's statistics st.
// The words analysed count as positions read in the search's cost.
func (ix *Index) feedbackFromText(ctx context.Context, st *bsearch.BM25Stats, hits []*bsearch.DocumentMatch, clauses []*bm25TermQuery, dfs []uint64) (map[string]float64, error) {
	docs := st.DocCount
	avgLen := float64(st.FieldCardinality[fBody]) / docs
	weights := make([]float64, len(clauses))
	stems := make([]string, len(clauses))
	for i, q := range clauses {
		df := float64(dfs[i])
		weights[i] = q.boost * math.Log(1+(docs-df+0.5)/(df+0.5))
		stems[i] = q.term
	}
	counter := newStemCounter(ix.positional, stems)
	extra := make(map[string]float64, len(hits))
	freqs := make([]int, len(clauses))
	m := newMeter(ctx)
	defer m.check()
	for _, h := range hits {
		_, body, err := matchText(h)
		if err != nil {
			return nil, err
		}
		length := counter.count(body, freqs) // as positionalField counts it
		if err := m.step(0, length); err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
		if length == 0 {
			continue
		}
		norm := float64(float32(1 / math.Sqrt(float64(length)))) // as Bleve keeps it
		sum, matched := 0.0, 0
		for i, f := range freqs {
			if f > 0 {
				matched++
				sum += bm25Score(float64(f), norm, weights[i], avgLen, clauses[i].bm25)
			}
		}
		if matched > 0 {
			extra[h.ID] = roundScore(sum * float64(matched) / float64(len(clauses)))
		}
	}
	return extra, nil
}

// roundScore rounds a feedback score to 1e-9. Bleve sums a disjunction's
// scores in the order its searchers reach a document, which varies with
// the segments; rounded, two copies of a story gain exactly the same and
// keep their order by ID, whichever way the sum was taken.
func roundScore(s float64) float64 { return math.Round(s*1e9) / 1e9 }
