package jaia_test

import (
	"bytes"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/upmock/upmock/fixtures"
	"github.com/upmock/upmock/mocks/core"
	"github.com/upmock/upmock/mocks/jaia"
)

// fixtureCopy is the embedded jaia/ fixture directory as a writable map.
func fixtureCopy(t *testing.T) fstest.MapFS {
	t.Helper()
	out := fstest.MapFS{}
	err := fs.WalkDir(fixtures.FS, "jaia", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(fixtures.FS, path)
		out[path] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestFixturesDirectoryReplacesTheCatalogue: with --fixtures DIR, JAIA's catalogue.json,
// codes.json and messages.json come from DIR/jaia/ like seed.json; without them it refuses to
// start instead of silently serving the embedded ones.
func TestFixturesDirectoryReplacesTheCatalogue(t *testing.T) {
	t.Run("DIR's messages are answered", func(t *testing.T) {
		dir := fixtureCopy(t)
		msgs := dir["jaia/messages.json"]
		msgs.Data = bytes.Replace(msgs.Data, []byte("CSV のフォーマットが不正です。"), []byte("CSV FORMAT FROM DIR"), 1)
		s, err := core.NewServer(core.Options{APIs: []core.API{jaia.API{}}, Fixtures: dir})
		if err != nil {
			t.Fatal(err)
		}
		srv, err := core.Listen(s, "", nil)
		if err != nil {
			t.Fatal(err)
		}
		defer srv.Close()
		h := &harness{t: t, srv: srv}
		tok := h.login(adminMail, adminPass)
		expect(t, h.importCSV("POST", "/stores/import", tok, adminID, "STORE_IMPORT_CREATE", "jaiaCode\n1\n"), 400, "CSV FORMAT FROM DIR")
	})
	for _, name := range []string{"catalogue.json", "codes.json", "messages.json"} {
		t.Run("without "+name+" it refuses to start", func(t *testing.T) {
			dir := fixtureCopy(t)
			delete(dir, "jaia/"+name)
			_, err := core.NewServer(core.Options{APIs: []core.API{jaia.API{}}, Fixtures: dir})
			if err == nil || !strings.Contains(err.Error(), name) {
				t.Fatalf("NewServer: %v, want an error naming %s", err, name)
			}
		})
	}
	t.Run("a broken catalogue refuses to start", func(t *testing.T) {
		dir := fixtureCopy(t)
		dir["jaia/catalogue.json"] = &fstest.MapFile{Data: []byte(`{"masters": [], "apis": []}`)}
		if _, err := core.NewServer(core.Options{APIs: []core.API{jaia.API{}}, Fixtures: dir}); err == nil {
			t.Fatal("NewServer accepted a catalogue with no APIs")
		}
	})
}
