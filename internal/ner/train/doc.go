// Package train rebuilds the named-entity model of package ner.
//
// From unlabelled news (JSON Lines) it learns what the tagger knows of
// words (clusters.go: word clusters from a randomized SVD of word
// contexts, split in two recursively; exchange.go: flat word classes;
// autotype.go: what taggers trained first tag each word as), then trains
// the tagger on CoNLL-2003 data (conll.go) as averaged perceptrons
// (train.go): a first pass, and a second that also sees the first's
// predictions across each document, learnt from first passes that did
// not see the document. pipeline.go runs it all for folio ner-train;
// eval.go scores a model entity by entity for folio ner-eval.
//
// Training drives the tagger through what package ner exports for it
// (ner's learn.go), so that the features it learns weights for are those
// the tagger computes. The same data and seeds give the same model file.
package train
