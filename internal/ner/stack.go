package ner

// Stacked features: the second pass sees what the first pass predicted
// elsewhere in the document, before and after the token. A name tagged
// consistently in most of its mentions then pulls the odd one along, and
// a short mention inherits the type of the longer name it abbreviates.

// stackValues computes what the first pass's classes say about every token
// of doc.
func stackValues(doc []*sentCtx, pred [][]int, sc *docScratch) [][]stackVal {
	if len(doc) == 0 {
		return nil
	}
	if sc == nil {
		sc = new(docScratch)
	}
	// Types of the capitalised occurrences of each word (0 = O, 1+type),
	// by document-local id.
	sc.words = zeroed(sc.words, doc[0].nIDs)
	words := sc.words
	// Predicted entities by phrase, and for each word the longest
	// entity that contains it.
	ntok := 0
	for _, s := range doc {
		ntok += len(s.toks)
	}
	phrases := &sc.phrases
	phrases.reset(ntok) // a phrase per predicted entity at most
	sc.phraseN = sc.phraseN[:0]
	sc.longest = zeroed(sc.longest, doc[0].nIDs) // n 0: none
	longest := sc.longest
	for si, s := range doc {
		cls := pred[si]
		for i, t := range s.toks {
			if !t.hasAlpha || !(t.initCap || t.allCap) {
				continue
			}
			words[s.ids[i]][classType(cls[i])+1]++
		}
		sc.spans = appendSpans(sc.spans[:0], cls)
		for _, sp := range sc.spans {
			typ := typeIndex(sp.Type)
			n := sp.End - sp.Start
			if n <= maxGazLen {
				h := uint64(phraseSeed)
				for k := sp.Start; k < sp.End; k++ {
					h = phraseStep(h, s.toks[k].lowerKey)
				}
				c := phrases.id(h)
				if int(c) == len(sc.phraseN) {
					sc.phraseN = append(sc.phraseN, [4]int32{})
				}
				sc.phraseN[c][typ]++
			}
			for k := sp.Start; k < sp.End; k++ {
				pos := 1 // inside
				switch {
				case n == 1:
					pos = 3
				case k == sp.Start:
					pos = 0
				case k == sp.End-1:
					pos = 2
				}
				// Only words with letters are looked up below.
				if id := s.ids[k]; id >= 0 && n > longest[id].n {
					longest[id] = stackSub{n, typ, pos}
				}
			}
		}
	}
	sc.valRows = zeroed(sc.valRows, len(doc))
	vals := sc.valRows
	sc.vals = zeroed(sc.vals, ntok)
	off := 0
	for si, s := range doc {
		cls := pred[si]
		// Longest predicted phrase covering each token.
		sc.cov = zeroed(sc.cov, len(s.toks))
		cov := sc.cov
		for i := range s.toks {
			if !s.toks[i].initCap && !s.toks[i].allCap {
				continue
			}
			h := uint64(phraseSeed)
			for l := 1; l <= maxGazLen && i+l <= len(s.toks); l++ {
				h = phraseStep(h, s.toks[i+l-1].lowerKey)
				ci, ok := phrases.find(h)
				if !ok {
					continue
				}
				c := &sc.phraseN[ci]
				typ := 0
				for t := 1; t < 4; t++ {
					if c[t] > c[typ] {
						typ = t
					}
				}
				for k := i; k < i+l; k++ {
					if l <= cov[k].n {
						continue
					}
					pos := 1
					switch {
					case l == 1:
						pos = 3
					case k == i:
						pos = 0
					case k == i+l-1:
						pos = 2
					}
					cov[k] = stackCover{l, typ, pos}
				}
			}
		}
		vs := sc.vals[off : off+len(s.toks) : off+len(s.toks)]
		off += len(s.toks)
		for i, t := range s.toks {
			v := &vs[i]
			v.own = int8(cls[i])
			v.prev, v.next = startClass, startClass
			if i > 0 {
				v.prev = int8(cls[i-1])
			}
			if i+1 < len(cls) {
				v.next = int8(cls[i+1])
			}
			v.majBest = -1
			if t.hasAlpha && (t.initCap || t.allCap) {
				// The other occurrences: leave this one out.
				o := words[s.ids[i]]
				o[classType(cls[i])+1]--
				total, best := int32(0), 0
				for k := range o {
					total += o[k]
					if o[k] > o[best] {
						best = k
					}
				}
				if total > 0 {
					agree := 0 // some
					switch {
					case o[best] == total:
						agree = 2 // all
					case 2*o[best] > total:
						agree = 1 // most
					}
					v.majBest, v.majAgree = int8(best), int8(agree)
					for k := 1; k < 5; k++ {
						if o[k] > 0 {
							v.any |= 1 << k
						}
					}
				}
			}
			if cv := cov[i]; cv.n > 0 {
				v.covN, v.covTyp, v.covPos = int8(min(cv.n, 3)), int8(cv.typ), int8(cv.pos)
			}
			if !t.hasAlpha || !(t.initCap || t.allCap) {
				continue
			}
			if lg := longest[s.ids[i]]; lg.n > 0 {
				v.longN, v.longTyp, v.longPos = int8(min(lg.n, 3)), int8(lg.typ), int8(lg.pos)
			}
		}
		vals[si] = vs
	}
	return vals
}

