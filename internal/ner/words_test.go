package ner

import (
	"testing"
)

func TestHeadBeforeOf(t *testing.T) {
	text := "It asked the General Directorate of External Security ; 32 Armenian Prisoners of War were held ."
	ms := spansOf(t, text, [2]string{"General Directorate of External Security", "MISC"}, [2]string{"Armenian Prisoners of War", "MISC"})
	ms = retypeByHead(ms)
	// Negative: prisoners are no body.
	if got := typesOf(ms); got != "General Directorate of External Security/ORG Armenian Prisoners of War/MISC" {
		t.Errorf("got %s", got)
	}
}
