package main

import (
	"github.com/chanhlo/planbot/bot"
	"github.com/chanhlo/planbot/summary"
	"github.com/chanhlo/planbot/web"
)

// mountAPI mounts the read-only JSON API (/api/v1/, docs/openapi.yaml)
// on the HTTP server; its summaries come from source, as the chat's and
// `planbot summary`'s do. Tokens: `planbot token create`.
func (m *Main) mountAPI(source *summary.Source) {
	api := &web.API{
		Tokens: m.DB, Plans: m.DB, Progress: m.DB, Officers: m.DB.OfficerStore(), Broadcasts: m.DB, Summaries: source,
		Tags: bot.PlanTags, Loc: m.Loc, Clock: m.Clock, Log: m.Logger,
	}
	api.Mount(m.HTTP)
}
