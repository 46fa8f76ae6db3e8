package files

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/feature/s3/transfermanager"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"
)

// S3PartSize is the part size of multipart uploads, and what an upload
// buffers at a time. Each Put holds at most s3Concurrency+1 parts plus the
// first one it reads to choose between a single and a multipart upload:
// about 20 MB, whatever the size of the object.
const (
	S3PartSize    = 5 << 20 // the smallest part S3 allows
	s3Concurrency = 2
)

// S3Config says where an S3 storage is. It is what ParseS3URL reads from
// s3://BUCKET/PREFIX?endpoint=URL&region=R&path_style=true.
type S3Config struct {
	Bucket    string
	Prefix    string // without slashes at either end; "" for the whole bucket
	Endpoint  string // "" for AWS itself
	Region    string // "" for the SDK's default (AWS_REGION), else us-east-1
	PathStyle bool   // bucket in the path, not the host name (most non-AWS stores)
	// AccessKey and SecretKey, when set, replace the SDK's default chain of
	// credentials (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, the shared
	// files, the instance role...). Tests set them; deployments need not.
	AccessKey, SecretKey string
	// HTTPClient, when set, carries the requests (tests count the bytes).
	HTTPClient aws.HTTPClient
}

var bucketName = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`)

// ParseS3URL reads an s3:// storage URL. Every part is checked: an unknown
// parameter is an error, not ignored.
func ParseS3URL(raw string) (S3Config, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return S3Config{}, errors.New("not a valid URL")
	}
	if u.Scheme != "s3" {
		return S3Config{}, fmt.Errorf("the scheme must be s3://, not %s://", u.Scheme)
	}
	if u.User != nil || u.Port() != "" || u.Fragment != "" {
		return S3Config{}, errors.New("write it as s3://BUCKET/PREFIX?endpoint=URL&region=R&path_style=true")
	}
	c := S3Config{Bucket: u.Host, Prefix: strings.Trim(u.Path, "/")}
	if !bucketName.MatchString(c.Bucket) {
		return S3Config{}, fmt.Errorf("%q is not a valid bucket name (3 to 63 lower-case letters, digits, dots and hyphens)", c.Bucket)
	}
	if c.Prefix != "" && checkKey(c.Prefix) != nil {
		return S3Config{}, fmt.Errorf("%q is not a valid prefix", c.Prefix)
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return S3Config{}, errors.New("the query string is malformed")
	}
	for name, vs := range q {
		if len(vs) != 1 {
			return S3Config{}, fmt.Errorf("%s is given %d times", name, len(vs))
		}
		v := vs[0]
		switch name {
		case "endpoint":
			e, err := url.Parse(v)
			if err != nil || (e.Scheme != "http" && e.Scheme != "https") || e.Host == "" {
				return S3Config{}, fmt.Errorf("endpoint %q is not an http:// or https:// URL", v)
			}
			c.Endpoint = v
		case "region":
			if v == "" {
				return S3Config{}, errors.New("region is empty")
			}
			c.Region = v
		case "path_style":
			b, err := strconv.ParseBool(v)
			if err != nil {
				return S3Config{}, fmt.Errorf("path_style must be true or false, not %q", v)
			}
			c.PathStyle = b
		default:
			return S3Config{}, fmt.Errorf("unknown parameter %q (endpoint, region and path_style are known)", name)
		}
	}
	return c, nil
}

// S3 is a Storage in a bucket of an S3-compatible object store, under an
// optional key prefix.
type S3 struct {
	client   *s3.Client
	uploader *transfermanager.Client
	bucket   string
	prefix   string // "" or ending in "/"
}

var _ Storage = (*S3)(nil)

// NewS3 returns a Storage for the bucket c names. It makes no request:
// Ping tells whether the bucket is there and takes writes.
func NewS3(ctx context.Context, c S3Config) (*S3, error) {
	var opts []func(*config.LoadOptions) error
	if c.Region != "" {
		opts = append(opts, config.WithRegion(c.Region))
	}
	if c.AccessKey != "" || c.SecretKey != "" {
		opts = append(opts, config.WithCredentialsProvider(
			credentials.NewStaticCredentialsProvider(c.AccessKey, c.SecretKey, "")))
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("files: s3: %w", err)
	}
	if cfg.Region == "" {
		cfg.Region = "us-east-1" // what S3-compatible stores expect when none is said
	}
	client := s3.NewFromConfig(cfg, func(o *s3.Options) {
		if c.Endpoint != "" {
			o.BaseEndpoint = aws.String(c.Endpoint)
		}
		o.UsePathStyle = c.PathStyle
		if c.HTTPClient != nil {
			o.HTTPClient = c.HTTPClient
		}
		// Checksums only where S3 requires them: many S3-compatible
		// stores refuse the trailing checksums the SDK adds by default.
		o.RequestChecksumCalculation = aws.RequestChecksumCalculationWhenRequired
		o.ResponseChecksumValidation = aws.ResponseChecksumValidationWhenRequired
	})
	up := transfermanager.New(client, func(o *transfermanager.Options) {
		o.PartSizeBytes = S3PartSize
		o.MultipartUploadThreshold = S3PartSize
		o.Concurrency = s3Concurrency
		o.RequestChecksumCalculation = aws.RequestChecksumCalculationWhenRequired
		// Abort a failed multipart upload even when the request that
		// started it is gone, so that its parts do not linger.
		o.FailTimeout = 30 * time.Second
	})
	s := &S3{client: client, uploader: up, bucket: c.Bucket}
	if c.Prefix != "" {
		s.prefix = c.Prefix + "/"
	}
	return s, nil
}

func (s *S3) key(key string) (*string, error) {
	if err := checkKey(key); err != nil {
		return nil, err
	}
	return aws.String(s.prefix + key), nil
}

// Put streams r to the bucket: in one request up to S3PartSize, else as a
// multipart upload that completes only once every part is stored, so the
// object appears whole or not at all. A failed multipart upload is aborted.
func (s *S3) Put(ctx context.Context, key string, r io.Reader) (int64, error) {
	k, err := s.key(key)
	if err != nil {
		return 0, err
	}
	if err := ctx.Err(); err != nil {
		return 0, fmt.Errorf("files: put %s: %w", key, err)
	}
	cr := &countingReader{r: ctxReader{ctx, r}}
	if _, err := s.uploader.UploadObject(ctx, &transfermanager.UploadObjectInput{
		Bucket: aws.String(s.bucket),
		Key:    k,
		Body:   cr,
	}); err != nil {
		if cerr := ctx.Err(); cerr != nil && !errors.Is(err, cerr) {
			err = fmt.Errorf("%w (%v)", cerr, err)
		}
		return 0, fmt.Errorf("files: put %s: %w", key, err)
	}
	return cr.n, nil
}

// Open asks for the object's size and date only; its bytes are fetched by
// the first Read, from the offset a Seek chose, as a Range request. A
// conditional request (304) therefore transfers nothing, and a range
// request transfers only its range onwards.
func (s *S3) Open(ctx context.Context, key string) (Object, error) {
	k, err := s.key(key)
	if err != nil {
		return nil, err
	}
	head, err := s.client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(s.bucket), Key: k})
	if err != nil {
		return nil, fmt.Errorf("files: open %s: %w", key, s3Err(err))
	}
	return &s3Object{s: s, ctx: ctx, key: k, etag: head.ETag,
		size: aws.ToInt64(head.ContentLength), mod: aws.ToTime(head.LastModified)}, nil
}

// Stat describes the object at key.
func (s *S3) Stat(ctx context.Context, key string) (ObjectInfo, error) {
	k, err := s.key(key)
	if err != nil {
		return ObjectInfo{}, err
	}
	head, err := s.client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(s.bucket), Key: k})
	if err != nil {
		return ObjectInfo{}, fmt.Errorf("files: stat %s: %w", key, s3Err(err))
	}
	return ObjectInfo{Key: key, Size: aws.ToInt64(head.ContentLength), ModTime: aws.ToTime(head.LastModified)}, nil
}

// Delete removes key; S3 answers a missing key like a deleted one.
func (s *S3) Delete(ctx context.Context, key string) error {
	k, err := s.key(key)
	if err != nil {
		return err
	}
	_, err = s.client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(s.bucket), Key: k})
	if err != nil && !errors.Is(s3Err(err), ErrNotFound) {
		return fmt.Errorf("files: delete %s: %w", key, s3Err(err))
	}
	return nil
}

// List pages through the objects under prefix. Keys that are not valid
// keys (the Ping probe, anything another program put there) are skipped.
func (s *S3) List(ctx context.Context, prefix string, fn func(ObjectInfo) error) error {
	pages := s3.NewListObjectsV2Paginator(s.client, &s3.ListObjectsV2Input{
		Bucket: aws.String(s.bucket),
		Prefix: aws.String(s.prefix + prefix),
	})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("files: list %s: %w", prefix, s3Err(err))
		}
		for _, o := range page.Contents {
			key, ok := strings.CutPrefix(aws.ToString(o.Key), s.prefix)
			if !ok || checkKey(key) != nil {
				continue
			}
			if err := fn(ObjectInfo{Key: key, Size: aws.ToInt64(o.Size), ModTime: aws.ToTime(o.LastModified)}); err != nil {
				return fmt.Errorf("files: list %s: %w", prefix, err)
			}
		}
	}
	return nil
}

// AbortStaleUploads aborts the multipart uploads under RenderingsPrefix
// begun before before: what a process killed in the middle of an upload
// leaves, invisible to List but stored (and billed) until aborted. Atrium
// aborts the uploads it fails itself; only a killed one lingers. It
// returns how many it aborted (or, in a dry run, found).
func (s *S3) AbortStaleUploads(ctx context.Context, before time.Time, dryRun bool, log func(key string, begun time.Time, err error)) (int, error) {
	in := &s3.ListMultipartUploadsInput{Bucket: aws.String(s.bucket), Prefix: aws.String(s.prefix + RenderingsPrefix)}
	n := 0
	for {
		page, err := s.client.ListMultipartUploads(ctx, in)
		if err != nil {
			return n, fmt.Errorf("files: list unfinished uploads: %w", s3Err(err))
		}
		for _, u := range page.Uploads {
			begun := aws.ToTime(u.Initiated)
			if !begun.Before(before) {
				continue
			}
			key := strings.TrimPrefix(aws.ToString(u.Key), s.prefix)
			if !dryRun {
				_, err = s.client.AbortMultipartUpload(ctx, &s3.AbortMultipartUploadInput{
					Bucket: aws.String(s.bucket), Key: u.Key, UploadId: u.UploadId})
				if err != nil && !errors.Is(s3Err(err), ErrNotFound) {
					log(key, begun, err)
					continue
				}
			}
			n++
			log(key, begun, nil)
		}
		if !aws.ToBool(page.IsTruncated) {
			return n, nil
		}
		in.KeyMarker, in.UploadIdMarker = page.NextKeyMarker, page.NextUploadIdMarker
	}
}

// Ping stores a small probe object and deletes it. Its name starts with a
// dot, which no key may, so it never meets a real object.
func (s *S3) Ping(ctx context.Context) error {
	var b [8]byte
	rand.Read(b[:])
	k := aws.String(s.prefix + ".ping-" + hex.EncodeToString(b[:]))
	_, err := s.client.PutObject(ctx, &s3.PutObjectInput{
		Bucket: aws.String(s.bucket), Key: k, Body: strings.NewReader("ping"),
	})
	if err == nil {
		_, err = s.client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(s.bucket), Key: k})
	}
	if err != nil {
		return fmt.Errorf("files: ping bucket %s: %w", s.bucket, s3Err(err))
	}
	return nil
}

// s3Err turns a missing key into ErrNotFound, keeping the SDK's error
// (its code and request id help whoever reads the log) alongside.
func s3Err(err error) error {
	var api smithy.APIError
	if errors.As(err, &api) {
		switch api.ErrorCode() {
		case "NoSuchKey", "NotFound":
			return fmt.Errorf("%w (%v)", ErrNotFound, err)
		case "NoSuchBucket":
			return err
		}
	}
	var re *awshttp.ResponseError
	if errors.As(err, &re) && re.HTTPStatusCode() == http.StatusNotFound && (api == nil || api.ErrorCode() != "NoSuchBucket") {
		return fmt.Errorf("%w (%v)", ErrNotFound, err)
	}
	return err
}

// s3Object reads an object lazily: a Seek only moves the offset, and the
// next Read opens a GET from there to the end.
type s3Object struct {
	s    *S3
	ctx  context.Context
	key  *string
	etag *string
	size int64
	mod  time.Time
	pos  int64
	body io.ReadCloser
}

func (o *s3Object) Size() int64        { return o.size }
func (o *s3Object) ModTime() time.Time { return o.mod }

func (o *s3Object) Read(p []byte) (int, error) {
	if o.pos >= o.size {
		return 0, io.EOF
	}
	if o.body == nil {
		in := &s3.GetObjectInput{Bucket: aws.String(o.s.bucket), Key: o.key, IfMatch: o.etag}
		if o.pos > 0 {
			in.Range = aws.String("bytes=" + strconv.FormatInt(o.pos, 10) + "-")
		}
		out, err := o.s.client.GetObject(o.ctx, in)
		if err != nil {
			return 0, fmt.Errorf("files: read %s: %w", aws.ToString(o.key), s3Err(err))
		}
		o.body = out.Body
	}
	n, err := o.body.Read(p)
	o.pos += int64(n)
	if err == io.EOF && o.pos < o.size {
		err = io.ErrUnexpectedEOF
	}
	return n, err
}

func (o *s3Object) Seek(offset int64, whence int) (int64, error) {
	var pos int64
	switch whence {
	case io.SeekStart:
		pos = offset
	case io.SeekCurrent:
		pos = o.pos + offset
	case io.SeekEnd:
		pos = o.size + offset
	default:
		return 0, errors.New("files: seek: invalid whence")
	}
	if pos < 0 {
		return 0, errors.New("files: seek: negative position")
	}
	if pos != o.pos && o.body != nil {
		o.body.Close()
		o.body = nil
	}
	o.pos = pos
	return pos, nil
}

func (o *s3Object) Close() error {
	if o.body != nil {
		err := o.body.Close()
		o.body = nil
		return err
	}
	return nil
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}
