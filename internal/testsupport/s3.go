package testsupport

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// S3Region is the region the test S3 server answers for.
const S3Region = "us-east-1"

// S3Bucket is an empty bucket of the test S3 server (versitygw serving a
// temp folder), made for one test.
type S3Bucket struct {
	Endpoint  string // http://127.0.0.1:PORT
	AccessKey string
	SecretKey string
	Region    string
	Bucket    string
	// Dir is the folder versitygw keeps the bucket in: object KEY is the
	// file Dir/KEY, whose modification time is the object's. Tests age
	// objects by changing it.
	Dir string
}

// StorageURL is the ATRIUM_STORAGE_URL of the bucket, under prefix
// (which may be "").
func (b *S3Bucket) StorageURL(prefix string) string {
	q := url.Values{"endpoint": {b.Endpoint}, "region": {b.Region}, "path_style": {"true"}}
	return "s3://" + b.Bucket + "/" + prefix + "?" + q.Encode()
}

// Env is what a process needs in its environment to reach the bucket
// through the SDK's default chain of credentials.
func (b *S3Bucket) Env() []string {
	return []string{
		"AWS_ACCESS_KEY_ID=" + b.AccessKey,
		"AWS_SECRET_ACCESS_KEY=" + b.SecretKey,
		"AWS_REGION=" + b.Region,
		// Keep the SDK from reading the shared files of whoever runs the
		// tests, or asking an instance metadata service.
		"AWS_CONFIG_FILE=" + os.DevNull,
		"AWS_SHARED_CREDENTIALS_FILE=" + os.DevNull,
		"AWS_EC2_METADATA_DISABLED=true",
	}
}

// Client is an S3 client for the bucket's server, for tests that look at
// the bucket behind Atrium's back.
func (b *S3Bucket) Client() *s3.Client {
	return s3.New(s3.Options{
		Region:       b.Region,
		BaseEndpoint: aws.String(b.Endpoint),
		UsePathStyle: true,
		Credentials:  credentials.NewStaticCredentialsProvider(b.AccessKey, b.SecretKey, ""),
	})
}

// s3Server is the versitygw process the tests of one package share.
type s3Server struct {
	endpoint, access, secret string
	dir                      string
	cmd                      *exec.Cmd
	exited                   chan struct{}
}

var (
	s3Once    sync.Once
	s3Shared  *s3Server
	s3Err     error
	s3Buckets atomic.Int64
)

// S3 returns a new empty bucket on the package's test S3 server, starting
// the server on first use: versitygw on a free port of 127.0.0.1, serving a
// temp folder. Without the versitygw binary (on PATH or in GOPATH/bin) the
// test is skipped, failed under CI. A package that uses it stops the server
// in TestMain with StopS3; should it not, the server still dies with the
// test binary (Linux), leaving only its temp folder.
func S3(t testing.TB) *S3Bucket {
	t.Helper()
	s3Once.Do(func() { s3Shared, s3Err = startS3() })
	if errors.Is(s3Err, exec.ErrNotFound) {
		Missing(t, "versitygw not installed (go install github.com/versity/versitygw/cmd/versitygw@v1.8.0): %v", s3Err)
	}
	if s3Err != nil {
		t.Fatalf("test S3 server: %v", s3Err)
	}
	b := &S3Bucket{
		Endpoint:  s3Shared.endpoint,
		AccessKey: s3Shared.access,
		SecretKey: s3Shared.secret,
		Region:    S3Region,
		Bucket:    fmt.Sprintf("test-%d-%s", s3Buckets.Add(1), randomHex(4)),
	}
	b.Dir = filepath.Join(s3Shared.dir, "root", b.Bucket)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := b.Client().CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(b.Bucket)}); err != nil {
		t.Fatalf("create test bucket: %v", err)
	}
	return b
}

// StopS3 stops the package's test S3 server, if it started, and removes
// its folder. Call it from TestMain after m.Run.
func StopS3() {
	if s3Shared == nil {
		return
	}
	s3Shared.cmd.Process.Kill()
	<-s3Shared.exited
	os.RemoveAll(s3Shared.dir)
}

