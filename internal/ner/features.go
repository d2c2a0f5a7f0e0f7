package ner

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/folio-search/folio/internal/textnorm"
)

// tokInfo is what the features need to know about one token; it depends on
// the word alone, so it is computed once per word type.
type tokInfo struct {
	// The flags and key first, with word: the passes over a whole
	// document read them of every token, in one cache line of a
	// cachedWord.
	initCap   bool
	allCap    bool
	hasAlpha  bool
	casePrior int8   // how often unlabelled news capitalises the word mid-sentence (bucket), -1 unknown
	auto      uint8  // what a tagger made of the word in unlabelled news (package train, autotype.go), 0 unknown
	gaz1      uint8  // 1 + the word's types alone in a compiled gazetteer (gazPair.oneWord), 0: unknown
	xclass    uint16 // exchange class (package train, exchange.go), 0 unknown
	lowerKey  uint64 // hash of lower, for gazetteer and document look-ups
	word      string // folded form (ASCII quotes and dashes)
	// The word's features as the left or right neighbour of a word in
	// aggregated contexts (aggregateContexts), hashed once.
	aggL, aggR uint64
	lower      string // lower-cased, digits as 0
	shape      string // Xxxxx, XX.XX., dd-dd
	short      string // shape with repeats collapsed: Xx, X.X., d-d
	cluster    string // bit path of the word's cluster, "" if unknown
}

// lexicon is what the model learned from unlabelled text about words.
type lexicon struct {
	clusters map[string]string
	caseOf   map[string]uint8 // lower-cased word -> case bucket
	auto     map[string]uint8 // lower-cased word -> auto-type code
	xclass   map[string]uint16
}

func makeTokInfo(word string, lx *lexicon) tokInfo {
	w := textnorm.Fold(word)
	ti := tokInfo{word: w}
	var lb, sb, ssb strings.Builder
	lb.Grow(len(w))
	sb.Grow(len(w))
	upper, letters := 0, 0
	var last byte
	for i, r := range w {
		var c byte
		switch {
		case unicode.IsUpper(r):
			c = 'X'
			upper++
			letters++
			if i == 0 {
				ti.initCap = true
			}
		case unicode.IsLetter(r):
			c = 'x'
			letters++
		case unicode.IsDigit(r):
			c = 'd'
		default:
			if r < utf8.RuneSelf {
				c = byte(r)
			} else {
				c = '*'
			}
		}
		if c == 'd' {
			lb.WriteByte('0')
		} else {
			lb.WriteRune(unicode.ToLower(r))
		}
		if sb.Len() < 12 {
			sb.WriteByte(c)
		}
		if c != last {
			ssb.WriteByte(c)
			last = c
		}
	}
	ti.lower = lb.String()
	ti.shape = sb.String()
	ti.short = ssb.String()
	ti.hasAlpha = letters > 0
	ti.allCap = letters > 0 && upper == letters
	ti.lowerKey = hashStr(tmLowerKey, ti.lower)
	ti.aggL, ti.aggR = hashMore2(hAggL, hAggR, ti.lower)
	ti.casePrior = -1
	if lx != nil {
		ti.cluster = lookupCluster(lx.clusters, w)
		if b, ok := lx.caseOf[ti.lower]; ok {
			ti.casePrior = int8(b)
		}
		ti.auto = lx.auto[ti.lower]
		ti.xclass = lookupXClass(lx.xclass, w)
	}
	return ti
}

// lookupCluster finds the cluster of a word as written, then of its
// title-case and lower-case forms, since headlines are often in capitals.
func lookupCluster(clusters map[string]string, w string) string {
	if c, ok := clusters[w]; ok {
		return c
	}
	r, n := utf8.DecodeRuneInString(w)
	rest := strings.ToLower(w[n:])
	if c, ok := clusters[string(unicode.ToUpper(r))+rest]; ok {
		return c
	}
	if c, ok := clusters[strings.ToLower(w)]; ok {
		return c
	}
	return ""
}

