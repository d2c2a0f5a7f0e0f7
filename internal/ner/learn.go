package ner

// What package train needs of the tagger to learn a model: documents
// prepared as the tagger sees them, the features of each token, the class
// encoding, and models made of learned weights. Nothing here is used when
// Folio tags an article.

// NClass is the number of classes the tagger chooses from: O, then B, I,
// E and S of each type.
const NClass = nClass

// StartClass is the class "before" a sentence's first token.
const StartClass = startClass

// Classes returns the class of each token of a tag sequence (any scheme).
func Classes(tags []string) []int { return toBIOES(tags) }

// ClassTags renders classes as IOB2 tags.
func ClassTags(cs []int) []string { return classesToIOB2(cs) }

// TypeIndex is the index of entity type t in Types, or -1.
func TypeIndex(t string) int { return typeIndex(t) }

// ClassType is the index in Types of class c's type, or -1 for O.
func ClassType(c int) int { return classType(c) }

// BestAllowed is the class of highest score in sc that may follow prev
// (and, with last, end a sentence).
func BestAllowed(sc *[NClass]float32, prev int, last bool) int { return bestAllowed(sc, prev, last) }

// Lexicon is what the tagger knows of words from unlabelled text.
type Lexicon = lexicon

// NewLexicon returns a lexicon of word clusters (word -> bit path),
// capitalisation buckets, auto-type codes and exchange classes; any may
// be nil.
func NewLexicon(clusters map[string]string, caseOf, auto map[string]uint8, xclass map[string]uint16) *Lexicon {
	return &lexicon{clusters: clusters, caseOf: caseOf, auto: auto, xclass: xclass}
}

// WithAuto returns a copy of the lexicon with other auto-type codes.
func (lx *lexicon) WithAuto(auto map[string]uint8) *lexicon {
	c := *lx
	c.auto = auto
	return &c
}

// Clusters returns the lexicon's word clusters.
func (lx *lexicon) Clusters() map[string]string { return lx.clusters }

// CaseOf returns the lexicon's capitalisation buckets.
func (lx *lexicon) CaseOf() map[string]uint8 { return lx.caseOf }

// Gazetteer holds the names seen in training, by type.
type Gazetteer = gazetteer

// Add records words as a name of type t (an index into Types).
func (g gazetteer) Add(words []string, t int) { g.add(words, t) }

// Vocab caches the tagger's view of each word form.
type Vocab = vocab

// NewVocab returns an empty Vocab over lx.
func NewVocab(lx *Lexicon) *Vocab { return newVocab(lx) }

// Len is the number of word forms cached.
func (v *vocab) Len() int { return len(v.m) }

// Doc is a document prepared for tagging: the feature context of each
// sentence.
type Doc []*sentCtx

// Prepare prepares a document of sentences of words, with the names of g.
func (v *vocab) Prepare(sents [][]string, g Gazetteer) Doc { return prepareDoc(sents, v, g) }

// Len is the number of tokens of sentence si.
func (d Doc) Len(si int) int { return len(d[si].toks) }

// Word returns token i of sentence si lower-cased, and whether it is
// capitalised.
func (d Doc) Word(si, i int) (lower string, capitalised bool) {
	t := d[si].toks[i]
	return t.lower, isCapTok(t)
}

// SetStack gives the document a first pass's predictions, which the
// second pass's features read.
func (d Doc) SetStack(pred [][]int) { setStack(d, pred) }

// StaticFeatures appends the features of token i of sentence si that do
// not depend on tags; with light, the word, window and stacked features
// only (as a light second pass sees them).
func (d Doc) StaticFeatures(fs []uint64, si, i int, light bool) []uint64 {
	return staticFeatures(fs, d[si], i, light)
}

// History is what a document's earlier tokens were tagged, by word.
type History = docHistory

// TagFeatures appends the features of token i of sentence si that depend
// on the classes before it (prev, prev2) and on h.
func (d Doc) TagFeatures(fs []uint64, si, i, prev, prev2 int, h History) []uint64 {
	s := d[si]
	return tagFeatures(fs, s, i, prev, prev2, h.best(s.toks[i]))
}

// Record notes in h that token i of sentence si was given class c.
func (d Doc) Record(h History, si, i, c int) { h.record(d[si].toks[i], c) }

