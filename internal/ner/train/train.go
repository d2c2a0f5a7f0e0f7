package train

import (
	"fmt"
	"io"
	"math/rand"
	"slices"
	"sync"
	"time"

	"github.com/folio-search/folio/internal/ner"
)

// TrainOptions control training.
type TrainOptions struct {
	Epochs   int               // passes over the training data (the best on Valid is kept)
	Seed     int64             // shuffling seed
	Clusters map[string]string // word -> cluster bit path, from unlabelled text
	CaseOf   map[string]uint8  // lower-cased word -> capitalisation bucket, from unlabelled text
	Valid    []Document        // tuning data; nil keeps the last epoch
	Log      io.Writer         // progress, or nil
	Folds    int               // gazetteer and jackknife folds: training tokens see names from other folds only
	Stages   int               // 2 adds a second pass over the first pass's predictions
	Shuffles int               // each pass averages the weights of this many runs with different shuffles
	// LightSecond leaves the first pass's sentence and document features
	// out of the second: it sees them through the first pass's predictions,
	// and tagging is quicker.
	LightSecond bool
	XClass      map[string]uint16 // word -> exchange class, from unlabelled text (exchange.go)
	// Auto maps lower-cased words to auto-type codes, from tagging
	// unlabelled text (autotype.go); AutoFolds, one per fold, hold the
	// codes from taggers that did not see that fold's documents, and the
	// training documents get those.
	Auto      map[string]uint8
	AutoFolds [][]autoEntry
	// AutoDocs, if Auto is nil, are unlabelled documents to learn Auto and
	// AutoFolds from.
	AutoDocs   [][][]string
	autoFoldOf []int // fold of each training document for AutoFolds (nil: index % Folds)
}

// trainer is an averaged perceptron over hashed features.
type trainer struct {
	index map[uint64]int32
	w     []float32
	u     []float64 // sum of update*time, for averaging
	c     float64   // number of instances seen
}

func (t *trainer) id(f uint64, add bool) int32 {
	if r, ok := t.index[f]; ok {
		return r
	}
	if !add {
		return -1
	}
	r := int32(len(t.index))
	t.index[f] = r
	t.w = append(t.w, make([]float32, ner.NClass)...)
	t.u = append(t.u, make([]float64, ner.NClass)...)
	return r
}

func (t *trainer) update(ids []int32, gold, pred int) {
	for _, r := range ids {
		if r < 0 {
			continue
		}
		b := int(r) * ner.NClass
		t.w[b+gold]++
		t.u[b+gold] += t.c
		t.w[b+pred]--
		t.u[b+pred] -= t.c
	}
}

// pruneBelow: features whose averaged weights are all smaller than this
// (one update's worth) are left out of the model. It halves the model and
// the look-ups at no cost in accuracy on the validation data.
const pruneBelow = 1.0

// averaged returns a model with the averaged weights, leaving out features
// whose weights are all small.
func (t *trainer) averaged(lex *ner.Lexicon, g ner.Gazetteer, light bool) *ner.Model {
	index := make(map[uint64]int32, len(t.index))
	var w []float32
	row := make([]float32, ner.NClass)
	for f, r := range t.index {
		b := int(r) * ner.NClass
		keep := false
		for c := 0; c < ner.NClass; c++ {
			v := float64(t.w[b+c]) - t.u[b+c]/t.c
			row[c] = float32(v)
			if v >= pruneBelow || v <= -pruneBelow {
				keep = true
			}
		}
		if keep {
			index[f] = int32(len(w) / ner.NClass)
			w = append(w, row...)
		}
	}
	return ner.NewModel(index, w, lex, g, light)
}

type trainTok struct {
	static []int32
	gold   int
}

// Train learns a tagger from CoNLL documents. With Stages 2 it learns a
// second tagger that also sees the first one's predictions for the whole
// document; its training data gets first-pass predictions by jackknifing,
// so it learns how far to trust them.
func Train(train []Document, o TrainOptions) (*ner.Model, error) {
	if o.Epochs <= 0 {
		o.Epochs = 10
	}
	if o.Folds <= 1 {
		o.Folds = 5
	}
	if o.Auto == nil && o.AutoDocs != nil {
		start := time.Now()
		o.Auto, o.AutoFolds = learnAutoJackknife(train, o)
		if o.Log != nil {
			fmt.Fprintf(o.Log, "auto types of %d words (%s)\n", len(o.Auto), time.Since(start).Round(time.Millisecond))
		}
	}
	lex := ner.NewLexicon(o.Clusters, o.CaseOf, o.Auto, o.XClass)
	m1, bestEp := trainAveraged(train, o, lex, nil, nil)
	if o.Stages < 2 {
		return m1, nil
	}
	// First-pass predictions for each training document from a model that
	// did not see it.
	first := make([][][]int, len(train))
	var wg sync.WaitGroup
	sem := make(chan struct{}, 2)
	for k := 0; k < o.Folds; k++ {
		wg.Add(1)
		go func(k int) {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			var sub []Document
			var subFold []int
			for di, d := range train {
				if di%o.Folds != k {
					sub = append(sub, d)
					subFold = append(subFold, di%o.Folds)
				}
			}
			ko := o
			ko.Epochs, ko.Valid, ko.Log = bestEp, nil, nil
			ko.autoFoldOf = subFold
			mk, _ := trainStage(sub, ko, lex, nil, nil)
			v := ner.NewVocab(lex)
			if len(o.AutoFolds) == o.Folds {
				v = ner.NewVocab(lex.WithAuto(autoMap(o.AutoFolds[k])))
			}
			for di, d := range train {
				if di%o.Folds == k {
					first[di] = mk.TagDoc(prepareDocs([]Document{d}, v, mk.Gazetteer())[0])
				}
			}
		}(k)
	}
	wg.Wait()
	var vfirst [][][]int
	if o.Valid != nil {
		vdocs := prepareDocs(o.Valid, ner.NewVocab(lex), m1.Gazetteer())
		for _, d := range vdocs {
			vfirst = append(vfirst, m1.TagDoc(d))
		}
	}
	m2, _ := trainAveraged(train, o, lex, first, vfirst)
	m1.SetNext(m2)
	return m1, nil
}

