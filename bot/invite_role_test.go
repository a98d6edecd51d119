package bot_test

import (
	"strings"
	"testing"

	"github.com/chanhlo/planbot/plan"
)

// The secretariat names roles in Vietnamese, one or two words after the unit.
func TestInviteRoleWords(t *testing.T) {
	e := newEnv(t, telegramCaps)
	e.register("1", "Lê Thư Ký", "Văn phòng phường", plan.RoleSecretariat)
	tests := []struct{ say, want string }{
		{"/moi công an", "cán bộ đầu mối của Công an phường"},
		{"/moi công an phó", "cán bộ dự phòng của Công an phường"},
		{"/moi chủ tịch", "Chủ tịch UBND phường"},
		{"/moi chairman", "Chủ tịch UBND phường"},
		{"/moi thư ký", "thư ký / thường trực"},
	}
	for _, tt := range tests {
		reply := e.say("1", tt.say)
		if !linkCode.MatchString(reply) || !strings.Contains(reply, tt.want) {
			t.Errorf("%s → %s\nwant a link and %q", tt.say, reply, tt.want)
		}
	}
}
