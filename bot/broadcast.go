package bot

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/chanhlo/planbot/plan"
	"github.com/chanhlo/planbot/summary"
	"github.com/chanhlo/planbot/texts"
)

// BroadcastDeps is what announcements work with.
type BroadcastDeps struct {
	Store  plan.BroadcastStore
	Outbox plan.Outbox
	// Wake, when set, is called after an announcement was queued, so the
	// dispatcher sends it at once instead of at its next poll.
	Wake func()
	// ChaserAfter: those who have not acknowledged after this long get
	// the announcement once more (0: 24 hours).
	ChaserAfter time.Duration
	// AckWindow is how far back a bare "1" (on transports without
	// buttons and reply-to) acknowledges the newest announcement
	// (0: 7 days).
	AckWindow time.Duration
	// Pace spaces a big announcement's copies: after the first
	// PaceBurst, each is due Pace after the one before (1s ÷ the bot's
	// rate), so that they become due as fast as the bot may send them and
	// no faster. Reminders and answers — of this ward or another on the
	// same bot — queued meanwhile are due before the rest of the copies
	// and go first, instead of after the whole announcement. 0: all due
	// at once.
	Pace      time.Duration
	PaceBurst int
	// Audience, when set, is whom announcements reach instead of the
	// ward's own units: the province's go to the wards' secretariats and
	// chairmen. Their acknowledgements are taken by each ward's core
	// (the announcement's id is on its button), their receipts shown by
	// /tinhhinh here.
	Audience Audience
}

// Audience is whom a broadcaster outside a ward addresses.
type Audience interface {
	// Resolve reads a name as typed after "/thongbao" ("Chánh Lộ") as
	// one the audience knows ("UBND phường Chánh Lộ"), or returns a
	// Vietnamese *plan.Error naming those it knows.
	Resolve(ctx context.Context, typed string) (string, error)
	// Members are the people of the named (none named: all), each with
	// the name their receipt is listed under.
	Members(ctx context.Context, names []string) ([]AudienceMember, error)
}

// AudienceMember is one person an Audience reaches.
type AudienceMember struct {
	Officer plan.Officer
	// Label lists the receipt ("UBND phường Chánh Lộ").
	Label string
}

// Broadcaster sends the secretariat's announcements through the outbox
// and tracks who acknowledged them.
type Broadcaster struct {
	core *Core
	deps BroadcastDeps
	// audience is deps.Audience, or the ward's own units.
	audience Audience
	log      *slog.Logger
}

// unitAudience is a ward's own: its units, named as the plan names them,
// and its active people — all of them, or the officers and deputies of
// the units named.
type unitAudience struct{ core *Core }

func (a unitAudience) Resolve(ctx context.Context, typed string) (string, error) {
	known, err := a.core.knownUnits(ctx)
	if err != nil {
		return "", err
	}
	return ResolveUnit(typed, known)
}

func (a unitAudience) Members(ctx context.Context, units []string) ([]AudienceMember, error) {
	d := a.core.Deps()
	officers, err := d.Officers.Officers(ctx, d.OrgID)
	if err != nil {
		return nil, fmt.Errorf("officers: %w", err)
	}
	var out []AudienceMember
	for _, o := range officers {
		if !o.Active || (len(units) > 0 && (!containsString(units, o.Unit) || (o.Role != plan.RoleOfficer && o.Role != plan.RoleDeputy))) {
			continue
		}
		out = append(out, AudienceMember{Officer: o, Label: o.Unit})
	}
	return out, nil
}

// AckPrefix starts the data of the "Đã nhận" button: "ack:<id>".
const AckPrefix = "ack:"

