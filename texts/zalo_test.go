package texts

import (
	"strings"
	"testing"
)

func TestFileLink(t *testing.T) {
	got := FileLink("Tổng hợp <tháng 4>.xlsx", "https://planbot.example/f?a=1&b=2")
	for _, want := range []string{"Tổng hợp &lt;tháng 4&gt;.xlsx", "https://planbot.example/f?a=1&amp;b=2"} {
		if !strings.Contains(got, want) {
			t.Errorf("FileLink = %q, want it to contain %q", got, want)
		}
	}
	if !strings.Contains(ZaloTextOnly, "/huongdan") {
		t.Errorf("ZaloTextOnly does not point to /huongdan: %q", ZaloTextOnly)
	}
}
