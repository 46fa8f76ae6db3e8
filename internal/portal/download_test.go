package portal

import (
	"net/url"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

var asciiName = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*\.(jpg|png|webp)$|^rendering\.(jpg|png|webp)$`)

// FuzzDownloadName checks that any project name and title make a safe
// Content-Disposition.
func FuzzDownloadName(f *testing.F) {
	f.Add("Hillside Residence", "Kitchen Island", "image/jpeg")
	f.Add("Villa Lumière", "Küche – Blick nach Süden", "image/png")
	f.Add("\"; filename=evil.exe", "../../etc/passwd\r\nX-Evil: 1", "image/webp")
	f.Add("東京の家", "居間", "text/html")
	f.Add("", "", "")
	f.Fuzz(func(t *testing.T, project, title, ctype string) {
		ascii, utf := downloadName(project, title, ctype)
		if !asciiName.MatchString(ascii) || len(ascii) > 2*maxSlug+1+5 {
			t.Fatalf("ASCII name %q", ascii)
		}
		if !utf8.ValidString(utf) || strings.ContainsAny(utf, "/\\\"\r\n\x00%;") || utf8.RuneCountInString(utf) > 2*maxSlug+1+5 {
			t.Fatalf("UTF-8 name %q", utf)
		}
		cd := contentDisposition(project, title, ctype)
		for _, r := range cd {
			if r < 0x20 || r > 0x7e {
				t.Fatalf("Content-Disposition %q has a byte outside printable ASCII", cd)
			}
		}
		enc := strings.TrimPrefix(cd[strings.Index(cd, "filename*=")+len("filename*="):], "UTF-8''")
		dec, err := url.PathUnescape(enc)
		if err != nil || dec != utf {
			t.Fatalf("filename* %q decodes to %q (%v), want %q", enc, dec, err, utf)
		}
		if want := `attachment; filename="` + ascii + `"; filename*=UTF-8''` + enc; cd != want {
			t.Fatalf("Content-Disposition %q", cd)
		}
	})
}
