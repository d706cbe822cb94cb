package mocks

import "github.com/upmock/upmock/mocks/naccs"

func init() { register(naccs.API{}) }
