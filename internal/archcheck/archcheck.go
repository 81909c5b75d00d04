// Package archcheck measures the shape of pushd's hand-written Go and
// holds the architecture tests that keep that shape from getting worse.
//
// Everything here reads source with go/parser and go/ast only, without
// type checking, so the measurements and the tests work on a tree that
// does not compile (several people restructure packages at once). Call
// resolution is therefore by name: a call `x.Send()` or `Send()` is
// taken to reach every function or method named Send declared in the
// same package. That over-approximates edges between files, never
// misses one made by a direct call, and is stated in the report.
//
// Hand-written Go is every .go file of the module except: generated
// files (a "Code generated ... DO NOT EDIT." comment before the package
// clause, which covers ent's output and gqlgen's), graph/generated/,
// graph/model/models_gen.go, files excluded with `//go:build ignore`,
// testdata/, node_modules/, nested modules and, unless asked for,
// _test.go files.
//
// The report, in Markdown on standard output:
//
//	go run ./internal/archcheck/cmd/archstat [-tests] [dir]
//
// prints per package the hand-written lines, files, exported types,
// functions and methods, all methods and the type with the most methods;
// the 25 longest functions and per package how many exceed 50 and 80
// lines; and the file-to-file call cycles inside each package (strongly
// connected components of the "a function in file A calls one declared
// in file B" graph, found with Tarjan's algorithm).
//
// The tests, `go test ./internal/archcheck/`, check the working tree:
//
//   - TestNoVendorNamesOutsideProvider: no push vendor is named in an
//     identifier, string or comment of the packages cmd/pushd links,
//     outside provider/;
//   - TestFunctionSize: no function over 80 lines unless its doc comment
//     (or the line above it) says `long: <reason>`;
//   - TestNoFileCyclesInDomain: no file-to-file call cycle inside push/.
//
// Each has an allowlist of today's exceptions in its test file. An entry
// that no longer matches anything fails the test too, so the lists only
// shrink: fix the code, then delete the entry.
package archcheck
