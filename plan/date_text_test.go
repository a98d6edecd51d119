package plan

import (
	"encoding/json"
	"testing"
)

func TestDateText(t *testing.T) {
	tests := []struct {
		in      string
		want    Date
		wantErr bool
	}{
		{"2023-04-30", NewDate(2023, 4, 30), false},
		{"", Date{}, false},
		{"2023-02-30", Date{}, true},
		{"30/4/2023", Date{}, true},
		{"2023-4-30", Date{}, true},
	}
	for _, tt := range tests {
		var d Date
		err := d.UnmarshalText([]byte(tt.in))
		if (err != nil) != tt.wantErr {
			t.Errorf("UnmarshalText(%q) error = %v, want error %v", tt.in, err, tt.wantErr)
			continue
		}
		if err == nil && d != tt.want {
			t.Errorf("UnmarshalText(%q) = %v, want %v", tt.in, d, tt.want)
		}
	}
}

func TestDateTextMapKey(t *testing.T) {
	m := map[Date]string{NewDate(2023, 1, 2): "x"}
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(b), `{"2023-01-02":"x"}`; got != want {
		t.Fatalf("json map = %s, want %s", got, want)
	}
	var back map[Date]string
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back[NewDate(2023, 1, 2)] != "x" {
		t.Fatalf("round trip = %v", back)
	}
}

func FuzzDateText(f *testing.F) {
	for _, s := range []string{"2023-04-30", "", "0001-01-01", "9999-12-31", "2024-02-29", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var d Date
		if err := d.UnmarshalText([]byte(s)); err != nil {
			return
		}
		b, err := d.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		var back Date
		if err := back.UnmarshalText(b); err != nil {
			t.Fatalf("re-read %q: %v", b, err)
		}
		if back != d {
			t.Fatalf("round trip %q: %v != %v", s, back, d)
		}
	})
}