// RegisterBroadcast adds /thongbao (/broadcast) and /tinhhinh (/status)
// for the secretariat, the "Đã nhận" button and the "1" reply that
// acknowledge an announcement.
func RegisterBroadcast(c *Core, d BroadcastDeps) *Broadcaster {
	if d.ChaserAfter <= 0 {
		d.ChaserAfter = 24 * time.Hour
	}
	if d.AckWindow <= 0 {
		d.AckWindow = 7 * 24 * time.Hour
	}
	b := &Broadcaster{core: c, deps: d, audience: d.Audience, log: c.log}
	if b.audience == nil {
		b.audience = unitAudience{c}
	}
	sec := []plan.Role{plan.RoleSecretariat}
	if d.Audience != nil {
		// Above the wards, the province's officers announce.
		sec = []plan.Role{plan.RoleProvince}
	}
	desc, descEN, usage := texts.CmdBroadcast, texts.CmdBroadcastEN, texts.UsageBroadcast
	if d.Audience != nil {
		desc, descEN, usage = texts.CmdBroadcastWards, texts.CmdBroadcastWardsEN, texts.UsageBroadcastWards
	}
	c.AddCommand(Command{Name: "thongbao", Aliases: []string{"broadcast"},
		Description: desc, DescriptionEN: descEN, Usage: usage, Roles: sec, Run: b.cmdBroadcast})
	c.AddCommand(Command{Name: "tinhhinh", Aliases: []string{"status"},
		Description: texts.CmdBroadcastStatus, DescriptionEN: texts.CmdBroadcastStatusEN,
		Roles: sec, Run: b.cmdStatus})
	c.AddCallback(AckPrefix, nil, b.onAck)
	c.Use(b.ackByReply)
	return b
}

// parseAudience splits "/thongbao" text into the units addressed and the
// announcement: "all …" / "tất cả …" or no unit list address everyone;
// "Công an phường, Trạm y tế: …" addresses those units when every name
// before the colon is a known unit.
//
// A broadcast goes only where it was addressed: everyone only when "all"
// (or "tất cả") is said; a name before the colon that is no known unit
// refuses the whole broadcast (a typo must not turn a message for one
// unit into one for everyone), as does a text with neither.
func parseAudience(text string, resolve func(string) (string, error)) (units []string, body string, err error) {
	text = strings.TrimSpace(text)
	low := strings.ToLower(text)
	for _, p := range []string{"all ", "all:", "tất cả ", "tất cả:"} {
		if strings.HasPrefix(low, p) {
			return nil, strings.TrimSpace(strings.TrimPrefix(text[len(p):], ":")), nil
		}
	}
	head, rest, ok := strings.Cut(text, ":")
	if !ok || strings.TrimSpace(head) == "" {
		return nil, "", plan.Errorf(plan.EInvalid, "%s", texts.BroadcastNeedAudience)
	}
	for _, name := range strings.FieldsFunc(head, func(r rune) bool { return r == ',' || r == ';' }) {
		u, err := resolve(strings.TrimSpace(name))
		if err != nil {
			return nil, "", err
		}
		if !containsString(units, u) {
			units = append(units, u)
		}
	}
	return units, strings.TrimSpace(rest), nil
}

func containsString(xs []string, x string) bool {
	for _, s := range xs {
		if s == x {
			return true
		}
	}
	return false
}

// Downloader fetches a file a person sent, by the transport's file id.
// The Telegram transport implements it; "/thongbao" as a reply to a
// document forwards the file when the event's transport is one.
type Downloader interface {
	Download(ctx context.Context, fileID string) ([]byte, error)
}

// MaxForwardBytes is the largest file "/thongbao" forwards; every
// recipient's outbox item holds a copy. A larger file is announced by
// name with a note instead.
const MaxForwardBytes = 10 << 20

