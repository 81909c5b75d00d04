// Package model holds GraphQL types that are not ent entities; gqlgen
// generates models_gen.go here.
package model
