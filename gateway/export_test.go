package gateway

// NodeChannel exposes a node's channel name to tests.
func NodeChannel(r *Router, node string) string { return r.nodeChannel(node) }

// HoldHandshakes takes every handshake turn of h, as a reconnect storm
// would, until release is called.
func HoldHandshakes(h *Hub) (release func()) {
	for range cap(h.handshakeSlots) {
		h.handshakeSlots <- struct{}{}
	}
	return func() {
		for range cap(h.handshakeSlots) {
			<-h.handshakeSlots
		}
	}
}

// QueuedHandshakes is how many handshakes wait for a batch on h.
func QueuedHandshakes(h *Hub) int { return h.handshakes.Len() }

// HoldBacklogReads takes every backlog turn of h until release is called.
func HoldBacklogReads(h *Hub) (release func()) {
	for range cap(h.backlogSlots) {
		h.backlogSlots <- struct{}{}
	}
	return func() {
		for range cap(h.backlogSlots) {
			<-h.backlogSlots
		}
	}
}

// QueuedResumes is how many resumes wait for a batch on h.
func QueuedResumes(h *Hub) int { return h.resumes.Len() }
