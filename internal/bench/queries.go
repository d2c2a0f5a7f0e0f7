package bench

import (
	"fmt"
	"math/rand/v2"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/folio-search/folio/corpus"
)

// Query classes of issue 6.
const (
	ClassTerms    = "a" // 1–2 terms, top 10
	ClassPhrase   = "b" // an exact phrase cut from an article
	ClassFacets   = "c" // a term with tag, entity and date facets
	ClassSnippets = "d" // (a) with highlighted snippets
	ClassFilter   = "e" // entity/tag filter + date range, newest first
)

// Classes are the query classes in report order.
var Classes = []string{ClassTerms, ClassPhrase, ClassFacets, ClassSnippets, ClassFilter}

// ClassNames describe the classes in the report.
var ClassNames = map[string]string{
	ClassTerms:    "(a) 1–2 terms",
	ClassPhrase:   "(b) exact phrase",
	ClassFacets:   "(c) term + facets",
	ClassSnippets: "(d) terms + snippets",
	ClassFilter:   "(e) filter + dates, by date",
}

// Query is one benchmark query, engine-neutral; each engine's URL is made
// from it.
type Query struct {
	Class   string `json:"class"`
	Text    string `json:"q,omitempty"`
	Tag     string `json:"tag,omitempty"`
	Field   string `json:"field,omitempty"` // entity filter: person, org or place
	Entity  string `json:"entity,omitempty"`
	From    string `json:"from,omitempty"` // YYYY or YYYY-MM, inclusive
	To      string `json:"to,omitempty"`
	Sort    string `json:"sort,omitempty"`
	Facets  bool   `json:"facets,omitempty"`
	Snippet bool   `json:"snippets,omitempty"`
}

// Values are the query's parameters in Folio's API (GET /api/search),
// which serves both engines (see queryURL for facets and snippets).
func (q Query) Values() url.Values {
	v := url.Values{"size": {"10"}}
	if q.Text != "" {
		v.Set("q", q.Text)
	}
	if q.Tag != "" {
		v.Set("tag", q.Tag)
	}
	if q.Entity != "" {
		v.Set(q.Field, q.Entity)
	}
	if q.From != "" {
		v.Set("from", q.From)
	}
	if q.To != "" {
		v.Set("to", q.To)
	}
	if q.Sort != "" {
		v.Set("sort", q.Sort)
	}
	return v
}

// String is a short human form of the query for mismatch listings.
func (q Query) String() string {
	var parts []string
	if q.Text != "" {
		parts = append(parts, q.Text)
	}
	if q.Tag != "" {
		parts = append(parts, "tag:"+q.Tag)
	}
	if q.Entity != "" {
		parts = append(parts, fmt.Sprintf("%s:%q", q.Field, q.Entity))
	}
	if q.From != "" || q.To != "" {
		parts = append(parts, "date:"+q.From+".."+q.To)
	}
	return strings.Join(parts, " ")
}

// stopWords is the Snowball English stop list that Folio's analyzer drops
// (words with apostrophes left out: sampled words never have one). Query
// words are never stop words, since FTS5 keeps them and the totals would
// differ for that reason alone.
var stopWords = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`i me my myself we our ours ourselves you your yours yourself yourselves he
	him his himself she her hers herself it its itself they them their theirs themselves what which who whom
	this that these those am is are was were be been being have has had having do does did doing would should
	could ought cannot a an the and but if or because as until while of at by for with about against between
	into through during before after above below to from up down in out on off over under again further then
	once here there when where why how all any both each few more most other some such no nor not only own
	same so than too very`) {
		stopWords[w] = true
	}
}

// word is a token of article text, with its byte span.
type word struct {
	text       string // lower case
	start, end int
	plain      bool // letters only, so both engines' tokenizers agree on it
}

// words splits text on spaces and clear punctuation. A word that keeps
// digits, apostrophes or inner dots ("U.S.", "1.5", "company's") is not
// plain: the two tokenizers split such words differently.
func words(text string) []word {
	var out []word
	sep := func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune(`,;:!?()[]{}<>"/\|+=*&%$#@~^_–—-`, r)
	}
	start := -1
	flush := func(end int) {
		if start < 0 {
			return
		}
		s, e := start, end
		for e > s && (text[e-1] == '.' || text[e-1] == '\'') {
			e--
		}
		for s < e && (text[s] == '.' || text[s] == '\'') {
			s++
		}
		if s < e {
			w := text[s:e]
			plain := true
			for _, r := range w {
				if r > unicode.MaxASCII || !unicode.IsLetter(r) {
					plain = false
					break
				}
			}
			out = append(out, word{strings.ToLower(w), s, e, plain})
		}
		start = -1
	}
	for i, r := range text {
		if sep(r) {
			flush(i)
		} else if start < 0 {
			start = i
		}
	}
	flush(len(text))
	return out
}

// searchable reports whether w makes a good query term: plain, not a stop
// word, at least three letters.
func searchable(w word) bool { return w.plain && len(w.text) >= 3 && !stopWords[w.text] }

