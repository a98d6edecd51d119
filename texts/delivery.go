package texts

import (
	"fmt"

	"github.com/chanhlo/planbot/plan"
)

// Texts of the outbox dispatcher (package delivery).

// DeliveryUnreachable tells the secretariat that messages to o can no
// longer be delivered because o blocked the bot (or left the transport).
func DeliveryUnreachable(o *plan.Officer) string {
	where := "đơn vị " + plan.EscapeHTML(o.Unit)
	if o.Unit == "" {
		where = plan.EscapeHTML(o.Role.Vietnamese())
	}
	return fmt.Sprintf("⚠️ Không gửi được tin nhắn cho <b>%s</b> (%s): đã chặn bot.\n"+
		"Đề nghị liên hệ trực tiếp để đồng chí ấy mở lại cuộc trò chuyện với bot; khi đồng chí ấy nhắn lại, bot sẽ gửi tiếp các thông báo sau.",
		plan.EscapeHTML(o.Name), where)
}
