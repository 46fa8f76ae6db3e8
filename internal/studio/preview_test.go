package studio

import "testing"

func TestIsPreviewAgent(t *testing.T) {
	bots := map[string]string{
		"Slackbot":            "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
		"Slack image proxy":   "Slack-ImgProxy (+https://api.slack.com/robots)",
		"facebookexternalhit": "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
		"WhatsApp":            "WhatsApp/2.23.20.0 A",
		"WhatsApp iOS":        "WhatsApp/2.24.6.77 i",
		"Twitterbot":          "Twitterbot/1.0",
		"TelegramBot":         "TelegramBot (like TwitterBot)",
		"Discordbot":          "Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)",
		"LinkedInBot":         "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)",
		"Applebot":            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/13.1.1 Safari/605.1.15 (Applebot/0.1; +http://www.apple.com/go/applebot)",
		"Googlebot":           "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
		"Googlebot smartphone": "Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) " +
			"Chrome/120.0.6099.71 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
		"bingbot":         "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
		"SkypeUriPreview": "Mozilla/5.0 (Windows NT 6.1; WOW64) SkypeUriPreview Preview/0.5 skype-url-preview@microsoft.com",
		"Mastodon":        "http.rb/5.1.1 (Mastodon/4.1.2; +https://mastodon.social/)",
		"Pinterest":       "Mozilla/5.0 (compatible; Pinterestbot/1.0; +http://www.pinterest.com/bot.html)",
	}
	for name, ua := range bots {
		if !IsPreviewAgent(ua) {
			t.Errorf("%s (%q) is not taken for a preview bot", name, ua)
		}
	}
	people := map[string]string{
		"none":              "",
		"Safari on iPhone":  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1",
		"Chrome on Windows": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
		"Firefox on Linux":  "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0",
		"Facebook in-app":   "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/441.0.0.23.105;FBBV/540000000]",
		"LinkedIn in-app":   "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [LinkedInApp]/9.29.8",
		"Headless Chrome":   "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.0.0 Safari/537.36",
		"Go test client":    "Go-http-client/1.1",
	}
	for name, ua := range people {
		if IsPreviewAgent(ua) {
			t.Errorf("%s (%q) is taken for a preview bot", name, ua)
		}
	}
}

func TestCountedAction(t *testing.T) {
	const safari = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1"
	cases := []struct{ action, method, ua, want string }{
		{ActionView, "GET", safari, ActionView},
		{ActionView, "HEAD", safari, ActionPreview},
		{ActionAPI, "HEAD", safari, ActionPreview},
		{ActionDownload, "HEAD", safari, ActionPreview},
		{ActionView, "GET", "Twitterbot/1.0", ActionPreview},
		{ActionAPI, "GET", "WhatsApp/2.23.20.0 A", ActionPreview},
		{ActionDownload, "GET", "Slackbot 1.0 (+https://api.slack.com/robots)", ActionPreview},
		{ActionDenied, "GET", "Twitterbot/1.0", ActionDenied},
		{ActionFeedback, "POST", "Twitterbot/1.0", ActionFeedback},
	}
	for _, c := range cases {
		if got := CountedAction(c.action, c.method, c.ua); got != c.want {
			t.Errorf("CountedAction(%s, %s, %q) = %s, want %s", c.action, c.method, c.ua, got, c.want)
		}
	}
}

func TestAnonymizeIP(t *testing.T) {
	cases := map[string]string{
		"203.0.113.77":               "203.0.113.0",
		"10.1.2.3":                   "10.1.2.0",
		"::ffff:198.51.100.9":        "198.51.100.0",
		"2001:db8:1234:5678::1":      "2001:db8:1234::",
		"2001:db8:abcd:ffff:1:2:3:4": "2001:db8:abcd::",
		"fe80::1%eth0":               "fe80::",
		"::1":                        "::",
		"not an address":             "not an address",
	}
	for in, want := range cases {
		if got := AnonymizeIP(in); got != want {
			t.Errorf("AnonymizeIP(%q) = %q, want %q", in, got, want)
		}
	}
}
