package index

import (
	"context"
	"fmt"
	"iter"
	"slices"
	"strings"
	"testing"

	"github.com/folio-search/folio/corpus"
	"github.com/folio-search/folio/internal/ingest"
)

// personArticle is an article whose body names people, each given as an
// entity with its mentions found in the body.
func personArticle(id, body string, people ...string) corpus.Article {
	a := corpus.Article{ID: id, Title: id, Body: body}
	for _, p := range people {
		word := p[strings.LastIndexByte(p, ' ')+1:]
		e := corpus.Entity{Type: "PER", Name: p}
		if i := strings.Index(body, p); i >= 0 {
			e.Mentions = append(e.Mentions, corpus.Mention{Start: i, End: i + len(p)})
		} else if i := strings.Index(body, word); i >= 0 {
			e.Mentions = append(e.Mentions, corpus.Mention{Start: i, End: i + len(word)})
		}
		a.Entities = append(a.Entities, e)
	}
	return a
}

// withPerson lists the IDs of the articles whose person facet holds name.
func withPerson(t *testing.T, ix *Index, name string) []string {
	t.Helper()
	var ids []string
	err := linkStore{ix}.WithName(context.Background(), "PER", name, func(a *corpus.Article) { ids = append(ids, a.ID) })
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(ids)
	return ids
}

func seqOf(articles ...corpus.Article) iter.Seq2[corpus.Article, error] {
	return func(yield func(corpus.Article, error) bool) {
		for _, a := range articles {
			if !yield(a, nil) {
				return
			}
		}
	}
}

func TestSurnamesLinkAcrossArticles(t *testing.T) {
	ix, err := Open(t.TempDir() + "/index")
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	// One article per batch: the surname alone is written before the
	// corpus names the person in full.
	_, err = ix.Ingest(context.Background(), seqOf(
		personArticle("a1", "Erdogan said the talks went well.", "Erdogan"),
		personArticle("a2", "Recep Tayyip Erdogan visited Baku.", "Recep Tayyip Erdogan"),
		personArticle("a3", "Aliyev spoke first.", "Aliyev"),
		personArticle("a4", "Ilham Aliyev met him.", "Ilham Aliyev"),
		personArticle("a5", "Heydar Aliyev ruled before.", "Heydar Aliyev"),
		personArticle("a6", "Michael spoke.", "Michael"),
		personArticle("a7", "John Michael and Michael Jordan met.", "John Michael", "Michael Jordan"),
		// Linked when written, then a second Shultz in the same ingest.
		personArticle("a8", "George Shultz flew in.", "George Shultz"),
		personArticle("a9", "Shultz flew in.", "Shultz"),
		personArticle("a10", "Jim Shultz flew out.", "Jim Shultz"),
	), IngestOptions{BatchSize: 1, Writers: 1})
	if err != nil {
		t.Fatal(err)
	}
	if got := withPerson(t, ix, "Recep Tayyip Erdogan"); !slices.Equal(got, []string{"a1", "a2"}) {
		t.Errorf("Recep Tayyip Erdogan: %v, want a1 a2", got)
	}
	if got := withPerson(t, ix, "Erdogan"); len(got) != 0 {
		t.Errorf("Erdogan alone still in %v", got)
	}
	if got := withPerson(t, ix, "Shultz"); !slices.Equal(got, []string{"a9"}) {
		t.Errorf("Shultz after a second Shultz in one ingest: %v, want a9", got)
	}
	// Negative: a word that opens a full name may be a first name.
	if got := withPerson(t, ix, "Michael"); !slices.Equal(got, []string{"a6"}) {
		t.Errorf("Michael: %v, want a6", got)
	}
	// Negative: two Aliyevs named in full; the surname alone stays.
	if got := withPerson(t, ix, "Aliyev"); !slices.Equal(got, []string{"a3"}) {
		t.Errorf("Aliyev: %v, want a3", got)
	}
	a1, err := ix.Article(context.Background(), "a1")
	if err != nil {
		t.Fatal(err)
	}
	if len(a1.Entities) != 1 || a1.Entities[0].Name != "Recep Tayyip Erdogan" ||
		len(a1.Entities[0].Mentions) != 1 || a1.Entities[0].Mentions[0] != (corpus.Mention{Start: 0, End: 7}) {
		t.Errorf("a1's entities: %+v", a1.Entities)
	}
}

