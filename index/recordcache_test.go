package index

import (
	"bytes"
	"fmt"
	"testing"
)

// A stored record is inflated once while kept and read the same as
// inflating it afresh; another record is another entry.
func TestInflatedRecordsKeepEachRecordOnce(t *testing.T) {
	stored, err := compressStored(storedArticle{Title: "Oil prices", Body: fmt.Sprint("Crude rose ", t.Name())})
	if err != nil {
		t.Fatal(err)
	}
	other, err := compressStored(storedArticle{Title: "Oil prices", Body: "Crude fell"})
	if err != nil {
		t.Fatal(err)
	}
	want, err := inflateStored(stored)
	if err != nil {
		t.Fatal(err)
	}
	first, err := inflateCached(stored)
	if err != nil || !bytes.Equal(first, want) {
		t.Fatalf("cached record %q, %v; want %q", first, err, want)
	}
	again, err := inflateCached(stored)
	if err != nil || &again[0] != &first[0] {
		t.Fatalf("the second read inflated the record again (%v)", err)
	}
	if rec, err := inflateCached(other); err != nil || bytes.Equal(rec, first) || !inflatedRecords.holds(other) {
		t.Fatalf("another record read as %q, %v", rec, err)
	}
	if _, err := inflateCached(stored[:len(stored)/2] + "\xff\xff"); err == nil {
		t.Fatal("a damaged record inflated without an error")
	}
}
