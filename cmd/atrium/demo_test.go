package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"atrium/internal/demo"
	"atrium/internal/testsupport"
)

// TestDemoPrintsWorkingLogins runs `atrium demo` as a person would and
// follows what it prints: the client link opens a page with the studio's
// logo and several renderings, and the staff login signs in. It does so
// with the files in the data folder and in an S3 bucket (--storage-url).
func TestDemoPrintsWorkingLogins(t *testing.T) {
	if testing.Short() {
		t.Skip("generates the demo's renderings")
	}
	t.Run("local", func(t *testing.T) { testDemo(t, nil) })
	t.Run("s3", func(t *testing.T) {
		b := testsupport.S3(t)
		for _, kv := range b.Env() {
			k, v, _ := strings.Cut(kv, "=")
			t.Setenv(k, v)
		}
		testDemo(t, b)
	})
}

func testDemo(t *testing.T, bucket *testsupport.S3Bucket) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	t.Setenv("ATRIUM_DATA", t.TempDir())
	t.Setenv("ATRIUM_DATABASE_URL", "")
	t.Setenv("ATRIUM_BASE_URL", "")

	ctx, cancel := context.WithCancel(context.Background())
	var out, errOut testsupport.LogBuffer
	done := make(chan error, 1)
	args := []string{"demo", "--addr", addr, "--log-level", "warn"}
	if bucket != nil {
		args = append(args, "--storage-url", bucket.StorageURL("demo"))
	}
	go func() {
		done <- run(ctx, args, strings.NewReader(""), &out, &errOut)
	}()
	defer func() {
		cancel()
		if err := <-done; err != nil && ctx.Err() == nil {
			t.Errorf("demo: %v", err)
		}
	}()

	linkRE := regexp.MustCompile(`client link:\s+(\S+)`)
	var link string
	for deadline := time.Now().Add(2 * time.Minute); link == "" && time.Now().Before(deadline); {
		select {
		case err := <-done:
			t.Fatalf("demo stopped: %v\n%s%s", err, out.String(), errOut.String())
		case <-time.After(100 * time.Millisecond):
		}
		if m := linkRE.FindStringSubmatch(out.String()); m != nil {
			link = m[1]
		}
	}
	if link == "" {
		t.Fatalf("no client link printed:\n%s", out.String())
	}
	base := "http://" + addr
	for _, want := range []string{base + "/login", demo.AdminEmail, demo.AdminPassword} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the demo's output lacks %q:\n%s", want, out.String())
		}
	}
	if !strings.HasPrefix(link, base+"/client-progress/") {
		t.Fatalf("client link %q is not under %s", link, base)
	}

	page := get(t, link, http.StatusOK)
	if n := strings.Count(page, `/t" srcset="`); n < 4 { // <img src="TOKEN/ID/t" srcset=…>
		t.Errorf("the client page shows %d thumbnails, want several", n)
	}
	var view struct {
		Studio     struct{ LogoURL string }
		Renderings []struct{ DownloadURL string }
	}
	api := strings.Replace(link, "/client-progress/", "/api/client-progress/", 1)
	if err := json.Unmarshal([]byte(get(t, api, http.StatusOK)), &view); err != nil {
		t.Fatal(err)
	}
	if view.Studio.LogoURL == "" || !strings.Contains(page, view.Studio.LogoURL) {
		t.Errorf("the demo studio's logo %q is not on the page", view.Studio.LogoURL)
	} else if logo := get(t, base+view.Studio.LogoURL, http.StatusOK); !strings.HasPrefix(logo, "\xff\xd8") {
		t.Error("the logo is not a JPEG")
	}
	if len(view.Renderings) < 4 {
		t.Fatalf("%d approved renderings, want several", len(view.Renderings))
	}
	if dl := get(t, base+view.Renderings[0].DownloadURL, http.StatusOK); len(dl) < 10_000 {
		t.Errorf("download is %d bytes", len(dl))
	}

	body, _ := json.Marshal(map[string]string{"email": demo.AdminEmail, "password": demo.AdminPassword})
	res, err := http.Post(base+"/api/session", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Errorf("the printed staff login: POST /api/session = %d, want 200", res.StatusCode)
	}
	if health := get(t, base+"/healthz", http.StatusOK); !strings.Contains(health, `"storage":"ok"`) {
		t.Errorf("/healthz = %s", health)
	}
	if bucket != nil {
		objs, err := bucket.Client().ListObjectsV2(context.Background(), &s3.ListObjectsV2Input{Bucket: aws.String(bucket.Bucket), Prefix: aws.String("demo/renderings/")})
		if err != nil || len(objs.Contents) < 4*3 {
			t.Errorf("the bucket holds %d rendering files under demo/renderings/ (%v), want the demo's", len(objs.Contents), err)
		}
		if entries, _ := os.ReadDir(filepath.Join(os.Getenv("ATRIUM_DATA"), "files")); len(entries) != 0 {
			t.Errorf("with S3 the data folder holds files too: %v", entries)
		}
	}
}

func get(t *testing.T, url string, want int) string {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != want {
		t.Fatalf("GET %s = %d, want %d", url, res.StatusCode, want)
	}
	return string(b)
}
