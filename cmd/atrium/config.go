package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"atrium/internal/files"
	"atrium/internal/mail"
	"atrium/internal/store"
	"atrium/internal/web"
)

const envHelp = `
Settings (flags override the environment):
  ATRIUM_ADDR             listen address (default :8080)
  ATRIUM_DATA             data folder: SQLite file, uploaded files, secret (default ./data)
  ATRIUM_DATABASE_URL     postgres://... for PostgreSQL (default: SQLite in the data folder)
  ATRIUM_STORAGE_URL      where files live (default: DATA/files): a folder, file://FOLDER, or
                          s3://BUCKET/PREFIX?endpoint=URL&region=R&path_style=true for an S3-compatible
                          store, with credentials from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or the
                          AWS SDK's usual chain (shared files, instance role)
  ATRIUM_BASE_URL         public URL, used to build client links (default http://localhost:8080)
  ATRIUM_SECRET           secret that derives client link tokens (default: generated once into DATA/secret)
                          every instance on one database needs the same one, or it refuses to start
  ATRIUM_TRUSTED_PROXIES  comma-separated IPs/CIDRs whose X-Forwarded-For is believed (default: none)
  ATRIUM_MAX_UPLOAD_MB    largest rendering upload in MB (default 200)
  ATRIUM_DECODE_MEMORY_MB memory image decodes may hold at once, in MB, counted from each image's
                          header (default 1024); uploads wait for room, one needing more is refused (413)
  ATRIUM_LOGIN_LIMIT      failed sign-ins allowed per minute per IP (default 10); per account, half of it plus one
  ATRIUM_LOOKUP_LIMIT     failed client-link lookups allowed per minute per IP (default 20): unknown,
                          expired or deactivated links; over it, 429 and no access log row
  ATRIUM_MAX_CONNS_PER_IP open connections per client IP, IPv6 per /64; trusted proxies exempt (default 100)
  ATRIUM_MAX_STREAMS_PER_IP open live-update streams per client IP; more get 429 (default 16)
  ATRIUM_MAX_STREAMS      open live-update streams on this instance; more get 503 (default 1000)
  ATRIUM_SMTP_URL         mail server, smtp://user:password@host:587 (STARTTLS when offered) or
                          smtps://user:password@host:465 (default: none; notifications stay in-app,
                          links cannot be sent by email, the outbox says "not sent")
  ATRIUM_MAIL_FROM        sender address of all mail, e.g. "Studio <portal@studio.example>" (required with ATRIUM_SMTP_URL)
  ATRIUM_SHUTDOWN_TIMEOUT on SIGTERM or SIGINT, how long requests in flight may take to finish
                          (default 30s; a Go duration, or whole seconds)
  ATRIUM_LOG_LEVEL        debug, info, warn or error (default info)
  ATRIUM_ACCESS_LOG_DAYS  days client access log rows are kept, pruned at start and daily (default 400;
                          0 keeps them for ever); a link's counts and daily totals are kept
  ATRIUM_ANONYMIZE_IPS    true stores client addresses shortened, IPv4 to /24 and IPv6 to /48 (default false)
`

// config is everything the commands read from flags and the environment.
type config struct {
	Addr           string
	DataDir        string
	DatabaseURL    string
	StorageURL     string
	BaseURL        string
	Secret         string
	TrustedProxies string
	MaxUploadMB    int
	DecodeMemoryMB int
	LoginLimit     int
	LookupLimit    int
	MaxConnsPerIP  int
	MaxStreamsIP   int
	MaxStreams     int
	LogLevel       string
	SMTPURL        string
	MailFrom       string
	// ShutdownTimeout is how long serve waits for requests in flight
	// after SIGTERM or SIGINT (ATRIUM_SHUTDOWN_TIMEOUT).
	ShutdownTimeout time.Duration
	// AccessLogDays is how long access log rows are kept, 0 for ever
	// (ATRIUM_ACCESS_LOG_DAYS); AnonymizeIPs shortens stored addresses
	// (ATRIUM_ANONYMIZE_IPS).
	AccessLogDays int
	AnonymizeIPs  bool

	envErrs []error // ATRIUM_* numbers that did not parse, reported by webConfig
}

func env(name, def string) string {
	if v, ok := os.LookupEnv(name); ok && v != "" {
		return v
	}
	return def
}

// envInt is the whole number in the environment variable name, or def. A
// value that is not a whole number is kept as an error, not ignored.
func (c *config) envInt(name string, def int) int {
	if v := os.Getenv(name); v != "" {
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil {
			c.envErrs = append(c.envErrs, fmt.Errorf("%s=%q is not a whole number", name, v))
			return def
		}
		return n
	}
	return def
}

