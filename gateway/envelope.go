package gateway

import (
	"encoding/binary"
	"errors"
	"math"

	"github.com/pushd/pushd/ent/schema/nodeid"
)

// The envelope's wire form is length-prefixed binary, not JSON: a node
// decodes thousands of frames per broadcast, and JSON would validate and
// copy every frame once more. Layout: a version byte, then records of a
// kind byte ('F' frame: device, message, frame; 'K' kick: device,
// connection), each field a uvarint length and its bytes. Version 2 ends a
// frame record with a uvarint: the message's expiry in microseconds since
// the Unix epoch (0: none), which the node keeps to record the device's
// ack against the right partition of the history. Nodes read both
// versions and write version 2, so gateways are upgraded before the
// processes that route to them.
const (
	envelopeVersion      = 2
	envelopeVersionNoTTL = 1
)

func appendField(b, f []byte) []byte {
	b = binary.AppendUvarint(b, uint64(len(f)))
	return append(b, f...)
}

func (e envelope) encode() []byte {
	size := 1
	for _, f := range e.Frames {
		size += 1 + 3*binary.MaxVarintLen32 + binary.MaxVarintLen64 + len(f.DeviceID) + len(f.MessageID) + len(f.Frame)
	}
	b := make([]byte, 0, size+64*len(e.Kick))
	b = append(b, envelopeVersion)
	for _, f := range e.Frames {
		b = append(b, 'F')
		b = appendField(b, []byte(f.DeviceID))
		b = appendField(b, []byte(f.MessageID))
		b = appendField(b, f.Frame)
		b = binary.AppendUvarint(b, uint64(max(f.ExpiresAt, 0)))
	}
	for _, k := range e.Kick {
		b = append(b, 'K')
		b = appendField(b, []byte(k.DeviceID))
		b = appendField(b, []byte(k.ConnID))
	}
	return b
}

var errEnvelope = errors.New("gateway: malformed envelope")

func readField(b []byte) (field, rest []byte, err error) {
	n, k := binary.Uvarint(b)
	if k <= 0 || n > uint64(len(b)-k) {
		return nil, nil, errEnvelope
	}
	return b[k : k+int(n)], b[k+int(n):], nil
}

// decodeEnvelope parses an envelope; frames alias b.
func decodeEnvelope(b []byte) (envelope, error) {
	var e envelope
	if len(b) == 0 || (b[0] != envelopeVersion && b[0] != envelopeVersionNoTTL) {
		return e, errEnvelope
	}
	withExpiry := b[0] == envelopeVersion
	b = b[1:]
	for len(b) > 0 {
		kind := b[0]
		b = b[1:]
		var f1, f2 []byte
		var err error
		if f1, b, err = readField(b); err != nil {
			return envelope{}, err
		}
		if f2, b, err = readField(b); err != nil {
			return envelope{}, err
		}
		switch kind {
		case 'F':
			var frame []byte
			if frame, b, err = readField(b); err != nil {
				return envelope{}, err
			}
			r := routed{DeviceID: nodeid.ID(f1), MessageID: nodeid.ID(f2), Frame: frame}
			if withExpiry {
				exp, k := binary.Uvarint(b)
				if k <= 0 || exp > math.MaxInt64 {
					return envelope{}, errEnvelope
				}
				r.ExpiresAt, b = int64(exp), b[k:]
			}
			e.Frames = append(e.Frames, r)
		case 'K':
			e.Kick = append(e.Kick, kick{DeviceID: nodeid.ID(f1), ConnID: string(f2)})
		default:
			return envelope{}, errEnvelope
		}
	}
	return e, nil
}
