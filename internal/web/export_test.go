package web

import "atrium/internal/httpx"

// Hooks for the black-box tests (package web_test).

// AdminAssets is the admin UI's embedded static files.
func AdminAssets() *httpx.Assets { return staticAssets }
