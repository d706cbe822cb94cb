// Package jaia is the mock of the JAIA コードデータベースシステム API (manual 1.9.0,
// ../shared/seeds/004_13d819b0319e93fd.txt; digest ../shared/digests/jaia.md).
//
// One engine serves all 58 APIs from a catalogue kept as data (fixtures/jaia/catalogue.json,
// generated from the digest by specs/jaia/tools/gen_catalogue.py): the eight masters, their
// fields, search columns and keys; the message catalogue (fixtures/jaia/messages.json) and the
// code master (fixtures/jaia/codes.json). They are read, with seed.json (companies, users), from
// the API's fixture directory (the embedded one, or DIR/jaia/ with serve --fixtures DIR).
//
// Deliberate divergences and every decision where the manual is silent or contradicts itself
// are in specs/jaia/NOTES.md.
package jaia