// EntityLookup returns the indexed entities of an article (by ID) as
// facet field → names; nil when none were extracted.
type EntityLookup func(id string) map[string][]string

// Generate samples n queries per class from the source articles with a
// fixed seed, so that every run asks the same questions. Words and phrases
// come from the articles' own text, tags from their tags, entities from
// what extraction found in them (via ents, which may be nil), and date
// ranges from the replicated corpus's years (replicas copies). src must
// hold only articles that are in the corpus.
func Generate(src []corpus.Article, replicas int, ents EntityLookup, n int, seed uint64) map[string][]Query {
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	pick := func() *corpus.Article { return &src[rng.IntN(len(src))] }
	out := map[string][]Query{}

	termQuery := func(maxTerms int) string {
		for {
			a := pick()
			var cand []string
			seen := map[string]bool{}
			for _, w := range words(a.Title + "\n" + a.Body) {
				if searchable(w) && !seen[w.text] {
					seen[w.text] = true
					cand = append(cand, w.text)
				}
			}
			if len(cand) == 0 {
				continue
			}
			k := 1 + rng.IntN(maxTerms)
			if k > len(cand) {
				k = len(cand)
			}
			rng.Shuffle(len(cand), func(i, j int) { cand[i], cand[j] = cand[j], cand[i] })
			return strings.Join(cand[:k], " ")
		}
	}
	for range n {
		out[ClassTerms] = append(out[ClassTerms], Query{Class: ClassTerms, Text: termQuery(2)})
	}
	for range n {
		out[ClassFacets] = append(out[ClassFacets], Query{Class: ClassFacets, Text: termQuery(1), Facets: true})
	}
	// (d) asks (a)'s questions, with snippets.
	for _, q := range out[ClassTerms] {
		out[ClassSnippets] = append(out[ClassSnippets], Query{Class: ClassSnippets, Text: q.Text, Snippet: true})
	}
	for range n {
		out[ClassPhrase] = append(out[ClassPhrase], Query{Class: ClassPhrase, Text: `"` + phrase(rng, pick) + `"`})
	}
	for range n {
		out[ClassFilter] = append(out[ClassFilter], filterQuery(rng, src, replicas, ents))
	}
	return out
}

// phrase cuts 2–4 consecutive plain words, separated by spaces only, with
// at least one searchable word, from a random article body.
func phrase(rng *rand.Rand, pick func() *corpus.Article) string {
	for {
		a := pick()
		ws := words(a.Body)
		if len(ws) < 4 {
			continue
		}
		k := 2 + rng.IntN(3)
		for range 20 {
			i := rng.IntN(len(ws) - k + 1)
			run := ws[i : i+k]
			ok, content := true, false
			for j, w := range run {
				if !w.plain {
					ok = false
					break
				}
				if j > 0 && strings.TrimSpace(a.Body[run[j-1].end:w.start]) != "" {
					ok = false // punctuation between the words
					break
				}
				content = content || searchable(w)
			}
			if ok && content {
				texts := make([]string, k)
				for j, w := range run {
					texts[j] = w.text
				}
				return strings.Join(texts, " ")
			}
		}
	}
}

// filterQuery is class (e): an article's tag and/or one of its entities,
// and a date range around the date of one of its replicas, newest first.
func filterQuery(rng *rand.Rand, src []corpus.Article, replicas int, ents EntityLookup) Query {
	for {
		i := rng.IntN(len(src))
		a := &src[i]
		if a.Date == nil {
			continue
		}
		q := Query{Class: ClassFilter, Sort: "-date"}
		var fields []string
		var found map[string][]string
		if ents != nil {
			found = ents(Replica(src, i).ID)
			for f, names := range found {
				if len(names) > 0 {
					fields = append(fields, f)
				}
			}
			slices.Sort(fields)
		}
		useTag := len(a.Tags) > 0 && (len(fields) == 0 || rng.IntN(2) == 0)
		if useTag {
			q.Tag = a.Tags[rng.IntN(len(a.Tags))]
		}
		if len(fields) > 0 {
			f := fields[rng.IntN(len(fields))]
			q.Field, q.Entity = f, found[f][rng.IntN(len(found[f]))]
		}
		if q.Tag == "" && q.Entity == "" {
			continue
		}
		k := rng.IntN(max(replicas, 1))
		d := a.Date.AddDate(-k, 0, 0)
		if replicas >= 3 {
			// Years: a window of up to a quarter of the archive.
			w := max(1, replicas/4)
			from := d.Year() - rng.IntN(w+1)
			q.From, q.To = fmt.Sprint(from), fmt.Sprint(from+w)
		} else {
			m := time.Date(d.Year(), d.Month(), 1, 0, 0, 0, 0, time.UTC)
			from := m.AddDate(0, -rng.IntN(3), 0)
			q.From, q.To = from.Format("2006-01"), from.AddDate(0, 2, 0).Format("2006-01")
		}
		return q
	}
}