// Feature templates. Each feature is a 64-bit hash of its template and
// values; the model keeps weights only for hashes seen in training.
const (
	tmBias uint64 = iota + 1
	tmWord
	tmLower
	tmShape
	tmShort
	tmPrefix
	tmSuffix
	tmFlags
	tmCluster
	tmWinLower
	tmWinShort
	tmWinCluster
	tmBigramL
	tmBigramR
	tmShortTri
	tmSentInit
	tmCapsSent
	tmGaz
	tmDocCap
	tmPrev
	tmPrev2
	tmPrevWord
	tmPrevShort
	tmPrevCluster
	tmDocHist
	tmLowerKey
	tmGazKey
	tmLowerSuffix
	tmWinFlags
	tmPrevNextShort
	tmCasePrior
	tmAgg
	tmStackOwn
	tmStackWin
	tmStackMaj
	tmStackPhrase
	tmStackTitle
	tmExtGaz
	tmTopic
	tmRun
	tmConj
	tmAuto
	tmXClass
)

// isCapTok reports whether a token is a capitalised word.
func isCapTok(t *tokInfo) bool { return t.hasAlpha && (t.initCap || t.allCap) }

// capRun returns the run of capitalised words [a, b) that token i stands
// in.
func capRun(s *sentCtx, i int) (a, b int) {
	a, b = i, i+1
	for a > 0 && isCapTok(s.toks[a-1]) {
		a--
	}
	for b < len(s.toks) && isCapTok(s.toks[b]) {
		b++
	}
	return a, b
}

// runFeatures appends the features of the run of capitalised words that
// token i stands in: its length with the token's place in it, and for a
// run of several words its first and last words ("... Corp", "Mr ...")
// and the words around it ("chairman ... said"). A capitals headline has
// no runs.
func runFeatures(fs []uint64, s *sentCtx, i int) []uint64 {
	if s.capsSent || !isCapTok(s.toks[i]) {
		return fs
	}
	a, b := capRun(s, i)
	n, pos := b-a, runPos(a, b, i)
	fs = append(fs, fRunLen(n, pos))
	if n > 1 {
		fs = append(fs, fRunWord(hRunLast, s.toks[b-1].lower, pos),
			fRunWord(hRunFirst, s.toks[a].lower, pos),
			fRunWord(hRunBefore, s.at(a-1).lower, pos),
			fRunWord(hRunAfter, s.at(b).lower, pos))
	}
	return fs
}

// runPos is the place of token i in the run [a, b): 0 first, 1 inside,
// 2 last, 3 alone.
func runPos(a, b, i int) int {
	switch {
	case b-a == 1:
		return 3
	case i == a:
		return 0
	case i == b-1:
		return 2
	}
	return 1
}

func fRunLen(n, pos int) uint64 { return hashInt(hashInt(hRunLen, min(n, 4)), pos) }

// fRunWord is the feature of a run's word (hRunLast, hRunFirst,
// hRunBefore or hRunAfter: which) with the token's place in the run.
func fRunWord(which uint64, lower string, pos int) uint64 {
	return hashInt(hashMore(which, lower), pos)
}

// Hashes of the run and conjunction templates, computed once.
var (
	hRunLen    = hashStr(tmRun, "len")
	hRunLast   = hashStr(tmRun, "last")
	hRunFirst  = hashStr(tmRun, "first")
	hRunBefore = hashStr(tmRun, "before")
	hRunAfter  = hashStr(tmRun, "after")
	hConjPrev  = hashStr(tmConj, "prev")
	hConjNext  = hashStr(tmConj, "next")
	hConjP3    = hashStr(tmConj, "p3")
	hConjN3    = hashStr(tmConj, "n3")
)

// conjFeatures appends the words next to the token with its shape ("Mr"
// and "Xx", "said" and "Xx"), and the words three away.
func conjFeatures(fs []uint64, s *sentCtx, i int) []uint64 {
	p, c, n := s.at(i-1), s.at(i), s.at(i+1)
	return append(fs, hashMore(hashMore(hConjPrev, p.lower), c.short),
		hashMore(hashMore(hConjNext, n.lower), c.short),
		hashMore(hConjP3, s.at(i-3).lower),
		hashMore(hConjN3, s.at(i+3).lower))
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

func hashStr(t uint64, s string) uint64 {
	h := uint64(fnvOffset) ^ (t * 0x9E3779B97F4A7C15)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= fnvPrime
	}
	return h
}

