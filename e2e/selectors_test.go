package e2e

// The DOM contract the browser tests rely on, in one place. Each selector
// prefers a data-testid and falls back to what the page's semantics imply,
// so that a markup change breaks one line here rather than every test.

// Client page (/client-progress/{token}).
const (
	// A gallery thumbnail that opens the full-screen viewer.
	selThumb = `[data-testid="gallery-thumb"], .gallery .tile__link`
	// The full-resolution download link of a rendering (clientDownload in
	// docs/openapi.yaml).
	selDownload = `[data-testid="download"], a[href*="/download/"]`
	// The full-screen viewer, once open.
	selViewer = `[data-testid="viewer"], dialog, [role="dialog"]`
	// The banner that says the link stopped working (SSE "gone"): an alert
	// under the masthead. Not #notice, the toast (role=status) that any
	// live update shows for a few seconds.
	selGone = `[data-testid="notice"][role="alert"]:not(#notice), .gone[role="alert"]`
	// What the gone banner says (portal.js gone()).
	goneText = "This link is no longer active."
	// The toast of a live update (portal.js announce()).
	selToast = `#notice[role="status"]`
)

// Admin UI.
const (
	selLoginEmail    = `form[action="/login"] input[name="email"]`
	selLoginPassword = `form[action="/login"] input[name="password"]`
	selLoginSubmit   = `form[action="/login"] [type="submit"]`

	// The new-project form on /admin (field names of createProject in docs/openapi.yaml).
	selProjectName   = `form[action="/admin/projects"] input[name="name"]`
	selProjectClient = `form[action="/admin/projects"] input[name="clientName"]`
	selProjectSubmit = `form[action="/admin/projects"] [type="submit"]`

	// The new-room form on /admin/projects/{id}.
	selRoomName   = `form[action$="/rooms"] input[name="name"]`
	selRoomSubmit = `form[action$="/rooms"] [type="submit"]`

	// Hiding, ordering and deleting (admin_part_manage.html): the add-room
	// form's "Keep hidden" checkbox, a room's Hide/Show button, a
	// rendering's Up button, the project deletion form.
	selRoomHidden          = `form[action$="/rooms"] input[name="hidden"]`
	selRoomVisibility      = `form[action$="/visibility"] button`
	selMoveUp              = `form[action$="/move"] button[value="up"]`
	selDeleteProjectName   = `#delete-project input[name="name"]`
	selDeleteProjectSubmit = `#delete-project button[type="submit"]`

	// The rendering upload form, the title of a chosen file (one row of the
	// batch list, drawn by admin.js) and its progress bar.
	selUploadFile     = `form[data-upload] input[type="file"]`
	selUploadTitle    = `form[data-upload] .upload-item input[type="text"]`
	selUploadSubmit   = `form[data-upload] [type="submit"]`
	selUploadProgress = `form[data-upload] progress`

	// A rendering of the project page: li#rendering-{id} holding its title
	// in an h3 and a status form whose Approve button is value=approved.
	selRenderingItem = `li[id^="rendering-"]`
	selApprove       = `button[value="approved"]`

	// The Client access panel: the generate form and its links, each an
	// li#link-{id} holding the URL in a read-only input, a [data-copy]
	// button and a deactivate form.
	selLinkLabel      = `#access form[data-link-form] input[name="label"]`
	selLinkSubmit     = `#access form[data-link-form] [type="submit"]`
	selLinkItem       = `#access li[id^="link-"]`
	selLinkURL        = `input[readonly][value*="/client-progress/"]`
	selLinkCopy       = `[data-copy]`
	selLinkDeactivate = `form[action$="/deactivate"] [type="submit"]`
	// The server's own confirmation page, when the script's confirm() is not there.
	selConfirmSubmit = `form:has(input[name="confirmed"]) [type="submit"]`
)

// JavaScript that finds the first visible element of a selector list.
const jsVisible = `((sel) => [...document.querySelectorAll(sel)].find(e => {
	if (e.tagName === "DIALOG" && !e.open) return false;
	const r = e.getBoundingClientRect(), cs = getComputedStyle(e);
	return r.width > 0 && r.height > 0 && cs.visibility !== "hidden" && cs.display !== "none" && cs.opacity !== "0";
}) || null)`
