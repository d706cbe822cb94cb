// Package naccsdriver is the conformance driver for CyberPort's NACCS integration, built on
// the reference client conformance/clients/naccsclient: a driver.Handler for `configure` and
// the `naccs.*` ops of conformance/DRIVER.md. Configure starts the client's webhook receiver
// on 127.0.0.1:0 and registers its URL as the organisation's webhook; the ops report what
// the receiver got and verified. The reference driver's main serves it as is; the broken
// driver passes options that sabotage exactly one rule (cmd naccs-broken).
package naccsdriver