func hashMore(h uint64, s string) uint64 {
	h ^= 0xff
	h *= fnvPrime
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= fnvPrime
	}
	return h
}

func hashInt(h uint64, v int) uint64 {
	h ^= uint64(v) + 0x100
	h *= fnvPrime
	h ^= h >> 29
	return h
}

func flagString(ti *tokInfo) string {
	var b [6]byte
	n := 0
	if ti.allCap {
		b[n] = 'A'
		n++
	} else if ti.initCap {
		b[n] = 'C'
		n++
	}
	if strings.ContainsAny(ti.word, "0123456789") {
		b[n] = 'D'
		n++
	}
	if strings.IndexByte(ti.word, '-') >= 0 {
		b[n] = 'H'
		n++
	}
	if strings.IndexByte(ti.word, '.') >= 0 {
		b[n] = 'P'
		n++
	}
	return string(b[:n])
}

// wordFeatures appends the features of the word itself (offset 0); they
// depend on nothing else, so taggers may cache their scores per word.
func wordFeatures(fs []uint64, ti *tokInfo) []uint64 {
	fs = append(fs, hashStr(tmBias, ""))
	fs = append(fs, hashStr(tmWord, ti.word))
	fs = append(fs, hashStr(tmLower, ti.lower))
	fs = append(fs, hashStr(tmShape, ti.shape))
	fs = append(fs, hashStr(tmShort, ti.short))
	fs = append(fs, hashStr(tmFlags, flagString(ti)))
	w := ti.word
	// Affixes by bytes are fine: the training data is ASCII and non-ASCII
	// runes just give rarer features.
	for k := 1; k <= 4 && k < len(w); k++ {
		fs = append(fs, hashInt(hashStr(tmPrefix, w[:k]), k))
		fs = append(fs, hashInt(hashStr(tmSuffix, w[len(w)-k:]), k))
	}
	if len(ti.lower) > 3 {
		fs = append(fs, hashStr(tmLowerSuffix, ti.lower[len(ti.lower)-3:]))
	}
	if ti.casePrior >= 0 {
		fs = append(fs, hashInt(hashStr(tmCasePrior, flagString(ti)), int(ti.casePrior)))
	}
	if ti.cluster != "" {
		for _, p := range clusterPrefixes {
			if p <= len(ti.cluster) {
				fs = append(fs, hashInt(hashStr(tmCluster, ti.cluster[:p]), p))
			}
		}
		fs = append(fs, hashStr(tmCluster, ti.cluster))
	}
	if ti.xclass != 0 {
		fs = append(fs, hashInt(hashStr(tmXClass, ""), int(ti.xclass)))
	}
	return autoWordFeatures(fs, ti)
}

var clusterPrefixes = []int{4, 6, 8, 10, 12, 14}

// windowFeatures appends the features that a neighbour at offset k
// (-2..2, not 0) contributes; they depend on that word and k only.
func windowFeatures(fs []uint64, ti *tokInfo, k int) []uint64 {
	fs = append(fs, hashInt(hashStr(tmWinLower, ti.lower), k))
	fs = append(fs, hashInt(hashStr(tmWinShort, ti.short), k))
	if k == -1 || k == 1 {
		fs = append(fs, hashInt(hashStr(tmWinFlags, flagString(ti)), k))
	}
	if ti.cluster != "" {
		for _, p := range []int{4, 8, 12} {
			if p <= len(ti.cluster) {
				fs = append(fs, hashInt(hashInt(hashStr(tmWinCluster, ti.cluster[:p]), p), k))
			}
		}
	}
	if ti.xclass != 0 {
		fs = append(fs, hashInt(hashInt(hashStr(tmXClass, "w"), int(ti.xclass)), k))
	}
	return autoWindowFeatures(fs, ti, k)
}

// lookupXClass finds the exchange class of a word as lookupCluster does.
func lookupXClass(xc map[string]uint16, w string) uint16 {
	if len(xc) == 0 {
		return 0
	}
	if c, ok := xc[w]; ok {
		return c
	}
	r, n := utf8.DecodeRuneInString(w)
	rest := strings.ToLower(w[n:])
	if c, ok := xc[string(unicode.ToUpper(r))+rest]; ok {
		return c
	}
	return xc[strings.ToLower(w)]
}