type stackSub struct{ n, typ, pos int }
type stackCover struct{ n, typ, pos int }

// stackVal is what the first pass's predictions say about one token: its
// own class and its neighbours', how the word's other occurrences were
// tagged (majBest -1: no others), and the longest predicted phrase
// covering the token and containing the word anywhere (covN, longN 0:
// none; otherwise the length, at most 3).
type stackVal struct {
	own, prev, next   int8
	majBest, majAgree int8
	any               uint8 // bit k: some other occurrence has type k-1
	covN, covTyp      int8
	covPos            int8
	longN, longTyp    int8
	longPos           int8
}

// hashes appends the stacked features of a token with shape short.
func (v *stackVal) hashes(fs []uint64, short string) []uint64 {
	own, prev, next := int(v.own), int(v.prev), int(v.next)
	fs = append(fs, fStackOwn(own), fStackOwnShort(own, short),
		fStackPrev(prev), fStackNext(next), fStackPrevNext(prev, next))
	if v.majBest >= 0 {
		fs = append(fs, fStackMaj(int(v.majBest), int(v.majAgree)),
			fStackMajOwn(int(v.majBest), int(v.majAgree), classType(own)+1))
		for k := 1; k < 5; k++ {
			if v.any&(1<<k) != 0 {
				fs = append(fs, fStackAny(k))
			}
		}
	}
	if v.covN > 0 {
		fs = append(fs, fStackPhrase(int(v.covTyp), int(v.covPos)),
			fStackPhraseN(int(v.covTyp), int(v.covPos), int(v.covN)))
	}
	if v.longN > 0 {
		fs = append(fs, fStackLong(int(v.longTyp), int(v.longPos)),
			fStackLongN(int(v.longTyp), int(v.longN)))
	}
	return fs
}

// setStack computes the stacked features of every token of doc from the
// first pass's classes.
func setStack(doc []*sentCtx, pred [][]int) {
	vals := stackValues(doc, pred, nil)
	var buf []uint64 // backing store for every token's features
	for si, s := range doc {
		st := make([][]uint64, len(s.toks))
		for i, t := range s.toks {
			if cap(buf)-len(buf) < 24 { // at most 15 features a token
				buf = make([]uint64, 0, 1024)
			}
			fs := vals[si][i].hashes(buf[len(buf):len(buf):cap(buf)], t.short)
			st[i] = fs
			buf = buf[:len(buf)+len(fs)]
		}
		s.stack = st
	}
}

func fStackOwn(own int) uint64 { return hashInt(hashStr(tmStackOwn, ""), own) }
func fStackOwnShort(own int, short string) uint64 {
	return hashMore(hashInt(hashStr(tmStackOwn, "s"), own), short)
}
func fStackPrev(prev int) uint64 { return hashInt(hashStr(tmStackWin, "p"), prev) }
func fStackNext(next int) uint64 { return hashInt(hashStr(tmStackWin, "n"), next) }
func fStackPrevNext(prev, next int) uint64 {
	return hashInt(hashInt(hashStr(tmStackWin, "pn"), prev), next)
}
func fStackMaj(best, agree int) uint64 { return hashInt(hashInt(hashStr(tmStackMaj, ""), best), agree) }
func fStackMajOwn(best, agree, own int) uint64 {
	return hashInt(hashInt(hashInt(hashStr(tmStackMaj, "own"), best), agree), own)
}
func fStackAny(k int) uint64 { return hashInt(hashStr(tmStackMaj, "any"), k) }
func fStackPhrase(typ, pos int) uint64 {
	return hashInt(hashInt(hashStr(tmStackPhrase, ""), typ), pos)
}
func fStackPhraseN(typ, pos, n int) uint64 {
	return hashInt(hashInt(hashInt(hashStr(tmStackPhrase, "n"), typ), pos), n)
}
func fStackLong(typ, pos int) uint64 {
	return hashInt(hashInt(hashStr(tmStackPhrase, "long"), typ), pos)
}
func fStackLongN(typ, n int) uint64 {
	return hashInt(hashInt(hashStr(tmStackPhrase, "longn"), typ), n)
}
