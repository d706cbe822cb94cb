package main

import (
	"fmt"
	"net"
	"strconv"
	"strings"
)

// parsePorts reads --port: api=PORT or api=HOST:PORT, comma-separated. A bare port takes the
// host of --listen, so `--listen 127.0.0.1:8080 --port occto=8443` stays on loopback.
func parsePorts(value, listen string) (map[string]string, error) {
	if value == "" {
		return nil, nil
	}
	host, _, err := net.SplitHostPort(listen)
	if err != nil {
		host = "127.0.0.1"
	}
	out := map[string]string{}
	for _, item := range strings.Split(value, ",") {
		api, addr, ok := strings.Cut(strings.TrimSpace(item), "=")
		if !ok || api == "" || addr == "" {
			return nil, fmt.Errorf("--port %q: want api=PORT or api=HOST:PORT, e.g. occto=8443", item)
		}
		if _, dup := out[api]; dup {
			return nil, fmt.Errorf("--port: %s named twice", api)
		}
		if !strings.Contains(addr, ":") {
			if n, err := strconv.Atoi(addr); err != nil || n < 0 || n > 65535 {
				return nil, fmt.Errorf("--port %s=%s: not a port", api, addr)
			}
			addr = net.JoinHostPort(host, addr)
		}
		out[api] = addr
	}
	return out, nil
}
