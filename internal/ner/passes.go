package ner

// article is what the passes of Extract work on: one article's texts
// (title, body), its tagged sentences and the mentions found so far.
type article struct {
	r     *Recognizer
	texts []string
	sents []*taggedSentence
	ms    []*mention
}

// A pass is one named step from the tagger's spans to an article's
// entities. It may split, join, retype, drop or name the mentions.
type pass struct {
	name string
	run  func(a *article)
}

// passes are the steps Extract runs, in order. The order matters: most
// passes rely on what an earlier one made of the mentions (names are
// split and joined before they are retyped, retyped before non-names are
// dropped, and named before one-word names are linked to full ones).
var passes = []pass{
	{"cutAtNonName", func(a *article) { a.ms = cutAtNonName(a.ms) }},
	{"fixFacilities", func(a *article) { a.ms = fixFacilities(a.ms, a.sents) }},
	{"splitAtTitles", func(a *article) { a.ms = splitAtTitles(a.ms) }},
	{"splitKnownNames", func(a *article) { a.ms = splitKnownNames(a.ms) }},
	{"splitPlaceAndPerson", func(a *article) { a.ms = a.r.splitPlaceAndPerson(a.ms) }},
	{"cleanMentions", func(a *article) { a.ms = a.r.cleanMentions(a.ms, a.texts) }},
	{"joinPartnersLeft", func(a *article) { a.r.joinPartnersLeft(a.ms, a.texts) }},
	{"extendPartnerships", func(a *article) { extendPartnerships(a.ms, a.texts) }},
	{"linkAcronyms", func(a *article) { a.ms = linkAcronyms(a.ms, a.sents, a.texts) }},
	{"linkInitials", func(a *article) { linkInitials(a.ms) }},
	{"splitAtPlace", func(a *article) { a.ms = a.r.splitAtPlace(a.ms, a.texts) }},
	{"completeNames", func(a *article) { a.ms = completeNames(a.ms, a.texts) }},
	{"retypeByHead", func(a *article) { a.ms = retypeByHead(a.ms) }},
	{"fixDemonyms", func(a *article) { a.r.fixDemonyms(a.ms) }},
	{"placesByUse", func(a *article) { a.r.placesByUse(a.ms) }},
	{"retypeByContext", func(a *article) { a.r.retypeByContext(a.ms) }},
	{"retypeByClassifier", func(a *article) { a.r.retypeByClassifier(a.ms) }},
	{"retypeTitles", func(a *article) { a.r.retypeTitles(a.ms) }},
	{"retypeEvents", func(a *article) { retypeEvents(a.ms) }},
	{"retypeSources", func(a *article) { a.r.retypeSources(a.ms) }},
	{"retypeNaturalPlaces", func(a *article) { a.r.retypeNaturalPlaces(a.ms) }},
	{"retypeByLists", func(a *article) { retypeByLists(a.ms) }},
	{"extendOrgsLeft", func(a *article) { extendOrgsLeft(a.ms, a.texts) }},
	{"joinNationalBranches", func(a *article) { a.ms = joinNationalBranches(a.ms, a.texts) }},
	{"takeNationality", func(a *article) { a.ms = a.r.takeNationality(a.ms, a.texts) }},
	{"joinAcrossAnd", func(a *article) { a.ms = a.r.joinAcrossAnd(a.ms, a.texts) }},
	// Once the names before the brackets are whole.
	{"linkBracketNames", func(a *article) { a.r.linkBracketNames(a.ms) }},
	{"foldRepublics", func(a *article) { foldRepublics(a.ms, a.texts) }},
	{"dropCommonByArticle", func(a *article) { a.ms = a.r.dropCommonByArticle(a.ms, a.sents) }},
	{"dropCoinages", func(a *article) { a.ms = dropCoinages(a.ms) }},
	{"dropQuotedTitles", func(a *article) { a.ms = a.r.dropQuotedTitles(a.ms) }},
	{"dropNamePieces", func(a *article) { a.ms = dropNamePieces(a.ms) }},
	{"dropSignOffs", func(a *article) { a.ms = dropSignOffs(a.ms, a.texts) }},
	{"canonicalNames", func(a *article) { a.r.canonicalNames(a.ms) }},
	{"linkSurnames", func(a *article) { a.r.linkSurnames(a.ms) }},
	{"linkShortOrgs", func(a *article) { linkShortOrgs(a.ms) }},
	{"linkNicknames", func(a *article) { linkNicknames(a.ms) }},
	{"dropLoneCommonWords", func(a *article) { a.ms = a.r.dropLoneCommonWords(a.ms) }},
	{"dropCommonNouns", func(a *article) { a.ms = dropCommonNouns(a.ms) }},
	{"dropFamilies", func(a *article) { a.ms = dropFamilies(a.ms) }},
	// Surnames linked to full names take the full name's alias.
	{"applyAliases", func(a *article) { a.r.applyAliases(a.ms) }},
}

// Extract finds the entities of one article. Mentions have byte offsets
// into body; TitleMentions into title.
func (r *Recognizer) Extract(title, body string) []Entity {
	texts := []string{title, body}
	tb := tagBufPool.Get().(*tagBufs)
	defer tb.release()
	sents := r.tag(texts, true, tb)
	var ms []*mention
	var spans []Span
	var slab []mention // the mentions, allocated a few at a time
	for _, ts := range sents {
		spans = appendSpans(spans[:0], ts.classes)
		for _, sp := range spans {
			if len(slab) == cap(slab) {
				slab = make([]mention, 0, 32)
			}
			slab = append(slab, mention{seg: ts.seg, sent: ts, from: sp.Start, to: sp.End, typ: sp.Type})
			ms = append(ms, &slab[len(slab)-1])
		}
	}
	a := article{r: r, texts: texts, sents: sents, ms: ms}
	for _, p := range passes {
		p.run(&a)
	}
	return group(a.ms)
}
