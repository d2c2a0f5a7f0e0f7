package ner

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"unsafe"
)

// The fast decoder takes most weights from rows summed ahead (per word,
// per shape, per common-shape trigram) and shares lookups between the
// passes; it must tag exactly as hashing every feature of each pass does,
// on Reuters and on today's BBC news with its headlines.
func TestTwoPassFastPathAgrees(t *testing.T) {
	r := testRecognizer(t, nil)
	if r.m.next == nil {
		t.Skip("single-pass model")
	}
	var texts [][2]string
	for _, body := range reutersBodies(t, 300) {
		texts = append(texts, [2]string{"", body})
	}
	texts = append(texts, jsonlArticles(t, bbcPath, 300)...)
	diff, ents := 0, 0
	for _, tx := range texts {
		fast := r.tagTexts(tx[0], tx[1])
		slow := r.tag(tx[:], false, nil)
		r.decode(slow, r.m, 0)
		pred := make([][]int, len(slow))
		ctxs := make([]*sentCtx, len(slow))
		for si, ts := range slow {
			pred[si] = slices.Clone(ts.classes)
			ctxs[si] = ts.ctx
		}
		setStack(ctxs, pred)
		r.decode(slow, r.m.next, 1)
		for si := range fast {
			if !slices.Equal(fast[si].classes, slow[si].classes) {
				diff++
			}
			for _, c := range fast[si].classes {
				if c != 0 {
					ents++
				}
			}
		}
	}
	if diff > 0 {
		t.Fatalf("%d sentences tagged differently", diff)
	}
	if ents == 0 {
		t.Fatal("no entity tagged: the test compares nothing")
	}
}

const bbcPath = "../../../shared/corpora/bbc/bbc.jsonl"

