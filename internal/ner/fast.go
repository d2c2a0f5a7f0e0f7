package ner

import (
	"hash/maphash"
	"strings"
	"unsafe"

	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"github.com/folio-search/folio/internal/textnorm"
)

// cachedWord holds a word's token information and the summed weights of the
// features it contributes at each offset -2..2 from the tagged token. Most
// of a token's features depend on one word only, so caching these sums per
// word type makes tagging a few additions per token.
type cachedWord struct {
	// The word, first: the cache compares it. Most words fit in kb, which
	// saves a look at memory elsewhere; longer ones are in key. The
	// token's flags follow in the same cache line (tokInfo).
	hash uint64
	kn   uint8
	kb   [23]byte
	info tokInfo
	key  string
	// The fields that the fast decoder (dense.go) reads of a token's
	// neighbours: hash prefixes of its bigram features and, in the first
	// pass, 1 + the row (denseModel.rowIndex; 0: none) of the word three
	// before or after the token, and of the word in a capitals headline.
	hBigL, hBigR uint64
	p3, n3, caps int32
	sid          int8 // the word's shape in commonShapes, or -1
	// The dense rows the word uses (pointers before the scores: the
	// garbage collector scans no further).
	shape    *shapeRows
	clus     *clusterRows
	prevWord []prevWordRow
	hTri     uint64
	// The word next to the token, for its shape to complete.
	hConjP, hConjN uint64
	prevWordAt     [2][nClass + 1]uint8 // 1 + index in prevWord per pass and previous class, 0: none
	// The word before (conjP) or after (conjN) a token of each common
	// shape, as p3.
	conjP, conjN [nCommon]int32
	// The rows of the word as the last or first word of a run of
	// capitals, or the words before or after it (runWords), by the
	// token's place in the run (runFeatures), as p3.
	run [4][4]int32
	// The bytes of info.lower and info.short, if they fit: the decoder
	// reads them in cache lines it fetches anyway, not from the heap.
	strs   [28]byte
	scores [2][5]row // per pass; each row one cache line
}

// inlineStrings moves info.lower and info.short into cw.strs if they fit.
func (cw *cachedWord) inlineStrings() {
	ti := &cw.info
	nl, ns := len(ti.lower), len(ti.short)
	if nl == 0 || ns == 0 || nl+ns > len(cw.strs) {
		return
	}
	copy(cw.strs[:], ti.lower)
	copy(cw.strs[nl:], ti.short)
	ti.lower = unsafe.String(&cw.strs[0], nl)
	ti.short = unsafe.String(&cw.strs[nl], ns)
}

// wordCache is shared by all goroutines using a Recognizer: an
// open-addressing table of words read without locks; insertions take a
// mutex and grow the table into a copy.
type wordCache struct {
	m     *Model
	dense *denseModel // nil: no fast decoder
	gaz   *gazPair    // for tokInfo.gaz1 (nil: none)
	seed  maphash.Seed
	tab   atomic.Pointer[wordTable]
	mu    sync.Mutex
	n     atomic.Int64
	bound *cachedWord
}

// is reports whether cw is the cached word w, of hash h.
func (cw *cachedWord) is(h uint64, w string) bool {
	if cw.hash != h {
		return false
	}
	if len(w) <= len(cw.kb) {
		return cw.key == "" && int(cw.kn) == len(w) && string(cw.kb[:len(w)]) == w
	}
	return cw.key == w
}

type wordTable struct {
	slots []wordSlot
	mask  uint64
}

// wordSlot keeps a word's hash beside it: a probe compares hashes without
// a look at the word, which is in another cache line. A slot is written
// once, hash first.
type wordSlot struct {
	hash uint64
	w    atomic.Pointer[cachedWord]
}

func newWordTable(size int) *wordTable {
	return &wordTable{slots: make([]wordSlot, size), mask: uint64(size - 1)}
}

// maxCachedWords bounds the cache; rarer words beyond it are recomputed.
const maxCachedWords = 500_000

func newWordCache(m *Model, d *denseModel, gp *gazPair) *wordCache {
	c := &wordCache{m: m, dense: d, gaz: gp, seed: maphash.MakeSeed()}
	c.tab.Store(newWordTable(1 << 14))
	c.bound = c.compute(boundary)
	return c
}