// cmdBroadcast sends "/thongbao [audience:] text". As a reply to a
// message with no text of its own (or only an audience: "all", "Công an
// phường, Trạm y tế:") it forwards the replied message's text; replying
// to a document, the file goes with the announcement.
func (b *Broadcaster) cmdBroadcast(ctx context.Context, r *Request) error {
	resolve := func(name string) (string, error) { return b.audience.Resolve(ctx, name) }
	ev := r.Event
	forwarding := ev.ReplyToText != "" || ev.ReplyToDocument != nil
	var units []string
	var body string
	if strings.TrimSpace(r.Text) == "" && !forwarding {
		return plan.Errorf(plan.EInvalid, "%s", texts.BroadcastNoText)
	}
	if u, ok := audienceOnly(r.Text, resolve); forwarding && ok {
		units, body = u, strings.TrimSpace(ev.ReplyToText)
	} else {
		var err error
		if units, body, err = parseAudience(r.Text, resolve); err != nil {
			return err
		}
	}
	var fwd *forwarded
	if forwarding && ev.ReplyToDocument != nil {
		fwd = b.forwardDocument(ctx, ev)
	}
	if body == "" && fwd == nil {
		return plan.Errorf(plan.EInvalid, "%s", texts.BroadcastNoText)
	}
	n, err := b.send(ctx, r.Officer.ID, units, body, fwd)
	if err != nil {
		return err
	}
	if n == 0 {
		return r.Reply(ctx, plan.Message{Text: texts.BroadcastNoOne})
	}
	return r.Reply(ctx, plan.Message{Text: texts.BroadcastQueued(n, units)})
}

// audienceOnly reports whether text names only an audience — nothing,
// "all"/"tất cả", or known units before an optional colon — and returns
// its units (nil: everyone).
func audienceOnly(text string, resolve func(string) (string, error)) ([]string, bool) {
	text = strings.TrimSuffix(strings.TrimSpace(text), ":")
	switch strings.ToLower(strings.TrimSpace(text)) {
	case "", "all", "tất cả":
		return nil, true
	}
	var units []string
	for _, name := range strings.FieldsFunc(text, func(r rune) bool { return r == ',' || r == ';' }) {
		u, err := resolve(strings.TrimSpace(name))
		if err != nil {
			return nil, false
		}
		if !containsString(units, u) {
			units = append(units, u)
		}
	}
	return units, len(units) > 0
}

// forwarded is a document "/thongbao" forwards: the file when it could
// be fetched, and its name.
type forwarded struct {
	name string
	doc  *plan.Document // nil: announced by name only
}

// note returns the HTML line under the announcement: the file's name
// when the recipient gets it, else why not.
func (f *forwarded) note(attached bool) string {
	if attached {
		return texts.ForwardedDocument(f.name)
	}
	return texts.ForwardedDocumentMissing(f.name)
}

// forwardDocument fetches the replied-to document through the event's
// transport, when it can download and the file is small enough.
func (b *Broadcaster) forwardDocument(ctx context.Context, ev *Event) *forwarded {
	in := ev.ReplyToDocument
	f := &forwarded{name: in.Name}
	if f.name == "" {
		f.name = texts.ForwardedDocumentUnnamed
	}
	dl, ok := b.core.sender(ev.Transport).(Downloader)
	if !ok || in.Size > MaxForwardBytes {
		return f
	}
	data, err := dl.Download(ctx, in.FileID)
	if err != nil || len(data) > MaxForwardBytes {
		b.log.WarnContext(ctx, "could not fetch the document to forward; announcing it by name",
			"transport", ev.Transport, "update", ev.ID, "size", len(data), "err", err)
		return f
	}
	mime := in.MIME
	if mime == "" {
		mime = "application/octet-stream"
	}
	f.doc = &plan.Document{Name: f.name, MIME: mime, Data: data}
	return f
}

// Send stores an announcement from officer by (0: the system) to the
// units' officers and deputies (every active person but the sender when
// units is empty) and enqueues one outbox item per recipient. It returns
// the number of recipients.
func (b *Broadcaster) Send(ctx context.Context, by int64, units []string, text string) (int, error) {
	return b.send(ctx, by, units, text, nil)
}

