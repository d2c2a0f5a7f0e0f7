package index

// inflatedRecords keeps stored records inflated, by their deflated bytes.
// A search inflates the record of every hit its page shows and of each
// article feedback learns from, some fourteen records at about 10 µs
// each, a tenth of a search with feedback at 20,000 articles; and the
// articles that lead one query's results lead many others'. Every
// schema's records deflate with one dictionary, so deflated bytes inflate
// to one record whichever index or segment holds them, and an article
// written again has a new record. Records are shared: readers never
// change them. Like Solr's document cache, it is one for the process.
var inflatedRecords = newByteLRU[string, []byte](inflatedRecordsBytes)

// inflatedRecordsBytes bounds inflatedRecords: some 10,000 news records,
// with their deflated keys.
const inflatedRecordsBytes = 32 << 20

// inflateCached is inflateStored through inflatedRecords.
func inflateCached(stored string) ([]byte, error) {
	rec, _, err := inflatedRecords.get(stored, func() ([]byte, int, error) {
		rec, err := inflateStored(stored)
		return rec, len(stored) + cap(rec) + 96, err // key, record, entry and list element
	})
	return rec, err
}
