package texts

import (
	"fmt"
	"strings"

	"github.com/chanhlo/planbot/plan"
)

// Texts of the wards (organisations) on the command line: `planbot org
// add`, `org list` and the --org flag every command takes. Plain text.

// OrgChoices lists the wards as --org takes them: "1 (UBND phường),
// quang-phu (UBND phường Quảng Phú)".
func OrgChoices(orgs []plan.Organisation) string {
	parts := make([]string, len(orgs))
	for i, o := range orgs {
		parts[i] = fmt.Sprintf("%s (%s)", o.Ref(), o.Name)
	}
	return strings.Join(parts, ", ")
}

// OrgUnknown says --org named no ward, and lists those there are.
func OrgUnknown(ref string, orgs []plan.Organisation) string {
	return fmt.Sprintf("không có phường %q (--org nhận mã hoặc tên ngắn). Các phường đã có: %s. Xem: planbot org list; thêm: planbot org add --name TÊN --short TÊN_NGẮN", ref, OrgChoices(orgs))
}

// OrgAmbiguous asks for --org when the database holds several wards.
func OrgAmbiguous(orgs []plan.Organisation) string {
	return fmt.Sprintf("cơ sở dữ liệu có %d phường: chọn phường bằng --org (mã hoặc tên ngắn), ví dụ planbot --org %s plan list. Các phường: %s", len(orgs), orgs[len(orgs)-1].Ref(), OrgChoices(orgs))
}

// OrgNone says the database holds no ward at all (organisation 1 was
// removed by hand).
const OrgNone = "cơ sở dữ liệu chưa có phường nào; thêm bằng: planbot org add --name \"UBND phường …\" --short ten-ngan"

// OrgAdded confirms `planbot org add` and says how to use the new ward.
func OrgAdded(o plan.Organisation) string {
	short := "chưa có tên ngắn, dùng mã"
	if o.Short != "" {
		short = "tên ngắn " + o.Short
	}
	return fmt.Sprintf("Đã thêm phường %s (mã %d, %s).\nCác lệnh của phường này dùng --org %s, ví dụ: planbot --org %s plan import TỆP --save\n",
		o.Name, o.ID, short, o.Ref(), o.Ref())
}

// OrgChanged confirms `planbot org set`.
func OrgChanged(o plan.Organisation) string {
	return fmt.Sprintf("Đã sửa phường %s (mã %d): dùng --org %s; thiết lập riêng: %s.\n", o.Name, o.ID, o.Ref(), OrgOverridesLine(o.Overrides))
}

// OrgListHeader is the header row of `planbot org list` (tab-separated).
const OrgListHeader = "MÃ\tTÊN NGẮN\tTÊN\tRIÊNG CỦA PHƯỜNG (còn lại theo tệp cấu hình)"

// OrgOverridesLine describes a ward's own settings for `org list`; "—"
// when it has none.
func OrgOverridesLine(ov plan.OrgOverrides) string {
	var parts []string
	if ov.OrgName != "" {
		parts = append(parts, "tên hiển thị: "+ov.OrgName)
	}
	if ov.Signer != "" {
		parts = append(parts, "người ký: "+ov.Signer)
	}
	if ov.StandingUnit != "" {
		parts = append(parts, "cơ quan thường trực: "+ov.StandingUnit)
	}
	if ov.ZaloMonthlyQuota != nil {
		parts = append(parts, fmt.Sprintf("hạn mức Zalo: %d tin/tháng", *ov.ZaloMonthlyQuota))
	}
	if len(parts) == 0 {
		return "—"
	}
	return strings.Join(parts, "; ")
}

// OrgQuotaInvalid refuses a --zalo-quota that is not a whole number.
func OrgQuotaInvalid(v string) string {
	return fmt.Sprintf("hạn mức Zalo %q không hợp lệ: cần số tin mỗi tháng, ví dụ 2000 (0: không giới hạn)", v)
}

// SignoutOtherOrg refuses to sign out an officer of another ward.
func SignoutOtherOrg(id int64, org plan.Organisation) string {
	return fmt.Sprintf("phường %s (%s) không có cán bộ mã %d; xem mã cán bộ bằng /donvi", org.Ref(), org.Name, id)
}

// InviteRoleOrg refuses an invite whose role does not belong in the
// organisation: the province's officers in the province, a ward's people
// in their ward.
func InviteRoleOrg(role, org string, province bool) string {
	if province {
		return fmt.Sprintf("%s là cấp tỉnh: chỉ mời được cán bộ cấp tỉnh (--role province), không mời %s.", org, role)
	}
	return fmt.Sprintf("%s là xã, phường: cán bộ cấp tỉnh được mời trong tổ chức cấp tỉnh (--org của tỉnh), không mời %s ở đây.", org, role)
}

// InviteProvinceInChat refuses /moi of a province officer in a ward's
// chat.
const InviteProvinceInChat = "Cán bộ cấp tỉnh do quản trị hệ thống mời trong tổ chức cấp tỉnh (lệnh planbot invite --org … --role province), không mời từ phường."

// ProvinceWithoutWards stops serve when only the province is to be
// served: it follows wards, and there are none.
const ProvinceWithoutWards = "Chỉ có tổ chức cấp tỉnh, chưa có xã, phường nào để theo dõi: thêm phường bằng `planbot org add`, hoặc chạy serve không kèm --org của tỉnh."

// OrgProvinceMark follows the province's name in `planbot org list`.
const OrgProvinceMark = "(cấp tỉnh)"

// WardWebhookNeedsPublicURL stops serve when a ward's own bot is to take
// webhooks without planbot's public HTTPS address to take them at.
func WardWebhookNeedsPublicURL(bot string) string {
	return fmt.Sprintf("Bot riêng của phường (%s) nhận tin qua webhook tại địa chỉ công khai của planbot: đặt PLANBOT_PUBLIC_URL (https://…) và http.listen, hoặc chạy chế độ polling (PLANBOT_TELEGRAM_MODE=polling, một bản chạy).", bot)
}
