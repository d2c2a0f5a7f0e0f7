package config

import (
	"fmt"
	"os"
	"reflect"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// checkFile reads a YAML configuration file before Viper does, for two
// things Viper cannot tell: the line at fault in a YAML error (go-yaml
// points at the token it stopped on and shows the lines around it, where
// Viper's parser often names the line before), and the keys Folio does not
// know, each with its line, so that a misspelled key is a warning instead
// of a setting silently ignored.
//
// lines holds the line of every key, to place the errors of decoding.
func checkFile(path string) (warnings []string, lines map[string]int, err error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	f, err := parser.ParseBytes(src, 0)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %s", path, yaml.FormatError(err, false, true))
	}
	lines = map[string]int{}
	for _, doc := range f.Docs {
		walkKeys(doc.Body, reflect.TypeFor[Config](), "", func(key string, line int, known bool) {
			lines[key] = line
			if !known {
				warnings = append(warnings, fmt.Sprintf("%s:%d: unknown key %s (ignored)", path, line, key))
			}
		})
	}
	return warnings, lines, nil
}

// walkKeys walks a YAML node against the type it configures and reports
// every mapping key with its line, and whether it names a field.
func walkKeys(n ast.Node, t reflect.Type, at string, report func(key string, line int, known bool)) {
	switch v := n.(type) {
	case *ast.AnchorNode:
		walkKeys(v.Value, t, at, report)
		return
	case *ast.TagNode:
		walkKeys(v.Value, t, at, report)
		return
	}
	switch t.Kind() {
	case reflect.Struct:
		var pairs []*ast.MappingValueNode
		switch v := n.(type) {
		case *ast.MappingNode:
			pairs = v.Values
		case *ast.MappingValueNode:
			pairs = []*ast.MappingValueNode{v}
		default:
			return // not a mapping: decoding will say what is wrong
		}
		for _, p := range pairs {
			if p.Key.IsMergeKey() {
				continue
			}
			name := p.Key.String()
			key := strings.TrimPrefix(at+"."+name, ".")
			field, ok := fieldByKey(t, name)
			report(key, p.Key.GetToken().Position.Line, ok)
			if !ok {
				continue
			}
			walkKeys(p.Value, field.Type, key, report)
		}
	case reflect.Slice:
		if s, ok := n.(*ast.SequenceNode); ok {
			for i, item := range s.Values {
				walkKeys(item, t.Elem(), fmt.Sprintf("%s[%d]", at, i), report)
			}
		}
	}
}

// placeError adds the line of the key a decoding error names, which
// mapstructure quotes as 'search.max_size'.
func placeError(err error, path string, lines map[string]int) error {
	best, line := "", 0
	for key, l := range lines {
		if len(key) > len(best) && strings.Contains(err.Error(), "'"+key+"'") {
			best, line = key, l
		}
	}
	if line == 0 {
		return fmt.Errorf("config: %w", err)
	}
	return fmt.Errorf("config %s:%d: %w", path, line, err)
}

// fieldByKey is the field of struct type t whose mapstructure name is
// key, compared as Viper does, without regard to case.
func fieldByKey(t reflect.Type, key string) (reflect.StructField, bool) {
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("mapstructure"), ",")
		if name != "" && name != "-" && strings.EqualFold(name, key) {
			return f, true
		}
	}
	return reflect.StructField{}, false
}