func TestSurnameUnlinkedWhenASecondPersonAppears(t *testing.T) {
	dir := t.TempDir() + "/index"
	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	mustPut := func(ix *Index, a corpus.Article) {
		t.Helper()
		if err := ix.Put(a); err != nil {
			t.Fatal(err)
		}
	}
	given := personArticle("b1", "Baker said so.", "Baker")
	mustPut(ix, given)
	mustPut(ix, personArticle("b2", "James Baker arrived.", "James Baker"))
	if got := withPerson(t, ix, "James Baker"); !slices.Equal(got, []string{"b1", "b2"}) {
		t.Errorf("James Baker: %v, want b1 b2", got)
	}
	if given.Entities[0].Name != "Baker" {
		t.Errorf("Put changed the caller's article: %+v", given.Entities)
	}
	mustPut(ix, personArticle("b3", "Howard Baker left.", "Howard Baker"))
	if got := withPerson(t, ix, "James Baker"); !slices.Equal(got, []string{"b2"}) {
		t.Errorf("James Baker after Howard Baker: %v, want b2", got)
	}
	if got := withPerson(t, ix, "Baker"); !slices.Equal(got, []string{"b1"}) {
		t.Errorf("Baker after Howard Baker: %v, want b1", got)
	}

	// The full names already in an index count when it is opened again,
	// and so do the links made before.
	mustPut(ix, personArticle("c1", "Paul Volcker testified.", "Paul Volcker"))
	mustPut(ix, personArticle("d1", "Shultz flew in.", "Shultz"))
	mustPut(ix, personArticle("d2", "George Shultz flew in.", "George Shultz"))
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	ix, err = Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	mustPut(ix, personArticle("c2", "Volcker said rates would hold.", "Volcker"))
	if got := withPerson(t, ix, "Paul Volcker"); !slices.Equal(got, []string{"c1", "c2"}) {
		t.Errorf("Paul Volcker after reopening: %v, want c1 c2", got)
	}
	mustPut(ix, personArticle("d3", "Jim Shultz flew out.", "Jim Shultz"))
	if got := withPerson(t, ix, "Shultz"); !slices.Equal(got, []string{"d1"}) {
		t.Errorf("Shultz after reopening and a second Shultz: %v, want d1", got)
	}
}

// TestIngestStepWritesThenFinishLinks drives the index as a caller that
// composes the flow does: the ingest step writes the batches through
// WriteBatch, and people named by surname alone before the corpus named
// them in full are linked only once FinishIngest runs.
func TestIngestStepWritesThenFinishLinks(t *testing.T) {
	ix, err := Open(t.TempDir() + "/index")
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	ctx := context.Background()
	stats, err := ingest.Run(ctx, seqOf(
		personArticle("a1", "Erdogan said the talks went well.", "Erdogan"),
		personArticle("a2", "Recep Tayyip Erdogan visited Baku.", "Recep Tayyip Erdogan"),
		personArticle("a3", "Erdogan left.", "Erdogan"),
	), ix, ingest.Options{Size: 1})
	if err != nil || stats.Indexed != 3 {
		t.Fatalf("ingest.Run: %v, %+v", err, stats)
	}
	// Written after the full name, a3 is linked as it is written; a1 not yet.
	if got := withPerson(t, ix, "Recep Tayyip Erdogan"); !slices.Equal(got, []string{"a2", "a3"}) {
		t.Errorf("before FinishIngest: %v, want a2 a3", got)
	}
	if err := ix.FinishIngest(ctx, false); err != nil {
		t.Fatal(err)
	}
	if got := withPerson(t, ix, "Recep Tayyip Erdogan"); !slices.Equal(got, []string{"a1", "a2", "a3"}) {
		t.Errorf("after FinishIngest: %v, want a1 a2 a3", got)
	}
	if got := withPerson(t, ix, "Erdogan"); len(got) != 0 {
		t.Errorf("Erdogan alone still in %v", got)
	}
}

