//go:build !cgo || !sqlite_fts5

package fts5

// Without the build tag sqlite_fts5 (or without cgo) no SQLite is linked
// in, so that Folio's own commands build fast and free of C; Open and
// Available then answer ErrNoFTS5.
const linked = false
