// Package jaia is the mock of the JAIA コードデータベースシステム API (manual 1.9.0,
// ../shared/seeds/004_13d819b0319e93fd.txt; digest ../shared/digests/jaia.md).
//
// One engine serves all 58 APIs from a catalogue kept as data (fixtures/jaia/catalogue.json,
// generated from the digest by specs/jaia/tools/gen_catalogue.py): the eight masters, their
// fields, search columns and keys; the message catalogue (fixtures/jaia/messages.json) and the
// code master (fixtures/jaia/codes.json). The catalogue, messages and codes are always read from
// the embedded fixtures (they are the upstream's definition); seed.json (companies, users) comes
// from the session's fixture directory when one is given.
//
// Deliberate divergences and every decision where the manual is silent or contradicts itself
// are in specs/jaia/NOTES.md.
package jaia
