package storage

import (
	"fmt"
	"strings"

	"gorm.io/gorm"
)

// Version 8: invite codes at rest as their SHA-256 (inviteKey), so a copy
// of the database does not hold codes anyone could register with. The
// codes stored before are hashed in place. This file is frozen once
// released: change the schema with a new version.
func init() {
	register(Migration{Version: 8, Name: "invite codes stored hashed", Up: migrateV8})
}

func migrateV8(tx *gorm.DB) error {
	var codes []string
	if err := tx.Table("invites").Pluck("code", &codes).Error; err != nil {
		return fmt.Errorf("read invite codes: %w", err)
	}
	for _, c := range codes {
		if strings.HasPrefix(c, hashedPrefix) {
			continue
		}
		if err := tx.Exec(`UPDATE invites SET code = ? WHERE code = ?`, inviteKey(c), c).Error; err != nil {
			return fmt.Errorf("hash an invite code: %w", err)
		}
	}
	return nil
}
