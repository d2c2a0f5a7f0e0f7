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
	// A force merge merges the segments already on disk; the last batches
	// may still be in memory, waiting for the persister, and become a
	// second file later. Merge again until one segment is left.
	for range 20 {
		if err := s.ForceMerge(ctx, &mergeplan.SingleSegmentMergePlanOptions); err != nil {
			return fmt.Errorf("optimize index: %w", err)
		}
		if rootSegments(s) <= 1 || ctx.Err() != nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
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

// rootSegments is how many segments, on disk or in memory, the index's
// current snapshot has.
func rootSegments(s *scorch.Scorch) uint64 {
	m := s.StatsMap()
	files, _ := m["num_root_filesegments"].(uint64)
	mem, _ := m["num_root_memorysegments"].(uint64)
	return files + mem
}
