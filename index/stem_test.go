package index

import (
	"bytes"
	"testing"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"

	"github.com/folio-search/folio/corpus"
)

// The cached stemmer gives Bleve's stems, for words met once and again.
func TestCachedStemmerAgreesWithBleve(t *testing.T) {
	texts := []string{"running runs ran runner's generously generous connection connected"}
	for a, err := range corpus.ReadFile("../../shared/corpora/reuters21578/reuters21578.jsonl") {
		if err == nil {
			texts = append(texts, a.Body)
		}
		if len(texts) == 1000 {
			break
		}
	}
	cached := cachedStemFilter{cache: newStemCache(snowballStem)}
	words := 0
	for round := 0; round < 2; round++ { // the second round reads the cache
		for _, text := range texts {
			tokenize := func() analysis.TokenStream {
				return unicode.NewUnicodeTokenizer().Tokenize(bytes.ToLower([]byte(text)))
			}
			want := en.NewEnglishStemmerFilter().Filter(tokenize())
			got := cached.Filter(tokenize())
			for i := range want {
				if !bytes.Equal(got[i].Term, want[i].Term) {
					t.Fatalf("round %d: stem %q, want %q", round, got[i].Term, want[i].Term)
				}
			}
			words += len(want)
		}
	}
	if words < 100000 {
		t.Fatalf("only %d words compared", words)
	}
}
