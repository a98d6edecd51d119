package texts

import (
	"fmt"
	"strings"

	"github.com/chanhlo/planbot/plan"
)

// Messenger names a transport as people call it.
func Messenger(transport string) string {
	switch plan.MessengerOf(transport) {
	case "telegram":
		return "Telegram"
	case "zalo":
		return "Zalo"
	case "local":
		return "thử nghiệm"
	}
	return transport
}

// NotRegisteredTyped answers an unregistered person on a messenger
// without invite links (Zalo): the code is typed.
const NotRegisteredTyped = "Đồng chí chưa đăng ký sử dụng. Vui lòng gõ mã đăng ký do Văn phòng UBND phường gửi, ví dụ: DK 7KQ2-M9XP."

// StartWithoutCodeTyped answers /start without a code on a messenger
// without invite links.
const StartWithoutCodeTyped = "Chào đồng chí. Đây là bot nhắc việc của UBND phường (trả lời tự động). Để đăng ký, vui lòng gõ mã đăng ký do Văn phòng UBND phường gửi, ví dụ: <b>DK 7KQ2-M9XP</b>."

// InviteTyped tells the secretariat how a typed code is used: the person
// writes "DK <code>" to the ward's bot on the messenger.
func InviteTyped(unit string, role plan.Role, messenger, bot, code string, expires plan.Date) string {
	who := role.Vietnamese()
	if unit != "" {
		who += " của " + unit
	}
	where := "bot " + Messenger(messenger) + " của phường"
	if bot != "" {
		where = "bot Zalo «" + bot + "»"
		if messenger != "zalo" {
			where = "bot " + Messenger(messenger) + " «" + bot + "»"
		}
	}
	return fmt.Sprintf("Đã tạo mã đăng ký %s cho %s.\nNgười được mời mở %s và gõ:\n<b>DK %s</b>\nHạn dùng: %s. Mỗi mã chỉ dùng một lần; có thể đọc qua điện thoại hoặc in ra giấy (không có chữ O, I, L và số 0, 1 để khỏi nhầm).",
		Messenger(messenger), plan.EscapeHTML(who), plan.EscapeHTML(where), plan.EscapeHTML(code), expires.Vietnamese())
}

// ContactAdded confirms that a messenger joined a registration (/kenh).
func ContactAdded(added, preferred string) string {
	return fmt.Sprintf("Đã thêm %s cho đồng chí. Tin trả lời trên %s hay %s đều được ghi nhận như nhau. Nhắc việc vẫn gửi qua %s; gõ /kenh %s để nhận nhắc việc qua %s.",
		Messenger(added), Messenger(added), Messenger(preferred), Messenger(preferred), strings.ToLower(Messenger(added)), Messenger(added))
}

// Channels answers /kenh without a choice: where reminders go and which
// messengers the officer can switch to.
func Channels(contacts []plan.Contact, available []string) string {
	var b strings.Builder
	var have []string
	for _, c := range contacts {
		if c.Preferred {
			fmt.Fprintf(&b, "Nhắc việc đang gửi qua <b>%s</b>.\n", Messenger(c.Transport))
		}
		have = append(have, Messenger(c.Transport))
	}
	fmt.Fprintf(&b, "Đồng chí đã đăng ký trên: %s.\n", strings.Join(have, ", "))
	for _, t := range available {
		fmt.Fprintf(&b, "• /kenh %s — nhận nhắc việc qua %s\n", t, Messenger(t))
	}
	return strings.TrimRight(b.String(), "\n")
}

// ChannelSet confirms /kenh with a messenger the officer has.
func ChannelSet(transport string) string {
	return fmt.Sprintf("Từ nay nhắc việc và đề nghị báo cáo gửi qua <b>%s</b>. Tin trả lời trên kênh nào cũng được ghi nhận, không gửi trùng.", Messenger(transport))
}

// ChannelLinkTyped gives the code that adds a typed-code messenger
// (Zalo) to the officer's registration.
func ChannelLinkTyped(transport, bot, code string, expires plan.Date) string {
	where := "bot " + Messenger(transport) + " của phường"
	if bot != "" {
		where = "bot " + Messenger(transport) + " «" + bot + "»"
	}
	return fmt.Sprintf("Để nhận tin qua %s: mở %s và gõ\n<b>DK %s</b>\nHạn dùng: %s. Sau đó gõ /kenh %s để nhắc việc gửi qua %s.",
		Messenger(transport), plan.EscapeHTML(where), plan.EscapeHTML(code), expires.Vietnamese(), transport, Messenger(transport))
}

// ChannelLink gives the link that adds a messenger with invite links
// (Telegram) to the officer's registration.
func ChannelLink(transport, link string, expires plan.Date) string {
	return fmt.Sprintf("Để nhận tin qua %s: mở đường liên kết sau trên điện thoại có %s:\n%s\nHạn dùng: %s. Sau đó gõ /kenh %s để nhắc việc gửi qua %s.",
		Messenger(transport), Messenger(transport), plan.EscapeHTML(link), expires.Vietnamese(), transport, Messenger(transport))
}

// ChannelUnknown refuses /kenh with a messenger the bot does not serve.
func ChannelUnknown(typed string, available []string) string {
	return fmt.Sprintf("Bot không có kênh %q. Các kênh đang dùng: %s.", typed, strings.Join(available, ", "))
}

// CmdChannel describes /kenh.
const (
	CmdChannel   = "Chọn kênh nhận nhắc việc (Telegram / Zalo)"
	CmdChannelEN = "Choose the messenger for reminders"
)

// WhichOfRequest asks, on a messenger without reply-to, which task of the
// latest request a bare figure is for, by its number there.
func WhichOfRequest(codes []string) string {
	var b strings.Builder
	b.WriteString("Tin đề nghị báo cáo gần nhất có nhiều nhiệm vụ:\n")
	for i, c := range codes {
		fmt.Fprintf(&b, "%d. %s\n", i+1, c)
	}
	fmt.Fprintf(&b, "Đồng chí gõ số thứ tự trước số liệu, ví dụ: \"%d. 80%%\" hoặc mã nhiệm vụ: \"%s 80%%\".", len(codes), codes[len(codes)-1])
	return b.String()
}

// QuotaWarning tells the secretariat that a messenger's monthly quota is
// nearly used.
func QuotaWarning(messenger string, used, monthly int64, month string) string {
	return fmt.Sprintf("⚠️ Bot %s đã gửi %s/%s tin nhắn của hạn mức tháng %s (%d%%). Bot sẽ ưu tiên nhắc việc và đề nghị báo cáo; từ 90%% các bản sao để biết sẽ tạm dừng. Đề nghị Văn phòng nâng gói hoặc chuyển bớt cán bộ sang Telegram (/kenh).",
		messenger, Number(float64(used)), Number(float64(monthly)), monthVN(month), used*100/max(monthly, 1))
}

// monthVN shows "2023-05" as "5/2023".
func monthVN(month string) string {
	y, m, ok := strings.Cut(month, "-")
	if !ok {
		return month
	}
	return strings.TrimLeft(m, "0") + "/" + y
}
