package ner

import (
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"
)

func TestDevErrors(t *testing.T) {
	if os.Getenv("NER_ERR") == "" {
		t.Skip()
	}
	m, err := ReadModelFile("/tmp/nerdev/model.gz")
	if err != nil {
		t.Fatal(err)
	}
	te, _ := ReadCoNLLFile("../../../shared/corpora/conll2003/test.txt")
	prep := prepareDocs(te, newVocab(m.lex), m.gaz)
	conf := map[string]int{}
	words := map[string]int{}
	for di, d := range te {
		pred := m.tagDoc(prep[di])
		for si, s := range d.Sentences {
			g := Spans(s.Tags)
			p := spansOfClasses(pred[si])
			gm := map[[2]int]string{}
			for _, x := range g {
				gm[[2]int{x.Start, x.End}] = x.Type
			}
			pm := map[[2]int]string{}
			for _, x := range p {
				pm[[2]int{x.Start, x.End}] = x.Type
			}
			for k, ty := range gm {
				pt, ok := pm[k]
				w := strings.Join(s.Words[k[0]:k[1]], " ")
				if !ok {
					conf["missed/wrongspan "+ty]++
					words["FN "+ty+" "+w]++
				} else if pt != ty {
					conf[ty+"->"+pt]++
					words[ty+"->"+pt+" "+w]++
				}
			}
			for k, ty := range pm {
				if _, ok := gm[k]; !ok {
					conf["spurious/wrongspan "+ty]++
					words["FP "+ty+" "+strings.Join(s.Words[k[0]:k[1]], " ")]++
				}
			}
		}
	}
	type kv struct {
		k string
		v int
	}
	var a []kv
	for k, v := range conf {
		a = append(a, kv{k, v})
	}
	sort.Slice(a, func(i, j int) bool { return a[i].v > a[j].v })
	fmt.Println(a)
	a = a[:0]
	for k, v := range words {
		a = append(a, kv{k, v})
	}
	sort.Slice(a, func(i, j int) bool { return a[i].v > a[j].v })
	for _, x := range a[:60] {
		fmt.Printf("%d %s | ", x.v, x.k)
	}
}
