package ner

// Stacked features: the second pass sees what the first pass predicted
// elsewhere in the document, before and after the token. A name tagged
// consistently in most of its mentions then pulls the odd one along, and
// a short mention inherits the type of the longer name it abbreviates.

// setStack computes the stacked features of every token of doc from the
// first pass's classes.
func setStack(doc []*sentCtx, pred [][]int) {
	// Types of the capitalised occurrences of each word (0 = O, 1+type).
	words := map[uint64]*[5]int32{}
	// Predicted entities by phrase, and for each word the longest
	// entity that contains it.
	phrases := map[uint64]*[4]int32{}
	type sub struct {
		n, typ, pos int
	}
	longest := map[uint64]sub{}
	for si, s := range doc {
		cls := pred[si]
		for i, t := range s.toks {
			if !t.hasAlpha || !(t.initCap || t.allCap) {
				continue
			}
			c := words[t.lowerKey]
			if c == nil {
				c = new([5]int32)
				words[t.lowerKey] = c
			}
			c[classType(cls[i])+1]++
		}
		for _, sp := range spansOfClasses(cls) {
			typ := typeIndex(sp.Type)
			n := sp.End - sp.Start
			if n <= maxGazLen {
				h := uint64(phraseSeed)
				for k := sp.Start; k < sp.End; k++ {
					h = phraseStep(h, s.toks[k].lowerKey)
				}
				c := phrases[h]
				if c == nil {
					c = new([4]int32)
					phrases[h] = c
				}
				c[typ]++
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
				key := s.toks[k].lowerKey
				if o, ok := longest[key]; !ok || n > o.n {
					longest[key] = sub{n, typ, pos}
				}
			}
		}
	}
	var buf []uint64 // backing store for every token's features
	for si, s := range doc {
		cls := pred[si]
		st := make([][]uint64, len(s.toks))
		// Longest predicted phrase covering each token.
		type cover struct{ n, typ, pos int }
		cov := make([]cover, len(s.toks))
		for i := range s.toks {
			if !s.toks[i].initCap && !s.toks[i].allCap {
				continue
			}
			h := uint64(phraseSeed)
			for l := 1; l <= maxGazLen && i+l <= len(s.toks); l++ {
				h = phraseStep(h, s.toks[i+l-1].lowerKey)
				c, ok := phrases[h]
				if !ok {
					continue
				}
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
					cov[k] = cover{l, typ, pos}
				}
			}
		}
		for i, t := range s.toks {
			own := cls[i]
			if cap(buf)-len(buf) < 24 { // at most 15 features a token
				buf = make([]uint64, 0, 1024)
			}
			fs := append(buf[len(buf):len(buf):cap(buf)],
				hashInt(hashStr(tmStackOwn, ""), own),
				hashMore(hashInt(hashStr(tmStackOwn, "s"), own), t.short))
			prev, next := startClass, startClass
			if i > 0 {
				prev = cls[i-1]
			}
			if i+1 < len(cls) {
				next = cls[i+1]
			}
			fs = append(fs,
				hashInt(hashStr(tmStackWin, "p"), prev),
				hashInt(hashStr(tmStackWin, "n"), next),
				hashInt(hashInt(hashStr(tmStackWin, "pn"), prev), next))
			if c := words[t.lowerKey]; c != nil && t.hasAlpha && (t.initCap || t.allCap) {
				// The other occurrences: leave this one out.
				var o [5]int32
				o = *c
				o[classType(own)+1]--
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
					fs = append(fs,
						hashInt(hashInt(hashStr(tmStackMaj, ""), best), agree),
						hashInt(hashInt(hashInt(hashStr(tmStackMaj, "own"), best), agree), classType(own)+1))
					for k := 1; k < 5; k++ {
						if o[k] > 0 {
							fs = append(fs, hashInt(hashStr(tmStackMaj, "any"), k))
						}
					}
				}
			}
			if cv := cov[i]; cv.n > 0 {
				fs = append(fs,
					hashInt(hashInt(hashStr(tmStackPhrase, ""), cv.typ), cv.pos),
					hashInt(hashInt(hashInt(hashStr(tmStackPhrase, "n"), cv.typ), cv.pos), min(cv.n, 3)))
			}
			if lg, ok := longest[t.lowerKey]; ok && t.hasAlpha && (t.initCap || t.allCap) {
				fs = append(fs,
					hashInt(hashInt(hashStr(tmStackPhrase, "long"), lg.typ), lg.pos),
					hashInt(hashInt(hashStr(tmStackPhrase, "longn"), lg.typ), min(lg.n, 3)))
			}
			st[i] = fs
			buf = buf[:len(buf)+len(fs)]
		}
		s.stack = st
	}
}
