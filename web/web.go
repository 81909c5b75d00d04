// Package web serves the console: the built single-page app in web/dist,
// embedded into the binary, with an SPA fallback and a strict Content
// Security Policy. The TypeScript sources next to this file build into
// web/dist (npm run build); without a build, pushd serves a page that says
// how to make one, so `go build ./...` and the Go tests need no npm.
package web

import (
	"embed"
	"io/fs"
	"net/http"
	"path"
	"strings"
)

//go:embed all:dist
var dist embed.FS

// CSP allows only what the console itself serves: no CDN, no remote font,
// no inline script; the GraphQL WebSocket is same-origin.
const CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
	"font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// Handler serves the console from fsys (the embedded build when nil).
// Paths with a file extension are files (404 when missing); every other
// path is a page of the app and gets index.html, so deep links work.
func Handler(fsys fs.FS) http.Handler {
	if fsys == nil {
		sub, _ := fs.Sub(dist, "dist") // cannot fail: dist is embedded
		fsys = sub
	}
	index, err := fs.ReadFile(fsys, "index.html")
	built := err == nil
	files := http.FileServerFS(fsys)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", CSP)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		if !built {
			h.Set("Content-Type", "text/html; charset=utf-8")
			h.Set("Cache-Control", "no-store")
			w.WriteHeader(http.StatusOK)
			_, _ = w.Write([]byte(notBuilt))
			return
		}
		p := path.Clean("/" + r.URL.Path)
		if path.Ext(p) == "" || p == "/index.html" {
			h.Set("Content-Type", "text/html; charset=utf-8")
			h.Set("Cache-Control", "no-cache")
			_, _ = w.Write(index)
			return
		}
		if strings.HasPrefix(p, "/assets/") {
			// Vite names assets by their content hash.
			h.Set("Cache-Control", "public, max-age=31536000, immutable")
		}
		files.ServeHTTP(w, r)
	})
}

const notBuilt = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>pushd</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; line-height: 1.5">
<h1>pushd</h1>
<p>The web console is not built into this binary. Build it and pushd again with</p>
<pre>make console build</pre>
<p>(or just <code>make run</code>, which builds it when needed; it needs Node.js and npm).
The GraphQL API is at <code>/graphql</code>, the device API at <code>/device/v1</code>.</p>
</body></html>
`
