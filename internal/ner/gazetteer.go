package ner

// maxGazLen is the longest phrase the gazetteer matches, in tokens.
const maxGazLen = 6

// gazetteer maps a phrase (hash of its lower-cased tokens) to a bit set of
// entity types it was seen as in the training data.
type gazetteer map[uint64]uint8

func phraseStep(h, tok uint64) uint64 {
	h ^= tok
	h *= 0x100000001B3
	h ^= h >> 31
	return h
}

const phraseSeed = 0x5bd1e9955bd1e995

func (g gazetteer) add(words []string, typ int) {
	if len(words) > maxGazLen {
		return
	}
	h := uint64(phraseSeed)
	for _, w := range words {
		h = phraseStep(h, lowerKeyOf(w))
	}
	g[h] |= 1 << typ
}

// phraseKey is the gazetteer key of the phrase toks spell, as add and
// markWith compute it.
func phraseKey(toks []Token) uint64 {
	h := uint64(phraseSeed)
	for _, t := range toks {
		h = phraseStep(h, lowerKeyOf(t.Text))
	}
	return h
}

// lowerKeyOf is the key of a word as makeTokInfo computes it. The rules
// hash every word of every mention, several times: an ASCII word is
// lower-cased and hashed in place rather than given a whole tokInfo.
func lowerKeyOf(w string) uint64 {
	if !isASCII(w) {
		return makeTokInfo(w, nil).lowerKey
	}
	h := hashStr(tmLowerKey, "")
	for i := 0; i < len(w); i++ {
		c := w[i]
		switch {
		case 'A' <= c && c <= 'Z':
			c += 'a' - 'A'
		case '0' <= c && c <= '9':
			c = '0'
		}
		h ^= uint64(c)
		h *= fnvPrime
	}
	return h
}

// mark sets, for every token of s covered by a gazetteer phrase that has
// at least one capitalised token, the bit type*4+position (B, I, E, S).
func (g gazetteer) mark(s *sentCtx) {
	s.gaz = g.markInto(s, s.gaz)
}

// markInto is mark with the bits going to dst, reused if large enough.
func (g gazetteer) markInto(s *sentCtx, dst []uint64) []uint64 {
	if len(g) == 0 {
		return markWith(s, dst, nil)
	}
	return markWith(s, dst, func(h uint64) (uint8, bool) {
		m, ok := g[h]
		return m, ok
	})
}

// markWith is markInto over any look-up of phrase hashes (nil: none).
func markWith(s *sentCtx, dst []uint64, get func(uint64) (uint8, bool)) []uint64 {
	if cap(dst) >= len(s.toks) {
		dst = dst[:len(s.toks)]
		clear(dst)
	} else {
		dst = make([]uint64, len(s.toks))
	}
	if get == nil {
		return dst
	}
	for i := range s.toks {
		h := uint64(phraseSeed)
		capped := false
		for l := 1; l <= maxGazLen && i+l <= len(s.toks); l++ {
			t := s.toks[i+l-1]
			if l == 1 && !t.initCap {
				break // names start with a capital; most tokens end here
			}
			capped = capped || t.initCap
			h = phraseStep(h, t.lowerKey)
			m, ok := get(h)
			if !ok || !capped {
				continue
			}
			markPhrase(dst, i, l, m)
		}
	}
	return dst
}

// gazPair is the model's gazetteer and the name lists compiled into one
// table: a phrase is hashed and looked up once for both.
type gazPair struct {
	t    *featTable
	vals [][2]uint8 // the phrase's types in the gazetteer and in the lists
}

func compileGazPair(gaz, lists gazetteer) *gazPair {
	gp := &gazPair{t: newFeatTable(len(gaz) + len(lists))}
	for k, g := range []gazetteer{gaz, lists} {
		for h, v := range g {
			r, ok := gp.t.get(h)
			if !ok {
				r = int32(len(gp.vals))
				gp.t.put(h, r)
				gp.vals = append(gp.vals, [2]uint8{})
			}
			gp.vals[r][k] = v
		}
	}
	return gp
}

// markInto marks s as gazetteer.markInto does, with the gazetteer's bits
// going to gaz and the lists' to ext, each reused if large enough.
func (gp *gazPair) markInto(s *sentCtx, gaz, ext []uint64) ([]uint64, []uint64) {
	gaz, ext = zeroed(gaz, len(s.toks)), zeroed(ext, len(s.toks))
	for i := range s.toks {
		h := uint64(phraseSeed)
		capped := false
		for l := 1; l <= maxGazLen && i+l <= len(s.toks); l++ {
			t := s.toks[i+l-1]
			if l == 1 && !t.initCap {
				break // names start with a capital; most tokens end here
			}
			capped = capped || t.initCap
			h = phraseStep(h, t.lowerKey)
			if l == 1 && t.gaz1 != 0 {
				v := t.gaz1 - 1
				markPhrase(gaz, i, 1, v&15)
				markPhrase(ext, i, 1, v>>4)
				continue
			}
			r, ok := gp.t.get(h)
			if !ok || !capped {
				continue
			}
			v := gp.vals[r]
			markPhrase(gaz, i, l, v[0])
			markPhrase(ext, i, l, v[1])
		}
	}
	return gaz, ext
}

// oneWord returns the types of the word of key lowerKey alone, in the
// gazetteer (low 4 bits) and the lists (high 4), plus 1; 0 if they do not
// fit in a byte so.
func (gp *gazPair) oneWord(lowerKey uint64) uint8 {
	r, ok := gp.t.get(phraseStep(phraseSeed, lowerKey))
	if !ok {
		return 1
	}
	v := gp.vals[r]
	if v[0] > 15 || v[1] > 15 || v[0]|v[1]<<4 == 255 {
		return 0
	}
	return 1 + (v[0] | v[1]<<4)
}

// markPhrase sets the bits of a phrase of types m at tokens [i, i+l).
func markPhrase(dst []uint64, i, l int, m uint8) {
	for typ := 0; typ < 4; typ++ {
		if m&(1<<typ) == 0 {
			continue
		}
		if l == 1 {
			dst[i] |= 1 << (typ*4 + 3)
			continue
		}
		dst[i] |= 1 << (typ * 4)
		for k := i + 1; k < i+l-1; k++ {
			dst[k] |= 1 << (typ*4 + 1)
		}
		dst[i+l-1] |= 1 << (typ*4 + 2)
	}
}
