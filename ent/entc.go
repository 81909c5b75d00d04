//go:build ignore

// entc.go generates ent's code and the GraphQL schema of the entities.
// Run it with `make generate` (go generate ./ent from the repository root).
package main

import (
	"log"
	"os"

	"entgo.io/contrib/entgql"
	"entgo.io/ent/entc"
	"entgo.io/ent/entc/gen"
)

func main() {
	// Paths are relative to the repository root; generate.go runs us there.
	root := "."
	if len(os.Args) > 1 {
		root = os.Args[1]
	}
	ex, err := entgql.NewExtension(
		entgql.WithSchemaGenerator(),
		entgql.WithSchemaPath(root+"/graph/schema/ent.graphqls"),
		entgql.WithConfigPath(root+"/gqlgen.yml"),
		entgql.WithWhereInputs(true),
		entgql.WithRelaySpec(true),
	)
	if err != nil {
		log.Fatalf("entgql extension: %v", err)
	}
	err = entc.Generate(root+"/ent/schema", &gen.Config{
		Target:  root + "/ent",
		Package: "github.com/pushd/pushd/ent",
		Features: []gen.Feature{
			gen.FeatureIntercept,
			gen.FeatureUpsert,
			gen.FeatureExecQuery,
			gen.FeatureModifier,
			gen.FeatureLock,
		},
		Templates: append(entgql.AllTemplates,
			gen.MustParse(gen.NewTemplate("nodeid").ParseFiles(root+"/ent/template/nodeid.tmpl"))),
	}, entc.Extensions(ex))
	if err != nil {
		log.Fatalf("ent codegen: %v", err)
	}
}