func (c *wordCache) compute(ti tokInfo) *cachedWord {
	cw := &cachedWord{info: ti}
	cw.inlineStrings()
	if c.gaz != nil {
		cw.info.gaz1 = c.gaz.oneWord(ti.lowerKey)
	}
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
			var sc [nClass]float32
			m.addScores(fs, &sc)
			cw.scores[p][k+2] = relRow(&sc)
		}
	}
	if c.dense != nil {
		c.dense.wordRows(cw)
	}
	return cw
}

func (c *wordCache) get(w string) *cachedWord {
	return c.getHashed(w, maphash.String(c.seed, w))
}

// prefetch returns the hash of w for getHashed and has the cache line of
// its first slot fetched.
func (c *wordCache) prefetch(w string) uint64 {
	h := maphash.String(c.seed, w)
	t := c.tab.Load()
	prefetchLine(unsafe.Pointer(&t.slots[h&t.mask]))
	return h
}

// probe returns the cached word of hash h, likely the word sought (is
// tells), or nil, and has its first cache line fetched.
func (c *wordCache) probe(h uint64) *cachedWord {
	t := c.tab.Load()
	for i := h & t.mask; ; i = (i + 1) & t.mask {
		sl := &t.slots[i]
		cw := sl.w.Load()
		if cw == nil || sl.hash == h {
			if cw != nil {
				prefetchLine(unsafe.Pointer(cw))
			}
			return cw
		}
	}
}

