// Package web is planbot's HTTP server: one server inside `planbot
// serve` (http.listen), reached by people at PLANBOT_PUBLIC_URL through
// a reverse proxy with TLS. It serves the health check (/healthz), the
// readiness check (/readyz, over checks the caller adds), the signed
// download links that stand in for files on messengers that cannot
// carry them (Zalo), and whatever the transports mount on it (the Zalo
// webhook), and the read-only JSON API under /api/v1/ (API, described
// in docs/openapi.yaml): bearer tokens from `planbot token create`, every
// route GET, errors as {"error":{"code","message"}}.
//
// One server may serve several wards (organisations): every page reads
// the signed-in officer's ward and every API route the token's; a plan
// of another ward named by id is "not found", as one that does not exist.
//
// A download link names a stored file (plan.DownloadStore) by a random
// id and carries its expiry and an HMAC-SHA256 signature of both, made
// with a key every replica shares: a link cannot be forged or extended,
// and any replica can serve it.
package web