// trainAveraged runs trainStage o.Shuffles times with different shuffling
// seeds and averages the weights: the average of several perceptrons is
// steadier than any one. The epoch returned is that of the first run.
func trainAveraged(train []Document, o TrainOptions, lex *ner.Lexicon, first, vfirst [][][]int) (*ner.Model, int) {
	n := max(o.Shuffles, 1)
	ms := make([]*ner.Model, n)
	eps := make([]int, n)
	var wg sync.WaitGroup
	sem := make(chan struct{}, 2)
	for k := range n {
		wg.Add(1)
		go func(k int) {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			ko := o
			ko.Seed = o.Seed + int64(k)*7919
			if k > 0 {
				ko.Log = nil
			}
			ms[k], eps[k] = trainStage(train, ko, lex, first, vfirst)
		}(k)
	}
	wg.Wait()
	if n == 1 {
		return ms[0], eps[0]
	}
	keys := map[uint64]bool{}
	for _, m := range ms {
		for _, k := range m.Features() {
			keys[k] = true
		}
	}
	sorted := make([]uint64, 0, len(keys))
	for k := range keys {
		sorted = append(sorted, k)
	}
	slices.Sort(sorted)
	index := make(map[uint64]int32, len(sorted))
	var w []float32
	row := make([]float32, ner.NClass)
	for _, k := range sorted {
		clear(row)
		for _, m := range ms {
			if mw, ok := m.Weights(k); ok {
				for c := range row {
					row[c] += mw[c]
				}
			}
		}
		keep := false
		for c := range row {
			row[c] /= float32(n)
			keep = keep || row[c] >= pruneBelow || row[c] <= -pruneBelow
		}
		if keep {
			index[k] = int32(len(w) / ner.NClass)
			w = append(w, row...)
		}
	}
	avg := ner.NewModel(index, w, lex, ms[0].Gazetteer(), ms[0].Light())
	if o.Log != nil && o.Valid != nil {
		vdocs := prepareDocs(o.Valid, ner.NewVocab(lex), avg.Gazetteer())
		if vfirst != nil {
			for di, d := range vdocs {
				d.SetStack(vfirst[di])
			}
		}
		fmt.Fprintf(o.Log, "average of %d runs: %d features, valid F1 %.4f\n", n, avg.NumFeatures(), evaluateDocs(avg, o.Valid, vdocs).Overall.PRF().F1)
	}
	return avg, eps[0]
}

