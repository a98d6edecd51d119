// Package bot is planbot's transport-neutral chat core: the events people
// send, the router that maps commands and replies to handlers, the
// middleware around them (recovery, logging, authentication, roles) and the
// handlers themselves. Transports (bot/telegram, later Zalo) translate
// their updates into Events and deliver plan.Messages; the core never
// depends on what a transport lacks (see plan.Capabilities).
package bot

// # Building a core
//
//	core, err := bot.New(bot.Deps{
//		Plans: db, Officers: db.OfficerStore(), Progress: db, Audit: db,
//		Updates: db, Outbox: db,
//		Senders: map[string]plan.Sender{"telegram": tg},
//		Clock: clock, Location: loc, BotUsername: "planbot",
//	})
//
// Transports call core.Handle for every event (core.Handler() is the
// same as a bot.Handler). Tests build one the same way on a
// storagetest SQLite store with a fake plan.Sender that records messages.
//
// # Adding commands
//
// Other packages add commands and button handlers without touching this
// package, before the transports start:
//
//	core.AddCommand(bot.Command{
//		Name: "tonghop", Aliases: []string{"summary"},
//		Description: texts.CmdSummary, DescriptionEN: texts.CmdSummaryEN,
//		Roles: []plan.Role{plan.RoleSecretariat, plan.RoleChairman},
//		Run: func(ctx context.Context, r *bot.Request) error { … r.Reply(ctx, msg) … },
//	})
//	core.AddCallback("ack:", nil, func(ctx context.Context, r *bot.Request) error { … r.Text is the data … })
//
// core.Commands() lists them (for Telegram's setMyCommands in vi and en).
// Their descriptions, usages and replies live in package texts, like
// every user-facing text.
// A handler returns a *plan.Error to tell the user what went wrong (its
// Message is escaped and sent); any other error is logged and the user
// gets texts.Apology. Request.Replyf escapes its arguments unless they
// are bot.HTML.
//
// # What happens to an event
//
// recover (a panic is logged; the user gets an apology) → logging (update
// id, user, command; never text or tokens) → de-duplication by Event.ID
// through plan.UpdateLog (see below) → middleware added with Use →
// authentication (the active officer of Event.UserID goes into the
// context: OfficerFrom) → routing: callbacks by the longest data prefix,
// commands by name or alias ("/xem 1.c", "/xem@bot 1.c"; a command for
// another bot is ignored), plain text as a progress reply. Unregistered
// people may use only public commands (/start, /huongdan).
//
// # Delivered at least once, handled once
//
// Transports deliver an update again until Handle returned nil for it
// (Telegram: the getUpdates offset moves only then; a webhook answers 500
// on an error), and hand Handle a context that stopping the transport
// does not cancel: at shutdown the update being handled is finished, then
// confirmed, and Run returns (bounded by the transport's HandleTimeout).
//
// De-duplication records the ID before handling, so that two deliveries
// handled at the same time (two replicas, a webhook retry while the first
// attempt still runs) do the work once. When the handling returns an
// error — the database failed, the deadline passed, the answer to a
// refusal could not be sent — the ID is forgotten (UpdateLog.Forget) and
// the error returned, so the redelivery is handled; the person gets
// texts.Apology once per update. A *plan.Error is the answer, not a
// failure; a reply the transport refused after the work was done
// (*plan.SendError) counts as handled, so the work is not done twice.
//
// What remains: a process killed (crash, SIGKILL, power cut) while an
// update is being handled leaves its ID recorded; the redelivery after
// the restart is taken for a duplicate and the update is lost, unless
// the work was committed before the kill. Likewise when Forget itself
// fails (logged as an error), or when a webhook retry reaches another
// replica while the first attempt runs and then fails. Closing those
// windows would need the record and the work in one database
// transaction. A panic keeps its ID recorded on purpose: it is a bug, and
// retrying it would only repeat the apology.
//
// # Replies
//
// Replies are fitted to the transport's plan.Capabilities: text is split
// on line boundaries to MaxText (2,000 on Zalo), buttons become numbered
// lines ("Trả lời 1 để …") whose number, typed back within an hour, acts
// as the press; files a transport cannot carry are replaced by a note.
//
// # Registration limits
//
// Wrong invite codes are counted per transport user in memory: five
// failures within ten minutes refuse codes for fifteen minutes (by the
// injected clock). A restart forgets the counts; with several replicas
// each counts alone. Codes carry 128 random bits, so this only slows
// down a person who keeps mistyping or guessing.