// boundary stands for positions outside the sentence.
var boundary = func() tokInfo {
	t := tokInfo{word: "<s>", lower: "<s>", shape: "<s>", short: "<s>"}
	t.aggL, t.aggR = hashMore2(hAggL, hAggR, t.lower)
	return t
}()

// sentCtx is a sentence prepared for feature extraction.
type sentCtx struct {
	toks     []*tokInfo
	capsSent bool       // a headline in capitals: case says little here
	gaz      []uint64   // per token: gazetteer feature bits (type*4+position)
	ext      []uint64   // the same for the embedded name lists
	agg      [][]uint64 // per token: context words of the word's other occurrences in the document
	docCap   []int8     // per token: -1 unknown, 0/1 whether the word is capitalised mid-sentence elsewhere in the document
	stack    [][]uint64 // per token: features from the first pass's predictions, for the second pass
	topic    uint64     // what kind of document: results tables or prose, and its dateline topic
	ids      []int32    // per token: document-local id of its lower-cased form, -1 without letters
	nIDs     int        // ids in the document
}

func (s *sentCtx) at(i int) *tokInfo {
	if i < 0 || i >= len(s.toks) {
		return &boundary
	}
	return s.toks[i]
}

// contextFeatures appends the features of token i that depend on its
// neighbours or sentence, but not on predicted tags.
func contextFeatures(fs []uint64, s *sentCtx, i int) []uint64 {
	p, c, n := s.at(i-1), s.at(i), s.at(i+1)
	fs = append(fs, hashMore(hashStr(tmBigramL, p.lower), c.lower))
	fs = append(fs, hashMore(hashStr(tmBigramR, c.lower), n.lower))
	fs = append(fs, hashMore(hashMore(hashStr(tmShortTri, p.short), c.short), n.short))
	if i == 0 {
		fs = append(fs, fSentInit(c.short))
	}
	if s.capsSent {
		fs = append(fs, fCapsSent(c.lower))
		fs = append(fs, fCapsSent("*"))
	}
	if g := s.gaz[i]; g != 0 {
		for b := 0; b < 16; b++ {
			if g&(1<<b) != 0 {
				fs = append(fs, fGaz(b))
				fs = append(fs, fGazShort(b, c.short))
			}
		}
	}
	if g := s.ext[i]; g != 0 {
		for b := 0; b < 16; b++ {
			if g&(1<<b) != 0 {
				fs = append(fs, fExt(b))
				fs = append(fs, fExtShort(b, c.short))
				if s.gaz[i]&(1<<b) != 0 {
					fs = append(fs, fExtBoth(b))
				}
			}
		}
	}
	if c.casePrior >= 0 && (i == 0 || s.capsSent) {
		fs = append(fs, fCasePriorInit(int(c.casePrior), s.capsSent))
	}
	fs = runFeatures(fs, s, i)
	fs = conjFeatures(fs, s, i)
	if s.agg != nil {
		fs = append(fs, s.agg[i]...)
	}
	if s.stack != nil {
		fs = append(fs, s.stack[i]...)
	}
	if s.topic != 0 && c.hasAlpha && (c.initCap || c.allCap) {
		// In sports results a city is a team: the document's kind with
		// what the name lists say about the word.
		fs = append(fs, fTopic(s.topic))
		fs = append(fs, fTopicGaz(s.topic, s.gaz[i]|s.ext[i]))
		if c.cluster != "" && len(c.cluster) >= 6 {
			fs = append(fs, fTopicCluster(s.topic, c.cluster[:6]))
		}
	}
	if s.docCap != nil && s.docCap[i] >= 0 && c.hasAlpha && (i == 0 || s.capsSent) {
		fs = append(fs, fDocCap(int(s.docCap[i])))
	}
	return fs
}

// tagFeatures appends the features that depend on the tags predicted for
// the two previous tokens and on earlier predictions in the document.
func tagFeatures(fs []uint64, s *sentCtx, i, prev, prev2, docHist int) []uint64 {
	c := s.at(i)
	fs = append(fs, fPrev(prev))
	fs = append(fs, fPrev2(prev, prev2))
	fs = append(fs, fPrevWord(prev, c.lower))
	fs = append(fs, fPrevShort(prev, c.short))
	if c.cluster != "" && len(c.cluster) >= 6 {
		fs = append(fs, fPrevCluster(prev, c.cluster[:6]))
	}
	if docHist >= 0 {
		fs = append(fs, fDocHist(docHist))
		fs = append(fs, fDocHistShort(docHist, c.short))
	}
	return fs
}

