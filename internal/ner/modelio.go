package ner

import (
	"bufio"
	"cmp"
	"compress/gzip"
	"encoding/gob"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
)

const modelVersion = 2

// modelFile is the serialised model: sorted feature hashes with quantised
// weights, the word clusters and the gazetteer. Sorting keeps the file
// byte-identical across runs that learn the same weights.
type modelFile struct {
	Version      int
	Keys         []uint64
	Scale        float32
	Weights      []int16 // len(Keys)*nClass
	ClusterWords []string
	ClusterPaths []string
	GazKeys      []uint64
	GazTypes     []uint8
	CaseWords    []string
	CaseBuckets  []uint8
	AutoWords    []string
	AutoCodes    []uint8
	XWords       []string
	XClasses     []uint16
	// The second pass, if any.
	Keys2    []uint64
	Scale2   float32
	Weights2 []int16
	Light2   bool // the second pass lacks sentence and document features
}

// quantise returns the model's feature hashes, sorted, with their weights
// as multiples of the returned scale.
func (m *Model) quantise() ([]uint64, float32, []int16) {
	keys := make([]uint64, 0, len(m.index))
	for k := range m.index {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	u := m.unit
	if u == 0 {
		u = 1
	}
	var maxAbs float32
	for _, v := range m.w {
		maxAbs = max(maxAbs, float32(math.Abs(float64(v*u))))
	}
	if maxAbs == 0 {
		maxAbs = 1
	}
	scale := maxAbs / 32767
	ws := make([]int16, 0, len(keys)*nClass)
	for _, k := range keys {
		r := int(m.index[k]) * nClass
		for c := 0; c < nClass; c++ {
			ws = append(ws, int16(math.Round(float64(m.w[r+c]*u/scale))))
		}
	}
	return keys, scale, ws
}

// dequantise sets the model's weights from what quantise returned.
func (m *Model) dequantise(keys []uint64, scale float32, ws []int16) error {
	if len(ws) != len(keys)*nClass {
		return errors.New("ner model: inconsistent lengths")
	}
	m.index = make(map[uint64]int32, len(keys))
	for i, k := range keys {
		m.index[k] = int32(i)
	}
	// The weights stay in units of scale: a pass's decisions do not
	// change, and sums of small integers are exact in float32, so the
	// tagger's score does not depend on the order it adds features in.
	m.w = make([]float32, len(ws))
	for i, v := range ws {
		m.w[i] = float32(v)
	}
	m.unit = scale
	m.buildTable()
	return nil
}

// Save writes the model, gzip-compressed.
func (m *Model) Save(w io.Writer) error {
	f := modelFile{Version: modelVersion}
	f.Keys, f.Scale, f.Weights = m.quantise()
	if m.next != nil {
		f.Keys2, f.Scale2, f.Weights2 = m.next.quantise()
		f.Light2 = m.next.light
	}
	f.ClusterWords, f.ClusterPaths = sortedEntries(m.lex.clusters)
	f.CaseWords, f.CaseBuckets = sortedEntries(m.lex.caseOf)
	f.AutoWords, f.AutoCodes = sortedEntries(m.lex.auto)
	f.XWords, f.XClasses = sortedEntries(m.lex.xclass)
	f.GazKeys, f.GazTypes = sortedEntries(m.gaz)
	zw, err := gzip.NewWriterLevel(w, gzip.BestCompression)
	if err != nil {
		return err
	}
	if err := gob.NewEncoder(zw).Encode(&f); err != nil {
		return err
	}
	return zw.Close()
}

// sortedEntries lists m's keys in order and the values beside them, so
// that a saved model is the same bytes every time.
func sortedEntries[K cmp.Ordered, V any](m map[K]V) (keys []K, values []V) {
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		values = append(values, m[k])
	}
	return keys, values
}

// SaveFile writes the model to path atomically.
func (m *Model) SaveFile(path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(f)
	if err := m.Save(bw); err != nil {
		f.Close()
		return err
	}
	if err := bw.Flush(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// ReadModel reads a model written by Save.
func ReadModel(r io.Reader) (*Model, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("ner model: %w", err)
	}
	var f modelFile
	if err := gob.NewDecoder(zr).Decode(&f); err != nil {
		return nil, fmt.Errorf("ner model: %w", err)
	}
	if f.Version < 1 || f.Version > modelVersion {
		return nil, fmt.Errorf("ner model: version %d, want %d", f.Version, modelVersion)
	}
	if len(f.ClusterWords) != len(f.ClusterPaths) || len(f.GazKeys) != len(f.GazTypes) {
		return nil, errors.New("ner model: inconsistent lengths")
	}
	m := &Model{
		lex: &lexicon{
			clusters: make(map[string]string, len(f.ClusterWords)),
			caseOf:   make(map[string]uint8, len(f.CaseWords)),
		},
		gaz: make(gazetteer, len(f.GazKeys)),
	}
	if len(f.CaseWords) != len(f.CaseBuckets) || len(f.AutoWords) != len(f.AutoCodes) || len(f.XWords) != len(f.XClasses) {
		return nil, errors.New("ner model: inconsistent lengths")
	}
	for i, w := range f.CaseWords {
		m.lex.caseOf[w] = f.CaseBuckets[i]
	}
	if len(f.XWords) > 0 {
		m.lex.xclass = make(map[string]uint16, len(f.XWords))
		for i, w := range f.XWords {
			m.lex.xclass[w] = f.XClasses[i]
		}
	}
	if len(f.AutoWords) > 0 {
		m.lex.auto = make(map[string]uint8, len(f.AutoWords))
		for i, w := range f.AutoWords {
			m.lex.auto[w] = f.AutoCodes[i]
		}
	}
	if err := m.dequantise(f.Keys, f.Scale, f.Weights); err != nil {
		return nil, err
	}
	if len(f.Keys2) > 0 {
		m.next = &Model{lex: m.lex, light: f.Light2}
		if err := m.next.dequantise(f.Keys2, f.Scale2, f.Weights2); err != nil {
			return nil, err
		}
	}
	for i, w := range f.ClusterWords {
		m.lex.clusters[w] = f.ClusterPaths[i]
	}
	for i, k := range f.GazKeys {
		m.gaz[k] = f.GazTypes[i]
	}
	return m, nil
}

// ReadModelFile reads a model from disk.
func ReadModelFile(path string) (*Model, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadModel(bufio.NewReader(f))
}
