package gateway

// NodeChannel exposes a node's channel name to tests.
func NodeChannel(r *Router, node string) string { return r.nodeChannel(node) }
