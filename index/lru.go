package index

import (
	"container/list"
	"sync"
)

// byteLRU keeps values by key within a budget of bytes, the least
// recently used going first: the feedback caches (postingscache.go,
// feedbackdocs.go). Values are made outside its lock, so two searches
// may make the same one at once, and the second keeps the first's.
type byteLRU[K comparable, V any] struct {
	mu      sync.Mutex
	budget  int // bytes kept at most
	used    int
	entries map[K]*list.Element
	order   list.List // of *lruEntry, most recently used first
}

// maxCachedShare: a value above this share of the budget is made for the
// search at hand and not kept, so that one rare search does not push out
// everything else.
const maxCachedShare = 8

type lruEntry[K comparable, V any] struct {
	key   K
	value V
	size  int
}

func newByteLRU[K comparable, V any](budget int) byteLRU[K, V] {
	return byteLRU[K, V]{budget: budget, entries: map[K]*list.Element{}}
}

// get returns the value of key, making it with make (which gives its size
// in bytes too) on a miss; made reports a miss.
func (c *byteLRU[K, V]) get(key K, make func() (V, int, error)) (v V, made bool, err error) {
	c.mu.Lock()
	if e, ok := c.entries[key]; ok {
		c.order.MoveToFront(e)
		v = e.Value.(*lruEntry[K, V]).value
		c.mu.Unlock()
		return v, false, nil
	}
	c.mu.Unlock()
	v, size, err := make()
	if err != nil || size*maxCachedShare > c.budget {
		return v, true, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.entries[key]; ok { // made by another search meanwhile
		c.order.MoveToFront(e)
		return e.Value.(*lruEntry[K, V]).value, true, nil
	}
	c.entries[key] = c.order.PushFront(&lruEntry[K, V]{key: key, value: v, size: size})
	c.used += size
	for c.used > c.budget {
		last := c.order.Back()
		old := last.Value.(*lruEntry[K, V])
		c.order.Remove(last)
		delete(c.entries, old.key)
		c.used -= old.size
	}
	return v, true, nil
}

// holds reports whether key's value is kept.
func (c *byteLRU[K, V]) holds(key K) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	_, ok := c.entries[key]
	return ok
}
