package ner

import "sync"

// Dense weights: most of the features that are not cached per word have
// small domains (the previous two classes, gazetteer bits, the first
// pass's class of a token and its neighbours). The fast decoder looks
// their weights up once per model, per word shape or per cluster, instead
// of hashing and probing for every token. The rows hold exactly the sums
// the feature functions would look up.

// A row holds the weights of classes 1..16 less the weight of class 0 (O):
// every class's score moves by the same amount, so the decisions are
// those of the full weights, and a row is one 64-byte cache line.
type row = [nRel]float32

const nRel = nClass - 1

// relRow returns the row of full class weights w.
func relRow(w *[nClass]float32) (r row) {
	for c := range r {
		r[c] = w[c+1] - w[0]
	}
	return r
}

// fixedRows are the weights of the features that depend on small integers
// only, per pass (0 and 1).
//
// Rows that are always added together are kept as one sum: winPN holds
// winP and winN, majOwn holds maj, phraseN holds phrase, longBoth long and
// longN, and the shapes' rows hold hist, gaz, ext and own.
type fixedRows struct {
	prev2 [2][nClass + 1][nClass + 1]row // with the previous class's own weights
	hist  [2][5]row
	// First pass, sentence and document context.
	capsStar  row
	gaz, ext  [16]row
	extBoth   [16]row
	casePrior [8][2]row
	docCap    [2]row
	runLen    [5][4]row // by length (at most 4) and place in the run
	topicGaz0 [4]row    // a capitalised word in no name list, by document kind (1-3)
	// Second pass, stacked features.
	own        [nClass]row
	winP, winN [nClass + 1]row
	winPN      [nClass + 1][nClass + 1]row
	maj        [5][3]row
	majOwn     [5][3][5]row
	any        [5]row
	phrase     [4][4]row
	phraseN    [4][4][4]row
	long       [4][4]row
	longN      [4][4]row
	longBoth   [4][4][4]row
	// First pass: the trigram of common shapes (previous, own, next),
	// or nil.
	tri [nCommon][nCommon][nCommon]*row
}

// shapeRows are the weights of the features that combine a word's
// collapsed shape with a small integer; words of one shape share them.
// The fixed rows of the same features are folded in: hist, gaz, ext and
// own hold their sums.
type shapeRows struct {
	prev     [2][nClass + 1]row
	hist     [2][5]row
	sentInit row
	gaz, ext [16]row
	own      [nClass]row // second pass
	id       int8        // index in commonShapes, or -1
}

// commonShapes are the collapsed shapes of most tokens of news text (98.6%
// of Reuters-21578's). The features that join a word's shape with its
// neighbours (shape trigrams, a neighbour's word with the shape) have
// their rows looked up once for these shapes, per model or per word,
// instead of hashed for every token.
var commonShapes = [nCommon]string{"x", "Xx", ",", ".", "d", "d.d", "X", "\"", "'x", "d,d", "x-x", "X.X.", "d,d,d", "<", ">", ")"}

const nCommon = 16

// commonShapeID is the index of a shape in commonShapes, or -1.
func commonShapeID(short string) int8 {
	for i, c := range commonShapes {
		if c == short {
			return int8(i)
		}
	}
	return -1
}

// clusterRows are the weights of the previous class with the word's
// cluster (its 6-bit prefix), per pass.
type clusterRows struct {
	prev  [2][nClass + 1]row
	topic [4]row // first pass: with the document's kind (1-3)
}

// denseModel holds the dense weights of a model whose first pass is full
// and whose second pass, if any, is light: the shape the fast decoder
// handles.
type denseModel struct {
	fixed    fixedRows // first: its rows start on cache lines
	passes   [2]*Model
	rel      [2][]row // each pass's weights as rows, by feature row
	mu       sync.Mutex
	shapes   map[string]*shapeRows
	clusters map[string]*clusterRows
}

// maxShapes bounds the shapes kept; rarer shapes are recomputed per word.
const maxShapes = 20000

// fastDecodable reports whether the fast decoder handles model m.
func fastDecodable(m *Model) bool {
	return !m.light && (m.next == nil || m.next.light && m.next.next == nil)
}

