// Package ics2nodriver is the conformance driver for Tolletaten's ICS2 API built on the
// reference client, conformance/clients/ics2noclient: a driver.Handler for `configure` and the
// `ics2no.*` ops of conformance/DRIVER.md. The reference driver's main serves it as is; the
// broken driver passes options that sabotage exactly one rule (cmd ics2no-broken), and Go
// tests run it in process with driver.InProcess(NewHandler()).
package ics2nodriver
