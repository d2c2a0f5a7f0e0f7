package index

import (
	"bytes"
	"fmt"
	"os"
	"testing"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"

	"github.com/folio-search/folio/corpus"
)

// sameTokens reports how the fast tokenizer's tokens of text differ from
// Bleve's unicode tokenizer's; "" when they are the same.
func sameTokens(text []byte) string {
	want := unicode.NewUnicodeTokenizer().Tokenize(text)
	got := asciiFastTokenizer{general: unicode.NewUnicodeTokenizer()}.Tokenize(text)
	for i := 0; i < len(want) || i < len(got); i++ {
		if i >= len(want) || i >= len(got) {
			return fmt.Sprintf("%d tokens, want %d", len(got), len(want))
		}
		g, w := got[i], want[i]
		if !bytes.Equal(g.Term, w.Term) || g.Start != w.Start || g.End != w.End || g.Position != w.Position || g.Type != w.Type {
			return fmt.Sprintf("token %d = %q %d-%d pos %d type %v, want %q %d-%d pos %d type %v",
				i, g.Term, g.Start, g.End, g.Position, g.Type, w.Term, w.Start, w.End, w.Position, w.Type)
		}
	}
	return ""
}

// newsArticles is the first n articles of each of the Reuters and BBC
// corpora; the test is skipped where they are not present.
func newsArticles(t *testing.T, n int) []corpus.Article {
	t.Helper()
	var out []corpus.Article
	for _, path := range []string{"../../shared/corpora/reuters21578/reuters21578.jsonl", "../../shared/corpora/bbc/bbc.jsonl"} {
		if _, err := os.Stat(path); err != nil {
			t.Skip("corpus not present:", err)
		}
		read := 0
		for a, err := range corpus.ReadFile(path) {
			if err != nil {
				continue
			}
			out = append(out, a)
			if read++; read == n {
				break
			}
		}
	}
	return out
}

// The fast tokenizer splits real news exactly as Bleve's unicode tokenizer.
func TestFastTokenizerAgreesOnNews(t *testing.T) {
	checked, ascii := 0, 0
	for _, a := range newsArticles(t, 4000) {
		for _, text := range []string{a.Title, a.Body} {
			if diff := sameTokens([]byte(text)); diff != "" {
				t.Fatalf("%s: %s", a.ID, diff)
			}
			checked++
			if isASCII(text) {
				ascii++
			}
		}
	}
	if ascii < checked/2 {
		t.Fatalf("only %d of %d texts were ASCII: the fast path was hardly tried", ascii, checked)
	}
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func TestFastTokenizerEdgeCases(t *testing.T) {
	for _, s := range []string{
		"", " ", "U.S. dollar", "1,000.50 dlrs", "can't won't", "10:30 a:b", "a.1 1.a a1.5 1a",
		"__ a_ _1 a_.b 1_a", "x'y' 'quoted'", "end.", "e-mail", "3.5.1", "a..b 1,,2", "tab\there\r\nnew",
	} {
		if diff := sameTokens([]byte(s)); diff != "" {
			t.Errorf("%q: %s", s, diff)
		}
	}
	// Non-ASCII text goes to the unicode tokenizer.
	if diff := sameTokens([]byte("Aliyev’s café — naïve")); diff != "" {
		t.Error(diff)
	}
	toks := asciiFastTokenizer{general: unicode.NewUnicodeTokenizer()}.Tokenize([]byte("U.S. 1,000"))
	if len(toks) != 2 || string(toks[0].Term) != "U.S" || toks[1].Type != analysis.Numeric {
		t.Errorf("tokens %v", toks)
	}
}

func FuzzFastTokenizer(f *testing.F) {
	for _, s := range []string{"U.S. 1,000.5", "a_b:c'd", "x1.y2,3;4", "it's 10:30"} {
		f.Add(s)
	}
	// Each input is also tried mapped onto the bytes that matter to word
	// boundaries, so that most inputs take the fast path.
	const alphabet = "aZ09_.,;:' -\n\"!"
	f.Fuzz(func(t *testing.T, s string) {
		mapped := []byte(s)
		for i, b := range mapped {
			mapped[i] = alphabet[int(b)%len(alphabet)]
		}
		for _, text := range [][]byte{[]byte(s), mapped} {
			if diff := sameTokens(text); diff != "" {
				t.Errorf("%q: %s", text, diff)
			}
		}
	})
}

func BenchmarkTokenizers(b *testing.B) {
	var texts [][]byte
	size := 0
	for a, err := range corpus.ReadFile("../../shared/corpora/reuters21578/reuters21578.jsonl") {
		if err == nil {
			texts = append(texts, []byte(a.Body))
			size += len(a.Body)
		}
		if len(texts) == 2000 {
			break
		}
	}
	if len(texts) == 0 {
		b.Skip("Reuters corpus not present")
	}
	for name, tok := range map[string]analysis.Tokenizer{
		"unicode": unicode.NewUnicodeTokenizer(),
		"fast":    asciiFastTokenizer{general: unicode.NewUnicodeTokenizer()},
	} {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(size))
			for b.Loop() {
				for _, t := range texts {
					tok.Tokenize(t)
				}
			}
		})
	}
}
