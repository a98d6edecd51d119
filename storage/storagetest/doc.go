// Package storagetest opens throwaway stores for tests: a SQLite file in
// the test's temporary directory, or a fresh PostgreSQL schema when
// PLANBOT_TEST_POSTGRES_DSN is set. Stores are closed (and schemas
// dropped) when the test ends.
package storagetest