// VersitygwPath finds the versitygw binary on PATH or in GOPATH/bin.
func VersitygwPath() (string, error) {
	if p, err := exec.LookPath("versitygw"); err == nil {
		return p, nil
	}
	gopath := os.Getenv("GOPATH")
	if gopath == "" {
		if out, err := exec.Command("go", "env", "GOPATH").Output(); err == nil {
			gopath = string(trimNL(out))
		}
	}
	if gopath == "" {
		if home, err := os.UserHomeDir(); err == nil {
			gopath = filepath.Join(home, "go")
		}
	}
	for _, dir := range filepath.SplitList(gopath) {
		p := filepath.Join(dir, "bin", "versitygw")
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() && fi.Mode()&0o111 != 0 {
			return p, nil
		}
	}
	return "", fmt.Errorf("versitygw: %w", exec.ErrNotFound)
}

func startS3() (*s3Server, error) {
	bin, err := VersitygwPath()
	if err != nil {
		return nil, err
	}
	var lastErr error
	for range 3 { // the free port may be taken before versitygw binds it
		srv, err := tryStartS3(bin)
		if err == nil {
			return srv, nil
		}
		lastErr = err
	}
	return nil, lastErr
}

func tryStartS3(bin string) (*s3Server, error) {
	dir, err := os.MkdirTemp("", "atrium-s3-")
	if err != nil {
		return nil, err
	}
	port, err := listenFreePort()
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	srv := &s3Server{
		endpoint: "http://127.0.0.1:" + port,
		access:   "atrium" + randomHex(6),
		secret:   randomHex(20),
		dir:      dir,
		exited:   make(chan struct{}),
	}
	root := filepath.Join(dir, "root")
	if err := os.Mkdir(root, 0o700); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	logf, err := os.Create(filepath.Join(dir, "versitygw.log"))
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	defer logf.Close()
	srv.cmd = exec.Command(bin, "--port", "127.0.0.1:"+port, "--quiet", "posix", root)
	srv.cmd.Env = append(os.Environ(), "ROOT_ACCESS_KEY="+srv.access, "ROOT_SECRET_KEY="+srv.secret)
	srv.cmd.Stdout, srv.cmd.Stderr = logf, logf
	dieWithParent(srv.cmd)
	started := make(chan error, 1)
	go func() {
		// The child is told to die with the thread that started it, so
		// that thread stays alive as long as the child does.
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		if err := srv.cmd.Start(); err != nil {
			started <- err
			close(srv.exited)
			return
		}
		started <- nil
		srv.cmd.Wait()
		close(srv.exited)
	}()
	if err := <-started; err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	if err := srv.waitReady(20 * time.Second); err != nil {
		srv.cmd.Process.Kill()
		<-srv.exited
		log, _ := os.ReadFile(filepath.Join(dir, "versitygw.log"))
		os.RemoveAll(dir)
		return nil, fmt.Errorf("%w; its log: %s", err, log)
	}
	return srv, nil
}

// waitReady polls ListBuckets until the server answers it.
func (srv *s3Server) waitReady(limit time.Duration) error {
	b := &S3Bucket{Endpoint: srv.endpoint, AccessKey: srv.access, SecretKey: srv.secret, Region: S3Region}
	client := b.Client()
	deadline := time.Now().Add(limit)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		_, err := client.ListBuckets(ctx, &s3.ListBucketsInput{})
		cancel()
		if err == nil {
			return nil
		}
		select {
		case <-srv.exited:
			return fmt.Errorf("versitygw exited: %v", srv.cmd.ProcessState)
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("versitygw not ready after %v: %w", limit, err)
		}
	}
}

// listenFreePort is a port of 127.0.0.1 free a moment ago, as text.
func listenFreePort() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	_, port, err := net.SplitHostPort(ln.Addr().String())
	return port, err
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func trimNL(b []byte) []byte {
	for len(b) > 0 && (b[len(b)-1] == '\n' || b[len(b)-1] == '\r') {
		b = b[:len(b)-1]
	}
	return b
}
