package ner

// wireAbbrevs are the abbreviations of news wires' results tables and
// money figures ("Nine mths", "N.Z. dlrs", "Shr"); no name holds one, so
// a mention that does is no entity. In capitals outside a capitals
// headline they are acronyms ("PCT"), which names may hold.
var wireAbbrevs = toSet(`dlrs dlr mths mth mln mlns bln pct cts shr shrs qtr qtrs revs`)

// companyEnds are the words a company's full name ends in.
var companyEnds = toSet(`corp corporation inc incorporated co ltd plc llc ag sa nv`)

// possessiveInName reports whether the possessive at token k of an
// organisation's mention belongs to its name, as in firms named after
// their founders: "Moody's", "McDonald's Corp", "Lloyd's of London". It
// does when the lists know the name through the possessive as an
// organisation, or when one word that no list knows as a place comes
// before it and a company's ending or "of" comes after it. "Britain's
// Labour Party" and "Eastern Europe Group's Bureau" are cut as before.
func (r *Recognizer) possessiveInName(m *mention, k int) bool {
	if m.typ != "ORG" {
		return false
	}
	toks := m.sent.toks
	h := uint64(phraseSeed)
	for j := m.from; j <= k; j++ {
		h = phraseStep(h, lowerKeyOf(toks[j].Text))
	}
	if featureLists()[h]&(1<<1) != 0 {
		return true
	}
	if k != m.from+1 || k+1 >= m.to {
		return false
	}
	owner := phraseStep(phraseSeed, lowerKeyOf(toks[m.from].Text))
	if (r.m.gaz[owner]|featureLists()[owner])&(1<<2) != 0 {
		return false
	}
	return toks[k+1].Text == "of" || lowerIn(companyEnds, toks[m.to-1].Text, true)
}

// joinPartnersLeft takes into a firm named after its founders the partner
// the tagger left out before "and" or "&": "Standard and Poor's Corp",
// where the tagger found "Poor's Corp". The word must be capitalised, in
// no other mention and not a word that merely opens a sentence; "IBM and
// Moody's" are two names.
func joinPartnersLeft(ms []*mention, texts []string) {
	for i, m := range ms {
		toks := m.sent.toks
		a := m.from - 2
		if m.typ != "ORG" || a < 0 || m.from+1 >= m.to || !isPossessive(toks[m.from+1].Text) ||
			(toks[a+1].Text != "and" && toks[a+1].Text != "&") || !isCapitalised(toks[a].Text) || isAllCaps(toks[a].Text) || lowerIn(leadingWords, toks[a].Text, true) {
			continue
		}
		if i > 0 && ms[i-1].sent == m.sent && ms[i-1].to > a {
			continue
		}
		m.from = a
		m.name = m.text(texts)
	}
}