// envBool is the boolean in the environment variable name (true, false,
// 1, 0...), or def. A value that does not parse is kept as an error.
func (c *config) envBool(name string, def bool) bool {
	v := strings.TrimSpace(os.Getenv(name))
	if v == "" {
		return def
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		c.envErrs = append(c.envErrs, fmt.Errorf("%s=%q is not true or false", name, v))
		return def
	}
	return b
}

// envDuration is the duration in the environment variable name (a Go
// duration such as 30s, or whole seconds), or def. A value that does not
// parse is kept as an error, not ignored.
func (c *config) envDuration(name string, def time.Duration) time.Duration {
	v := strings.TrimSpace(os.Getenv(name))
	if v == "" {
		return def
	}
	if n, err := strconv.Atoi(v); err == nil {
		return time.Duration(n) * time.Second
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		c.envErrs = append(c.envErrs, fmt.Errorf("%s=%q is not a duration (such as 30s)", name, v))
		return def
	}
	return d
}

// flags registers the settings on fs, with the environment as defaults.
func (c *config) flags(fs *flag.FlagSet, server bool) {
	fs.StringVar(&c.DataDir, "data", env("ATRIUM_DATA", "./data"), "data `folder` (ATRIUM_DATA)")
	fs.StringVar(&c.DatabaseURL, "database-url", env("ATRIUM_DATABASE_URL", ""), "database `URL` (ATRIUM_DATABASE_URL); empty means SQLite in the data folder")
	fs.StringVar(&c.StorageURL, "storage-url", env("ATRIUM_STORAGE_URL", ""), "file storage: a `folder` or s3://BUCKET/PREFIX?endpoint=URL&region=R&path_style=true (ATRIUM_STORAGE_URL); empty means DATA/files")
	fs.StringVar(&c.BaseURL, "base-url", env("ATRIUM_BASE_URL", "http://localhost:8080"), "public `URL` for client links (ATRIUM_BASE_URL)")
	c.Secret = os.Getenv("ATRIUM_SECRET")
	if server {
		fs.StringVar(&c.Addr, "addr", env("ATRIUM_ADDR", ":8080"), "listen `address` (ATRIUM_ADDR)")
		fs.StringVar(&c.TrustedProxies, "trusted-proxies", env("ATRIUM_TRUSTED_PROXIES", ""), "comma-separated proxy IPs/CIDRs (ATRIUM_TRUSTED_PROXIES)")
		fs.IntVar(&c.MaxUploadMB, "max-upload-mb", c.envInt("ATRIUM_MAX_UPLOAD_MB", 200), "largest upload in MB (ATRIUM_MAX_UPLOAD_MB)")
		fs.IntVar(&c.DecodeMemoryMB, "decode-memory-mb", c.envInt("ATRIUM_DECODE_MEMORY_MB", 1024), "memory image decodes may hold at once, in MB (ATRIUM_DECODE_MEMORY_MB)")
		fs.IntVar(&c.LoginLimit, "login-limit", c.envInt("ATRIUM_LOGIN_LIMIT", 10), "failed sign-ins per minute per IP; per account half plus one (ATRIUM_LOGIN_LIMIT)")
		fs.IntVar(&c.LookupLimit, "lookup-limit", c.envInt("ATRIUM_LOOKUP_LIMIT", 20), "failed link lookups per minute per IP (ATRIUM_LOOKUP_LIMIT)")
		fs.IntVar(&c.MaxConnsPerIP, "max-conns-per-ip", c.envInt("ATRIUM_MAX_CONNS_PER_IP", 100), "open connections per client IP (ATRIUM_MAX_CONNS_PER_IP)")
		fs.IntVar(&c.MaxStreamsIP, "max-streams-per-ip", c.envInt("ATRIUM_MAX_STREAMS_PER_IP", 16), "open live-update streams per client IP (ATRIUM_MAX_STREAMS_PER_IP)")
		fs.IntVar(&c.MaxStreams, "max-streams", c.envInt("ATRIUM_MAX_STREAMS", 1000), "open live-update streams on this instance (ATRIUM_MAX_STREAMS)")
		fs.StringVar(&c.SMTPURL, "smtp-url", env("ATRIUM_SMTP_URL", ""), "mail server `URL`, smtp:// or smtps:// (ATRIUM_SMTP_URL)")
		fs.StringVar(&c.MailFrom, "mail-from", env("ATRIUM_MAIL_FROM", ""), "sender `address` of all mail (ATRIUM_MAIL_FROM)")
		fs.StringVar(&c.LogLevel, "log-level", env("ATRIUM_LOG_LEVEL", "info"), "debug, info, warn or error (ATRIUM_LOG_LEVEL)")
		fs.IntVar(&c.AccessLogDays, "access-log-days", c.envInt("ATRIUM_ACCESS_LOG_DAYS", 400), "days access log rows are kept, 0 for ever (ATRIUM_ACCESS_LOG_DAYS)")
		fs.BoolVar(&c.AnonymizeIPs, "anonymize-ips", c.envBool("ATRIUM_ANONYMIZE_IPS", false), "store client IPv4 as /24 and IPv6 as /48 (ATRIUM_ANONYMIZE_IPS)")
		fs.DurationVar(&c.ShutdownTimeout, "shutdown-timeout", c.envDuration("ATRIUM_SHUTDOWN_TIMEOUT", 30*time.Second), "how long requests in flight may take to finish on SIGTERM (ATRIUM_SHUTDOWN_TIMEOUT)")
	}
}

