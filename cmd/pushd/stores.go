package main

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"

	"github.com/pushd/pushd/auth/seal"
	"github.com/pushd/pushd/config"
	"github.com/pushd/pushd/store"
)

func openStores(ctx context.Context, cfg config.Config, log *slog.Logger) (*store.Stores, error) {
	return store.Open(ctx, store.Options{
		DatabaseURL:      cfg.DatabaseURL,
		RedisURL:         cfg.RedisURL,
		DataDir:          cfg.DataDir,
		StatementTimeout: cfg.DatabaseStatementTimeout,
		PoolMode:         cfg.DatabasePoolMode,
		MaxConns:         cfg.DatabaseMaxConns,
		History:          store.History{Partition: cfg.DeliveryPartition, Retention: cfg.DeliveryRetention},
	}, log)
}

func migrate(ctx context.Context, cfg config.Config, log *slog.Logger) error {
	stores, err := openStores(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer stores.Close()
	if err := stores.Migrate(ctx); err != nil {
		return err
	}
	log.InfoContext(ctx, "schema is up to date", "dialect", stores.Dialect)
	return nil
}

// openStores opens the stores of a serving process, brought up to date
// first when PUSHD_AUTO_MIGRATE is on; they close with the process.
func (w *wiring) openStores(ctx context.Context) error {
	stores, err := openStores(ctx, w.cfg, w.log)
	if err != nil {
		return err
	}
	w.onClose(func() { _ = stores.Close() })
	if w.cfg.AutoMigrate {
		if err := stores.Migrate(ctx); err != nil {
			return err
		}
	}
	w.stores = stores
	return nil
}

// loadSealer returns the sealer of secrets at rest. In the embedded mode
// without PUSHD_MASTER_KEY, a key is generated into the data dir once.
func loadSealer(ctx context.Context, cfg config.Config, log *slog.Logger) (*seal.Sealer, error) {
	var key []byte
	if cfg.MasterKey != "" {
		k, err := seal.ParseKey(cfg.MasterKey)
		if err != nil {
			return nil, fmt.Errorf("PUSHD_MASTER_KEY: %w", err)
		}
		key = k
	} else {
		path := filepath.Join(cfg.DataDir, "master.key")
		k, created, err := seal.LoadOrCreateKeyFile(path)
		if err != nil {
			return nil, fmt.Errorf("master key: %w", err)
		}
		if created {
			log.WarnContext(ctx, "generated a master key for the embedded mode; back it up with the data dir", "path", path)
		}
		key = k
	}
	return seal.New(key)
}
