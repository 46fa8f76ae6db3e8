package web

import "testing"

func TestReadableAgent(t *testing.T) {
	cases := map[string]string{
		"Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1": "Safari 17 on iPhone",
		"Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1":          "Safari 16 on iPad",
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36":                         "Chrome 120 on Windows",
		"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Safari/605.1.15":                   "Safari 17 on Mac",
		"Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0":                                                                  "Firefox 121 on Linux",
		"Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.144 Mobile Safari/537.36":              "Chrome 120 on Android phone",
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.2210.91":       "Edge 120 on Windows",
		"Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)":                                                                              "Link preview (Slackbot-LinkExpanding)",
		"Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)":                                                                       "Link preview (Discordbot)",
		"WhatsApp/2.23.20.0 A": "Link preview (WhatsApp)",
		"":                     "Unknown",
		"curl/8.5.0":           "Other",
	}
	for ua, want := range cases {
		if got := readableAgent(ua); got != want {
			t.Errorf("readableAgent(%q) = %q, want %q", ua, got, want)
		}
	}
}
