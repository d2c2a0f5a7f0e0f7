package train

import (
	"slices"
	"strings"
	"sync"

	"github.com/folio-search/folio/internal/ner"
)

// Auto types: a tagger trained on the labelled data tags the unlabelled
// news, and every capitalised word gets a summary of what it was tagged
// there (mostly a person, an organisation, ...; how often a name at all).
// A name the labelled data never shows but the news uses often then
// carries the tagger's reading of all those other contexts.

// autoCounts counts, per lower-cased word, the classes predicted for its
// capitalised occurrences: O, then the four types.
type autoCounts map[string]*[5]int32

// readUnlabelledDocs reads the title and body of every JSON Lines record as
// one document of sentences.
func readUnlabelledDocs(paths []string) ([][][]string, error) {
	var out [][][]string
	err := eachUnlabelled(paths, func(title, body string) {
		var doc [][]string
		for _, text := range []string{title, body} {
			toks := ner.Tokenize(text)
			for _, rg := range ner.SplitSentences(text, toks) {
				ws := make([]string, rg[1]-rg[0])
				for i := range ws {
					ws[i] = toks[rg[0]+i].Text
				}
				doc = append(doc, ws)
			}
		}
		if len(doc) > 0 {
			out = append(out, doc)
		}
	})
	return out, err
}

// countAutoTypes tags docs with m and counts the predictions.
func countAutoTypes(m *ner.Model, docs [][][]string, workers int) autoCounts {
	parts := make([]autoCounts, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			v := ner.NewVocab(m.Lexicon())
			cnt := autoCounts{}
			for di := w; di < len(docs); di += workers {
				prepared := v.Prepare(docs[di], m.Gazetteer())
				pred := m.TagDoc(prepared)
				for si := range prepared {
					for i := range prepared.Len(si) {
						lower, capitalised := prepared.Word(si, i)
						if !capitalised {
							continue
						}
						c := cnt[lower]
						if c == nil {
							c = new([5]int32)
							cnt[lower] = c
						}
						c[ner.ClassType(pred[si][i])+1]++
					}
				}
				if v.Len() > 200_000 {
					v = ner.NewVocab(m.Lexicon())
				}
			}
			parts[w] = cnt
		}(w)
	}
	wg.Wait()
	out := parts[0]
	for _, p := range parts[1:] {
		for k, c := range p {
			o := out[k]
			if o == nil {
				out[k] = c
				continue
			}
			for i := range c {
				o[i] += c[i]
			}
		}
	}
	return out
}

// autoCodes sums up the counts of words seen capitalised at least minCount
// times: code = 1 + type*20 + entity-fraction bucket*4 + type-share
// bucket*2 + many, where type (0-3) is the commonest type the word was
// tagged, the entity fraction (5 buckets) how often it was tagged a name at
// all, the type share (2 buckets) whether that type dominates the names,
// and many whether the word was seen 20 times or more.
func (a autoCounts) codes(minCount int) map[string]uint8 {
	out := map[string]uint8{}
	for w, c := range a {
		n := int32(0)
		for _, x := range c {
			n += x
		}
		if n < int32(minCount) {
			continue
		}
		ent := n - c[0]
		bt := 0
		for t := 1; t < 4; t++ {
			if c[t+1] > c[bt+1] {
				bt = t
			}
		}
		r := float64(ent) / float64(n)
		fb := 0
		switch {
		case r < 0.05:
			fb = 0
		case r < 0.35:
			fb = 1
		case r < 0.65:
			fb = 2
		case r < 0.95:
			fb = 3
		default:
			fb = 4
		}
		share := 0
		if ent > 0 && float64(c[bt+1]) >= 0.8*float64(ent) {
			share = 1
		}
		many := 0
		if n >= 20 {
			many = 1
		}
		out[w] = uint8(1 + bt*20 + fb*4 + share*2 + many)
	}
	return out
}

// LearnAutoTypes tags the unlabelled JSON Lines files with m and returns
// each capitalised word's auto-type code.
func LearnAutoTypes(m *ner.Model, paths []string) (map[string]uint8, error) {
	docs, err := readUnlabelledDocs(paths)
	if err != nil {
		return nil, err
	}
	return countAutoTypes(m, docs, 2).codes(autoMinCount), nil
}

const autoMinCount = 3

// autoEntry is one word's code, as AutoFolds keep them (sorted by word,
// so that training is deterministic and the folds can be cached).
type autoEntry struct {
	Word string
	Code uint8
}

func autoMap(es []autoEntry) map[string]uint8 {
	m := make(map[string]uint8, len(es))
	for _, e := range es {
		m[e.Word] = e.Code
	}
	return m
}

func autoEntries(m map[string]uint8) []autoEntry {
	es := make([]autoEntry, 0, len(m))
	for w, c := range m {
		es = append(es, autoEntry{w, c})
	}
	slices.SortFunc(es, func(a, b autoEntry) int { return strings.Compare(a.Word, b.Word) })
	return es
}

// learnAutoJackknife trains one tagger on all the training documents and
// one per fold on the others (one pass each, o.Epochs epochs, no auto
// types), tags o.AutoDocs with each and returns the codes of the first and
// those of each fold's.
func learnAutoJackknife(train []Document, o TrainOptions) (map[string]uint8, [][]autoEntry) {
	// The taggers see the clusters and the case prior only (with the
	// exchange classes too, they chose worse codes on the validation data).
	lex := ner.NewLexicon(o.Clusters, o.CaseOf, nil, nil)
	ko := o
	ko.Valid, ko.Log, ko.AutoFolds, ko.autoFoldOf = nil, nil, nil, nil
	var full map[string]uint8
	folds := make([][]autoEntry, o.Folds)
	var wg sync.WaitGroup
	sem := make(chan struct{}, 2)
	for k := -1; k < o.Folds; k++ {
		wg.Add(1)
		go func(k int) {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			sub := train
			if k >= 0 {
				sub = nil
				for di, d := range train {
					if di%o.Folds != k {
						sub = append(sub, d)
					}
				}
			}
			mk, _ := trainStage(sub, ko, lex, nil, nil)
			codes := countAutoTypes(mk, o.AutoDocs, 1).codes(autoMinCount)
			if k < 0 {
				full = codes
			} else {
				folds[k] = autoEntries(codes)
			}
		}(k)
	}
	wg.Wait()
	return full, folds
}
