package core

import (
	"embed"
	"io/fs"
	"net/http"
	"path"
	"strings"
)

// consoleAssets is the web console: plain HTML, CSS and JavaScript, no build step and no
// network, so the binary alone serves it (GET /__upmock/ui/).
//
//go:embed console/*.html console/*.js console/*.css
var consoleAssets embed.FS

var consoleFS = func() fs.FS {
	sub, err := fs.Sub(consoleAssets, "console")
	if err != nil {
		panic(err) // the embedded directory is part of the build
	}
	return sub
}()

// serveConsole answers the console's static files. They hold no data and no secret, so they
// are served without the control token: the page asks for the token and sends it with every
// data request, which the control API checks as for any other client.
func serveConsole(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(r.URL.Path, "/__upmock/ui")
	name = strings.TrimPrefix(path.Clean("/"+name), "/")
	if name == "" {
		name = "index.html"
	}
	body, err := fs.ReadFile(consoleFS, name)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("Content-Type", consoleContentType(name))
	h.Set("Cache-Control", "no-cache")
	// No other site may frame the page (clickjacking the controls).
	h.Set("Content-Security-Policy", "frame-ancestors 'self'")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}

func consoleContentType(name string) string {
	switch path.Ext(name) {
	case ".html":
		return "text/html; charset=utf-8"
	case ".js":
		return "text/javascript; charset=utf-8"
	case ".css":
		return "text/css; charset=utf-8"
	case ".svg":
		return "image/svg+xml"
	}
	return "application/octet-stream"
}
