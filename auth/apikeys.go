package auth

import (
	"context"
	"strings"
	"time"

	"github.com/pushd/pushd/auth/seal"
	"github.com/pushd/pushd/auth/signature"
	"github.com/pushd/pushd/ent"
	"github.com/pushd/pushd/ent/apikey"
	"github.com/pushd/pushd/ent/schema/nodeid"
	"github.com/pushd/pushd/push/core"
	"github.com/pushd/pushd/tenant"
)

// MaxActiveKeys bounds the unrevoked keys of one app: enough for rotation
// and several backends, few enough to audit.
const MaxActiveKeys = 10

func secretAD(k *ent.APIKey) seal.AD {
	return seal.AD{AppID: string(k.AppID), Kind: "apikey.secret", RecordID: string(k.ID)}
}

// NewAPIKey is what createAPIKey asks for.
type NewAPIKey struct {
	AppID     nodeid.ID
	Name      string
	Algorithm apikey.Algorithm
	// PublicKey is the PEM public key for ED25519 and RSA_SHA256.
	PublicKey string
}

// CreateAPIKey makes a key for an app. For HMAC_SHA256 the server makes a
// 256-bit secret and returns it here, once: only its sealed form is
// stored. For ED25519 and RSA_SHA256 the caller keeps the private key and
// pushd stores the public key.
func (s *Service) CreateAPIKey(ctx context.Context, in NewAPIKey) (*ent.APIKey, string, error) {
	if err := tenant.Require(ctx, in.AppID, tenant.NeedOwner); err != nil {
		return nil, "", err
	}
	in.Name = strings.TrimSpace(in.Name)
	if in.Name == "" || len(in.Name) > 100 {
		return nil, "", core.Invalid("name", "must be 1 to 100 characters")
	}
	active, err := s.client.APIKey.Query().
		Where(apikey.AppID(in.AppID), apikey.RevokedAtIsNil()).
		Count(ctx)
	if err != nil {
		return nil, "", err
	}
	if active >= MaxActiveKeys {
		return nil, "", core.Conflict("the app already has %d active keys: revoke one first", MaxActiveKeys)
	}

	create := s.client.APIKey.Create().
		SetID(nodeid.New("key")).
		SetAppID(in.AppID).
		SetName(in.Name).
		SetKeyID("kid_" + randomID(15)).
		SetAlgorithm(in.Algorithm)
	var secret string
	switch in.Algorithm {
	case apikey.AlgorithmHMAC_SHA256:
		if in.PublicKey != "" {
			return nil, "", core.Invalid("publicKey", "HMAC_SHA256 keys have no public key: the server makes the secret")
		}
		secret = "sk_" + randomToken(32)
		rec := create.Mutation()
		id, _ := rec.ID()
		sealed, err := s.sealer.Seal([]byte(secret), seal.AD{AppID: string(in.AppID), Kind: "apikey.secret", RecordID: string(id)})
		if err != nil {
			return nil, "", err
		}
		create.SetSecretSealed(sealed)
	case apikey.AlgorithmED25519, apikey.AlgorithmRSA_SHA256:
		pemText := strings.TrimSpace(in.PublicKey)
		if pemText == "" {
			return nil, "", core.Invalid("publicKey", "%s keys need the PEM public key of the caller's key pair", in.Algorithm)
		}
		pub, err := signature.ParsePublicKey(sigAlgorithm(in.Algorithm), pemText)
		if err != nil {
			return nil, "", core.Invalid("publicKey", "%v", err)
		}
		if where := signature.PublishedKey(pub); where != "" {
			return nil, "", core.Invalid("publicKey", "this is the public key of %s, whose private key is published: make a key pair of your own", where)
		}
		create.SetPublicKey(pemText + "\n")
	default:
		return nil, "", core.Invalid("algorithm", "unknown algorithm %q", in.Algorithm)
	}
	key, err := create.Save(ctx)
	if err != nil {
		return nil, "", err
	}
	return key, secret, nil
}

// RevokeAPIKey revokes a key at once: requests signed with it fail from
// now on, and its live subscriptions are closed within seconds.
func (s *Service) RevokeAPIKey(ctx context.Context, id nodeid.ID) (*ent.APIKey, error) {
	key, err := s.client.APIKey.Get(ctx, id)
	if err != nil {
		if isNotFound(err) {
			return nil, core.NotFound("API key")
		}
		return nil, err
	}
	if err := tenant.Require(ctx, key.AppID, tenant.NeedOwner); err != nil {
		return nil, err
	}
	if key.RevokedAt != nil {
		return key, nil
	}
	return key.Update().SetRevokedAt(s.now()).Save(ctx)
}

func sigAlgorithm(a apikey.Algorithm) signature.Algorithm {
	switch a {
	case apikey.AlgorithmED25519:
		return signature.Ed25519
	case apikey.AlgorithmRSA_SHA256:
		return signature.RSASHA256
	}
	return signature.HMACSHA256
}

// verificationKey turns a stored key into what the verifier needs.
func (s *Service) verificationKey(k *ent.APIKey) (signature.Key, error) {
	alg := sigAlgorithm(k.Algorithm)
	if alg == signature.HMACSHA256 {
		secret, err := s.sealer.Open(k.SecretSealed, secretAD(k))
		if err != nil {
			return signature.Key{}, err
		}
		return signature.Key{Algorithm: alg, Secret: secret}, nil
	}
	pub, err := signature.ParsePublicKey(alg, k.PublicKey)
	if err != nil {
		return signature.Key{}, err
	}
	return signature.Key{Algorithm: alg, PublicKey: pub}, nil
}

// lastUsedResolution bounds writes for lastUsedAt: at most one per key per
// minute, however many requests it signs.
const lastUsedResolution = time.Minute

func (s *Service) touchKey(ctx context.Context, k *ent.APIKey) {
	now := s.now()
	if k.LastUsedAt != nil && now.Sub(*k.LastUsedAt) < lastUsedResolution {
		return
	}
	err := s.client.APIKey.Update().
		Where(apikey.ID(k.ID), apikey.Or(apikey.LastUsedAtIsNil(), apikey.LastUsedAtLT(now.Add(-lastUsedResolution)))).
		SetLastUsedAt(now).
		Exec(tenant.AsSystem(ctx))
	if err != nil {
		s.log.WarnContext(ctx, "record key use", "key", k.KeyID, "err", err)
	}
}
