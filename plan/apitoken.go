package plan

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"time"
)

// APIRole is what an API token may do.
type APIRole string

// API roles. Every route of the API only reads; a secretariat token is
// the same as a reader token until write routes are offered.
const (
	APIReader      APIRole = "reader"
	APISecretariat APIRole = "secretariat"
)

// Valid reports whether r is one of the known API roles.
func (r APIRole) Valid() bool { return r == APIReader || r == APISecretariat }

// APITokenPrefix starts every API token, so that a leaked one is easy to
// recognise (and to search for in logs and repositories).
const APITokenPrefix = "pb_"

// APIToken is a bearer token of the read-only JSON API. Only the SHA-256
// of the secret is stored: the secret is shown once, when created.
type APIToken struct {
	ID    int64
	OrgID int64
	// Name tells tokens apart ("bao-cao-tinh"); unique among the
	// organisation's tokens that are not revoked.
	Name string
	Role APIRole
	// Hash is HashAPIToken of the secret.
	Hash       string
	CreatedAt  time.Time
	LastUsedAt *time.Time
	RevokedAt  *time.Time
}

// Revoked reports whether the token was revoked.
func (t *APIToken) Revoked() bool { return t.RevokedAt != nil }

// NewAPIToken returns a fresh secret ("pb_" and 32 random bytes in
// base64url) and its hash.
func NewAPIToken() (secret, hash string, err error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", "", fmt.Errorf("api token: %w", err)
	}
	secret = APITokenPrefix + base64.RawURLEncoding.EncodeToString(b[:])
	return secret, HashAPIToken(secret), nil
}

// HashAPIToken is the stored form of a secret: SHA-256, hex.
func HashAPIToken(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// APITokenStore keeps API tokens.
type APITokenStore interface {
	// CreateAPIToken stores t and sets t.ID (and t.CreatedAt when zero);
	// a name already held by a token that is not revoked is an EConflict
	// *Error.
	CreateAPIToken(ctx context.Context, t *APIToken) error
	// APITokenByHash returns the token with the hash, or an ENotFound
	// *Error when there is none or it was revoked.
	APITokenByHash(ctx context.Context, hash string) (*APIToken, error)
	// TouchAPIToken records that the token was used at at (never moving
	// the time back).
	TouchAPIToken(ctx context.Context, id int64, at time.Time) error
	// ListAPITokens returns the organisation's tokens, revoked ones
	// included, oldest first.
	ListAPITokens(ctx context.Context, orgID int64) ([]APIToken, error)
	// RevokeAPIToken revokes the organisation's token named ref (its name,
	// or its id) at at and returns it; ENotFound when there is no such
	// token that is not revoked yet.
	RevokeAPIToken(ctx context.Context, orgID int64, ref string, at time.Time) (*APIToken, error)
}
