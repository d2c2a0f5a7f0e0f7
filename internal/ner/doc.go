// Package ner finds the named entities of an article: people,
// organisations, places and other names (CoNLL-2003's PER, ORG, LOC and
// MISC), each under one canonical name with its mentions.
//
// Text becomes entities in steps:
//
//   - Tokenize splits title and body into tokens with byte offsets, and
//     SplitSentences into sentences (tokenize.go).
//   - The tagger (an averaged perceptron over hashed features, tagger.go,
//     features.go) gives each token a BIOES class in two passes: the first
//     sees the word, its neighbours, word clusters, name lists and the
//     rest of the document (features.go, gazetteer.go, lists.go); the
//     second also sees the first pass's predictions across the document
//     (stack.go). fast.go and dense.go are the quick path that Extract
//     takes through the same model.
//   - The classes become spans (labels.go), and spans become mentions.
//   - The passes of Extract (passes.go) then split mentions the tagger ran
//     together (split.go), join the words it left out (join.go), retype
//     them by their words and context (retype.go), drop what is no name
//     (drop.go) and link acronyms, initials and surnames to the names they
//     stand for (link.go).
//   - Each mention gets its canonical name, and mentions with one name
//     become one Entity (names.go).
//
// The model is built into the binary (model/ner.model.gz); the training
// that rebuilds it is package train (folio ner-train).
package ner
