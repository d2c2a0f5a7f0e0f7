package curate

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// Parse reads an entities file: a YAML list of rules. Errors name the
// file and the line of the rule at fault. An empty file has no rules.
func Parse(name string, src []byte) (*Set, error) {
	f, err := parser.ParseBytes(src, 0)
	if err != nil {
		return nil, fmt.Errorf("%s: %s", name, yaml.FormatError(err, false, true))
	}
	s := &Set{}
	for _, doc := range f.Docs {
		body := doc.Body
		if body == nil {
			continue
		}
		if _, ok := body.(*ast.NullNode); ok {
			continue
		}
		seq, ok := body.(*ast.SequenceNode)
		if !ok {
			return nil, fmt.Errorf("%s:%d: an entities file is a list of rules (\"- merge: …\")", name, body.GetToken().Position.Line)
		}
		for _, item := range seq.Values {
			line := item.GetToken().Position.Line
			var r Rule
			if err := yaml.NodeToValue(item, &r, yaml.DisallowUnknownField()); err != nil {
				return nil, fmt.Errorf("%s:%d: %s", name, line, yaml.FormatError(err, false, false))
			}
			if err := r.Check(); err != nil {
				return nil, fmt.Errorf("%s:%d: %w", name, line, err)
			}
			r.Line = line
			s.Rules = append(s.Rules, r)
		}
	}
	return s, nil
}

// Load reads the entities file at path; a file that does not exist has no
// rules.
func Load(path string) (*Set, error) {
	src, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return &Set{}, nil
	}
	if err != nil {
		return nil, err
	}
	return Parse(path, src)
}

// Append checks a rule and adds it at the end of the entities file at
// path (made if absent), keeping what the file holds as written, comments
// included. It returns the file's rules with the new one last.
func Append(path string, r Rule) (*Set, error) {
	if err := r.Check(); err != nil {
		return nil, err
	}
	src, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	r.Line = 0
	item, err := yaml.Marshal([]Rule{r})
	if err != nil {
		return nil, err
	}
	out := bytes.Clone(src)
	if len(out) > 0 && out[len(out)-1] != '\n' {
		out = append(out, '\n')
	}
	out = append(out, item...)
	s, err := Parse(path, out)
	if err != nil {
		// The file as it was does not take a rule at its end (a flow
		// list, say); it is left alone.
		return nil, fmt.Errorf("cannot append to %s: %w", path, err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".entities-*.yaml")
	if err != nil {
		return nil, err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(out); err != nil {
		tmp.Close()
		return nil, err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return nil, err
	}
	if err := tmp.Close(); err != nil {
		return nil, err
	}
	return s, os.Rename(tmp.Name(), path)
}