// getHashed is get of a word whose hash is h.
func (c *wordCache) getHashed(w string, h uint64) *cachedWord {
	t := c.tab.Load()
	for i := h & t.mask; ; i = (i + 1) & t.mask {
		sl := &t.slots[i]
		cw := sl.w.Load()
		if cw == nil {
			break
		}
		if sl.hash == h && cw.is(h, w) {
			return cw
		}
	}
	cw := c.compute(makeTokInfo(w, c.m.lex))
	if c.n.Load() >= maxCachedWords {
		return cw
	}
	// Keep our own copy of the key: w may point into a large text, which
	// info.word, when folding left w as it was, would keep alive too.
	cw.hash = h
	own := w
	if len(w) <= len(cw.kb) {
		cw.kn = uint8(copy(cw.kb[:], w))
		if len(w) > 0 {
			own = unsafe.String(&cw.kb[0], len(w))
		}
	} else {
		cw.key = strings.Clone(w)
		own = cw.key
	}
	if cw.info.word == w {
		cw.info.word = own
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	t = c.tab.Load()
	for i := h & t.mask; ; i = (i + 1) & t.mask {
		sl := &t.slots[i]
		old := sl.w.Load()
		if old == nil {
			sl.hash = h
			sl.w.Store(cw)
			break
		}
		if sl.hash == h && old.is(h, w) {
			return old
		}
	}
	if n := c.n.Add(1); n*2 > int64(len(t.slots)) {
		nt := newWordTable(2 * len(t.slots))
		for i := range t.slots {
			x := t.slots[i].w.Load()
			if x == nil {
				continue
			}
			j := x.hash & nt.mask
			for nt.slots[j].w.Load() != nil {
				j = (j + 1) & nt.mask
			}
			nt.slots[j].hash = x.hash
			nt.slots[j].w.Store(x)
		}
		c.tab.Store(nt)
	}
	return cw
}

// firstPassEnd is where the fields of a cachedWord that the first pass
// reads end: the second reads the rest.
const firstPassEnd = unsafe.Offsetof(cachedWord{}.scores) + unsafe.Sizeof(cachedWord{}.scores[0])

// taggedSentence is one sentence of a text with its predicted classes.
type taggedSentence struct {
	seg     int // which text (0 = title, 1 = body)
	toks    []Token
	words   []*cachedWord
	ctx     *sentCtx
	classes []int
}

// tagTexts tags the texts of one article as one document: the title and
// body share document-level evidence. It is for tests and benchmarks: the
// sentences last until its next call, which reuses their buffers.
func (r *Recognizer) tagTexts(texts ...string) []*taggedSentence {
	tb := r.textBufs.Swap(nil)
	if tb == nil {
		tb = new(tagBufs)
	}
	sents := r.tag(texts, true, tb)
	r.textBufs.Store(tb)
	return sents
}

// tagBufs are the slabs tag cuts a document's tokens and sentences from.
// Extract, done with the sentences when it returns, hands them back for
// the next document: they were half the bytes it allocated.
type tagBufs struct {
	toks     []Token
	sents    []taggedSentence
	ctxs     []sentCtx
	words    []*cachedWord
	infos    []*tokInfo
	sentPtrs []*taggedSentence
	ctxPtrs  []*sentCtx
	classes  []int // their classes
	// Where the sentences are, before they are cut.
	toksOf [][]Token
	ranges []sentRange
	split  [][2]int
}

// sentRange is a sentence of text seg: tokens [from, to).
type sentRange struct{ seg, from, to int }

var tagBufPool = sync.Pool{New: func() any { return new(tagBufs) }}

// release forgets the document (so that the pool keeps no text or
// sentence alive) and returns tb to the pool.
func (tb *tagBufs) release() {
	clear(tb.toks)
	clear(tb.sents)
	clear(tb.ctxs)
	clear(tb.words)
	clear(tb.infos)
	clear(tb.sentPtrs)
	clear(tb.ctxPtrs)
	clear(tb.toksOf)
	tagBufPool.Put(tb)
}

// slab returns b resized to n zero elements, reusing its storage if large
// enough.
func slab[T any](b []T, n int) []T {
	if cap(b) < n {
		return make([]T, n)
	}
	b = b[:n]
	clear(b)
	return b
}

// tag is tagTexts; with release false, the sentences keep their document
// context (ids, aggregated contexts) for a test to decode them again. The
// tokens and sentences are cut from tb (nil: new slabs).
func (r *Recognizer) tag(texts []string, release bool, tb *tagBufs) []*taggedSentence {
	if tb == nil {
		tb = new(tagBufs)
	}
	// One allocation each for the tokens, sentences, their contexts and
	// their tokens' words, sliced per sentence.
	ranges := tb.ranges[:0]
	tb.toksOf = slab(tb.toksOf, len(texts))
	toksOf := tb.toksOf
	size := 0
	for _, text := range texts {
		size += len(text)/5 + 1
	}
	tb.toks = slab(tb.toks, size)[:0]
	ntok := 0
	for seg, text := range texts {
		from := len(tb.toks)
		tb.toks = tokenizeAppend(tb.toks, text)
		toks := tb.toks[from:len(tb.toks):len(tb.toks)]
		toksOf[seg] = toks
		tb.split = appendSentences(tb.split[:0], text, toks)
		for _, rg := range tb.split {
			ranges = append(ranges, sentRange{seg, rg[0], rg[1]})
			ntok += rg[1] - rg[0]
		}
	}
	tb.ranges = ranges
	tb.sents = slab(tb.sents, len(ranges))
	tb.ctxs = slab(tb.ctxs, len(ranges))
	tb.words = slab(tb.words, ntok)
	tb.infos = slab(tb.infos, ntok)
	tb.sentPtrs = slab(tb.sentPtrs, len(ranges))
	tb.ctxPtrs = slab(tb.ctxPtrs, len(ranges))
	sentSlab, ctxSlab, wordSlab, infoSlab := tb.sents, tb.ctxs, tb.words, tb.infos
	sents, ctxs := tb.sentPtrs, tb.ctxPtrs
	off := 0
	for si, rg := range ranges {
		n := rg.to - rg.from
		ts := &sentSlab[si]
		ts.seg, ts.toks = rg.seg, toksOf[rg.seg][rg.from:rg.to]
		ts.words = wordSlab[off : off+n : off+n]
		ctxSlab[si].toks = infoSlab[off : off+n : off+n]
		off += n
		sents[si], ctxs[si] = ts, &ctxSlab[si]
	}
	for si, ts := range sents {
		s := ctxs[si]
		titleCase := isTitleCase(ts.toks)
		// The words are hashed and their slots of the cache fetched a
		// batch at a time, then the words in those slots, so that the
		// cache misses overlap.
		var ws [32]string
		var hs [32]uint64
		var cand [32]*cachedWord
		for from := 0; from < len(ts.toks); from += len(ws) {
			batch := ts.toks[from:min(from+len(ws), len(ts.toks))]
			for k, t := range batch {
				w := t.Text
				if titleCase && from+k > 0 {
					w = r.truecase(w)
				}
				if x, ok := spelledOutWord(w); ok {
					w = x
				}
				ws[k], hs[k] = w, r.cache.prefetch(w)
			}
			for k := range batch {
				cand[k] = r.cache.probe(hs[k])
			}
			for k := range batch {
				cw := cand[k]
				if cw == nil || !cw.is(hs[k], ws[k]) {
					cw = r.cache.getHashed(ws[k], hs[k])
				}
				ts.words[from+k] = cw
				s.toks[from+k] = &cw.info
			}
		}
		ts.ctx = s
	}
	if r.dense != nil {
		sc := scratchPool.Get().(*docScratch)
		sc.gaz, sc.bufs = r.gaz, tb
		finishDoc(ctxs, r.m.gaz, sc)
		r.decodeFast(sents, ctxs, sc)
		if release {
			sc.release(ctxs)
		}
		return sents
	}
	finishDoc(ctxs, r.m.gaz, nil)
	r.decode(sents, r.m, 0)
	if r.m.next == nil {
		return sents
	}
	pred := make([][]int, len(sents))
	for si, ts := range sents {
		pred[si] = ts.classes
	}
	setStack(ctxs, pred)
	r.decode(sents, r.m.next, 1)
	return sents
}

// decode tags the sentences greedily with pass p (model m) of the model,
// hashing every feature: the reference for decodeFast, and the decoder of
// models it does not handle.
func (r *Recognizer) decode(sents []*taggedSentence, m *Model, p int) {
	hist := docHistory{}
	var fs []uint64
	for _, ts := range sents {
		s := ts.ctx
		n := len(ts.words)
		ts.classes = make([]int, n)
		prev, prev2 := startClass, startClass
		for i := 0; i < n; i++ {
			var sc [nClass]float32
			addRelRow(&sc, &ts.words[i].scores[p][2])
			r.windowScores(&sc, ts, i, p)
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

// rowList gathers the weight rows of one token's features, to be added
// in one go. A token has at most about 130: every gazetteer and list bit
// set, 16 aggregated contexts, and its run and conjunction features.
type rowList struct {
	n int
	r [160]*row
}

func (l *rowList) push(r *row) {
	l.r[l.n] = r
	l.n++
}

// lookup pushes the row of feature f of pass p, if the model has it.
func (l *rowList) lookup(d *denseModel, p int, f uint64) {
	if r, ok := d.row(p, f); ok {
		l.push(r)
	}
}

// sumInto adds the gathered rows to sc and empties the list.
func (l *rowList) sumInto(sc *row) {
	addRows(sc, l.r[:l.n])
	l.n = 0
}

// best returns the best class that may follow prev (sumBest) of the
// scores base and the gathered rows, and empties the list.
func (l *rowList) best(base *row, prev int, last bool) int {
	c := sumBest(base, l.r[:l.n], allowedBits[b2i(last)][prev])
	l.n = 0
	return c
}

// window pushes the rows of the words around token i (bound outside the
// sentence) for pass p.
func (l *rowList) window(w *around, p int) {
	r := (*[4]*row)(l.r[l.n : l.n+4])
	r[0] = &w[1].scores[p][0]
	r[1] = &w[2].scores[p][1]
	r[2] = &w[4].scores[p][3]
	r[3] = &w[5].scores[p][4]
	l.n += 4
}

// around is the words three before to three after a token, bound outside
// the sentence.
type around [7]*cachedWord

// padWords returns the words of a sentence with three bounds on either
// side, in buf if it is large enough: token i's around is pad[i : i+7].
func padWords(buf, words []*cachedWord, bound *cachedWord) []*cachedWord {
	n := len(words)
	buf = slab(buf, n+6)
	buf[0], buf[1], buf[2] = bound, bound, bound
	copy(buf[3:], words)
	buf[n+3], buf[n+4], buf[n+5] = bound, bound, bound
	return buf
}

// decodeFast tags the sentences with both passes of the model, taking the
// weights of small-domain features from the dense rows.
func (r *Recognizer) decodeFast(sents []*taggedSentence, ctxs []*sentCtx, scr *docScratch) {
	d := r.dense
	f := &d.fixed
	// The document history and the aggregated contexts are kept by the
	// document-local id of a capitalised word (finishDoc).
	nIDs := 0
	if len(ctxs) > 0 {
		nIDs = ctxs[0].nIDs
	}
	capID := func(s *sentCtx, i int) int32 {
		if t := s.toks[i]; t.initCap || t.allCap {
			return s.ids[i]
		}
		return -1
	}
	scr.hist = zeroed(scr.hist, nIDs)
	hist := scr.hist
	best := func(id int32) int {
		if id < 0 {
			return -1
		}
		c := &hist[id]
		if c[0]|c[1]|c[2]|c[3]|c[4] == 0 {
			return -1
		}
		return mostFrequent(c)
	}
	var aggRows []row
	var aggDone []bool
	var topicRow row
	if len(ctxs) > 0 && ctxs[0].topic != 0 {
		d.add(0, fTopic(ctxs[0].topic), &topicRow)
	}
	ntok := 0
	for _, ts := range sents {
		ntok += len(ts.words)
	}
	passes := 1
	if d.passes[1] != nil {
		passes = 2
	}
	tb := scr.bufs
	if tb == nil {
		tb = new(tagBufs)
	}
	tb.classes = slab(tb.classes, ntok)
	classSlab := tb.classes
	// The first pass's classes are the answer only without a second
	// pass; otherwise they are scratch.
	first := classSlab
	if passes == 2 {
		scr.first = resized(scr.first, ntok)
		first = scr.first
	}
	var l rowList
	for _, ts := range sents {
		s := ts.ctx
		n := len(ts.words)
		ts.classes, first = first[:n:n], first[n:]
		// First the scores that do not depend on the classes chosen: with
		// no chain from token to token, the look-ups of neighbouring
		// tokens overlap.
		scr.static = resized(scr.static, n)
		static := scr.static
		// The words' fields and first-pass rows, fetched at once rather
		// than one cache miss after another.
		prefetchWords(ts.words, 0, firstPassEnd)
		scr.pad = padWords(scr.pad, ts.words, r.cache.bound)
		for i := 0; i < n; i++ {
			w := (*around)(scr.pad[i : i+7])
			cw, pw, nw := w[3], w[2], w[4]
			ti := &cw.info
			id := capID(s, i)
			static[i] = cw.scores[0][2]
			l.window(w, 0)
			// The bigrams of the token with the words on either side; the
			// one with the previous word is the previous token's right
			// bigram too.
			hl, hr := hashMore2(pw.hBigL, pw.hBigR, ti.lower)
			l.lookup(d, 0, hl)
			if i > 0 {
				if rr, ok := d.row(0, hr); ok {
					addRow(&static[i-1], rr)
				}
			}
			if i == n-1 {
				l.lookup(d, 0, hashMore(cw.hBigR, nw.info.lower))
			}
			sid := cw.sid
			if sid >= 0 && pw.sid >= 0 && nw.sid >= 0 {
				if t := f.tri[pw.sid][sid][nw.sid]; t != nil {
					l.push(t)
				}
			} else {
				l.lookup(d, 0, hashMore(hashMore(pw.hTri, ti.short), nw.info.short))
			}
			if i == 0 {
				l.push(&cw.shape.sentInit)
			}
			if s.capsSent {
				if cw.caps != 0 {
					l.push(d.rowAt(cw.caps))
				}
				l.push(&f.capsStar)
			}
			if g := s.gaz[i]; g != 0 {
				for b := 0; b < 16; b++ {
					if g&(1<<b) != 0 {
						l.push(&cw.shape.gaz[b])
					}
				}
			}
			if g := s.ext[i]; g != 0 {
				for b := 0; b < 16; b++ {
					if g&(1<<b) != 0 {
						l.push(&cw.shape.ext[b])
						if s.gaz[i]&(1<<b) != 0 {
							l.push(&f.extBoth[b])
						}
					}
				}
			}
			if ti.casePrior >= 0 && (i == 0 || s.capsSent) {
				if ti.casePrior < 8 {
					l.push(&f.casePrior[ti.casePrior][b2i(s.capsSent)])
				} else {
					l.lookup(d, 0, fCasePriorInit(int(ti.casePrior), s.capsSent))
				}
			}
			if s.agg != nil && len(s.agg[i]) > 0 {
				if id < 0 {
					for _, h := range s.agg[i] {
						l.lookup(d, 0, h)
					}
				} else {
					// Every occurrence of a word has the same aggregated
					// context: sum its weights once.
					if aggRows == nil {
						scr.aggRows, scr.aggDone = resized(scr.aggRows, nIDs), zeroed(scr.aggDone, nIDs)
						aggRows, aggDone = scr.aggRows, scr.aggDone
					}
					if !aggDone[id] {
						aggRows[id] = row{}
						for _, h := range s.agg[i] {
							d.add(0, h, &aggRows[id])
						}
						aggDone[id] = true
					}
					l.push(&aggRows[id])
				}
			}
			if s.topic != 0 && ti.hasAlpha && (ti.initCap || ti.allCap) {
				if s.topic == ctxs[0].topic {
					l.push(&topicRow)
				} else {
					l.lookup(d, 0, fTopic(s.topic))
				}
				// Kinds 1-3 (no dateline topic) have rows ahead.
				if bits := s.gaz[i] | s.ext[i]; bits == 0 && s.topic < 4 {
					l.push(&f.topicGaz0[s.topic])
				} else {
					l.lookup(d, 0, fTopicGaz(s.topic, bits))
				}
				if len(ti.cluster) >= 6 {
					if s.topic < 4 {
						l.push(&cw.clus.topic[s.topic])
					} else {
						l.lookup(d, 0, fTopicCluster(s.topic, ti.cluster[:6]))
					}
				}
			}
			if s.docCap != nil && s.docCap[i] >= 0 && ti.hasAlpha && (i == 0 || s.capsSent) {
				if s.docCap[i] < 2 {
					l.push(&f.docCap[s.docCap[i]])
				} else {
					l.lookup(d, 0, fDocCap(int(s.docCap[i])))
				}
			}
			// conjFeatures, from the neighbours' cached hashes and rows.
			if sid >= 0 {
				if k := pw.conjP[sid]; k != 0 {
					l.push(d.rowAt(k))
				}
				if k := nw.conjN[sid]; k != 0 {
					l.push(d.rowAt(k))
				}
			} else {
				l.lookup(d, 0, hashMore(pw.hConjP, ti.short))
				l.lookup(d, 0, hashMore(nw.hConjN, ti.short))
			}
			if k := w[0].p3; k != 0 {
				l.push(d.rowAt(k))
			}
			if k := w[6].n3; k != 0 {
				l.push(d.rowAt(k))
			}
			// runFeatures, from the rows of the run's words.
			if !s.capsSent && isCapTok(ti) {
				a, b := capRun(s, i)
				pos := runPos(a, b, i)
				l.push(&f.runLen[min(b-a, 4)][pos])
				if b-a > 1 {
					// pad holds token j at j+3.
					ws := [4]*cachedWord{scr.pad[b+2], scr.pad[a+3], scr.pad[a+2], scr.pad[b+3]}
					for k, rw := range ws {
						if x := rw.run[k][pos]; x != 0 {
							l.push(d.rowAt(x))
						}
					}
				}
			}
			l.sumInto(&static[i])
		}
		prev, prev2 := startClass, startClass
		for i := 0; i < n; i++ {
			id := capID(s, i)
			d.tagRows(&l, ts.words[i], 0, prev, prev2, best(id))
			c := l.best(&static[i], prev, i == n-1)
			ts.classes[i] = c
			if id >= 0 {
				hist[id][classType(c)+1]++
			}
			prev2, prev = prev, c
		}
	}
	if d.passes[1] == nil {
		return
	}
	scr.pred = resized(scr.pred, len(sents))
	pred := scr.pred
	for si, ts := range sents {
		pred[si] = ts.classes
	}
	vals := stackValues(ctxs, pred, scr)
	clear(hist)
	for si, ts := range sents {
		n := len(ts.words)
		classes := classSlab[:n:n]
		classSlab = classSlab[n:]
		scr.static = resized(scr.static, n)
		static := scr.static
		prefetchWords(ts.words, firstPassEnd, unsafe.Sizeof(cachedWord{}))
		scr.pad = padWords(scr.pad, ts.words, r.cache.bound)
		for i := 0; i < n; i++ {
			w := (*around)(scr.pad[i : i+7])
			cw := w[3]
			static[i] = cw.scores[1][2]
			l.window(w, 1)
			d.stackRows(&l, &vals[si][i], cw)
			l.sumInto(&static[i])
		}
		prev, prev2 := startClass, startClass
		for i := 0; i < n; i++ {
			cw := ts.words[i]
			id := capID(ts.ctx, i)
			d.tagRows(&l, cw, 1, prev, prev2, best(id))
			c := l.best(&static[i], prev, i == n-1)
			classes[i] = c
			if id >= 0 {
				hist[id][classType(c)+1]++
			}
			prev2, prev = prev, c
		}
		ts.classes = classes
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
			addRelRow(sc, &r.cache.bound.scores[p][k+2])
		} else {
			addRelRow(sc, &ts.words[j].scores[p][k+2])
		}
	}
}

// addClassRow adds the full class weights w to sc, unrolled: it is the
// innermost loop of the reference tagger.
func addClassRow(sc, w *[nClass]float32) {
	sc[0] += w[0]
	sc[1] += w[1]
	sc[2] += w[2]
	sc[3] += w[3]
	sc[4] += w[4]
	sc[5] += w[5]
	sc[6] += w[6]
	sc[7] += w[7]
	sc[8] += w[8]
	sc[9] += w[9]
	sc[10] += w[10]
	sc[11] += w[11]
	sc[12] += w[12]
	sc[13] += w[13]
	sc[14] += w[14]
	sc[15] += w[15]
	sc[16] += w[16]
}

// addRow adds r to sc, unrolled.
func addRow(sc, r *row) {
	sc[0] += r[0]
	sc[1] += r[1]
	sc[2] += r[2]
	sc[3] += r[3]
	sc[4] += r[4]
	sc[5] += r[5]
	sc[6] += r[6]
	sc[7] += r[7]
	sc[8] += r[8]
	sc[9] += r[9]
	sc[10] += r[10]
	sc[11] += r[11]
	sc[12] += r[12]
	sc[13] += r[13]
	sc[14] += r[14]
	sc[15] += r[15]
}

// addRelRow adds r to the full class scores sc: class 0 gains nothing.
func addRelRow(sc *[nClass]float32, r *row) {
	for c, v := range r {
		sc[c+1] += v
	}
}

// bestAllowedRel is bestAllowed over scores relative to class 0 (whose
// score is then 0). The allowed classes are in increasing order: only the
// first can be 0.
func bestAllowedRel(sc *row, prev int, last bool) int {
	cs := allowedNext[prev]
	if last {
		cs = allowedLast[prev]
	}
	best := int(cs[0])
	var bs float32
	if best > 0 {
		bs = sc[best-1]
	}
	for _, c := range cs[1:] {
		if v := sc[c-1]; v > bs {
			best, bs = int(c), v
		}
	}
	return best
}

// allowedBits[last][prev] is allowedNext[prev] (last 0) or
// allowedLast[prev] (last 1) as a set of bits, for sumBest.
var allowedBits = func() (b [2][nClass + 1]uint32) {
	for p := range nClass + 1 {
		for _, c := range allowedNext[p] {
			b[0][p] |= 1 << c
		}
		for _, c := range allowedLast[p] {
			b[1][p] |= 1 << c
		}
	}
	return b
}()

// nClass is 17 and a row 16 wide: addClassRow and addRow spell out every
// class, addRows fills four SSE registers.
var _ = [1]int{}[nClass-17]

// spelledOut gives the tagger the words it knows from its training data for
// abbreviations that news sites use but the Reuters data of 1996 does not.
var spelledOut = map[string]string{
	"pres.": "President", "amb.": "Ambassador", "int'l": "International", "sen.": "Senator",
	"gov.": "Governor", "gen.": "General", "govt.": "Government", "dept.": "Department",
}

// spelledOutWord returns the spelled-out form of an abbreviation in
// spelledOut. Those are short and end in "." or "l": most words are
// passed over without folding.
func spelledOutWord(w string) (string, bool) {
	if len(w) < 4 || len(w) > 7 {
		return "", false
	}
	switch w[len(w)-1] {
	case '.', 'l', 'L':
	default:
		return "", false
	}
	x, ok := spelledOut[strings.ToLower(textnorm.Fold(w))]
	return x, ok
}

// isTitleCase reports whether a sentence is set in headline style, with
// most longer words capitalised; then capitals say little about names.
func isTitleCase(toks []Token) bool {
	words, caps := 0, 0
	for _, t := range toks {
		if len(t.Text) < 4 {
			continue
		}
		r, _ := utf8.DecodeRuneInString(t.Text)
		if !unicode.IsLetter(r) {
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