func newDenseModel(m *Model) *denseModel {
	d := &denseModel{passes: [2]*Model{m, m.next}, shapes: map[string]*shapeRows{}, clusters: map[string]*clusterRows{}}
	for p, pm := range d.passes {
		if pm == nil {
			continue
		}
		if pm.table == nil {
			pm.buildTable()
		}
		rel := make([]row, len(pm.w)/nClass)
		for i := range rel {
			rel[i] = relRow((*[nClass]float32)(pm.w[i*nClass:]))
		}
		d.rel[p] = rel
	}
	f := &d.fixed
	for p := range 2 {
		for a := 0; a <= nClass; a++ {
			for b := 0; b <= nClass; b++ {
				d.add(p, fPrev(a), &f.prev2[p][a][b])
				d.add(p, fPrev2(a, b), &f.prev2[p][a][b])
			}
		}
		for h := range 5 {
			d.add(p, fDocHist(h), &f.hist[p][h])
		}
	}
	d.add(0, fCapsSent("*"), &f.capsStar)
	for b := range 16 {
		d.add(0, fGaz(b), &f.gaz[b])
		d.add(0, fExt(b), &f.ext[b])
		d.add(0, fExtBoth(b), &f.extBoth[b])
	}
	for b := range 8 {
		for c := range 2 {
			d.add(0, fCasePriorInit(b, c == 1), &f.casePrior[b][c])
		}
	}
	for v := range 2 {
		d.add(0, fDocCap(v), &f.docCap[v])
	}
	for n := 1; n <= 4; n++ {
		for pos := range 4 {
			d.add(0, fRunLen(n, pos), &f.runLen[n][pos])
		}
	}
	for kind := uint64(1); kind < 4; kind++ {
		d.add(0, fTopicGaz(kind, 0), &f.topicGaz0[kind])
	}
	for a := 0; a <= nClass; a++ {
		if a < nClass {
			d.add(1, fStackOwn(a), &f.own[a])
		}
		d.add(1, fStackPrev(a), &f.winP[a])
		d.add(1, fStackNext(a), &f.winN[a])
		for b := 0; b <= nClass; b++ {
			d.add(1, fStackPrevNext(a, b), &f.winPN[a][b])
		}
	}
	for best := range 5 {
		for agree := range 3 {
			d.add(1, fStackMaj(best, agree), &f.maj[best][agree])
			for own := range 5 {
				d.add(1, fStackMajOwn(best, agree, own), &f.majOwn[best][agree][own])
			}
		}
		d.add(1, fStackAny(best), &f.any[best])
	}
	for typ := range 4 {
		for pos := range 4 {
			d.add(1, fStackPhrase(typ, pos), &f.phrase[typ][pos])
			d.add(1, fStackLong(typ, pos), &f.long[typ][pos])
			for n := range 4 {
				d.add(1, fStackPhraseN(typ, pos, n), &f.phraseN[typ][pos][n])
			}
		}
		for n := range 4 {
			d.add(1, fStackLongN(typ, n), &f.longN[typ][n])
		}
	}
	// The sums of rows always added together.
	for a := 0; a <= nClass; a++ {
		for b := 0; b <= nClass; b++ {
			addRow(&f.winPN[a][b], &f.winP[a])
			addRow(&f.winPN[a][b], &f.winN[b])
		}
	}
	for best := range 5 {
		for agree := range 3 {
			for own := range 5 {
				addRow(&f.majOwn[best][agree][own], &f.maj[best][agree])
			}
		}
	}
	for typ := range 4 {
		for pos := range 4 {
			for n := range 4 {
				addRow(&f.phraseN[typ][pos][n], &f.phrase[typ][pos])
				addRow(&f.longBoth[typ][pos][n], &f.long[typ][pos])
				addRow(&f.longBoth[typ][pos][n], &f.longN[typ][n])
			}
		}
	}
	if m.table == nil {
		m.buildTable()
	}
	for a, sa := range commonShapes {
		ha := hashStr(tmShortTri, sa)
		for b, sb := range commonShapes {
			hb := hashMore(ha, sb)
			for c, sc := range commonShapes {
				if r, ok := d.row(0, hashMore(hb, sc)); ok {
					f.tri[a][b][c] = r
				}
			}
		}
	}
	return d
}

// add adds the weights of feature f in pass p, if the model has it, to dst.
func (d *denseModel) add(p int, f uint64, dst *row) {
	m := d.passes[p]
	if m == nil {
		return
	}
	if r, ok := m.table.get(f); ok {
		addRow(dst, &d.rel[p][r])
	}
}

// row returns the weights of feature f in pass p, if the model has it.
func (d *denseModel) row(p int, f uint64) (*row, bool) {
	m := d.passes[p]
	if m == nil {
		return nil, false
	}
	r, ok := m.table.get(f)
	if !ok {
		return nil, false
	}
	return &d.rel[p][r], true
}

// rowIndex returns 1 + the row of feature f in the first pass, or 0 if
// the model lacks it.
func (d *denseModel) rowIndex(f uint64) int32 {
	r, ok := d.passes[0].table.get(f)
	if !ok {
		return 0
	}
	return r + 1
}

// rowAt returns the first pass's row for what rowIndex returned (not 0).
func (d *denseModel) rowAt(i int32) *row {
	return &d.rel[0][i-1]
}

