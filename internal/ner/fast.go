package ner

import (
	"strings"

	"github.com/folio-search/folio/internal/textnorm"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"
)

// cachedWord holds a word's token information and the summed weights of the
// features it contributes at each offset -2..2 from the tagged token. Most
// of a token's features depend on one word only, so caching these sums per
// word type makes tagging a few additions per token.
type cachedWord struct {
	info   tokInfo
	scores [2][5][nClass]float32 // per pass
}

// wordCache is shared by all goroutines using a Recognizer. Its shards
// are plain maps under read-write locks, quicker to read than a sync.Map.
type wordCache struct {
	m      *Model
	shards [64]struct {
		sync.RWMutex
		words map[string]*cachedWord
	}
	n     atomic.Int64
	bound *cachedWord
}

func shardOf(w string) int {
	if w == "" {
		return 0
	}
	return (len(w)*31 + int(w[0]) + int(w[len(w)-1])*7) & 63
}

// maxCachedWords bounds the cache; rarer words beyond it are recomputed.
const maxCachedWords = 500_000

func newWordCache(m *Model) *wordCache {
	c := &wordCache{m: m}
	c.bound = c.compute(boundary)
	return c
}

func (c *wordCache) compute(ti tokInfo) *cachedWord {
	cw := &cachedWord{info: ti}
	var buf [64]uint64
	for k := -2; k <= 2; k++ {
		var fs []uint64
		if k == 0 {
			fs = wordFeatures(buf[:0], &cw.info)
		} else {
			fs = windowFeatures(buf[:0], &cw.info, k)
		}
		// The passes share the feature hashes.
		for p, m := 0, c.m; m != nil && p < 2; p, m = p+1, m.next {
			m.addScores(fs, &cw.scores[p][k+2])
		}
	}
	return cw
}

func (c *wordCache) get(w string) *cachedWord {
	sh := &c.shards[shardOf(w)]
	sh.RLock()
	cw, ok := sh.words[w]
	sh.RUnlock()
	if ok {
		return cw
	}
	cw = c.compute(makeTokInfo(w, c.m.lex))
	if c.n.Load() < maxCachedWords {
		sh.Lock()
		if sh.words == nil {
			sh.words = map[string]*cachedWord{}
		}
		if old, ok := sh.words[w]; ok {
			cw = old
		} else {
			// Keep our own copy of the key: w may point into a large text.
			sh.words[strings.Clone(w)] = cw
			c.n.Add(1)
		}
		sh.Unlock()
	}
	return cw
}

// taggedSentence is one sentence of a text with its predicted classes.
type taggedSentence struct {
	seg     int // which text (0 = title, 1 = body)
	toks    []Token
	words   []*cachedWord
	ctx     *sentCtx
	classes []int
	base2   [][nClass]float32 // second pass: scores of the features shared with the first
}

// tagTexts tags the texts of one article as one document: the title and
// body share document-level evidence.
func (r *Recognizer) tagTexts(texts ...string) []*taggedSentence {
	var sents []*taggedSentence
	for seg, text := range texts {
		toks := Tokenize(text)
		for _, rg := range SplitSentences(text, toks) {
			ts := &taggedSentence{seg: seg, toks: toks[rg[0]:rg[1]]}
			sents = append(sents, ts)
		}
	}
	ctxs := make([]*sentCtx, len(sents))
	for si, ts := range sents {
		ts.words = make([]*cachedWord, len(ts.toks))
		s := &sentCtx{toks: make([]*tokInfo, len(ts.toks))}
		titleCase := isTitleCase(ts.toks)
		for i, t := range ts.toks {
			w := t.Text
			if titleCase && i > 0 {
				w = r.truecase(w)
			}
			if x, ok := spelledOut[strings.ToLower(textnorm.Fold(w))]; ok {
				w = x
			}
			cw := r.cache.get(w)
			ts.words[i] = cw
			s.toks[i] = &cw.info
		}
		ts.ctx = s
		ctxs[si] = s
	}
	finishDoc(ctxs, r.m.gaz)
	if r.m.next == nil || r.m.next.light {
		r.decode(sents, r.m, 0)
		if r.m.next == nil {
			return sents
		}
	} else {
		r.decodeFirst(sents)
	}
	pred := make([][]int, len(sents))
	for si, ts := range sents {
		pred[si] = ts.classes
	}
	setStack(ctxs, pred)
	r.decodeSecond(sents)
	return sents
}

// decode tags the sentences greedily with pass p (model m) of the model.
func (r *Recognizer) decode(sents []*taggedSentence, m *Model, p int) {
	hist := docHistory{}
	var fs []uint64
	for _, ts := range sents {
		s := ts.ctx
		n := len(ts.words)
		ts.classes = make([]int, n)
		prev, prev2 := startClass, startClass
		for i := 0; i < n; i++ {
			sc := ts.words[i].scores[p][2]
			for k := -2; k <= 2; k++ {
				if k == 0 {
					continue
				}
				j := i + k
				var row *[nClass]float32
				if j < 0 || j >= n {
					row = &r.cache.bound.scores[p][k+2]
				} else {
					row = &ts.words[j].scores[p][k+2]
				}
				for c := range sc {
					sc[c] += row[c]
				}
			}
			if m.light {
				fs = append(fs[:0], s.stack[i]...)
			} else {
				fs = contextFeatures(fs[:0], s, i)
			}
			fs = tagFeatures(fs, s, i, prev, prev2, hist.best(s.toks[i]))
			m.addScores(fs, &sc)
			c := bestAllowed(&sc, prev, i == n-1)
			ts.classes[i] = c
			hist.record(s.toks[i], c)
			prev2, prev = prev, c
		}
	}
}

