package index

import (
	"hash/maphash"
	"sync"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
	"github.com/blevesearch/snowballstem"
	"github.com/blevesearch/snowballstem/english"
)

// cachedStemFilter is Bleve's English Snowball stemmer with a cache of the
// stems of words already seen. News repeats a small vocabulary, and the
// stemmer was 5% of an ingest's CPU at a million articles, most of it on
// words stemmed thousands of times before. Stems are shared read-only.
type cachedStemFilter struct{ cache *stemCache }

const stemFilterName = "folio_stem_en"

func init() {
	registry.RegisterTokenFilter(stemFilterName, func(map[string]interface{}, *registry.Cache) (analysis.TokenFilter, error) {
		return cachedStemFilter{cache: newStemCache(snowballStem)}, nil
	})
}

func (f cachedStemFilter) Filter(in analysis.TokenStream) analysis.TokenStream {
	for _, t := range in {
		t.Term = f.cache.stem(t.Term)
	}
	return in
}

// snowballStem is the English Snowball stem of word.
func snowballStem(word []byte) []byte {
	env := snowballstem.NewEnv(string(word))
	english.Stem(env)
	return []byte(env.Current())
}

// stemCache keeps what of makes of each word seen (its stem). It is
// sharded so that the analysis goroutines of an ingest rarely wait on one
// another. Each shard stops growing at a fixed size, which bounds the
// memory a stream of odd tokens can take.
type stemCache struct {
	seed   maphash.Seed
	of     func(word []byte) []byte
	shards [64]stemShard
}

type stemShard struct {
	mu    sync.RWMutex
	stems map[string][]byte
}

const stemShardMax = 4096 // words per shard: 262,144 in all

func newStemCache(of func(word []byte) []byte) *stemCache {
	c := &stemCache{seed: maphash.MakeSeed(), of: of}
	for i := range c.shards {
		c.shards[i].stems = map[string][]byte{}
	}
	return c
}

func (c *stemCache) stem(word []byte) []byte {
	sh := &c.shards[maphash.Bytes(c.seed, word)%uint64(len(c.shards))]
	sh.mu.RLock()
	s, ok := sh.stems[string(word)]
	sh.mu.RUnlock()
	if ok {
		return s
	}
	s = c.of(word)
	sh.mu.Lock()
	if len(sh.stems) < stemShardMax {
		sh.stems[string(word)] = s
	}
	sh.mu.Unlock()
	return s
}
