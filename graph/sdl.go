package graph

import (
	"regexp"
	"strings"

	"github.com/vektah/gqlparser/v2/formatter"

	"github.com/pushd/pushd/graph/generated"
)

// goDirectives matches gqlgen's Go-binding directives (@goModel, @goField,
// …) and their definitions: they say how Go code is generated, not what
// the API is, and clients never see them through introspection.
var goDirectives = regexp.MustCompile(`(?m)^directive @go[A-Za-z]+\(.*\n|\s*@go[A-Za-z]+(\([^)]*\))?`)

// SDL is the whole public schema as one document, as clients see it
// through introspection. The console generates its TypeScript types from
// it (web/schema.graphql, kept current by a test); `pushd schema` prints it.
func SDL() string {
	var b strings.Builder
	f := formatter.NewFormatter(&b, formatter.WithIndent("  "), formatter.WithComments())
	f.FormatSchema(generated.NewExecutableSchema(generated.Config{}).Schema())
	return goDirectives.ReplaceAllString(b.String(), "")
}
