package mocks

import "github.com/upmock/upmock/mocks/atlas"

func init() { register(atlas.API{}) }