// newFlagSet makes a command's flag set with a usage text that lists the
// environment too.
func newFlagSet(name, synopsis string, out io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(out)
	fs.Usage = func() {
		fmt.Fprintf(out, "Usage: atrium %s\n\nFlags:\n", synopsis)
		fs.PrintDefaults()
		fmt.Fprint(out, envHelp)
	}
	return fs
}

func (c *config) logger(w io.Writer) *slog.Logger {
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.LogLevel)); err != nil {
		level = slog.LevelInfo
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level}))
}

// openStore opens and migrates the database.
func (c *config) openStore(ctx context.Context) (*store.Store, error) {
	st, err := store.Open(ctx, c.DatabaseURL, c.DataDir)
	if err != nil {
		return nil, err
	}
	if err := st.Migrate(ctx); err != nil {
		st.Close()
		return nil, err
	}
	return st, nil
}

// storageSetting names the setting in errors about it.
const storageSetting = "ATRIUM_STORAGE_URL (--storage-url)"

// openData opens the database and the file storage, what serve, demo and
// storage sweep all start with; on an error nothing is left open.
func (c *config) openData(ctx context.Context) (*store.Store, files.Storage, error) {
	st, err := c.openStore(ctx)
	if err != nil {
		return nil, nil, err
	}
	fstore, err := c.openFiles()
	if err != nil {
		st.Close()
		return nil, nil, err
	}
	return st, fstore, nil
}

// openFiles opens the file storage ATRIUM_STORAGE_URL names: a local
// folder, or an S3 bucket, which must answer a probe write at once (a
// wrong bucket, endpoint or key fails here, not at the first upload).
func (c *config) openFiles() (files.Storage, error) {
	if strings.HasPrefix(c.StorageURL, "s3://") {
		cfg, err := files.ParseS3URL(c.StorageURL)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", storageSetting, err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		st, err := files.NewS3(ctx, cfg)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", storageSetting, err)
		}
		if err := st.Ping(ctx); err != nil {
			return nil, fmt.Errorf("%s: bucket %s does not take writes (check the bucket, endpoint, region and the AWS_* credentials): %w", storageSetting, cfg.Bucket, err)
		}
		return st, nil
	}
	dir, err := c.storageDir()
	if err != nil {
		return nil, err
	}
	return files.NewLocal(dir)
}

// storageDir is the local folder that ATRIUM_STORAGE_URL names, or "" for
// an S3 bucket.
func (c *config) storageDir() (string, error) {
	dir := c.StorageURL
	switch {
	case dir == "":
		dir = filepath.Join(c.DataDir, "files")
	case strings.HasPrefix(dir, "s3://"):
		return "", nil
	case strings.HasPrefix(dir, "file://"):
		dir = strings.TrimPrefix(dir, "file://")
		if dir == "" {
			return "", fmt.Errorf("%s: file:// names no folder", storageSetting)
		}
	case strings.Contains(dir, "://"):
		scheme, _, _ := strings.Cut(dir, "://")
		return "", fmt.Errorf("%s: %s:// is not supported: give a folder, file://FOLDER or s3://BUCKET/PREFIX?endpoint=URL&region=R&path_style=true", storageSetting, scheme)
	}
	return dir, nil
}

// loadSecret returns ATRIUM_SECRET, or the secret in DATA/secret, creating
// it (32 random bytes, mode 0600) on first use. It never lives in the
// database: a copy of the database alone opens no client portal.
func (c *config) loadSecret() ([]byte, error) {
	if c.Secret != "" {
		if len(c.Secret) < 32 {
			return nil, errors.New("ATRIUM_SECRET must be at least 32 characters")
		}
		return []byte(c.Secret), nil
	}
	path := filepath.Join(c.DataDir, "secret")
	if b, err := os.ReadFile(path); err == nil {
		s := strings.TrimSpace(string(b))
		if len(s) < 32 {
			return nil, fmt.Errorf("%s is too short: delete it to generate a new one (all client links change)", path)
		}
		return []byte(s), nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("read secret: %w", err)
	}
	if err := os.MkdirAll(c.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("data folder: %w", err)
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return nil, err
	}
	secret := hex.EncodeToString(raw)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		if errors.Is(err, os.ErrExist) { // another process won the race
			return c.loadSecret()
		}
		return nil, fmt.Errorf("write secret: %w", err)
	}
	if _, err := f.WriteString(secret + "\n"); err != nil {
		f.Close()
		return nil, fmt.Errorf("write secret: %w", err)
	}
	if err := f.Close(); err != nil {
		return nil, fmt.Errorf("write secret: %w", err)
	}
	return []byte(secret), nil
}

