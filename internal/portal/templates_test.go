package portal

import (
	"testing"
	"testing/fstest"
)

// A broken template is an error New returns, never a panic.
func TestBrokenTemplateIsAnError(t *testing.T) {
	t.Parallel()
	if _, err := parseTemplates(fstest.MapFS{"templates/portal.html": {Data: []byte("{{if}}")}}); err == nil {
		t.Error("a broken template parsed")
	}
	if _, err := parseTemplates(templateFS); err != nil {
		t.Errorf("the embedded templates: %v", err)
	}
}
