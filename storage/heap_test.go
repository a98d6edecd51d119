package storage

import (
	"runtime"
	"testing"
)

// On the Debian images planbot ships in (glibc), the allocator must take
// the setting: without it SQLite's freed page caches go back to the
// kernel one madvise at a time.
func TestKeepFreedHeap(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the setting is glibc's")
	}
	if !keepFreedHeap(sqliteHeapKept) {
		t.Fatalf("keepFreedHeap(%d) = false: the C allocator refused M_TRIM_THRESHOLD", sqliteHeapKept)
	}
}
