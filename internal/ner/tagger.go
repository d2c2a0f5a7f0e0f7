package ner

// Model is a trained tagger: feature weights, word clusters and the
// gazetteer of names seen in training.
type Model struct {
	index map[uint64]int32 // feature hash -> row of w
	table *featTable       // the same, for fast look-ups
	w     []float32        // rows of nClass weights
	lex   *lexicon
	gaz   gazetteer
	next  *Model  // second pass over this one's predictions, or nil
	light bool    // a second pass without sentence and document features
	unit  float32 // what a weight of 1 in w is worth (0: 1)
}

// addScores adds the weights of features fs to sc.
func (m *Model) addScores(fs []uint64, sc *[nClass]float32) {
	if m.table == nil {
		m.buildTable()
	}
	for _, f := range fs {
		r, ok := m.table.get(f)
		if !ok {
			continue
		}
		addClassRow(sc, (*[nClass]float32)(m.w[int(r)*nClass:]))
	}
}

// vocab caches tokInfo per word form.
type vocab struct {
	lex *lexicon
	m   map[string]*tokInfo
}

func newVocab(lex *lexicon) *vocab {
	return &vocab{lex: lex, m: map[string]*tokInfo{}}
}

func (v *vocab) get(w string) *tokInfo {
	if ti, ok := v.m[w]; ok {
		return ti
	}
	ti := makeTokInfo(w, v.lex)
	v.m[w] = &ti
	return &ti
}

// prepareDoc builds the feature context of each sentence of a document.
func prepareDoc(sents [][]string, v *vocab, g gazetteer) []*sentCtx {
	out := make([]*sentCtx, len(sents))
	for si, words := range sents {
		s := &sentCtx{toks: make([]*tokInfo, len(words))}
		for i, w := range words {
			s.toks[i] = v.get(w)
		}
		out[si] = s
	}
	finishDoc(out, g, nil)
	return out
}

// finishDoc sets the sentence- and document-level context: the capitals
// headline flag, gazetteer matches and the document's evidence about each
// word's capitalisation.
func finishDoc(out []*sentCtx, g gazetteer, sc *docScratch) {
	if sc == nil {
		sc = new(docScratch)
	}
	// The per-token slices of all sentences come from one allocation.
	ntok := 0
	for _, s := range out {
		ntok += len(s.toks)
	}
	sc.bits, sc.caps = slab(sc.bits, 2*ntok), slab(sc.caps, ntok)
	bits, caps8 := sc.bits, sc.caps
	for _, s := range out {
		n := len(s.toks)
		s.gaz, s.ext, s.docCap = bits[:0:n], bits[n:n:2*n], caps8[:n:n]
		bits, caps8 = bits[2*n:], caps8[n:]
	}
	for _, s := range out {
		alpha, caps := 0, 0
		for _, ti := range s.toks {
			if ti.hasAlpha && len(ti.word) > 1 {
				alpha++
				if ti.allCap {
					caps++
				}
			}
		}
		s.capsSent = alpha >= 3 && caps*10 >= alpha*8
		if sc.gaz != nil {
			s.gaz, s.ext = sc.gaz.markInto(s, s.gaz, s.ext)
		} else {
			g.mark(s)
			s.ext = featureLists().markInto(s, s.ext)
		}
	}
	// Every word with letters gets a document-local id for its lower-cased
	// form, so that the evidence below is kept in slices.
	ids := &sc.ids
	ids.reset(ntok)
	sc.tokIDs = zeroed(sc.tokIDs, ntok)
	off := 0
	for _, s := range out {
		s.ids = sc.tokIDs[off : off+len(s.toks) : off+len(s.toks)]
		off += len(s.toks)
		for i, t := range s.toks {
			if !t.hasAlpha {
				s.ids[i] = -1
				continue
			}
			s.ids[i] = ids.id(t.lowerKey)
		}
	}
	for _, s := range out {
		s.nIDs = ids.len()
	}
	// Capitalisation evidence: 1 = seen capitalised mid-sentence, 2 = seen in lower case.
	sc.ev = zeroed(sc.ev, ids.len())
	ev := sc.ev
	for _, s := range out {
		for i, t := range s.toks {
			if !t.hasAlpha {
				continue
			}
			switch {
			case !t.initCap && !t.allCap:
				ev[s.ids[i]] |= 2
			case i > 0 && !s.capsSent && !t.allCap:
				ev[s.ids[i]] |= 1
			}
		}
	}
	aggregateContexts(out, sc)
	setTopic(out)
	for _, s := range out {
		for i := range s.toks {
			e := uint8(0)
			if id := s.ids[i]; id >= 0 {
				e = ev[id]
			}
			switch {
			case e&1 != 0:
				s.docCap[i] = 1
			case e&2 != 0:
				s.docCap[i] = 0
			default:
				s.docCap[i] = -1
			}
		}
	}
}