// shape returns the rows of a collapsed word shape.
func (d *denseModel) shape(short string) *shapeRows {
	d.mu.Lock()
	s, ok := d.shapes[short]
	d.mu.Unlock()
	if ok {
		return s
	}
	s = &shapeRows{}
	for p := range 2 {
		for a := 0; a <= nClass; a++ {
			d.add(p, fPrevShort(a, short), &s.prev[p][a])
		}
		for h := range 5 {
			d.add(p, fDocHistShort(h, short), &s.hist[p][h])
		}
	}
	d.add(0, fSentInit(short), &s.sentInit)
	for b := range 16 {
		d.add(0, fGazShort(b, short), &s.gaz[b])
		d.add(0, fExtShort(b, short), &s.ext[b])
	}
	for a := range nClass {
		d.add(1, fStackOwnShort(a, short), &s.own[a])
	}
	f := &d.fixed
	for p := range 2 {
		for h := range 5 {
			addRow(&s.hist[p][h], &f.hist[p][h])
		}
	}
	for b := range 16 {
		addRow(&s.gaz[b], &f.gaz[b])
		addRow(&s.ext[b], &f.ext[b])
	}
	for a := range nClass {
		addRow(&s.own[a], &f.own[a])
	}
	s.id = commonShapeID(short)
	d.mu.Lock()
	defer d.mu.Unlock()
	if old, ok := d.shapes[short]; ok {
		return old
	}
	if len(d.shapes) < maxShapes {
		d.shapes[short] = s
	}
	return s
}

// cluster returns the rows of a 6-bit cluster prefix.
func (d *denseModel) cluster(c6 string) *clusterRows {
	d.mu.Lock()
	defer d.mu.Unlock()
	if c, ok := d.clusters[c6]; ok {
		return c
	}
	c := &clusterRows{}
	for p := range 2 {
		for a := 0; a <= nClass; a++ {
			d.add(p, fPrevCluster(a, c6), &c.prev[p][a])
		}
	}
	for kind := uint64(1); kind < 4; kind++ {
		d.add(0, fTopicCluster(kind, c6), &c.topic[kind])
	}
	d.clusters[c6] = c
	return c
}

// prevWordRow is the weight row of the previous class with a word.
type prevWordRow struct {
	pass, prev uint8
	w          row
}

// wordRows fills in cw's dense fields.
func (d *denseModel) wordRows(cw *cachedWord) {
	ti := &cw.info
	cw.hBigL = hashStr(tmBigramL, ti.lower)
	cw.hBigR = hashStr(tmBigramR, ti.lower)
	cw.hTri = hashStr(tmShortTri, ti.short)
	cw.shape = d.shape(ti.short)
	if len(ti.cluster) >= 6 {
		cw.clus = d.cluster(ti.cluster[:6])
	}
	cw.caps = d.rowIndex(fCapsSent(ti.lower))
	cw.hConjP = hashMore(hConjPrev, ti.lower)
	cw.hConjN = hashMore(hConjNext, ti.lower)
	cw.p3 = d.rowIndex(hashMore(hConjP3, ti.lower))
	cw.n3 = d.rowIndex(hashMore(hConjN3, ti.lower))
	for p := range 2 {
		for a := 0; a <= nClass; a++ {
			if r, ok := d.row(p, fPrevWord(a, ti.lower)); ok {
				cw.prevWord = append(cw.prevWord, prevWordRow{uint8(p), uint8(a), *r})
				cw.prevWordAt[p][a] = uint8(len(cw.prevWord))
			}
		}
	}
	cw.sid = cw.shape.id
	for k, which := range runWords {
		for pos := range 4 {
			cw.run[k][pos] = d.rowIndex(fRunWord(which, ti.lower, pos))
		}
	}
	for s, short := range commonShapes {
		cw.conjP[s] = d.rowIndex(hashMore(cw.hConjP, short))
		cw.conjN[s] = d.rowIndex(hashMore(cw.hConjN, short))
	}
}

// runWords are the templates of a run's words, in the order of
// cachedWord.run.
var runWords = [4]uint64{hRunLast, hRunFirst, hRunBefore, hRunAfter}

// tagRows pushes the weights of the features of pass p that depend on
// the previous classes and the document's earlier predictions
// (tagFeatures).
func (d *denseModel) tagRows(l *rowList, cw *cachedWord, p, prev, prev2, hist int) {
	f := &d.fixed
	l.push(&f.prev2[p][prev][prev2])
	l.push(&cw.shape.prev[p][prev])
	if cw.clus != nil {
		l.push(&cw.clus.prev[p][prev])
	}
	if k := cw.prevWordAt[p][prev]; k != 0 {
		l.push(&cw.prevWord[k-1].w)
	}
	if hist >= 0 {
		l.push(&cw.shape.hist[p][hist])
	}
}

// stackRows pushes the weights of a token's stacked features (second
// pass).
func (d *denseModel) stackRows(l *rowList, v *stackVal, cw *cachedWord) {
	f := &d.fixed
	own, prev, next := int(v.own), int(v.prev), int(v.next)
	l.push(&cw.shape.own[own])
	l.push(&f.winPN[prev][next])
	if v.majBest >= 0 {
		l.push(&f.majOwn[v.majBest][v.majAgree][classType(own)+1])
		for k := 1; k < 5; k++ {
			if v.any&(1<<k) != 0 {
				l.push(&f.any[k])
			}
		}
	}
	if v.covN > 0 {
		l.push(&f.phraseN[v.covTyp][v.covPos][v.covN])
	}
	if v.longN > 0 {
		l.push(&f.longBoth[v.longTyp][v.longPos][v.longN])
	}
}
