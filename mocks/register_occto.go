package mocks

import "github.com/upmock/upmock/mocks/occto"

func init() { register(occto.API{}) }