// jsonlArticles returns the titles and bodies of up to n articles of a
// JSON Lines corpus.
func jsonlArticles(t *testing.T, path string, n int) [][2]string {
	f, err := os.Open(path)
	if err != nil {
		t.Skip(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	var out [][2]string
	for sc.Scan() && len(out) < n {
		var rec struct{ Title, Body string }
		if json.Unmarshal(sc.Bytes(), &rec) == nil && rec.Body != "" {
			out = append(out, [2]string{rec.Title, rec.Body})
		}
	}
	return out
}

// The shortcuts for ASCII words must give what the general paths give.
func TestASCIIShortcutsAgree(t *testing.T) {
	words := []string{"", "a", "Reuters", "Ilham  Aliyev ", " Ilham\u00a0Aliyev", "\u2003x\u2003", "Ab Cd Ef", "U.S.", "1987", "Ab-12.x", "McDONALD'S", "Zurich", "Zürich", "ÉCU", "a b", " a", "a  b", "x\tb"}
	set := map[string]bool{"reuters": true, "u.s": true, "zürich": true, "a b": true}
	for _, w := range words {
		if got, want := lowerKeyOf(w), makeTokInfo(w, nil).lowerKey; got != want {
			t.Errorf("lowerKeyOf(%q) = %x, want %x", w, got, want)
		}
		if got, want := lowerIn(set, w, true), set[lowerNoDot(w)]; got != want {
			t.Errorf("lowerIn(%q, trimDot) = %v, want %v", w, got, want)
		}
		if _, got := keyGet(set, w); got != set[nameKey(w)] {
			t.Errorf("keyGet(%q) = %v, want %v", w, got, set[nameKey(w)])
		}
		ws := strings.Fields(w)
		if last, ok := lastOfSeveralWords(w); ok != (len(ws) > 1) || ok && last != ws[len(ws)-1] {
			t.Errorf("lastOfSeveralWords(%q) = %q, %v; words %q", w, last, ok, ws)
		}
		if singleSpaced(w) && cleanSpaces(w) != w {
			t.Errorf("singleSpaced(%q) but cleanSpaces gives %q", w, cleanSpaces(w))
		}
	}
}

// Extract reuses pooled buffers between documents; recognisers shared by
// ingest workers must still give every article what it gets alone.
func TestConcurrentExtractAgrees(t *testing.T) {
	r := testRecognizer(t, nil)
	bodies := reutersBodies(t, 200)
	want := make([][]Entity, len(bodies))
	for i, b := range bodies {
		want[i] = r.Extract("", b)
	}
	var wg sync.WaitGroup
	errs := make(chan string, 4*len(bodies))
	for g := range 4 {
		wg.Go(func() {
			for k := range bodies {
				i := (k*7 + g*13) % len(bodies) // each goroutine in another order
				if got := r.Extract("", bodies[i]); !reflect.DeepEqual(got, want[i]) {
					errs <- fmt.Sprintf("body %d: got %v, want %v", i, got, want[i])
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

const conllTestPath = "../../../shared/corpora/conll2003/test.txt"

// conllDocs reads the words of a CoNLL-2003 file: documents of sentences.
func conllDocs(t *testing.T, path string) [][][]string {
	f, err := os.Open(path)
	if err != nil {
		t.Skip(err)
	}
	defer f.Close()
	var docs [][][]string
	var sent []string
	endSent := func() {
		if len(sent) > 0 && len(docs) > 0 {
			docs[len(docs)-1] = append(docs[len(docs)-1], sent)
		}
		sent = nil
	}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		switch {
		case len(fields) == 0:
			endSent()
		case fields[0] == "-DOCSTART-":
			endSent()
			docs = append(docs, nil)
		default:
			sent = append(sent, fields[0])
		}
	}
	endSent()
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return docs
}

// The fast decoder gives every token of CoNLL-2003 test the class that
// the reference tagger (Model.TagDoc, which ner-eval scores) gives it, so
// that the F1 ner-eval reports is the fast decoder's too.
func TestFastDecoderAgreesOnCoNLLTest(t *testing.T) {
	r := testRecognizer(t, nil)
	if r.dense == nil {
		t.Skip("no fast decoder for this model")
	}
	docs := conllDocs(t, conllTestPath)
	toks, diff, ents := 0, 0, 0
	for _, doc := range docs {
		want := r.m.tagDoc(prepareDoc(doc, newVocab(r.m.lex), r.m.gaz))
		sents := make([]*taggedSentence, len(doc))
		ctxs := make([]*sentCtx, len(doc))
		for si, words := range doc {
			ts := &taggedSentence{words: make([]*cachedWord, len(words))}
			ctx := &sentCtx{toks: make([]*tokInfo, len(words))}
			for i, w := range words {
				ts.words[i] = r.cache.get(w)
				ctx.toks[i] = &ts.words[i].info
			}
			ts.ctx = ctx
			sents[si], ctxs[si] = ts, ctx
		}
		sc := scratchPool.Get().(*docScratch)
		sc.gaz, sc.bufs = r.gaz, new(tagBufs)
		finishDoc(ctxs, r.m.gaz, sc)
		r.decodeFast(sents, ctxs, sc)
		sc.release(ctxs)
		for si, ts := range sents {
			toks += len(ts.classes)
			for i, c := range ts.classes {
				if c != want[si][i] {
					diff++
				}
				if c != 0 {
					ents++
				}
			}
		}
	}
	if toks < 40000 || ents == 0 {
		t.Fatalf("%d tokens, %d in entities: the test compares too little", toks, ents)
	}
	if diff > 0 {
		t.Fatalf("%d of %d tokens tagged differently", diff, toks)
	}
}

// A cached word keeps no pointer into the text it was first seen in: the
// cache would keep every such text alive.
func TestCachedWordsKeepNoText(t *testing.T) {
	r := testRecognizer(t, nil)
	text := strings.Clone("Qwzxv Qwzxvtrplkmnbvcxzasdfghj said")
	r.tagTexts("", text)
	lo := uintptr(unsafe.Pointer(unsafe.StringData(text)))
	for _, w := range strings.Fields(text) {
		cw := r.cache.get(w)
		for _, s := range []string{cw.info.word, cw.info.lower, cw.info.shape, cw.info.short, cw.key} {
			if p := uintptr(unsafe.Pointer(unsafe.StringData(s))); len(s) > 0 && p >= lo && p < lo+uintptr(len(text)) {
				t.Errorf("%q: %q points into the text", w, s)
			}
		}
	}
}
