package studio

import (
	"net/netip"
	"strings"
)

// previewAgents are the user-agent marks of link-preview bots and
// crawlers: a chat app unfurling a pasted link, a search engine indexing
// it. Their requests are logged as ActionPreview and never count as a
// client's view, data load, download or visitor. Matched as lower-case
// substrings of the User-Agent header; the test table holds each bot's
// real header.
var previewAgents = []string{
	"slackbot",            // Slack unfurls (Slackbot-LinkExpanding, Slack-ImgProxy)
	"slack-imgproxy",      // Slack's image proxy
	"facebookexternalhit", // Facebook, Messenger, Instagram
	"facebookcatalog",     // Facebook
	"meta-externalagent",  // Meta
	"whatsapp",            // WhatsApp
	"twitterbot",          // X (Twitter)
	"telegrambot",         // Telegram
	"discordbot",          // Discord
	"linkedinbot",         // LinkedIn
	"applebot",            // iMessage previews, Spotlight, Siri
	"googlebot",           // Google search
	"google-inspectiontool",
	"googleother",
	"bingbot",          // Bing search
	"bingpreview",      // Bing's and Teams' previews
	"skypeuripreview",  // Skype, Teams
	"microsoftpreview", // Outlook, Teams
	"msnbot",
	"yandexbot",
	"duckduckbot",
	"baiduspider",
	"pinterestbot",
	"redditbot",
	"embedly",
	"mastodon", // Mastodon instances fetching a link card
	"vkshare",  // VK
	"iframely",
	"outbrain",
	"zoominfobot",
	"petalbot",
	"ahrefsbot",
	"semrushbot",
	"mj12bot",
	"dotbot",
	"gptbot",
	"chatgpt-user",
	"claudebot",
	"perplexitybot",
	"bytespider",
}

// IsPreviewAgent reports whether a User-Agent header is a link-preview
// bot's or a crawler's. An empty header is not one: a client behind a
// privacy tool may send none.
func IsPreviewAgent(ua string) bool {
	if ua == "" {
		return false
	}
	l := strings.ToLower(ua)
	for _, m := range previewAgents {
		if strings.Contains(l, m) {
			return true
		}
	}
	return false
}

// CountedAction is the action to log for a client request that would be
// logged as action: a link preview (a bot's user agent, or a HEAD
// request, which fetches no page anyone reads) is logged as ActionPreview
// instead of a view, data load or download, so that it counts as no use.
// Other actions (a refusal, feedback) are kept as they are.
func CountedAction(action, method, ua string) string {
	switch action {
	case ActionView, ActionAPI, ActionDownload:
		if method == "HEAD" || IsPreviewAgent(ua) {
			return ActionPreview
		}
	}
	return action
}

// DayUse is a link's uses on one UTC day (YYYY-MM-DD), from the daily
// rollup: page views, data loads (the JSON, which the page itself also
// fetches), downloads, and link previews (bots, HEAD), which count as none.
type DayUse struct {
	Day                               string
	Views, Loads, Downloads, Previews int64
}

// AnonymizeIP shortens an address to its network: IPv4 to its /24
// ("203.0.113.0"), IPv6 to its /48 ("2001:db8:1::"). What does not parse
// as an address is returned as it is.
func AnonymizeIP(ip string) string {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return ip
	}
	a = a.Unmap().WithZone("")
	bits := 48
	if a.Is4() {
		bits = 24
	}
	p, err := a.Prefix(bits)
	if err != nil {
		return ip
	}
	return p.Addr().String()
}
