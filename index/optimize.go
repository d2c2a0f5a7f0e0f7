package index

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/index/scorch/mergeplan"
)

// Optimize merges the index's segments into as few as it may, as a bulk
// ingest ends. Each batch writes a segment of its own and the background
// merger leaves many behind when the ingest stops; fewer segments share
// their term dictionaries (a smaller index) and spare every search the
// merging of per-segment results. No segment grows past maxSegmentDocs
// articles: a merge reads all its input through memory maps, so merging a
// whole large index at once would make resident memory grow by the size
// of the index. Searches keep working while it runs.
func (ix *Index) Optimize(ctx context.Context) error {
	return forceMerge(ctx, ix.bleve, ix.dir)
}

// forceMerge merges the segments of b, kept in dir, as Optimize says.
func forceMerge(ctx context.Context, b bleve.Index, dir string) error {
	adv, err := b.Advanced()
	if err != nil {
		return err
	}
	s, ok := adv.(*scorch.Scorch)
	if !ok {
		return nil
	}
	opts := mergeplan.SingleSegmentMergePlanOptions
	// Segments of half the bound or more are left alone; smaller ones are
	// packed together while the sum stays below it.
	opts.MaxSegmentSize = int64(maxSegmentDocs)
	opts.SegmentsPerMergeTask = 100
	// A force merge merges the segments already on disk; the last batches
	// may still be in memory, waiting for the persister, and become files
	// later. Merge again until a pass changes nothing.
	before := rootSegments(s)
	for range 20 {
		if err := s.ForceMerge(ctx, &opts); err != nil {
			return fmt.Errorf("optimize index %s: %w", dir, err)
		}
		after := rootSegments(s)
		if after <= 1 || (after == before && memorySegments(s) == 0) || ctx.Err() != nil {
			break
		}
		before = after
		time.Sleep(50 * time.Millisecond)
	}
	// The merged-away segment files are deleted by Bleve's persister a
	// moment later; wait for that (briefly), so that the index on disk is
	// its real size when the caller closes it.
	want := int(rootSegments(s))
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline) && ctx.Err() == nil; {
		if segs, _ := filepath.Glob(filepath.Join(dir, "store", "*.zap")); len(segs) <= want {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	return nil
}

// maxSegmentDocs bounds the articles Optimize puts in one segment: about
// a gigabyte of index for news articles. A var so that tests can lower it.
var maxSegmentDocs = 600_000

// backgroundMergeOptions are the merge-plan options of Bleve's background
// merger: its default tiers, with Optimize's bound on the articles in a
// segment. A test that counts segments turns the merger off with them,
// since it merges when it likes.
var backgroundMergeOptions = func() map[string]any {
	return map[string]any{"MaxSegmentSize": maxSegmentDocs}
}

// bulkMergeOptions are the background merger's options in an index
// opened for a bulk ingest (OpenOptions.Bulk), which ends with Optimize:
// that merges again every segment below half of maxSegmentDocs, so a merge
// before it is worth only the segments it spares a batch's check for the
// articles it replaces. Tiers of 32 segments, each 32 times the size of
// the last, rewrite an article about once before Optimize rather than two
// or three times, and keep a few dozen segments open at most.
var bulkMergeOptions = func() map[string]any {
	return map[string]any{"MaxSegmentSize": maxSegmentDocs, "MaxSegmentsPerTier": 32, "SegmentsPerMergeTask": 32, "TierGrowth": 32.0}
}

// rootSegments is how many segments, on disk or in memory, the index's
// current snapshot has.
func rootSegments(s *scorch.Scorch) uint64 {
	m := s.StatsMap()
	files, _ := m["num_root_filesegments"].(uint64)
	mem, _ := m["num_root_memorysegments"].(uint64)
	return files + mem
}

// memorySegments is how many segments of the current snapshot are still
// waiting for the persister.
func memorySegments(s *scorch.Scorch) uint64 {
	mem, _ := s.StatsMap()["num_root_memorysegments"].(uint64)
	return mem
}
