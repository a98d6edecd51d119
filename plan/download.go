package plan

import (
	"context"
	"time"
)

// Download is a file kept for a signed link: what a messenger that
// cannot carry files (Zalo) offers instead of the file itself.
type Download struct {
	// ID is random and unguessable; the link's signature covers it and
	// the expiry.
	ID    string
	OrgID int64
	// OfficerID is the person the link was made for (0: unknown).
	OfficerID int64
	Name      string
	MIME      string
	Data      []byte
	CreatedAt time.Time
	ExpiresAt time.Time
}

// DownloadStore keeps files for download links.
type DownloadStore interface {
	PutDownload(ctx context.Context, d *Download) error
	// Download returns a file by id, or an ENotFound *Error.
	Download(ctx context.Context, id string) (*Download, error)
}
