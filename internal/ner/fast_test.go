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