// setTopic gives every sentence the document's kind: how many of its
// sentences hold scores or results ("3-1", "6-4"), in three steps, and
// whether its first line is a capitals topic heading ("SOCCER - ...").
func setTopic(doc []*sentCtx) {
	if len(doc) == 0 {
		return
	}
	scores := 0
	for _, s := range doc {
		for _, t := range s.toks {
			if t.short == "d-d" || t.short == "d:d" {
				scores++
				break
			}
		}
	}
	kind := uint64(1)
	switch {
	case scores*4 >= len(doc) && scores >= 2:
		kind = 3
	case scores > 0:
		kind = 2
	}
	topic := kind
	if f := doc[0]; len(f.toks) > 2 && f.toks[0].allCap && f.toks[1].word == "-" {
		topic = hashMore(kind, f.toks[0].lower) | 4
	}
	for _, s := range doc {
		s.topic = topic
	}
}

// docHistory remembers the types predicted for each capitalised word
// earlier in the document, so that a later mention agrees with them.
type docHistory map[uint64]*[5]int16

// best returns the most frequent earlier prediction (0 = O, 1+type), or -1.
func (h docHistory) best(t *tokInfo) int {
	if !t.initCap && !t.allCap {
		return -1
	}
	c, ok := h[t.lowerKey]
	if !ok {
		return -1
	}
	return mostFrequent(c)
}

// mostFrequent is the class counted most often in c (the first on ties).
func mostFrequent(c *[5]int16) int {
	b := 0
	for k := 1; k < 5; k++ {
		if c[k] > c[b] {
			b = k
		}
	}
	return b
}

func (h docHistory) record(t *tokInfo, class int) {
	if !t.initCap && !t.allCap {
		return
	}
	c, ok := h[t.lowerKey]
	if !ok {
		c = new([5]int16)
		h[t.lowerKey] = c
	}
	c[classType(class)+1]++
}

const startClass = nClass // the "tag" before the first token

// tagDoc predicts BIOES classes for each sentence of a document with every
// pass of the model.
func (m *Model) tagDoc(doc []*sentCtx) [][]int {
	p := m.tagStage(doc)
	if m.next == nil {
		return p
	}
	setStack(doc, p)
	return m.next.tagStage(doc)
}

// tagStage predicts BIOES classes for each sentence of a document, greedily
// left to right, keeping to valid BIOES transitions.
func (m *Model) tagStage(doc []*sentCtx) [][]int {
	hist := docHistory{}
	out := make([][]int, len(doc))
	var fs []uint64
	for si, s := range doc {
		cls := make([]int, len(s.toks))
		prev, prev2 := startClass, startClass
		for i := range s.toks {
			var sc [nClass]float32
			fs = fs[:0]
			fs = wordFeatures(fs, s.toks[i])
			for k := -2; k <= 2; k++ {
				if k != 0 {
					fs = windowFeatures(fs, s.at(i+k), k)
				}
			}
			if m.light {
				fs = append(fs, s.stack[i]...)
			} else {
				fs = contextFeatures(fs, s, i)
			}
			fs = tagFeatures(fs, s, i, prev, prev2, hist.best(s.toks[i]))
			m.addScores(fs, &sc)
			c := bestAllowed(&sc, prev, i == len(s.toks)-1)
			cls[i] = c
			hist.record(s.toks[i], c)
			prev2, prev = prev, c
		}
		out[si] = cls
	}
	return out
}

