package storage

import "gorm.io/gorm"

// Version 19: a chat's pending outbox items, for the answer that must
// queue behind earlier ones (LastPendingAnswer, asked on every answer the
// bot gives). Through the index of (transport, chat_id, external_id) it
// passed every item the chat was ever sent, growing with its history;
// the pending ones are a handful. This file is frozen once released:
// change the schema with a new version.
func init() {
	register(Migration{Version: 19, Name: "index of a chat's pending outbox items", Up: migrateV19})
}

func migrateV19(tx *gorm.DB) error {
	return execDDL(tx, `CREATE INDEX outbox_chat_pending ON outbox (transport, chat_id, not_before) WHERE status = 'pending'`)
}
