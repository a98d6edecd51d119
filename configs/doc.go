// Package configs holds planbot's configuration: the settings struct with
// its defaults, loading from YAML and from the environment, and the files
// that ship inside the binary (the example configuration and the sample
// plan of phường Chánh Lộ).
//
// Precedence, lowest first: defaults, the YAML file (--config), the
// environment (PLANBOT_*), command-line flags. Secrets (the bot token,
// the webhook secret, the Redis URL) come only from the environment.
package configs
