// Package nodeid defines pushd's global node IDs: "<prefix>_<ULID>".
//
// The prefix names the entity type, so node(id:) can resolve the table
// without a lookup and a human can tell a device ID from a job ID at a
// glance; the ULID part is time-ordered, so IDs sort by creation and keyset
// pagination on them follows insertion order.
package nodeid

import (
	"database/sql/driver"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/oklog/ulid/v2"
)

// ID is a prefixed ULID. The zero value is not a valid ID.
type ID string

// New returns a fresh ID with the given type prefix.
func New(prefix string) ID {
	return ID(prefix + "_" + ulid.Make().String())
}

// Floor returns the smallest ID with the given prefix made at t or later:
// every ID made before t sorts below it.
func Floor(prefix string, t time.Time) ID {
	var u ulid.ULID
	_ = u.SetTime(ulid.Timestamp(t)) // fails only past the year 10889
	return ID(prefix + "_" + u.String())
}

// Prefix returns the type prefix, or "" when the ID has none.
func (id ID) Prefix() string {
	p, _, ok := strings.Cut(string(id), "_")
	if !ok {
		return ""
	}
	return p
}

// Valid reports whether id has a prefix and a well-formed ULID.
func (id ID) Valid() bool {
	p, rest, ok := strings.Cut(string(id), "_")
	if !ok || p == "" {
		return false
	}
	_, err := ulid.ParseStrict(rest)
	return err == nil
}

// String implements fmt.Stringer.
func (id ID) String() string { return string(id) }

// Scan implements sql.Scanner.
func (id *ID) Scan(src any) error {
	switch v := src.(type) {
	case string:
		*id = ID(v)
	case []byte:
		*id = ID(v)
	case nil:
		return fmt.Errorf("nodeid: NULL is not an ID")
	default:
		return fmt.Errorf("nodeid: cannot scan %T", src)
	}
	return nil
}

// Value implements driver.Valuer.
func (id ID) Value() (driver.Value, error) { return string(id), nil }

// UnmarshalGQL implements graphql.Unmarshaler. Malformed IDs are accepted
// here and simply match nothing, so a bad ID reads as NOT_FOUND rather than
// as a parse error that would reveal which IDs are well-formed.
func (id *ID) UnmarshalGQL(v any) error {
	switch v := v.(type) {
	case string:
		*id = ID(v)
	case ID:
		*id = v
	default:
		return InputError(fmt.Sprintf("an ID must be a string, got %T", v))
	}
	return nil
}

// InputError is a client's mistake in a scalar or enum value. Its
// InvalidArgument method lets the API's error presenter code it
// INVALID_ARGUMENT without this leaf package knowing the presenter.
type InputError string

func (e InputError) Error() string { return string(e) }

// InvalidArgument marks e as the caller's fault.
func (InputError) InvalidArgument() {}

// MarshalGQL implements graphql.Marshaler.
func (id ID) MarshalGQL(w io.Writer) {
	_, _ = io.WriteString(w, strconv.Quote(string(id)))
}