// send is Send with a forwarded document (nil: none), attached to the
// items of recipients whose transport carries files.
func (b *Broadcaster) send(ctx context.Context, by int64, units []string, text string, fwd *forwarded) (int, error) {
	d := b.core.Deps()
	members, err := b.audience.Members(ctx, units)
	if err != nil {
		return 0, fmt.Errorf("audience: %w", err)
	}
	var to []plan.Officer
	var recips []plan.BroadcastRecipient
	for _, m := range members {
		if m.Officer.Active && m.Officer.ID != by {
			to = append(to, m.Officer)
			recips = append(recips, plan.BroadcastRecipient{OfficerID: m.Officer.ID, Name: m.Officer.Name, Unit: m.Label})
		}
	}
	if len(to) == 0 {
		return 0, nil
	}
	now := d.Clock.Now()
	stored := text
	if fwd != nil {
		// The record (/tinhhinh, the chaser) names the file.
		stored = texts.BroadcastRecord(text, fwd.name)
	}
	bc := &plan.Broadcast{OrgID: d.OrgID, Text: stored, Units: units, CreatedBy: by, CreatedAt: now}
	// The items are queued in the transaction that records the broadcast.
	items := func(bc *plan.Broadcast) []plan.OutboxItem {
		items := make([]plan.OutboxItem, 0, len(to))
		for _, o := range to {
			html := plan.EscapeHTML(text)
			attach := fwd != nil && fwd.doc != nil && b.core.capabilities(o.Address.Transport).Documents
			if fwd != nil {
				html = strings.TrimSpace(html + "\n" + fwd.note(attach))
			}
			it := b.item(bc, o, plan.BroadcastKey(bc.ID, o.ID), texts.BroadcastMessage(html), b.paced(now, len(items)))
			if attach {
				doc := *fwd.doc
				it.Message.Document = &doc
			}
			items = append(items, it)
		}
		return items
	}
	if err := b.deps.Store.CreateBroadcast(ctx, bc, recips, items); err != nil {
		return 0, err
	}
	if b.deps.Wake != nil {
		b.deps.Wake()
	}
	if err := b.core.audit(ctx, by, "broadcast.send", fmt.Sprintf("%d: %d recipients", bc.ID, len(to))); err != nil {
		return 0, err
	}
	return len(to), nil
}

// paced is when the i-th copy of an announcement made at now is due
// (see BroadcastDeps.Pace).
func (b *Broadcaster) paced(now time.Time, i int) time.Time {
	if b.deps.Pace <= 0 || i < b.deps.PaceBurst {
		return now
	}
	return now.Add(time.Duration(i-b.deps.PaceBurst+1) * b.deps.Pace)
}

// item is the outbox item of an announcement to one officer: a "Đã nhận"
// button where the transport has buttons, else "Trả lời 1 …".
func (b *Broadcaster) item(bc *plan.Broadcast, o plan.Officer, key, text string, now time.Time) plan.OutboxItem {
	m := plan.Message{Text: text}
	if b.core.capabilities(o.Address.Transport).Buttons {
		m.Choices = []plan.Choice{{Label: texts.BroadcastAckLabel, Data: AckPrefix + strconv.FormatInt(bc.ID, 10)}}
	} else {
		m.Text += "\n" + texts.BroadcastReplyOne
	}
	return plan.OutboxItem{
		OrgID: bc.OrgID, Key: key, OfficerID: o.ID, Address: o.Address, Message: m, NotBefore: now,
		Context: plan.ReplyContext{Kind: plan.ReplyBroadcast, BroadcastID: bc.ID},
	}
}

// onAck handles the "Đã nhận" button.
func (b *Broadcaster) onAck(ctx context.Context, r *Request) error {
	id, err := strconv.ParseInt(strings.TrimPrefix(r.Text, AckPrefix), 10, 64)
	if err != nil || id <= 0 {
		return plan.Errorf(plan.EInvalid, "%s", texts.BroadcastBadButton)
	}
	return b.acknowledge(ctx, r.Event.Address(), r.Officer.ID, id)
}

func (b *Broadcaster) acknowledge(ctx context.Context, to plan.Address, officerID, broadcastID int64) error {
	first, err := b.deps.Store.Acknowledge(ctx, broadcastID, officerID, b.core.Deps().Clock.Now())
	if err != nil {
		return err
	}
	text := texts.BroadcastAcked
	if !first {
		text = texts.BroadcastAckedBefore
	}
	return b.core.Send(ctx, to, plan.Message{Text: text})
}