func TestSurnameJoinsTheFullNameThatDominates(t *testing.T) {
	ix, err := Open(t.TempDir() + "/index")
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	var articles []corpus.Article
	add := func(id, body string, people ...string) {
		articles = append(articles, personArticle(id, body, people...))
	}
	// Tony Blair holds 6 of the 8 articles that name a Blair in full or
	// open a name with the word: "Blair" alone is he.
	add("t0", "Blair said no.", "Blair")
	for i := range 6 {
		add(fmt.Sprint("t", i+1), "Tony Blair spoke.", "Tony Blair")
	}
	add("t7", "Cherie Blair spoke.", "Cherie Blair")
	add("t8", "Blair Babes voted.", "Blair Babes")
	// Ann Smith (an earlier ingest), then Bob Smith as often (no one), then
	// Ann Smith four times to one: "Smith", written while it stood for no
	// one, is Ann.
	if _, err := ix.Ingest(context.Background(), seqOf(personArticle("s1", "Ann Smith came.", "Ann Smith")), IngestOptions{}); err != nil {
		t.Fatal(err)
	}
	add("s2", "Bob Smith came.", "Bob Smith")
	add("s3", "Smith came.", "Smith")
	add("s4", "Ann Smith left.", "Ann Smith")
	add("s5", "Ann Smith left.", "Ann Smith")
	add("s6", "Ann Smith left.", "Ann Smith")
	// Negative: two Jones as often each; the surname alone stays.
	add("j1", "Jones won.", "Jones")
	add("j2", "Ed Jones won.", "Ed Jones")
	add("j3", "Ed Jones won.", "Ed Jones")
	add("j4", "Al Jones won.", "Al Jones")
	add("j5", "Al Jones won.", "Al Jones")
	if _, err := ix.Ingest(context.Background(), seqOf(articles...), IngestOptions{BatchSize: 1, Writers: 1}); err != nil {
		t.Fatal(err)
	}
	if got := withPerson(t, ix, "Tony Blair"); !slices.Contains(got, "t0") || len(got) != 7 {
		t.Errorf("Tony Blair: %v, want t0 to t6", got)
	}
	if got := withPerson(t, ix, "Ann Smith"); !slices.Equal(got, []string{"s1", "s3", "s4", "s5", "s6"}) {
		t.Errorf("Ann Smith: %v, want s1 s3 s4 s5 s6", got)
	}
	if got := withPerson(t, ix, "Jones"); !slices.Equal(got, []string{"j1"}) {
		t.Errorf("Jones: %v, want j1", got)
	}
}

func TestInitialsJoinTheOrganisation(t *testing.T) {
	ix, err := Open(t.TempDir() + "/index")
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	org := func(id, body string, names ...string) corpus.Article {
		a := corpus.Article{ID: id, Title: id, Body: body}
		for _, n := range names {
			i := strings.Index(body, n)
			a.Entities = append(a.Entities, corpus.Entity{Type: "ORG", Name: n, Mentions: []corpus.Mention{{Start: i, End: i + len(n)}}})
		}
		return a
	}
	_, err = ix.Ingest(context.Background(), seqOf(
		org("n1", "The NHS is busy.", "NHS"),
		org("n2", "The National Health Service said so.", "National Health Service"),
		org("n3", "The National Health Service said so.", "National Health Service"),
		org("n4", "The National Health Service said so.", "National Health Service"),
		org("u1", "UKIP won.", "UKIP"),
		org("u2", "The UK Independence Party won.", "UK Independence Party"),
		org("u3", "The UK Independence Party won.", "UK Independence Party"),
		org("u4", "The UK Independence Party won.", "UK Independence Party"),
		// Named in full once, by chance or a typo: not enough for initials.
		org("a1", "The AOL deal.", "AOL"),
		org("a2", "Al Otro Lado played.", "Al Otro Lado"),
		// Two organisations of the same initials as often: EC stays.
		org("e1", "The EC met.", "EC"),
		org("e2", "The European Community met.", "European Community"),
		org("e3", "The European Commission met.", "European Commission"),
		// Not initials: a word in lower case, or a name in mixed case.
		org("r1", "Reuters said.", "Reuters"),
		org("r2", "Royal Exchange Unit Trust Ethics Review Society said.", "Royal Exchange Unit Trust Ethics Review Society"),
	), IngestOptions{BatchSize: 1, Writers: 1})
	if err != nil {
		t.Fatal(err)
	}
	withOrg := func(name string) []string {
		var ids []string
		err := linkStore{ix}.WithName(context.Background(), "ORG", name, func(a *corpus.Article) { ids = append(ids, a.ID) })
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(ids)
		return ids
	}
	for name, want := range map[string][]string{
		"National Health Service": {"n1", "n2", "n3", "n4"},
		"UK Independence Party":   {"u1", "u2", "u3", "u4"},
		"AOL":                     {"a1"},
		"EC":                      {"e1"},
		"Reuters":                 {"r1"},
	} {
		if got := withOrg(name); !slices.Equal(got, want) {
			t.Errorf("%s: %v, want %v", name, got, want)
		}
	}
}