// windowScores adds the cached scores of the words around token i for
// pass p to sc.
func (r *Recognizer) windowScores(sc *[nClass]float32, ts *taggedSentence, i, p int) {
	n := len(ts.words)
	for k := -2; k <= 2; k++ {
		if k == 0 {
			continue
		}
		j := i + k
		if j < 0 || j >= n {
			addRow(sc, &r.cache.bound.scores[p][k+2])
		} else {
			addRow(sc, &ts.words[j].scores[p][k+2])
		}
	}
}

// addPair adds the weights of features fs to sc1 (first pass) and sc2.
func (r *Recognizer) addPair(fs []uint64, sc1, sc2 *[nClass]float32) {
	w1, w2 := r.m.w, r.m.next.w
	for _, f := range fs {
		s := r.pairs.slot(f)
		if s.key == 0 {
			continue
		}
		if q := int(s.rows[0]); q >= 0 && sc1 != nil {
			addRow(sc1, (*[nClass]float32)(w1[q*nClass:]))
		}
		if q := int(s.rows[1]); q >= 0 && sc2 != nil {
			addRow(sc2, (*[nClass]float32)(w2[q*nClass:]))
		}
	}
}

// addRow adds row to sc, unrolled: it is the tagger's innermost loop.
func addRow(sc, row *[nClass]float32) {
	sc[0] += row[0]
	sc[1] += row[1]
	sc[2] += row[2]
	sc[3] += row[3]
	sc[4] += row[4]
	sc[5] += row[5]
	sc[6] += row[6]
	sc[7] += row[7]
	sc[8] += row[8]
	sc[9] += row[9]
	sc[10] += row[10]
	sc[11] += row[11]
	sc[12] += row[12]
	sc[13] += row[13]
	sc[14] += row[14]
	sc[15] += row[15]
	sc[16] += row[16]
}

// nClass is 17: addRow spells out every class.
var _ = [1]int{}[nClass-17]

// decodeFirst is decode for the first of two passes; it also sums the
// second pass's scores of the features that do not depend on tags.
func (r *Recognizer) decodeFirst(sents []*taggedSentence) {
	hist := docHistory{}
	var fs []uint64
	for _, ts := range sents {
		s := ts.ctx
		n := len(ts.words)
		ts.classes = make([]int, n)
		ts.base2 = make([][nClass]float32, n)
		prev, prev2 := startClass, startClass
		for i := 0; i < n; i++ {
			sc := ts.words[i].scores[0][2]
			r.windowScores(&sc, ts, i, 0)
			fs = contextFeatures(fs[:0], s, i)
			r.addPair(fs, &sc, &ts.base2[i])
			fs = tagFeatures(fs[:0], s, i, prev, prev2, hist.best(s.toks[i]))
			r.addPair(fs, &sc, nil)
			c := bestAllowed(&sc, prev, i == n-1)
			ts.classes[i] = c
			hist.record(s.toks[i], c)
			prev2, prev = prev, c
		}
	}
}

// decodeSecond is decode for the second pass, after decodeFirst and setStack.
func (r *Recognizer) decodeSecond(sents []*taggedSentence) {
	hist := docHistory{}
	var fs []uint64
	for _, ts := range sents {
		s := ts.ctx
		n := len(ts.words)
		prev, prev2 := startClass, startClass
		for i := 0; i < n; i++ {
			sc := ts.words[i].scores[1][2]
			r.windowScores(&sc, ts, i, 1)
			if ts.base2 != nil {
				addRow(&sc, &ts.base2[i])
			}
			fs = append(fs[:0], s.stack[i]...)
			fs = tagFeatures(fs, s, i, prev, prev2, hist.best(s.toks[i]))
			if r.pairs != nil {
				r.addPair(fs, nil, &sc)
			} else {
				r.m.next.addScores(fs, &sc)
			}
			c := bestAllowed(&sc, prev, i == n-1)
			ts.classes[i] = c
			hist.record(s.toks[i], c)
			prev2, prev = prev, c
		}
	}
}

// spelledOut gives the tagger the words it knows from its training data for
// abbreviations that news sites use but the Reuters data of 1996 does not.
var spelledOut = map[string]string{
	"pres.": "President", "amb.": "Ambassador", "int'l": "International", "sen.": "Senator",
	"gov.": "Governor", "gen.": "General", "govt.": "Government", "dept.": "Department",
}

// isTitleCase reports whether a sentence is set in headline style, with
// most longer words capitalised; then capitals say little about names.
func isTitleCase(toks []Token) bool {
	words, caps := 0, 0
	for _, t := range toks {
		r, _ := utf8.DecodeRuneInString(t.Text)
		if !unicode.IsLetter(r) || len(t.Text) < 4 {
			continue
		}
		words++
		if unicode.IsUpper(r) {
			caps++
		}
	}
	return words >= 3 && caps*10 >= words*7
}

// truecase lower-cases a capitalised word of a headline when unlabelled news
// mostly writes it in lower case ("Invitation", "Attend"), so that the
// tagger sees the headline as running text.
func (r *Recognizer) truecase(w string) string {
	ch, _ := utf8.DecodeRuneInString(w)
	if !unicode.IsUpper(ch) {
		return w
	}
	lw := strings.ToLower(w)
	if b, ok := r.m.lex.caseOf[lw]; ok && b <= 1 {
		return lw
	}
	return w
}