// staticFeatures are all features of token i that do not depend on tags;
// for a light second pass, the word, window and stacked features only.
func staticFeatures(fs []uint64, s *sentCtx, i int, light bool) []uint64 {
	fs = wordFeatures(fs, s.toks[i])
	for k := -2; k <= 2; k++ {
		if k != 0 {
			fs = windowFeatures(fs, s.at(i+k), k)
		}
	}
	if light {
		return append(fs, s.stack[i]...)
	}
	return contextFeatures(fs, s, i)
}

// NewModel returns a model of learned weights: index maps a feature to
// its row of NClass weights in w. light marks a second pass without
// sentence and document features.
func NewModel(index map[uint64]int32, w []float32, lx *Lexicon, g Gazetteer, light bool) *Model {
	m := &Model{index: index, w: w, lex: lx, gaz: g, light: light}
	m.buildTable()
	return m
}

// Next returns the second pass over m's predictions, or nil.
func (m *Model) Next() *Model { return m.next }

// SetNext makes n the second pass over m's predictions.
func (m *Model) SetNext(n *Model) { m.next = n }

// Lexicon returns the model's lexicon.
func (m *Model) Lexicon() *Lexicon { return m.lex }

// Gazetteer returns the names the model was trained with.
func (m *Model) Gazetteer() Gazetteer { return m.gaz }

// Light reports whether the model is a light second pass.
func (m *Model) Light() bool { return m.light }

// Features returns the features the model has weights for, in no order.
func (m *Model) Features() []uint64 {
	out := make([]uint64, 0, len(m.index))
	for f := range m.index {
		out = append(out, f)
	}
	return out
}

// NumFeatures is the number of features the model has weights for.
func (m *Model) NumFeatures() int { return len(m.index) }

// Weights returns feature f's row of NClass weights, if it has one.
func (m *Model) Weights(f uint64) ([]float32, bool) {
	r, ok := m.index[f]
	if !ok {
		return nil, false
	}
	return m.w[int(r)*nClass : int(r)*nClass+nClass], true
}

// TagDoc predicts the classes of each sentence of d with every pass of m.
func (m *Model) TagDoc(d Doc) [][]int { return m.tagDoc(d) }

// Prune drops the features whose weights are all smaller than thr in
// magnitude: they rarely change a decision but cost memory and look-ups.
func (m *Model) Prune(thr float32) {
	if thr <= 0 {
		return
	}
	if m.unit > 0 {
		thr /= m.unit
	}
	idx := make(map[uint64]int32, len(m.index))
	var w []float32
	for k, r := range m.index {
		row := m.w[int(r)*nClass : int(r)*nClass+nClass]
		keep := false
		for _, v := range row {
			if v >= thr || v <= -thr {
				keep = true
				break
			}
		}
		if keep {
			idx[k] = int32(len(w) / nClass)
			w = append(w, row...)
		}
	}
	m.index, m.w = idx, w
	m.buildTable()
}

// LearnCasePrior measures, for every word seen often enough in mixed-case
// unlabelled text, how often it is capitalised where case is informative
// (not first in a sentence), in five buckets from "always lower" to "always
// capitalised". It tells a headline's "SAYS" from "CLINTON".
func LearnCasePrior(texts [][]string, minCount int) map[string]uint8 {
	type cnt struct{ up, low int }
	counts := map[string]*cnt{}
	for _, t := range texts {
		letters, caps := 0, 0
		infos := make([]tokInfo, len(t))
		for i, w := range t {
			infos[i] = makeTokInfo(w, nil)
			if infos[i].hasAlpha && len(w) > 1 {
				letters++
				if infos[i].allCap {
					caps++
				}
			}
		}
		if letters == 0 || caps*10 >= letters*5 {
			continue // capitals text says nothing about case
		}
		for i := 1; i < len(t); i++ {
			ti := &infos[i]
			if !ti.hasAlpha || ti.allCap {
				continue
			}
			if p := t[i-1]; isSentenceEnd(p) || p == "\"" || p == ":" || p == "(" {
				continue
			}
			c := counts[ti.lower]
			if c == nil {
				c = &cnt{}
				counts[ti.lower] = c
			}
			if ti.initCap {
				c.up++
			} else {
				c.low++
			}
		}
	}
	out := map[string]uint8{}
	for w, c := range counts {
		n := c.up + c.low
		if n < minCount {
			continue
		}
		r := float64(c.up) / float64(n)
		var b uint8
		switch {
		case r < 0.05:
			b = 0
		case r < 0.3:
			b = 1
		case r < 0.7:
			b = 2
		case r < 0.95:
			b = 3
		default:
			b = 4
		}
		out[w] = b
	}
	return out
}
