package mocks

import "github.com/upmock/upmock/mocks/jaia"

func init() { register(jaia.API{}) }
