// Package bot is planbot's transport-neutral chat core: the events people
// send, the router that maps commands and replies to handlers, the
// middleware around them (recovery, logging, authentication, roles) and the
// handlers themselves. Transports (bot/telegram, later Zalo) translate
// their updates into Events and deliver plan.Messages; the core never
// depends on what a transport lacks (see plan.Capabilities).
package bot
