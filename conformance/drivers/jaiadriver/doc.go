// Package jaiadriver is the conformance driver for the JAIA code database built on the
// reference client, conformance/clients/jaiaclient: a driver.Handler for the `configure` and
// `jaia.*` ops of conformance/DRIVER.md. The reference driver's main serves it as is; the
// broken driver passes options that sabotage exactly one rule (see cmd jaia-broken), and Go
// tests can run it in process with driver.InProcess(NewHandler()).
package jaiadriver
