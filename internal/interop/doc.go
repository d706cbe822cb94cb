// Package interop drives the mocks with widely used client libraries, unchanged, the way a
// user's code would: golang.org/x/oauth2/jwt against Maskinporten and
// golang.org/x/oauth2/clientcredentials against NACCS. Its tests are the point; it exports
// nothing.
package interop
