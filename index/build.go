package index

import (
	"context"
	"fmt"
	"iter"
	"os"

	"github.com/folio-search/folio/corpus"
)

// Create builds a new index in dir from articles and opens it. The index
// is written beside dir and renamed into place only when complete, so an
// interrupted build leaves no index behind and the next run starts over.
func Create(ctx context.Context, dir string, articles iter.Seq2[corpus.Article, error], opt IngestOptions) (*Index, IngestStats, error) {
	if Exists(dir) {
		return nil, IngestStats{}, fmt.Errorf("create index: %s already holds an index", dir)
	}
	tmp := dir + ".building"
	if err := os.RemoveAll(tmp); err != nil {
		return nil, IngestStats{}, fmt.Errorf("create index: %w", err)
	}
	ix, err := OpenWith(tmp, OpenOptions{Bulk: true})
	if err != nil {
		return nil, IngestStats{}, err
	}
	opt.Optimize = true
	stats, err := ix.Ingest(ctx, articles, opt)
	if cerr := ix.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.RemoveAll(tmp)
		return nil, stats, err
	}
	// An empty directory may stand where the index goes; anything else is
	// not Folio's to remove, and the rename below reports it.
	if err := os.Remove(dir); err != nil && !os.IsNotExist(err) {
		os.RemoveAll(tmp)
		return nil, stats, fmt.Errorf("create index: %s is in the way: %w", dir, err)
	}
	if err := os.Rename(tmp, dir); err != nil {
		return nil, stats, fmt.Errorf("create index: %w", err)
	}
	ix, err = Open(dir)
	return ix, stats, err
}
