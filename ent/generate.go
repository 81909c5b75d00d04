// Package ent is generated from ent/schema by ent/entc.go; only schema/,
// template/, entc.go and this file are hand-written.
package ent

//go:generate sh -c "cd .. && go run -mod=mod ./ent/entc.go"
