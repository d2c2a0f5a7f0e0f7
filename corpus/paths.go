package corpus

import (
	"io/fs"
	"iter"
	"os"
	"path/filepath"
)

// inputExts are the file extensions taken from a directory; other files
// there (READMEs, images) are passed over.
var inputExts = map[string]bool{".jsonl": true, ".ndjson": true, ".txt": true}

// ReadPaths yields the articles of every path in turn: a file, a directory
// (its .jsonl, .ndjson and .txt files and those a registered format claims
// by name, recursively, in name order) or
// "bundled" for the sample corpus. An unreadable path yields an error that
// names it and reading goes on with the next path.
func ReadPaths(paths []string) iter.Seq2[Article, error] {
	return func(yield func(Article, error) bool) {
		for _, p := range paths {
			for a, err := range readPath(p) {
				if !yield(a, err) {
					return
				}
			}
		}
	}
}

func readPath(p string) iter.Seq2[Article, error] {
	if p == BundledName {
		return Bundled()
	}
	return func(yield func(Article, error) bool) {
		info, err := os.Stat(p)
		if err != nil {
			yield(Article{}, err)
			return
		}
		if !info.IsDir() {
			for a, err := range ReadFile(p) {
				if !yield(a, err) {
					return
				}
			}
			return
		}
		var files []string
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && knownName(path) {
				files = append(files, path)
			}
			return nil
		})
		if err != nil {
			yield(Article{}, err)
			return
		}
		for _, f := range files {
			for a, err := range ReadFile(f) {
				if !yield(a, err) {
					return
				}
			}
		}
	}
}
