package web

import (
	"strings"
	"sync"

	"github.com/medama-io/go-useragent"
	"github.com/medama-io/go-useragent/agents"

	"atrium/internal/studio"
)

// uaParser reads user agents for staff (docs/DECISIONS.md, readable user
// agents): built once, on first use, since building it costs a few ms.
var uaParser = sync.OnceValue(useragent.NewParser)

// readableAgent words a User-Agent header for the access log: "Safari 17
// on iPhone", "Chrome 120 on Windows", "Link preview (Slackbot)". What the
// parser does not know is shown as "Other" (the raw header is on hover).
func readableAgent(ua string) string {
	ua = strings.TrimSpace(ua)
	if ua == "" {
		return "Unknown"
	}
	if studio.IsPreviewAgent(ua) {
		return "Link preview (" + previewName(ua) + ")"
	}
	a := uaParser().Parse(ua)
	browser := string(a.Browser())
	if browser != "" {
		if v := a.BrowserVersionMajor(); v != "" && v != "0" {
			browser += " " + v
		}
	}
	var on string
	switch os, dev := a.OS(), a.Device(); {
	case os == agents.OSIOS && dev == agents.DeviceTablet:
		on = "iPad"
	case os == agents.OSIOS:
		on = "iPhone"
	case os == agents.OSMacOS:
		on = "Mac"
	case os == agents.OSAndroid && dev == agents.DeviceTablet:
		on = "Android tablet"
	case os == agents.OSAndroid:
		on = "Android phone"
	default:
		on = string(os)
	}
	switch {
	case browser != "" && on != "":
		return browser + " on " + on
	case browser != "":
		return browser
	case on != "":
		return "A browser on " + on
	}
	return "Other"
}

// previewName is a bot's product token: "Slackbot-LinkExpanding 1.0"
// gives "Slackbot-LinkExpanding", "Mozilla/5.0 (compatible; Discordbot/2.0;
// ...)" gives "Discordbot".
func previewName(ua string) string {
	for _, field := range strings.FieldsFunc(ua, func(r rune) bool { return r == ' ' || r == ';' || r == '(' || r == ')' }) {
		name, _, _ := strings.Cut(field, "/")
		if name == "" || strings.EqualFold(name, "Mozilla") || strings.EqualFold(name, "compatible") {
			continue
		}
		if studio.IsPreviewAgent(name) {
			return name
		}
	}
	name, _, _ := strings.Cut(strings.Fields(ua)[0], "/")
	return name
}