// trainStage trains one tagger and returns the epoch best on o.Valid (or the
// last) and its number. With first set, documents get stacked features
// from those first-pass predictions (vfirst for the validation documents).
func trainStage(train []Document, o TrainOptions, lex *ner.Lexicon, first, vfirst [][][]int) (*ner.Model, int) {
	logf := func(format string, a ...any) {
		if o.Log != nil {
			fmt.Fprintf(o.Log, format, a...)
		}
	}
	start := time.Now()
	full := ner.Gazetteer{}
	folds := make([]ner.Gazetteer, o.Folds)
	for k := range folds {
		folds[k] = ner.Gazetteer{}
	}
	for di, d := range train {
		for _, s := range d.Sentences {
			for _, sp := range ner.Spans(s.Tags) {
				t := ner.TypeIndex(sp.Type)
				if t < 0 {
					continue
				}
				full.Add(s.Words[sp.Start:sp.End], t)
				for k := range folds {
					if k != di%o.Folds {
						folds[k].Add(s.Words[sp.Start:sp.End], t)
					}
				}
			}
		}
	}
	vocabs := []*ner.Vocab{ner.NewVocab(lex)}
	if len(o.AutoFolds) == o.Folds {
		vocabs = vocabs[:0]
		for _, a := range o.AutoFolds {
			vocabs = append(vocabs, ner.NewVocab(lex.WithAuto(autoMap(a))))
		}
	}
	tr := &trainer{index: map[uint64]int32{}}
	// Static features do not change between epochs: extract them once.
	docs := make([]ner.Doc, len(train))
	toks := make([][][]trainTok, len(train))
	var fs []uint64
	for di, d := range train {
		words := make([][]string, len(d.Sentences))
		for i, s := range d.Sentences {
			words[i] = s.Words
		}
		v := vocabs[0]
		if len(vocabs) > 1 {
			f := di % o.Folds
			if o.autoFoldOf != nil {
				f = o.autoFoldOf[di]
			}
			v = vocabs[f]
		}
		docs[di] = v.Prepare(words, folds[di%o.Folds])
		if first != nil {
			docs[di].SetStack(first[di])
		}
		toks[di] = make([][]trainTok, len(d.Sentences))
		for si := range docs[di] {
			gold := ner.Classes(d.Sentences[si].Tags)
			tt := make([]trainTok, docs[di].Len(si))
			for i := range tt {
				fs = docs[di].StaticFeatures(fs[:0], si, i, first != nil && o.LightSecond)
				ids := make([]int32, len(fs))
				for k, f := range fs {
					ids[k] = tr.id(f, true)
				}
				tt[i] = trainTok{ids, gold[i]}
			}
			toks[di][si] = tt
		}
	}
	logf("features extracted: %d static features, %s\n", len(tr.index), time.Since(start).Round(time.Millisecond))

	var vdocs []ner.Doc
	if o.Valid != nil {
		vdocs = prepareDocs(o.Valid, ner.NewVocab(lex), full)
		if vfirst != nil {
			for di, d := range vdocs {
				d.SetStack(vfirst[di])
			}
		}
	}
	rng := rand.New(rand.NewSource(o.Seed))
	order := make([]int, len(train))
	for i := range order {
		order[i] = i
	}
	var best *ner.Model
	bestF, bestEp := -1.0, 0
	var tagIDs []int32
	for ep := 1; ep <= o.Epochs; ep++ {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		errors, n := 0, 0
		for _, di := range order {
			doc := docs[di]
			hist := ner.History{}
			for si := range doc {
				prev, prev2 := ner.StartClass, ner.StartClass
				for i, tk := range toks[di][si] {
					tr.c++
					var sc [ner.NClass]float32
					for _, r := range tk.static {
						b := int(r) * ner.NClass
						row := tr.w[b : b+ner.NClass]
						for c := range sc {
							sc[c] += row[c]
						}
					}
					fs = doc.TagFeatures(fs[:0], si, i, prev, prev2, hist)
					tagIDs = tagIDs[:0]
					for _, f := range fs {
						r := tr.id(f, false)
						tagIDs = append(tagIDs, r)
						if r >= 0 {
							b := int(r) * ner.NClass
							row := tr.w[b : b+ner.NClass]
							for c := range sc {
								sc[c] += row[c]
							}
						}
					}
					pred := ner.BestAllowed(&sc, prev, i == doc.Len(si)-1)
					n++
					if pred != tk.gold {
						errors++
						for k, f := range fs {
							if tagIDs[k] < 0 {
								tagIDs[k] = tr.id(f, true)
							}
						}
						tr.update(tk.static, tk.gold, pred)
						tr.update(tagIDs, tk.gold, pred)
					}
					doc.Record(hist, si, i, pred)
					prev2, prev = prev, pred
				}
			}
		}
		m := tr.averaged(lex, full, first != nil && o.LightSecond)
		msg := fmt.Sprintf("epoch %d: train token errors %.2f%%, %d features", ep, 100*float64(errors)/float64(n), m.NumFeatures())
		if vdocs != nil {
			ev := evaluateDocs(m, o.Valid, vdocs)
			f := ev.Overall.PRF().F1
			msg += fmt.Sprintf(", valid F1 %.4f", f)
			if f > bestF {
				bestF, best, bestEp = f, m, ep
			}
		} else {
			best, bestEp = m, ep
		}
		logf("%s (%s)\n", msg, time.Since(start).Round(time.Second))
	}
	return best, bestEp
}

func prepareDocs(docs []Document, v *ner.Vocab, g ner.Gazetteer) []ner.Doc {
	out := make([]ner.Doc, len(docs))
	for di, d := range docs {
		words := make([][]string, len(d.Sentences))
		for i, s := range d.Sentences {
			words[i] = s.Words
		}
		out[di] = v.Prepare(words, g)
	}
	return out
}

// evaluateDocs scores a one-pass model on prepared documents.
func evaluateDocs(m *ner.Model, docs []Document, prepared []ner.Doc) *Evaluation {
	ev := NewEvaluation()
	for di, d := range docs {
		pred := m.TagDoc(prepared[di])
		for si, s := range d.Sentences {
			ev.Add(s.Tags, ner.ClassTags(pred[si]))
		}
	}
	return ev
}

// Evaluate tags docs and scores the result against their gold tags.
func Evaluate(m *ner.Model, docs []Document) *Evaluation {
	prepared := prepareDocs(docs, ner.NewVocab(m.Lexicon()), m.Gazetteer())
	ev := NewEvaluation()
	for di, d := range docs {
		pred := m.TagDoc(prepared[di])
		for si, s := range d.Sentences {
			ev.Add(s.Tags, ner.ClassTags(pred[si]))
		}
	}
	return ev
}