// webConfig builds the server's configuration.
func (c *config) webConfig(secret []byte) (web.Config, error) {
	if err := errors.Join(c.envErrs...); err != nil {
		return web.Config{}, err
	}
	var proxies []netip.Prefix
	for _, p := range strings.Split(c.TrustedProxies, ",") {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		if !strings.Contains(p, "/") {
			a, err := netip.ParseAddr(p)
			if err != nil {
				return web.Config{}, fmt.Errorf("ATRIUM_TRUSTED_PROXIES: %q is not an IP or CIDR", p)
			}
			proxies = append(proxies, netip.PrefixFrom(a, a.BitLen()))
			continue
		}
		pref, err := netip.ParsePrefix(p)
		if err != nil {
			return web.Config{}, fmt.Errorf("ATRIUM_TRUSTED_PROXIES: %q is not an IP or CIDR", p)
		}
		proxies = append(proxies, pref)
	}
	// A limit of 0 is not "no limit": say so rather than use the default.
	for _, l := range []struct {
		name     string
		v, limit int
	}{
		{"ATRIUM_MAX_UPLOAD_MB (--max-upload-mb)", c.MaxUploadMB, 1 << 20},
		{"ATRIUM_DECODE_MEMORY_MB (--decode-memory-mb)", c.DecodeMemoryMB, 1 << 20},
		{"ATRIUM_MAX_CONNS_PER_IP (--max-conns-per-ip)", c.MaxConnsPerIP, 1 << 20},
		{"ATRIUM_MAX_STREAMS_PER_IP (--max-streams-per-ip)", c.MaxStreamsIP, 1 << 20},
		{"ATRIUM_MAX_STREAMS (--max-streams)", c.MaxStreams, 1 << 24},
	} {
		if l.v <= 0 || l.v > l.limit {
			return web.Config{}, fmt.Errorf("%s must be a whole number from 1 to %d, not %d", l.name, l.limit, l.v)
		}
	}
	if c.ShutdownTimeout < time.Second || c.ShutdownTimeout > time.Hour {
		return web.Config{}, fmt.Errorf("ATRIUM_SHUTDOWN_TIMEOUT (--shutdown-timeout) must be from 1s to 1h, not %v", c.ShutdownTimeout)
	}
	// 0 is a clear "keep for ever"; anything else is at least a day and
	// at most a hundred years.
	if c.AccessLogDays < 0 || c.AccessLogDays > 36500 {
		return web.Config{}, fmt.Errorf("ATRIUM_ACCESS_LOG_DAYS (--access-log-days) must be 0 (keep for ever) or a whole number of days from 1 to 36500, not %d", c.AccessLogDays)
	}
	tmp := filepath.Join(c.DataDir, "tmp")
	if err := os.MkdirAll(tmp, 0o700); err != nil {
		return web.Config{}, fmt.Errorf("temp folder: %w", err)
	}
	return web.Config{
		BaseURL:         c.BaseURL,
		TempDir:         tmp,
		Secret:          secret,
		MaxUploadBytes:  int64(c.MaxUploadMB) << 20,
		DecodeMemory:    int64(c.DecodeMemoryMB) << 20,
		TrustedProxies:  proxies,
		LoginPerMinute:  c.LoginLimit,
		LookupPerMinute: c.LookupLimit,
		MaxConnsPerIP:   c.MaxConnsPerIP,
		MaxStreamsPerIP: c.MaxStreamsIP,
		MaxStreams:      c.MaxStreams,
		SessionIdle:     12 * time.Hour,
		SessionAbsolute: 14 * 24 * time.Hour,
	}.Defaults(), nil
}

// mailConfig checks the mail settings: none (no mail server), or a server
// URL and a sender address together.
func (c *config) mailConfig(base mail.Config) (mail.Config, error) {
	if c.SMTPURL == "" {
		if c.MailFrom != "" {
			return base, errors.New("ATRIUM_MAIL_FROM is set but ATRIUM_SMTP_URL is not: set both to send mail, or neither")
		}
		return base, nil
	}
	srv, err := mail.ParseServer(c.SMTPURL)
	if err != nil {
		return base, err
	}
	if c.MailFrom == "" {
		return base, errors.New("ATRIUM_SMTP_URL is set but ATRIUM_MAIL_FROM is not: name the sender address")
	}
	from, err := mail.ParseFrom(c.MailFrom)
	if err != nil {
		return base, err
	}
	base.Server, base.From = srv, from
	return base, nil
}