// The features of small domains, one function each: the tagger's fast
// path precomputes their weights over the whole domain (dense.go), and it
// must hash exactly as the feature functions above do.

func fSentInit(short string) uint64 { return hashStr(tmSentInit, short) }
func fCapsSent(lower string) uint64 { return hashStr(tmCapsSent, lower) }
func fGaz(b int) uint64             { return hashInt(hashStr(tmGaz, ""), b) }
func fGazShort(b int, short string) uint64 {
	return hashMore(fGaz(b), short)
}
func fExt(b int) uint64 { return hashInt(hashStr(tmExtGaz, ""), b) }
func fExtShort(b int, short string) uint64 {
	return hashMore(fExt(b), short)
}
func fExtBoth(b int) uint64 { return hashInt(hashStr(tmExtGaz, "both"), b) }
func fCasePriorInit(prior int, capsSent bool) uint64 {
	return hashInt(hashInt(hashStr(tmCasePrior, "init"), prior), b2i(capsSent))
}
func fTopic(topic uint64) uint64 { return hashInt(hashStr(tmTopic, ""), int(topic)) }
func fTopicGaz(topic, bits uint64) uint64 {
	return hashInt(hashInt(hashStr(tmTopic, "g"), int(topic)), int(bits))
}
func fTopicCluster(topic uint64, c6 string) uint64 {
	return hashMore(hashInt(hashStr(tmTopic, "c"), int(topic)), c6)
}
func fDocCap(v int) uint64       { return hashInt(hashStr(tmDocCap, ""), v) }
func fPrev(prev int) uint64      { return hashInt(hashStr(tmPrev, ""), prev) }
func fPrev2(prev, p2 int) uint64 { return hashInt(hashInt(hashStr(tmPrev2, ""), prev), p2) }
func fPrevWord(prev int, lower string) uint64 {
	return hashMore(hashInt(hashStr(tmPrevWord, ""), prev), lower)
}
func fPrevShort(prev int, short string) uint64 {
	return hashMore(hashInt(hashStr(tmPrevShort, ""), prev), short)
}
func fPrevCluster(prev int, c6 string) uint64 {
	return hashMore(hashInt(hashStr(tmPrevCluster, ""), prev), c6)
}
func fDocHist(h int) uint64 { return hashInt(hashStr(tmDocHist, ""), h) }
func fDocHistShort(h int, short string) uint64 {
	return hashMore(fDocHist(h), short)
}

// autoWordFeatures appends the features of a word's auto-type code: its
// type and name fraction, alone, with the rest of the code and with the
// word's capitalisation.
func autoWordFeatures(fs []uint64, ti *tokInfo) []uint64 {
	a := int(ti.auto)
	if a == 0 {
		return fs
	}
	a--
	bt, fb, rest := a/20, (a%20)/4, a%4
	h := hashInt(hashStr(tmAuto, ""), bt*8+fb)
	return append(fs, h, hashInt(h, 100+rest), hashMore(h, flagString(ti)))
}

// autoWindowFeatures appends the feature of a neighbour's auto-type code
// (its type and name fraction) at offset k.
func autoWindowFeatures(fs []uint64, ti *tokInfo, k int) []uint64 {
	a := int(ti.auto)
	if a == 0 {
		return fs
	}
	a--
	bt, fb := a/20, (a%20)/4
	return append(fs, hashInt(hashInt(hashStr(tmAuto, "w"), bt*8+fb), k))
}

// hashMore2 is hashMore of s after h1 and after h2, in one pass: the two
// chains of multiplications run side by side.
func hashMore2(h1, h2 uint64, s string) (uint64, uint64) {
	h1 = (h1 ^ 0xff) * fnvPrime
	h2 = (h2 ^ 0xff) * fnvPrime
	for i := 0; i < len(s); i++ {
		c := uint64(s[i])
		h1 = (h1 ^ c) * fnvPrime
		h2 = (h2 ^ c) * fnvPrime
	}
	return h1, h2
}
