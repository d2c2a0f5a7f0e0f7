package quote

import (
	"bufio"
	"encoding/json"
	"os"
	"testing"

	"github.com/folio-search/folio/corpus"
	"github.com/folio-search/folio/internal/ner"
)

// BenchmarkExtractReuters measures extraction alone on Reuters-21578
// articles whose entities were found beforehand, as ingest runs it.
func BenchmarkExtractReuters(b *testing.B) {
	f, err := os.Open("../../../shared/corpora/reuters21578/reuters21578.jsonl")
	if err != nil {
		b.Skip("Reuters-21578 is not there:", err)
	}
	defer f.Close()
	rec, err := ner.Load(nil)
	if err != nil {
		b.Fatal(err)
	}
	var arts []*corpus.Article
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() && len(arts) < 3000 {
		var a corpus.Article
		if err := json.Unmarshal(sc.Bytes(), &a); err != nil {
			b.Fatal(err)
		}
		rec.Enrich(&a)
		arts = append(arts, &a)
	}
	b.ResetTimer()
	n := 0
	for i := 0; i < b.N; i++ {
		for _, a := range arts {
			n += len(Extract(a))
		}
	}
	b.ReportMetric(float64(n)/float64(b.N), "quotes/op")
}
