package conformance

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"text/template"
	"unicode"
)

//go:embed skeleton/*.tmpl
var skeletons embed.FS

// skeletonFiles are the languages WriteSkeleton knows: the template and the file it writes.
var skeletonFiles = map[string]struct{ template, file string }{
	"python": {"skeleton/driver.py.tmpl", "driver.py"},
	"node":   {"skeleton/driver.mjs.tmpl", "driver.mjs"},
}

// WriteSkeleton writes a driver for api in lang (python or node) into dir: the protocol
// loop, configure, and every op of the API (from Ops) answering "unsupported". It returns the
// file written and refuses to overwrite one.
func WriteSkeleton(lang, api, dir string) (string, error) {
	sk, ok := skeletonFiles[lang]
	if !ok {
		return "", fmt.Errorf("no driver skeleton for %q; choose python or node", lang)
	}
	ops, ok := Ops[api]
	if !ok {
		return "", fmt.Errorf("no ops for API %q; the suite has %s", api, strings.Join(APIs, ", "))
	}
	if dir == "" {
		return "", errors.New("give the directory to write the driver into")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	path := filepath.Join(dir, sk.file)
	type op struct {
		Op
		Func string
	}
	data := struct {
		API, File string
		Ops       []op
	}{API: api, File: path}
	for _, o := range ops {
		data.Ops = append(data.Ops, op{o, snakeCase(strings.TrimPrefix(o.Name, api+"."))})
	}
	tmpl, err := template.ParseFS(skeletons, sk.template)
	if err != nil {
		return "", err
	}
	var buf bytes.Buffer
	if err := tmpl.Execute(&buf, data); err != nil {
		return "", err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o755)
	if err != nil {
		return "", fmt.Errorf("not overwriting: %w", err)
	}
	if _, err := f.Write(buf.Bytes()); err != nil {
		f.Close()
		return "", err
	}
	return path, f.Close()
}

// snakeCase turns an op's name (registerShipping) into a Python method name (register_shipping).
func snakeCase(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.IsUpper(r) {
			b.WriteByte('_')
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}