// allowedNext[prev] lists the classes that may follow prev (startClass
// included), allowedLast[prev] those that may also end a sentence.
var allowedNext, allowedLast = func() (n, l [nClass + 1][]uint8) {
	for p := 0; p <= nClass; p++ {
		pp := p
		if p == startClass {
			pp = 0
		}
		for c := 0; c < nClass; c++ {
			if !allowed(pp, c) {
				continue
			}
			n[p] = append(n[p], uint8(c))
			if cp := classPrefix(c); cp != 'B' && cp != 'I' {
				l[p] = append(l[p], uint8(c))
			}
		}
	}
	return n, l
}()

// bestAllowed picks the highest-scoring class that may follow prev; at the
// end of a sentence an entity must be closed. Ties go to the lower class.
func bestAllowed(sc *[nClass]float32, prev int, last bool) int {
	cs := allowedNext[prev]
	if last {
		cs = allowedLast[prev]
	}
	best := int(cs[0])
	bs := sc[best]
	for _, c := range cs[1:] {
		if sc[c] > bs {
			best, bs = int(c), sc[c]
		}
	}
	return best
}

func (m *Model) buildTable() {
	t := newFeatTable(len(m.index))
	for k, r := range m.index {
		t.put(k, r)
	}
	m.table = t
}

// aggregateContexts gives each capitalised word that occurs more than once
// in a document the neighbouring words of all its occurrences, the last
// word of the capitalised run each stands in and the word before that run:
// one clear context ("Mr X", "X said", "X Corp") then helps every mention.
func aggregateContexts(doc []*sentCtx, sc *docScratch) {
	if len(doc) == 0 {
		return
	}
	sc.occ = zeroed(sc.occ, doc[0].nIDs)
	sc.feats = sc.feats[:0]
	words := sc.occ
	for _, s := range doc {
		for i, t := range s.toks {
			if !(t.initCap || t.allCap) || !t.hasAlpha {
				continue
			}
			o := &words[s.ids[i]]
			o.n++
			if len(o.feat) >= 16 {
				continue
			}
			if o.feat == nil {
				o.feat = sc.featWindow()
			}
			cand := [4]uint64{
				s.at(i - 1).aggL,
				s.at(i + 1).aggR,
			}
			nc := 2
			if !s.capsSent {
				// The last word of the run of capitals the word stands in
				// ("Pirelli SpA"), and the word before the run.
				a, b := capRun(s, i)
				if b-a > 1 {
					cand[nc] = hashMore(hAggRL, s.toks[b-1].lower)
					nc++
				}
				cand[nc] = hashMore(hAggRB, s.at(a-1).lower)
				nc++
			}
			for _, f := range cand[:nc] {
				dup := false
				for _, g := range o.feat {
					dup = dup || g == f
				}
				if !dup {
					o.feat = append(o.feat, f)
				}
			}
		}
	}
	off := 0
	for _, s := range doc {
		s.agg = nil
		for i, t := range s.toks {
			if !(t.initCap || t.allCap) || !t.hasAlpha {
				continue
			}
			if o := &words[s.ids[i]]; o.n > 1 {
				if s.agg == nil {
					n := len(s.toks)
					if cap(sc.agg)-off < n {
						sc.agg = make([][]uint64, max(1024, 2*n))
						off = 0
					}
					s.agg = sc.agg[off : off+n : off+n]
					clear(s.agg)
					off += n
				}
				s.agg[i] = o.feat
			}
		}
	}
}

// The templates of aggregated contexts, hashed once.
var (
	hAggL  = hashStr(tmAgg, "L")
	hAggR  = hashStr(tmAgg, "R")
	hAggRL = hashStr(tmAgg, "RL")
	hAggRB = hashStr(tmAgg, "RB")
)

// aggOcc is what aggregateContexts gathers about one word of a document.
type aggOcc struct {
	n    int
	feat []uint64
}

// aggFeatCap bounds a word's context features: 16 before it is full, plus
// up to 3 more from the occurrence that fills it.
const aggFeatCap = 20

// featWindow returns an empty slice for one word's context features, cut
// from sc.feats: one allocation serves many words and documents, where
// growing each word's slice by append cost a third of the tagger's
// allocations.
func (sc *docScratch) featWindow() []uint64 {
	n := len(sc.feats)
	if n+aggFeatCap > cap(sc.feats) {
		sc.feats = make([]uint64, 0, max(4096, 2*cap(sc.feats)))
		n = 0
	}
	sc.feats = sc.feats[:n+aggFeatCap]
	return sc.feats[n : n : n+aggFeatCap]
}
