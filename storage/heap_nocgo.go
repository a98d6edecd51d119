//go:build !cgo

package storage

// keepFreedHeap has nothing to tune without cgo: there is no C heap.
func keepFreedHeap(int) bool { return true }
