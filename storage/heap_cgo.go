//go:build cgo

package storage

/*
#include <stdlib.h>
#if defined(__GLIBC__)
#include <malloc.h>
static int planbot_keep_freed_heap(int bytes) { return mallopt(M_TRIM_THRESHOLD, bytes); }
#else
static int planbot_keep_freed_heap(int bytes) { return 1; }
#endif
*/
import "C"

// keepFreedHeap tells the C allocator to keep up to n bytes of freed
// memory instead of handing it back to the kernel at once. SQLite's page
// caches live in C memory: a connection drops its cache whenever another
// connection has committed, and glibc returned each freed cache with
// madvise — a TLB shootdown across every CPU, which under a hypervisor
// was 11% of a report day's run in perf (docs/benchmarks.md). It reports
// whether the allocator took the setting (only glibc has it; elsewhere
// it is a no-op).
func keepFreedHeap(n int) bool {
	return C.planbot_keep_freed_heap(C.int(n)) == 1
}
