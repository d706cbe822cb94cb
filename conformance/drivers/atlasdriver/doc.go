// Package atlasdriver is the conformance driver for ATLAS-Things built on the reference
// client, conformance/clients/atlasclient: a driver.Handler for the `configure` and
// `atlas.*` ops of conformance/DRIVER.md. The reference driver's main serves it as is; the
// broken driver passes options that sabotage exactly one rule (see cmd atlas-broken), and
// Go tests can run it in process with driver.InProcess(NewHandler()).
package atlasdriver
