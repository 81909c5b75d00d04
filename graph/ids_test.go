package graph_test

import "github.com/pushd/pushd/ent/schema/nodeid"

func idOf(s string) nodeid.ID { return nodeid.ID(s) }