// ackByReply is middleware: "1" (or "đã nhận") replying to an
// announcement acknowledges it; on a transport without buttons a bare "1"
// presses the newest choice offered as a number (an announcement's is
// "Đã nhận"), and without one, like "đã nhận", acknowledges the newest
// announcement the officer has not acknowledged.
// Anything else goes on to the core.
func (b *Broadcaster) ackByReply(next Handler) Handler {
	return HandlerFunc(func(ctx context.Context, e *Event) error {
		if e.Callback != nil || !isAck(e.Text) {
			return next.Handle(ctx, e)
		}
		d := b.core.Deps()
		o, err := sender(ctx, d.Officers, e)
		if err != nil {
			return next.Handle(ctx, e)
		}
		var id int64
		switch {
		case e.ReplyToID != "":
			item, err := b.deps.Outbox.ByExternalID(ctx, e.Address(), e.ReplyToID)
			if err == nil && item.Context.Kind == plan.ReplyBroadcast {
				id = item.Context.BroadcastID
			}
		case !b.core.capabilities(e.Transport).Buttons:
			// "1" presses the newest numbered choice the chat was
			// offered (a review's "Xác nhận" may be newer than the
			// announcement); only without one is it an acknowledgement.
			if offered, err := b.core.offeredNumber(ctx, e); err != nil {
				return err
			} else if offered {
				return next.Handle(ctx, e)
			}
			bc, err := b.deps.Store.LatestUnacknowledged(ctx, o.ID, d.Clock.Now().Add(-b.deps.AckWindow))
			if err != nil {
				return err
			}
			if bc != nil {
				id = bc.ID
			}
		}
		if id == 0 {
			return next.Handle(ctx, e)
		}
		return b.acknowledge(ctx, e.Address(), o.ID, id)
	})
}

func isAck(text string) bool {
	switch strings.ToLower(strings.Trim(strings.TrimSpace(text), ".!")) {
	case "1", "đã nhận", "da nhan", "nhận", "ok đã nhận":
		return true
	}
	return false
}

// recentBroadcasts is how many announcements /tinhhinh shows.
const recentBroadcasts = 5

func (b *Broadcaster) cmdStatus(ctx context.Context, r *Request) error {
	d := b.core.Deps()
	list, err := b.deps.Store.Broadcasts(ctx, d.OrgID, recentBroadcasts)
	if err != nil {
		return err
	}
	if len(list) == 0 {
		return r.Reply(ctx, plan.Message{Text: texts.BroadcastNone})
	}
	var lines []string
	for _, bc := range list {
		line, err := b.StatusLine(ctx, bc)
		if err != nil {
			return err
		}
		lines = append(lines, line)
	}
	// The newest announcement's failures count too: the officer's own
	// mark may not be set yet (an unreachable chat is marked as the
	// dispatcher gives up on it).
	newest, err := b.deps.Store.Recipients(ctx, list[0].ID)
	if err != nil {
		return err
	}
	if b.deps.Audience != nil {
		// Above the wards there is no plan whose units to check.
		return r.Reply(ctx, plan.Message{Text: strings.Join(lines, "\n")})
	}
	failed := map[string]bool{}
	for _, rc := range newest {
		if rc.UnreachableAt != nil && rc.Unit != "" {
			failed[rc.Unit] = true
		}
	}
	unreached, err := b.unreached(ctx, failed)
	if err != nil {
		return err
	}
	lines = append(lines, unreached)
	return r.Reply(ctx, plan.Message{Text: strings.Join(lines, "\n")})
}

