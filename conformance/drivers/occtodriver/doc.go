// Package occtodriver is the conformance driver for OCCTO's outage-plan WebAPI built on the
// reference client, conformance/clients/occtoclient: a driver.Handler for the `configure`
// and `occto.*` ops of conformance/DRIVER.md. The reference driver's main serves it as is;
// the broken driver passes options that sabotage exactly one rule (see cmd occto-broken),
// and Go tests run it in process with driver.InProcess(NewHandler()).
package occtodriver
