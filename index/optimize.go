package index

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/index/scorch/mergeplan"
)

// Optimize merges the index's segments into one, as a bulk ingest ends.
// Each batch writes a segment of its own and the background merger leaves
// many behind when the ingest stops; one segment shares one term dictionary
// per field (a smaller index) and spares every search the merging of
// per-segment results. Searches keep working while it runs.
func (ix *Index) Optimize(ctx context.Context) error {
	adv, err := ix.bleve.Advanced()
	if err != nil {
		return err
	}
	s, ok := adv.(*scorch.Scorch)
	if !ok {
		return nil
	}
	if err := s.ForceMerge(ctx, &mergeplan.SingleSegmentMergePlanOptions); err != nil {
		return fmt.Errorf("optimize index: %w", err)
	}
	// The merged-away segment files are deleted by Bleve's persister a
	// moment later; wait for that (briefly), so that the index on disk is
	// its real size when the caller closes it.
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline) && ctx.Err() == nil; {
		if segs, _ := filepath.Glob(filepath.Join(ix.dir, "store", "*.zap")); len(segs) <= 1 {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	return nil
}
