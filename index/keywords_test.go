package index

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/document"
)

// A list of keywords as one keywordsField is indexed exactly as Bleve
// indexes the list: the same terms with the same frequencies and norms,
// whether the field keeps them (person) or not (a shared key field).
func TestKeywordsFieldIndexesAsAList(t *testing.T) {
	m, err := NewMapping()
	if err != nil {
		t.Fatal(err)
	}
	lists := map[string][][]string{
		fPerson:                     {{"Ilham Aliyev"}, {"Ilham Aliyev", "Heydar Aliyev", "Ilham Aliyev"}, {"", "Tony Blair"}},
		keyField(fPerson):           {{"ilham aliyev", "heydar aliyev", "ilham aliyev"}, {"a", "b", "c", "d"}},
		keyField(facetField("tag")): {{"oil", "oil", "gas"}, {"x"}},
	}
	build := func(asFields bool) bleve.Index {
		ix, err := bleve.NewMemOnly(m)
		if err != nil {
			t.Fatal(err)
		}
		b := ix.NewBatch()
		for field, docs := range lists {
			for i, values := range docs {
				id := fmt.Sprintf("%s-%d", field, i)
				doc := document.NewDocument(id)
				if asFields {
					f, err := newKeywordsField(m, field, values)
					if err != nil {
						t.Fatal(err)
					}
					doc.AddField(f)
				} else if err := m.MapDocument(doc, map[string]interface{}{field: values}); err != nil {
					t.Fatal(err)
				}
				if err := b.IndexAdvanced(doc); err != nil {
					t.Fatal(err)
				}
			}
		}
		if err := ix.Batch(b); err != nil {
			t.Fatal(err)
		}
		return ix
	}
	postings := func(ix bleve.Index) []string {
		adv, _ := ix.Advanced()
		r, err := adv.Reader()
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		var out []string
		for field := range lists {
			dict, err := r.FieldDict(field)
			if err != nil {
				t.Fatal(err)
			}
			for e, err := dict.Next(); e != nil && err == nil; e, err = dict.Next() {
				tfr, err := r.TermFieldReader(context.Background(), []byte(e.Term), field, true, true, true)
				if err != nil {
					t.Fatal(err)
				}
				for d, err := tfr.Next(nil); d != nil && err == nil; d, err = tfr.Next(nil) {
					id, _ := r.ExternalID(d.ID)
					out = append(out, fmt.Sprintf("%s %q %s freq %d norm %v vectors %d", field, e.Term, id, d.Freq, d.Norm, len(d.Vectors)))
				}
				tfr.Close()
			}
			dict.Close()
		}
		slices.Sort(out)
		return out
	}
	want, got := postings(build(false)), postings(build(true))
	if len(want) == 0 || !slices.Equal(got, want) {
		t.Errorf("as one field:\n%q\nas a list:\n%q", got, want)
	}
	if _, err := newKeywordsField(m, fTitle, nil); err == nil {
		t.Error("a text field was taken for a keyword field")
	}
	if _, err := newKeywordsField(m, fSortDate, nil); err == nil {
		t.Error("a keyword field with doc values was taken")
	}
}