// unreached names the plan's units the bot cannot reach now: their
// officer blocked it (or failed, the newest announcement), or nobody
// registered.
func (b *Broadcaster) unreached(ctx context.Context, failed map[string]bool) (string, error) {
	d := b.core.Deps()
	ps, err := b.core.ActivePlans(ctx)
	if err != nil {
		return "", err
	}
	officers, err := d.Officers.Officers(ctx, d.OrgID)
	if err != nil {
		return "", fmt.Errorf("officers: %w", err)
	}
	var blocked, none, units []string
	for i := range ps {
		bl, no := summary.UnitsBehind(&ps[i], officers)
		for _, u := range bl {
			if !slices.Contains(blocked, u) {
				blocked = append(blocked, u)
			}
		}
		for _, u := range no {
			if !slices.Contains(none, u) {
				none = append(none, u)
			}
		}
		for _, u := range ps[i].Units {
			if !slices.Contains(units, u) {
				units = append(units, u)
			}
		}
	}
	for _, u := range units {
		if failed[u] && !slices.Contains(blocked, u) && !slices.Contains(none, u) {
			blocked = append(blocked, u)
		}
	}
	return texts.Unreached(blocked, none), nil
}

// StatusLine describes who received a broadcast, as /tinhhinh shows it.
func (b *Broadcaster) StatusLine(ctx context.Context, bc plan.Broadcast) (string, error) {
	rs, err := b.deps.Store.Recipients(ctx, bc.ID)
	if err != nil {
		return "", err
	}
	who := func(r plan.BroadcastRecipient) string {
		if r.Unit != "" {
			return plan.EscapeHTML(r.Unit)
		}
		return plan.EscapeHTML(r.Name)
	}
	acked := 0
	var unseen, sending, unreachable []string
	for _, r := range rs {
		switch {
		case r.AcknowledgedAt != nil:
			acked++
		case r.UnreachableAt != nil:
			unreachable = append(unreachable, who(r)+" — "+texts.UnreachableReason(r.Failure))
		case r.DeliveredAt != nil:
			unseen = append(unseen, who(r))
		default:
			sending = append(sending, who(r))
		}
	}
	at := bc.CreatedAt.In(b.core.Location())
	return texts.BroadcastStatus(texts.BroadcastLabel(at, bc.Text), acked, len(rs), unseen, sending, unreachable), nil
}

// ChaseUnacknowledged re-sends, once per broadcast, each announcement
// older than ChaserAfter to the recipients who have neither acknowledged
// it nor been found unreachable. Outbox keys (plan.BroadcastChaseKey) and
// the broadcast's chased mark make it idempotent: call it from every
// scheduler tick.
func (b *Broadcaster) ChaseUnacknowledged(ctx context.Context, now time.Time) error {
	d := b.core.Deps()
	list, err := b.deps.Store.Unacknowledged(ctx, d.OrgID, now.Add(-b.deps.ChaserAfter))
	if err != nil {
		return err
	}
	if len(list) == 0 {
		return nil
	}
	members, err := b.audience.Members(ctx, nil)
	if err != nil {
		return fmt.Errorf("audience: %w", err)
	}
	byID := map[int64]plan.Officer{}
	for _, m := range members {
		byID[m.Officer.ID] = m.Officer
	}
	for i := range list {
		bc := &list[i]
		rs, err := b.deps.Store.Recipients(ctx, bc.ID)
		if err != nil {
			return err
		}
		var items []plan.OutboxItem
		for _, r := range rs {
			o, ok := byID[r.OfficerID]
			// Chase only those who got the announcement: one still waiting
			// in the outbox would get the reminder before the original.
			if r.AcknowledgedAt != nil || r.UnreachableAt != nil || r.DeliveredAt == nil || !ok || !o.Active {
				continue
			}
			items = append(items, b.item(bc, o, plan.BroadcastChaseKey(bc.ID, o.ID), texts.BroadcastChaser(plan.EscapeHTML(bc.Text)), b.paced(now, len(items))))
		}
		if _, err := b.deps.Outbox.Enqueue(ctx, items...); err != nil {
			return fmt.Errorf("enqueue chaser of broadcast %d: %w", bc.ID, err)
		}
		if _, err := b.deps.Store.MarkChased(ctx, bc.ID, now); err != nil {
			return err
		}
	}
	return nil
}