// TestLinkingIgnoresTheOrderOfBatches ingests one set of articles in
// batches of three orders and asks each index the same: who every
// article names. Linking decides by counts over the whole ingest, so the
// order in which batches arrive must not change a single name.
func TestLinkingIgnoresTheOrderOfBatches(t *testing.T) {
	people := []string{"Ernest Drew", "Jane Drew", "Drew Lewis", "Drew", "Drew", "Lewis",
		"James Baker", "James Baker", "Baker", "Baker", "Ann Baker", "James", "Lee", "Lee", "Bo Lee", "Kim Lee"}
	var articles []corpus.Article
	for i := range 240 {
		// A fixed pseudo-random choice of two or three names an article.
		x := uint32(i)*2654435761 + 12345
		var names []string
		for j := range 2 + int(x%2) {
			n := people[(x>>(8*j+3))%uint32(len(people))]
			if !slices.Contains(names, n) {
				names = append(names, n)
			}
		}
		articles = append(articles, personArticle(fmt.Sprint("a", i), strings.Join(names, " met ")+".", names...))
	}
	names := func(order []corpus.Article) map[string][]string {
		ix, err := Open(t.TempDir() + "/index")
		if err != nil {
			t.Fatal(err)
		}
		defer ix.Close()
		if _, err := ix.Ingest(context.Background(), seqOf(order...), IngestOptions{BatchSize: 7, Writers: 1}); err != nil {
			t.Fatal(err)
		}
		out := map[string][]string{}
		for _, a := range articles {
			err := linkStore{ix}.Articles(context.Background(), []string{a.ID}, func(got *corpus.Article) {
				for _, e := range got.Entities {
					out[a.ID] = append(out[a.ID], e.Name)
				}
				slices.Sort(out[a.ID])
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		return out
	}
	want := names(articles)
	linked := 0
	for _, a := range articles {
		for _, e := range a.Entities {
			if !strings.Contains(e.Name, " ") && !slices.Contains(want[a.ID], e.Name) {
				linked++
			}
		}
	}
	if linked == 0 {
		t.Fatal("no surname was linked: the articles do not exercise linking")
	}
	reversed := slices.Clone(articles)
	slices.Reverse(reversed)
	interleaved := make([]corpus.Article, 0, len(articles))
	for i := range 3 {
		for j := i; j < len(articles); j += 3 {
			interleaved = append(interleaved, articles[j])
		}
	}
	for name, order := range map[string][]corpus.Article{"reversed": reversed, "interleaved": interleaved} {
		got := names(order)
		for _, a := range articles {
			if !slices.Equal(got[a.ID], want[a.ID]) {
				t.Errorf("%s order: %s names %v, in file order %v", name, a.ID, got[a.ID], want[a.ID])
			}
		}
	}
}
