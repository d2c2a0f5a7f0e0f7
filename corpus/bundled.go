package corpus

import (
	"embed"
	"io/fs"
	"iter"
	"path"
)

//go:embed sample/*.txt
var sample embed.FS

// BundledName is how the bundled sample corpus is named in errors and as the
// source of its articles' file.
const BundledName = "bundled"

// Bundled yields the articles of the sample corpus built into the binary:
// a news site's tag page "Tag: Ilham Aliyev" with six articles.
func Bundled() iter.Seq2[Article, error] {
	return func(yield func(Article, error) bool) {
		entries, err := fs.ReadDir(sample, "sample")
		if err != nil {
			yield(Article{}, err)
			return
		}
		for _, e := range entries {
			f, err := sample.Open(path.Join("sample", e.Name()))
			if err != nil {
				yield(Article{}, err)
				return
			}
			for a, err := range Read(path.Join(BundledName, e.Name()), f) {
				if !yield(a, err) {
					f.Close()
					return
				}
			}
			f.Close()
		}
	}
}
