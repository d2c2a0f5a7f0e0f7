package train

import (
	"encoding/gob"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/folio-search/folio/internal/ner"
)

// TestDevTrain is a development loop, run only with FOLIO_NER_DEV set to a
// scratch directory: it caches the word clusters there (the slow part of
// ner-train), trains, reports validation scores and saves the model.
// FOLIO_NER_LEX names the cache (default lex), FOLIO_NER_OUT the model
// (default model), FOLIO_NER_SHUFFLES and FOLIO_NER_EPOCHS override
// ner-train's defaults, and FOLIO_NER_VALID_TEXT=1 adds the validation
// text to the clusters' unlabelled text; FOLIO_NER_DIM, FOLIO_NER_MINCOUNT
// FOLIO_NER_CONTEXTS and FOLIO_NER_CSEED set the cluster options, and
// FOLIO_NER_SEED the training seed. FOLIO_NER_LEX=embedded takes the
// clusters and case prior of the embedded model instead. FOLIO_NER_XC and
// FOLIO_NER_AUTO name caches of exchange classes (FOLIO_NER_XK of them) and
// auto-type codes (FOLIO_NER_JK=1: jackknifed as ner-train makes them).
func TestDevTrain(t *testing.T) {
	dir := os.Getenv("FOLIO_NER_DEV")
	if dir == "" {
		t.Skip("FOLIO_NER_DEV not set")
	}
	const corpora = "../../../../shared/corpora/"
	type lexCache struct {
		Clusters map[string]string
		CaseOf   map[string]uint8
	}
	var lc lexCache
	env := func(k, def string) string {
		if v := os.Getenv(k); v != "" {
			return v
		}
		return def
	}
	envInt := func(k string, def int) int {
		n, err := strconv.Atoi(env(k, strconv.Itoa(def)))
		if err != nil {
			t.Fatalf("%s: %v", k, err)
		}
		return n
	}
	lexPath := dir + "/" + env("FOLIO_NER_LEX", "lex") + ".gob"
	if os.Getenv("FOLIO_NER_LEX") == "embedded" {
		em, err := ner.EmbeddedModel()
		if err != nil {
			t.Fatal(err)
		}
		lc.Clusters, lc.CaseOf = em.Lexicon().Clusters(), em.Lexicon().CaseOf()
	} else if f, err := os.Open(lexPath); err == nil {
		if err := gob.NewDecoder(f).Decode(&lc); err != nil {
			t.Fatal(err)
		}
		f.Close()
	} else {
		texts, err := ReadUnlabelled([]string{corpora + "reuters21578/reuters21578.jsonl", corpora + "bbc/bbc.jsonl"})
		if err != nil {
			t.Fatal(err)
		}
		lc.CaseOf = ner.LearnCasePrior(texts, 3)
		files := []string{corpora + "conll2003/train.txt"}
		if os.Getenv("FOLIO_NER_VALID_TEXT") != "" {
			files = append(files, corpora+"conll2003/valid.txt")
		}
		for _, file := range files {
			docs, _ := ReadCoNLLFile(file)
			for _, d := range docs {
				for _, s := range d.Sentences {
					texts = append(texts, s.Words)
				}
			}
		}
		lc.Clusters = LearnClusters(texts, ClusterOptions{Seed: int64(envInt("FOLIO_NER_CSEED", 1)), Dim: envInt("FOLIO_NER_DIM", 0), MinCount: envInt("FOLIO_NER_MINCOUNT", 0), Contexts: envInt("FOLIO_NER_CONTEXTS", 0)})
		f, _ := os.Create(lexPath)
		gob.NewEncoder(f).Encode(&lc)
		f.Close()
	}
	train, err := ReadCoNLLFile(corpora + "conll2003/train.txt")
	if err != nil {
		t.Fatal(err)
	}
	valid, _ := ReadCoNLLFile(corpora + "conll2003/valid.txt")
	// FOLIO_NER_XC names a cache of exchange classes (FOLIO_NER_XK of them).
	var xc map[string]uint16
	if name := os.Getenv("FOLIO_NER_XC"); name != "" {
		p := dir + "/" + name + ".gob"
		if f, err := os.Open(p); err == nil {
			if err := gob.NewDecoder(f).Decode(&xc); err != nil {
				t.Fatal(err)
			}
			f.Close()
		} else {
			texts, err := ReadUnlabelled([]string{corpora + "reuters21578/reuters21578.jsonl", corpora + "bbc/bbc.jsonl"})
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range train {
				for _, s := range d.Sentences {
					texts = append(texts, s.Words)
				}
			}
			start := time.Now()
			xc = LearnExchangeClasses(texts, ExchangeOptions{Classes: envInt("FOLIO_NER_XK", 500), Log: os.Stderr})
			t.Logf("exchange classes (%s)", time.Since(start))
			f, _ := os.Create(p)
			gob.NewEncoder(f).Encode(xc)
			f.Close()
		}
	}
	// FOLIO_NER_AUTO names a cache of auto-type codes, made by tagging the
	// unlabelled text with FOLIO_NER_LABELER (default: the embedded model),
	// or with FOLIO_NER_JK set, by jackknifed one-pass taggers.
	type autoCache struct {
		Full  map[string]uint8
		Folds [][]autoEntry
	}
	var ac autoCache
	if name := os.Getenv("FOLIO_NER_AUTO"); name != "" {
		p := dir + "/" + name + ".gob"
		if f, err := os.Open(p); err == nil {
			if err := gob.NewDecoder(f).Decode(&ac); err != nil {
				t.Fatal(err)
			}
			f.Close()
		} else {
			start := time.Now()
			if os.Getenv("FOLIO_NER_JK") != "" {
				docs, err := readUnlabelledDocs([]string{corpora + "reuters21578/reuters21578.jsonl", corpora + "bbc/bbc.jsonl"})
				if err != nil {
					t.Fatal(err)
				}
				ac.Full, ac.Folds = learnAutoJackknife(train, TrainOptions{Epochs: envInt("FOLIO_NER_EPOCHS", 12), Folds: 5, Seed: int64(envInt("FOLIO_NER_SEED", 1)), Clusters: lc.Clusters, CaseOf: lc.CaseOf, XClass: xc, AutoDocs: docs})
			} else {
				lm, err := ner.EmbeddedModel()
				if lp := os.Getenv("FOLIO_NER_LABELER"); lp != "" {
					lm, err = ner.ReadModelFile(lp)
				}
				if err != nil {
					t.Fatal(err)
				}
				ac.Full, err = LearnAutoTypes(lm, []string{corpora + "reuters21578/reuters21578.jsonl", corpora + "bbc/bbc.jsonl"})
				if err != nil {
					t.Fatal(err)
				}
			}
			t.Logf("auto types of %d words (%s)", len(ac.Full), time.Since(start))
			f, _ := os.Create(p)
			gob.NewEncoder(f).Encode(&ac)
			f.Close()
		}
	}
	start := time.Now()
	m, err := Train(train, TrainOptions{Epochs: envInt("FOLIO_NER_EPOCHS", 12), Stages: 2, Shuffles: envInt("FOLIO_NER_SHUFFLES", 3), LightSecond: os.Getenv("FOLIO_NER_HEAVY") == "", Seed: int64(envInt("FOLIO_NER_SEED", 1)), Clusters: lc.Clusters, CaseOf: lc.CaseOf, Auto: ac.Full, AutoFolds: ac.Folds, XClass: xc, Valid: valid, Log: os.Stderr})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("trained in %s", time.Since(start))
	Evaluate(m, valid).WriteTable(os.Stderr)
	if err := m.SaveFile(dir + "/" + env("FOLIO_NER_OUT", "model") + ".gz"); err != nil {
		t.Fatal(err)
	}
}

