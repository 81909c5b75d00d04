package seal

import (
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// maxKeyFileSize bounds the read so a misconfigured path (say, a log file)
// fails fast instead of being slurped into memory.
const maxKeyFileSize = 4096

// LoadOrCreateKeyFile reads a key file written by it (a base64 line), or
// creates the file (and its directory, 0700) with a fresh random key, mode
// 0600, reporting created=true.
//
// An existing file that group or other can access is refused rather than
// silently chmod-ed: a loose mode means the key may already have leaked, and
// the operator should know.
func LoadOrCreateKeyFile(path string) (key []byte, created bool, err error) {
	key, err = loadKeyFile(path)
	if err == nil {
		return key, false, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, false, err
	}
	return createKeyFile(path)
}

func loadKeyFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// Stat the open descriptor, not the path, so the mode checked is the
	// mode of the bytes actually read.
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("seal: key file %s: %w", path, err)
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("seal: key file %s is not a regular file", path)
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		return nil, fmt.Errorf("seal: key file %s has mode %#o and is accessible by group/other; run: chmod 600 %s", path, perm, path)
	}
	data, err := io.ReadAll(io.LimitReader(f, maxKeyFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("seal: key file %s: %w", path, err)
	}
	if len(data) > maxKeyFileSize {
		return nil, fmt.Errorf("seal: key file %s is too large to be a key file", path)
	}
	key, err := ParseKey(string(data))
	if err != nil {
		return nil, fmt.Errorf("seal: key file %s: %w", path, err)
	}
	return key, nil
}

func createKeyFile(path string) ([]byte, bool, error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, false, fmt.Errorf("seal: creating key directory: %w", err)
	}
	key, err := NewKey()
	if err != nil {
		return nil, false, err
	}
	// CreateTemp opens with 0600, so the key is never on disk with a looser
	// mode, even briefly.
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return nil, false, fmt.Errorf("seal: creating key file: %w", err)
	}
	tmpName := tmp.Name()
	defer os.Remove(tmpName) // no-op once linked/renamed away, cleanup otherwise
	line := base64.StdEncoding.EncodeToString(key) + "\n"
	if _, err := tmp.WriteString(line); err != nil {
		tmp.Close()
		return nil, false, fmt.Errorf("seal: writing key file: %w", err)
	}
	// A key lost in a crash would make every secret sealed with it
	// unrecoverable, so it must be durable before anyone uses it.
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return nil, false, fmt.Errorf("seal: writing key file: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return nil, false, fmt.Errorf("seal: writing key file: %w", err)
	}

	// Link, unlike rename, refuses to replace an existing file: if two
	// processes start at once, a plain rename would let the second silently
	// overwrite a key the first has already sealed data with. The loser
	// adopts the winner's key instead.
	if err := os.Link(tmpName, path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			key, err := loadKeyFile(path)
			return key, false, err
		}
		// Some filesystems have no hard links; an atomic rename is the best
		// remaining option there.
		if err := os.Rename(tmpName, path); err != nil {
			return nil, false, fmt.Errorf("seal: installing key file: %w", err)
		}
	}
	if err := syncDir(dir); err != nil {
		return nil, false, fmt.Errorf("seal: syncing key directory: %w", err)
	}
	return key, true, nil
}

// syncDir makes the new directory entry durable; without it a crash could
// lose the file even though its contents were synced.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
