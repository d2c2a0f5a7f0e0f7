package ner

import (
	"bufio"
	"encoding/json"
	"os"
	"testing"
	"time"
)

const reutersPath = "../../../shared/corpora/reuters21578/reuters21578.jsonl"

// reutersBodies returns up to n article bodies from Reuters-21578.
func reutersBodies(b testing.TB, n int) []string {
	f, err := os.Open(reutersPath)
	if err != nil {
		b.Skip(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	var out []string
	for sc.Scan() && len(out) < n {
		var rec struct{ Body string }
		if json.Unmarshal(sc.Bytes(), &rec) == nil && rec.Body != "" {
			out = append(out, rec.Body)
		}
	}
	return out
}

// benchBodies returns 2,000 Reuters bodies to measure on and a recogniser
// whose word cache is warm from 4,000 others, as in the middle of a long
// ingest: the measured text still brings words the cache has not seen.
func benchBodies(b *testing.B) ([]string, *Recognizer) {
	all := reutersBodies(b, 6000)
	if len(all) < 6000 {
		b.Skip("Reuters-21578 too short")
	}
	r, err := Load(nil)
	if err != nil {
		b.Fatal(err)
	}
	for _, s := range all[2000:] {
		r.tagTexts("", s)
	}
	return all[:2000], r
}

// BenchmarkTagReuters measures tagging throughput (bytes of news text per
// second) on Reuters bodies, including tokenising and sentence splitting.
func BenchmarkTagReuters(b *testing.B) {
	bodies, r := benchBodies(b)
	total := 0
	for _, s := range bodies {
		total += len(s)
	}
	b.SetBytes(int64(total))
	b.ResetTimer()
	c0 := cpuTime()
	for i := 0; i < b.N; i++ {
		for _, s := range bodies {
			r.tagTexts("", s)
		}
	}
	reportCPU(b, c0, total)
}

// reportCPU adds throughput per CPU second, the figure that matters when
// other processes share the machine.
func reportCPU(b *testing.B, c0 time.Duration, bytes int) {
	if d := cpuTime() - c0; d > 0 {
		b.ReportMetric(float64(bytes)*float64(b.N)/1e6/d.Seconds(), "MB/cpu-s")
	}
}

// BenchmarkExtractReuters is the indexer's call: tagging plus canonical names.
func BenchmarkExtractReuters(b *testing.B) {
	bodies, r := benchBodies(b)
	total := 0
	for _, s := range bodies {
		total += len(s)
	}
	b.SetBytes(int64(total))
	b.ResetTimer()
	c0 := cpuTime()
	for i := 0; i < b.N; i++ {
		for _, s := range bodies {
			r.Extract("", s)
		}
	}
	reportCPU(b, c0, total)
}

// BenchmarkTagExtractPath measures the tagger as Extract runs it, with
// pooled buffers, in CPU nanoseconds per token.
func BenchmarkTagExtractPath(b *testing.B) {
	bodies, r := benchBodies(b)
	total, toks := 0, 0
	for _, s := range bodies {
		total += len(s)
		toks += len(Tokenize(s))
	}
	b.SetBytes(int64(total))
	b.ResetTimer()
	c0 := cpuTime()
	for i := 0; i < b.N; i++ {
		for _, s := range bodies {
			tb := tagBufPool.Get().(*tagBufs)
			r.tag([]string{"", s}, true, tb)
			tb.release()
		}
	}
	reportCPU(b, c0, total)
	if d := cpuTime() - c0; d > 0 {
		b.ReportMetric(float64(d.Nanoseconds())/float64(b.N*toks), "cpu-ns/token")
	}
}