// TestDevErrors lists the commonest entity errors of a model on valid.
func TestDevErrors(t *testing.T) {
	dir := os.Getenv("FOLIO_NER_DEV")
	if dir == "" {
		t.Skip("FOLIO_NER_DEV not set")
	}
	m, err := ner.ReadModelFile(dir + "/model.gz")
	if err != nil {
		t.Fatal(err)
	}
	docs, _ := ReadCoNLLFile("../../../../shared/corpora/conll2003/valid.txt")
	prepared := prepareDocs(docs, ner.NewVocab(m.Lexicon()), m.Gazetteer())
	kinds := map[string]int{}
	strs := map[string]int{}
	for di, d := range docs {
		pred := m.TagDoc(prepared[di])
		for si, s := range d.Sentences {
			g := ner.Spans(s.Tags)
			p := ner.Spans(ner.ClassTags(pred[si]))
			gs := map[[2]int]string{}
			for _, x := range g {
				gs[[2]int{x.Start, x.End}] = x.Type
			}
			ps := map[[2]int]string{}
			for _, x := range p {
				ps[[2]int{x.Start, x.End}] = x.Type
			}
			for k, gt := range gs {
				pt, ok := ps[k]
				txt := strings.Join(s.Words[k[0]:k[1]], " ")
				switch {
				case !ok:
					kinds["missed/boundary "+gt]++
					strs["miss "+gt+" "+txt]++
				case pt != gt:
					kinds[gt+"->"+pt]++
					strs[gt+"->"+pt+" "+txt]++
				}
			}
			for k, pt := range ps {
				if _, ok := gs[k]; !ok {
					kinds["spurious/boundary "+pt]++
					strs["spur "+pt+" "+strings.Join(s.Words[k[0]:k[1]], " ")]++
				}
			}
		}
	}
	dump := func(m map[string]int, n int) {
		type kv struct {
			k string
			v int
		}
		var l []kv
		for k, v := range m {
			l = append(l, kv{k, v})
		}
		sort.Slice(l, func(i, j int) bool { return l[i].v > l[j].v || l[i].v == l[j].v && l[i].k < l[j].k })
		for i := 0; i < n && i < len(l); i++ {
			t.Logf("%5d %s", l[i].v, l[i].k)
		}
	}
	dump(kinds, 20)
	dump(strs, 40)
}

// TestDevPrune reports valid F1 when weights below a threshold are dropped.
func TestDevPrune(t *testing.T) {
	dir := os.Getenv("FOLIO_NER_DEV")
	if dir == "" {
		t.Skip("FOLIO_NER_DEV not set")
	}
	docs, _ := ReadCoNLLFile("../../../../shared/corpora/conll2003/valid.txt")
	for _, thr := range []float32{0, 1, 2, 4, 8, 16} {
		m, err := ner.ReadModelFile(dir + "/model.gz")
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for mm := m; mm != nil; mm = mm.Next() {
			mm.Prune(thr)
			n += mm.NumFeatures()
		}
		t.Logf("threshold %v: %d features, valid F1 %.4f", thr, n, Evaluate(m, docs).Overall.PRF().F1)
	}
}
