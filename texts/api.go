package texts

import (
	"fmt"

	"github.com/chanhlo/planbot/plan"
)

// Errors of the JSON API (web), read by whoever calls it: the message
// of {"error":{"code","message"}}.
const (
	APINoToken      = "Thiếu mã truy cập: gửi kèm tiêu đề Authorization: Bearer pb_… (tạo mã bằng lệnh planbot token create)."
	APIBadToken     = "Mã truy cập không đúng hoặc đã bị thu hồi."
	APIInternal     = "Lỗi máy chủ; vui lòng thử lại sau ít phút."
	APINotFound     = "Không có địa chỉ này trong API; xem docs/openapi.yaml."
	APIReadOnly     = "API chỉ cho phép đọc (GET)."
	APINoPlan       = "Chưa có kế hoạch nào đang chạy."
	APIBadPlanID    = "Tham số plan phải là mã số kế hoạch (cột MÃ của planbot plan list)."
	APIBadPlanPath  = "Mã kế hoạch trong đường dẫn phải là một số."
	APIBadLimit     = "Tham số limit phải là số từ 1 đến 100."
	APIBadLatest    = "Tham số latest phải là true hoặc false."
	APIUnknownParam = "Tham số %q không được hỗ trợ."
)

// APIPlanNotFound says there is no plan with the id.
func APIPlanNotFound(id int64) string { return fmt.Sprintf("Không có kế hoạch mã %d.", id) }

// APIBadPeriod says the period parameter cannot be read.
func APIBadPeriod(v string) string {
	return fmt.Sprintf("Kỳ %q không hợp lệ (ví dụ: 2023-05, 2023-Q2, 2023).", v)
}

// APIUnknown names a parameter the route does not take.
func APIUnknown(name string) string { return fmt.Sprintf(APIUnknownParam, name) }

// Texts of `planbot token`.

// TokenCreated shows a new API token, once.
func TokenCreated(name string, role plan.APIRole, secret string) string {
	return fmt.Sprintf("Đã tạo mã truy cập %q (vai trò %s):\n\n  %s\n\nMã chỉ hiện một lần này: hãy lưu ngay ở nơi an toàn (planbot chỉ giữ bản băm SHA-256).\nDùng: Authorization: Bearer %s\n",
		name, role, secret, secret)
}

// TokenRevoked confirms a revocation.
func TokenRevoked(name string, id int64) string {
	return fmt.Sprintf("Đã thu hồi mã truy cập %q (mã số %d): từ nay API từ chối mã này.", name, id)
}

// TokenNone says there is no API token yet.
const TokenNone = "Chưa có mã truy cập nào. Tạo bằng: planbot token create --name TÊN --role reader"
