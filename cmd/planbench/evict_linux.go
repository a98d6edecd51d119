package main

import (
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// evictFromPageCache writes name's pages to disk and drops them from the
// page cache, so that the next process to run it reads it from disk.
func evictFromPageCache(name string) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	// Dirty pages are not dropped: the linker's output may not be on
	// disk yet.
	if err := f.Sync(); err != nil {
		return fmt.Errorf("sync %s: %w", name, err)
	}
	if err := unix.Fadvise(int(f.Fd()), 0, 0, unix.FADV_DONTNEED); err != nil {
		return fmt.Errorf("drop %s from the page cache: %w", name, err)
	}
	return nil
}
