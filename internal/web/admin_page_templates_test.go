package web

import (
	"testing"
	"testing/fstest"
)

// A broken admin template is an error New returns, never a panic.
func TestBrokenAdminTemplateIsAnError(t *testing.T) {
	t.Parallel()
	fsys := fstest.MapFS{
		"templates/admin/admin_layout.html": {Data: []byte(`{{define "layout"}}{{template "content" .}}{{end}}`)},
		"templates/admin/admin_x.html":      {Data: []byte(`{{define "content"}}{{if}}{{end}}`)},
	}
	if _, err := parseAdminTemplates(fsys); err == nil {
		t.Error("a broken template parsed")
	}
	if _, err := parseAdminTemplates(adminTemplateFS); err != nil {
		t.Errorf("the embedded templates: %v", err)
	}
}
