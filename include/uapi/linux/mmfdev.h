/* SPDX-License-Identifier: GPL-2.0-only WITH Linux-syscall-note */
/*
 * mmfdev: map device memory into a process's address space.
 *
 * This is the ABI shared by the mmfdev kernel module and libmmfdev.
 *
 * Every ioctl argument starts with @argsz, the size of the structure as
 * the caller knows it (the VFIO pattern).  The kernel reads and writes at
 * most @argsz bytes, refuses an @argsz smaller than the first version of
 * the structure with EINVAL, and on return sets @argsz to the size it
 * knows, so old and new userspace both keep working as fields are added
 * at the end.
 *
 * Each region has its own window in the file offset space of the node.
 * The window starts at the region's @offset, reported by
 * MMFDEV_IOC_REGION_INFO; userspace never computes it.  The same offset
 * is used for mmap(), pread() and pwrite().  A mapping that wants another
 * cache mode than the region's default uses @cache_offset[mode] instead.
 * Offsets do not depend on the page size and stay below 2^44, so 32-bit
 * processes can use them.
 */
#ifndef _UAPI_LINUX_MMFDEV_H
#define _UAPI_LINUX_MMFDEV_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define MMFDEV_API_VERSION	1
#define MMFDEV_NAME_MAX		32

#define MMFDEV_IOC_MAGIC	0xD6

/**
 * struct mmfdev_device_info - MMFDEV_IOC_DEVICE_INFO
 * @argsz:	in: size of the caller's structure; out: size the kernel knows
 * @flags:	out: MMFDEV_DEVICE_FLAG_* (0 from modules before DMA buffers)
 * @api_version: out: MMFDEV_API_VERSION of the kernel module
 * @num_regions: out: regions are numbered 0 .. @num_regions - 1
 * @page_size:	out: PAGE_SIZE of the running kernel, in bytes
 * @num_events:	out: event lines are numbered 0 .. @num_events - 1 (0 from
 *		modules older than the event ABI, which called it reserved)
 * @name:	out: device name, NUL-terminated (e.g. "mmfdev")
 * @dma_mask:	out: the addresses the device can reach, as its DMA mask
 *		(0: no DMA buffers; see MMFDEV_DEVICE_FLAG_DMA)
 * @dma_quota:	out: bytes of DMA buffers the device may hold at once
 * @dma_used:	out: bytes of memory its buffers hold now, freed ones
 *		that wait for the device to be quiesced, or that a dma-buf
 *		still holds, included
 *
 * The fields from @dma_mask on came with DMA buffers: an older module
 * leaves them as they were, and says so by a smaller @argsz on return.
 *
 * Errors: EFAULT (bad pointer), EINVAL (@argsz too small), ENODEV (the
 * device is gone: unbound or removed).
 */
struct mmfdev_device_info {
	__u32 argsz;
	__u32 flags;
	__u32 api_version;
	__u32 num_regions;
	__u32 page_size;
	__u32 num_events;
	char name[MMFDEV_NAME_MAX];
	__u64 dma_mask;
	__u64 dma_quota;
	__u64 dma_used;
};

/* The device can have DMA buffers (PCI devices and device-tree nodes). */
#define MMFDEV_DEVICE_FLAG_DMA		(1U << 0)
/* An IOMMU translates the device's DMA: bus addresses are IOVAs. */
#define MMFDEV_DEVICE_FLAG_IOMMU	(1U << 1)
/* The device's DMA is cache-coherent with the CPUs. */
#define MMFDEV_DEVICE_FLAG_DMA_COHERENT	(1U << 2)
/*
 * Whoever opens the node can reach all of memory: a device that can
 * master the bus with no IOMMU to confine it, or raw physical ranges.
 * Opening it needs CAP_SYS_RAWIO, and kernel lockdown refuses it.
 */
#define MMFDEV_DEVICE_FLAG_ALL_MEMORY	(1U << 3)

#define MMFDEV_IOC_DEVICE_INFO	_IO(MMFDEV_IOC_MAGIC, 0x00)

/* Region kinds */
#define MMFDEV_REGION_KIND_NONE		0	/* empty slot, e.g. unused BAR */
#define MMFDEV_REGION_KIND_RAM		1	/* kernel-allocated RAM */
#define MMFDEV_REGION_KIND_MMIO		2	/* device registers, PCI BAR */
#define MMFDEV_REGION_KIND_RESERVED	3	/* reserved memory (RAM-like) */
#define MMFDEV_REGION_KIND_IOPORT	4	/* x86 I/O ports: listed only */
#define MMFDEV_REGION_KIND_DMA		5	/* DMA buffer (MMFDEV_IOC_DMA_*) */

/* Region flags */
#define MMFDEV_REGION_FLAG_READ		(1U << 0)	/* pread() allowed */
#define MMFDEV_REGION_FLAG_WRITE	(1U << 1)	/* pwrite() allowed */
#define MMFDEV_REGION_FLAG_MMAP		(1U << 2)	/* mmap() allowed */
/*
 * pread()/pwrite() must be one access of 1, 2, 4 or 8 bytes at an offset
 * aligned to its size; anything else is refused with EINVAL.
 */
#define MMFDEV_REGION_FLAG_SIZED	(1U << 3)
/*
 * The range is shared with the driver that owns it: the user opted in
 * ("mmfdev,shared" in the device tree, ":shared" in the phys= parameter),
 * and mmfdev maps it without requesting it.  That driver may change the
 * registers under any mapping, and expects to be the only one touching
 * them.
 */
#define MMFDEV_REGION_FLAG_SHARED	(1U << 4)
/*
 * A DMA buffer whose CPU and device views differ until synced: call
 * MMFDEV_IOC_DMA_SYNC around every transfer.
 */
#define MMFDEV_REGION_FLAG_DMA_SYNC	(1U << 5)

/*
 * Cache modes.  @cache_modes holds MMFDEV_CACHE_BIT(mode) for each mode a
 * mapping of the region may use; @cache_default is the mode of a mapping
 * made at @offset.
 */
#define MMFDEV_CACHE_UC			1	/* uncached (device) */
#define MMFDEV_CACHE_WC			2	/* write-combining */
#define MMFDEV_CACHE_WB			3	/* write-back (RAM-like only) */
#define MMFDEV_CACHE_NR			4
#define MMFDEV_CACHE_BIT(mode)		(1U << (mode))
#define MMFDEV_OFFSET_INVALID		(~(__u64)0)

/**
 * struct mmfdev_region_info - MMFDEV_IOC_REGION_INFO
 * @argsz:	in: size of the caller's structure; out: size the kernel knows
 * @index:	in: region number, below mmfdev_device_info.num_regions
 * @flags:	out: MMFDEV_REGION_FLAG_*
 * @kind:	out: MMFDEV_REGION_KIND_*
 * @size:	out: size in bytes (a multiple of the page size if mappable)
 * @offset:	out: start of the region's window for mmap()/pread()/pwrite()
 * @cache_modes: out: MMFDEV_CACHE_BIT() of each mode a mapping may use
 * @cache_default: out: the MMFDEV_CACHE_* mode a mapping at @offset gets
 * @name:	out: region name, NUL-terminated (e.g. "ram", "bar0")
 * @cache_offset: out: where to mmap() the region to get mode i, for each
 *		mode i set in @cache_modes; MMFDEV_OFFSET_INVALID for the others
 *		and for index 0
 *
 * Errors: EFAULT (bad pointer), EINVAL (@argsz too small, @index out of
 * range), ENODEV (the device is gone).
 */
struct mmfdev_region_info {
	__u32 argsz;
	__u32 index;
	__u32 flags;
	__u32 kind;
	__u64 size;
	__u64 offset;
	__u32 cache_modes;
	__u32 cache_default;
	char name[MMFDEV_NAME_MAX];
	__u64 cache_offset[MMFDEV_CACHE_NR];
};

#define MMFDEV_IOC_REGION_INFO	_IO(MMFDEV_IOC_MAGIC, 0x01)

/**
 * struct mmfdev_mapping_info - MMFDEV_IOC_MAPPING_INFO
 * @argsz:	in: size of the caller's structure; out: size the kernel knows
 * @flags:	out: reserved, 0
 * @addr:	in: an address inside a mapping of this device by the caller
 * @start:	out: start of that mapping
 * @length:	out: its length in bytes
 * @offset:	out: where it starts inside its region
 * @index:	out: its region
 * @cache_mode:	out: the MMFDEV_CACHE_* mode the mapping got
 *
 * Errors: EFAULT (bad pointer), EINVAL (@argsz too small, @addr is not in
 * a mapping of this device), ENODEV (the device is gone).
 */
struct mmfdev_mapping_info {
	__u32 argsz;
	__u32 flags;
	__u64 addr;
	__u64 start;
	__u64 length;
	__u64 offset;
	__u32 index;
	__u32 cache_mode;
};

#define MMFDEV_IOC_MAPPING_INFO	_IO(MMFDEV_IOC_MAGIC, 0x02)

/*
 * Events.  A device has numbered event lines: its hardware interrupts
 * first (PCI MSI-X, MSI or INTx, in that order of preference; the
 * device-tree node's "interrupts"), then its software doorbells, which any
 * opener with write access can ring.
 *
 * The kernel counts every event of every line, whether anyone waits or
 * not, and keeps the CLOCK_MONOTONIC time of the latest.  Each open file
 * remembers the count it last looked at, per line: MMFDEV_IOC_EVENT_STATUS
 * tells how many events came since (so missed events show as a number,
 * never merged away) and moves the file's mark.  A file waits with
 * MMFDEV_IOC_EVENT_WAIT, with poll()/epoll (POLLIN: some line has events
 * this file has not looked at; POLLHUP|POLLERR: the device is gone), or
 * through an eventfd bound to a line.
 *
 * A level-triggered line is masked by the kernel when it fires (at the
 * device for PCI INTx, at the interrupt controller otherwise) and stays
 * masked until userspace, having quieted the device, calls
 * MMFDEV_IOC_EVENT_UNMASK.  If the device still asserts the line then,
 * that counts as a new event and the line stays masked: no lost wakeup,
 * no interrupt storm.  Edge, MSI and MSI-X lines and doorbells are never
 * masked.
 *
 * When the device goes away, every waiter returns ENODEV.
 */
#define MMFDEV_MAX_EVENTS		64

/* Event line kinds */
#define MMFDEV_EVENT_KIND_DOORBELL	1	/* rung by MMFDEV_IOC_EVENT_RING */
#define MMFDEV_EVENT_KIND_MSIX		2	/* PCI MSI-X vector */
#define MMFDEV_EVENT_KIND_MSI		3	/* PCI MSI vector */
#define MMFDEV_EVENT_KIND_INTX		4	/* PCI INTx (level, shared) */
#define MMFDEV_EVENT_KIND_IRQ		5	/* device-tree interrupt */

/* Trigger types */
#define MMFDEV_EVENT_TRIGGER_EDGE	1	/* and MSI, and doorbells */
#define MMFDEV_EVENT_TRIGGER_LEVEL	2

/* Event line flags */
#define MMFDEV_EVENT_FLAG_UNMASK	(1U << 0)	/* needs EVENT_UNMASK */
#define MMFDEV_EVENT_FLAG_RING		(1U << 1)	/* EVENT_RING works */
#define MMFDEV_EVENT_FLAG_MASKED	(1U << 2)	/* masked right now */

/**
 * struct mmfdev_event_info - MMFDEV_IOC_EVENT_INFO
 * @argsz:	in: size of the caller's structure; out: size the kernel knows
 * @index:	in: line number, below mmfdev_device_info.num_events
 * @kind:	out: MMFDEV_EVENT_KIND_*
 * @trigger:	out: MMFDEV_EVENT_TRIGGER_*
 * @flags:	out: MMFDEV_EVENT_FLAG_*
 * @reserved:	out: 0
 * @name:	out: line name, NUL-terminated (e.g. "msi0", "doorbell1")
 *
 * Errors: EFAULT, EINVAL (@argsz too small, @index out of range), ENODEV.
 */
struct mmfdev_event_info {
	__u32 argsz;
	__u32 index;
	__u32 kind;
	__u32 trigger;
	__u32 flags;
	__u32 reserved;
	char name[MMFDEV_NAME_MAX];
};

#define MMFDEV_IOC_EVENT_INFO	_IO(MMFDEV_IOC_MAGIC, 0x03)

/* mmfdev_event_status.flags: look without moving this file's mark. */
#define MMFDEV_EVENT_STATUS_PEEK	(1U << 0)

/**
 * struct mmfdev_event_status - MMFDEV_IOC_EVENT_STATUS
 * @argsz:	in: size of the caller's structure; out: size the kernel knows
 * @index:	in: line number
 * @flags:	in: MMFDEV_EVENT_STATUS_PEEK or 0
 * @reserved:	in: 0
 * @count:	out: events of the line since the device appeared
 * @new_events:	out: events since this file last looked (then, unless
 *		PEEK, the file's mark moves to @count)
 * @timestamp_ns: out: CLOCK_MONOTONIC time of the latest event, in ns;
 *		0 if the line never fired
 *
 * Errors: EFAULT, EINVAL (@argsz too small, bad @index or @flags),
 * ENODEV.
 */
struct mmfdev_event_status {
	__u32 argsz;
	__u32 index;
	__u32 flags;
	__u32 reserved;
	__u64 count;
	__u64 new_events;
	__u64 timestamp_ns;
};

#define MMFDEV_IOC_EVENT_STATUS	_IO(MMFDEV_IOC_MAGIC, 0x04)

/**
 * struct mmfdev_event_wait - MMFDEV_IOC_EVENT_WAIT
 * @argsz:	in: size of the caller's structure; out: size the kernel knows
 * @flags:	in: 0
 * @lines:	in: bit i set to wait for line i; 0 means every line
 * @timeout_ns:	in: how long to wait at most; negative: no limit; 0: only
 *		look
 * @pending:	out: the lines of @lines with events this file has not
 *		looked at (MMFDEV_IOC_EVENT_STATUS looks)
 *
 * Returns as soon as one line of @lines has such events; it does not move
 * the file's marks.
 *
 * Errors: EFAULT, EINVAL (@argsz too small, bad @flags, a bit of @lines
 * beyond num_events), ETIMEDOUT (nothing came in @timeout_ns), EINTR (a
 * signal came first), ENODEV (the device went away, before or during the
 * wait).
 */
struct mmfdev_event_wait {
	__u32 argsz;
	__u32 flags;
	__u64 lines;
	__s64 timeout_ns;
	__u64 pending;
};

#define MMFDEV_IOC_EVENT_WAIT	_IO(MMFDEV_IOC_MAGIC, 0x05)

/**
 * struct mmfdev_event_line - MMFDEV_IOC_EVENT_UNMASK, MMFDEV_IOC_EVENT_RING
 * @argsz:	in: size of the caller's structure; out: size the kernel knows
 * @index:	in: line number
 *
 * EVENT_UNMASK unmasks a level-triggered line the kernel masked when it
 * fired; unmasking a line that is not masked does nothing.  EVENT_RING
 * rings a doorbell: one event, to every waiter of every file.
 *
 * Errors: EFAULT, EINVAL (@argsz too small, bad @index, a line without
 * MMFDEV_EVENT_FLAG_UNMASK or MMFDEV_EVENT_FLAG_RING respectively), EBADF
 * (EVENT_RING on a file not open for writing), ENODEV.
 */
struct mmfdev_event_line {
	__u32 argsz;
	__u32 index;
};

#define MMFDEV_IOC_EVENT_UNMASK	_IO(MMFDEV_IOC_MAGIC, 0x06)
#define MMFDEV_IOC_EVENT_RING	_IO(MMFDEV_IOC_MAGIC, 0x07)

/**
 * struct mmfdev_event_eventfd - MMFDEV_IOC_EVENT_EVENTFD
 * @argsz:	in: size of the caller's structure; out: size the kernel knows
 * @index:	in: line number
 * @fd:		in: an eventfd to signal once per event of the line, or -1 to
 *		unbind; a line has at most one, the latest bound
 * @flags:	in: 0
 *
 * The binding belongs to the device, not to the file: it lasts until it
 * is replaced or unbound, or the device goes away.
 *
 * Errors: EFAULT, EINVAL (@argsz too small, bad @index or @flags, @fd is
 * not an eventfd), EBADF (@fd is not an open file), ENODEV.
 */
struct mmfdev_event_eventfd {
	__u32 argsz;
	__u32 index;
	__s32 fd;
	__u32 flags;
};

#define MMFDEV_IOC_EVENT_EVENTFD _IO(MMFDEV_IOC_MAGIC, 0x08)

/*
 * DMA buffers.  A PCI device or device-tree node can have buffers that
 * the device itself reaches: each is a region of its own (kind
 * MMFDEV_REGION_KIND_DMA) in one of the device's free region slots, and
 * maps, reads and writes like any region.  Its bus addresses are the
 * device's: through its IOMMU if one translates for it, after the bus's
 * offset (device-tree dma-ranges), and inside its DMA mask.
 *
 * Kinds:
 *  COHERENT	dma_alloc_coherent(): CPU and device always agree; mapped
 *		write-back on a coherent device, write-combined (uncached)
 *		on a non-coherent one.  Its pages are not struct pages to
 *		userspace: O_DIRECT and other get_user_pages() users get
 *		EFAULT on its mappings.
 *  STREAMING	cached pages, scattered, mapped for the device: fast for
 *		the CPU, but each transfer needs MMFDEV_IOC_DMA_SYNC (see
 *		MMFDEV_REGION_FLAG_DMA_SYNC).  Usable by O_DIRECT, vmsplice
 *		and io_uring.  The device sees one or more segments.
 *  CONTIGUOUS	as STREAMING, but the device sees one range: physically
 *		contiguous pages, or scattered ones that an IOMMU maps as one.
 */
#define MMFDEV_DMA_KIND_COHERENT	1
#define MMFDEV_DMA_KIND_STREAMING	2
#define MMFDEV_DMA_KIND_CONTIGUOUS	3

/**
 * struct mmfdev_dma_alloc - MMFDEV_IOC_DMA_ALLOC
 * @argsz:	in: size of the caller's structure; out: size the kernel knows
 * @flags:	in: 0
 * @kind:	in: MMFDEV_DMA_KIND_*
 * @index:	out: the new buffer's region
 * @size:	in: bytes, a non-zero multiple of the page size
 *
 * The buffer is zeroed.  It belongs to the device, not to the file, and
 * lasts until MMFDEV_IOC_DMA_FREE, until the last file of the device is
 * closed, or until the device goes away.
 *
 * Errors: EFAULT; EINVAL (@argsz too small, bad @flags or @kind, @size
 * zero or not a multiple of the page size); EBADF (file not open for
 * writing); EOPNOTSUPP (the device cannot do DMA: the RAM node, phys=
 * ranges); ENOSPC (no free region slot, or the device's quota would be
 * exceeded); ENOMEM (no such memory the device can reach, e.g. below a
 * narrow DMA mask); E2BIG (@size beyond a region's 64 GiB); ENODEV.
 */
struct mmfdev_dma_alloc {
	__u32 argsz;
	__u32 flags;
	__u32 kind;
	__u32 index;
	__u64 size;
};

#define MMFDEV_IOC_DMA_ALLOC	_IO(MMFDEV_IOC_MAGIC, 0x10)

/**
 * struct mmfdev_dma_free - MMFDEV_IOC_DMA_FREE
 * @argsz:	in: size of the caller's structure; out: size the kernel knows
 * @index:	in: a DMA buffer's region
 *
 * Takes the buffer away: every user mapping of it is revoked (an access
 * gets SIGBUS) and its slot is free again.  The memory itself goes back
 * once nothing can reach it any more: no dma-buf of it is left, and the
 * device can no longer reach it: at once behind an IOMMU (the unmapping
 * keeps the device out), else once the device is quiesced (bus mastering
 * off), when it has no other buffer and no open file uses its MSIs, when
 * its last file is closed, or when it goes away.  Until then the memory
 * counts in dma_used, against the device's quota.
 *
 * Buffers made at probe time (the pci_dma_alloc parameter, the
 * "mmfdev,dma-alloc" device-tree property) last as long as the device.
 *
 * Errors: EFAULT; EINVAL (@argsz too small, @index is not a DMA buffer);
 * EBUSY (a buffer made at probe time); EBADF (file not open for writing);
 * ENODEV.
 */
struct mmfdev_dma_free {
	__u32 argsz;
	__u32 index;
};

#define MMFDEV_IOC_DMA_FREE	_IO(MMFDEV_IOC_MAGIC, 0x11)

/**
 * struct mmfdev_dma_segment - one range of a buffer as the device sees it
 * @addr:	bus address
 * @len:	bytes
 */
struct mmfdev_dma_segment {
	__u64 addr;
	__u64 len;
};

/* mmfdev_dma_info.flags */
#define MMFDEV_DMA_INFO_SYNC		(1U << 0)	/* needs DMA_SYNC */
#define MMFDEV_DMA_INFO_CONTIGUOUS	(1U << 1)	/* one segment */
#define MMFDEV_DMA_INFO_IOMMU		(1U << 2)	/* addresses are IOVAs */

/**
 * struct mmfdev_dma_info - MMFDEV_IOC_DMA_INFO
 * @argsz:	in: size of the caller's structure, with room for its
 *		@segments; out: the size that holds all of them
 * @index:	in: a DMA buffer's region
 * @kind:	out: MMFDEV_DMA_KIND_*
 * @flags:	out: MMFDEV_DMA_INFO_*
 * @size:	out: bytes
 * @dma_mask:	out: the device's DMA mask the buffer was allocated for
 * @bus_addr:	out: the bus address of its first byte
 * @num_segments: out: how many segments the device sees, in all
 * @reserved:	out: 0
 * @segments:	out: as many of them as @argsz leaves room for, in order
 *
 * Physical addresses are not reported: a device does not use them.
 *
 * Errors: EFAULT; EINVAL (@argsz too small, @index is not a DMA buffer);
 * ENODEV.
 */
struct mmfdev_dma_info {
	__u32 argsz;
	__u32 index;
	__u32 kind;
	__u32 flags;
	__u64 size;
	__u64 dma_mask;
	__u64 bus_addr;
	__u32 num_segments;
	__u32 reserved;
	struct mmfdev_dma_segment segments[];
};

#define MMFDEV_IOC_DMA_INFO	_IO(MMFDEV_IOC_MAGIC, 0x12)

/* mmfdev_dma_sync.flags: one direction, */
#define MMFDEV_DMA_SYNC_TO_DEVICE	(1U << 0)	/* the CPU wrote */
#define MMFDEV_DMA_SYNC_FROM_DEVICE	(1U << 1)	/* the device wrote */
#define MMFDEV_DMA_SYNC_BIDIRECTIONAL	(MMFDEV_DMA_SYNC_TO_DEVICE | \
					 MMFDEV_DMA_SYNC_FROM_DEVICE)
/* and one side: who is about to use the range. */
#define MMFDEV_DMA_SYNC_FOR_CPU		(1U << 2)
#define MMFDEV_DMA_SYNC_FOR_DEVICE	(1U << 3)

/**
 * struct mmfdev_dma_sync - MMFDEV_IOC_DMA_SYNC
 * @argsz:	in: size of the caller's structure; out: size the kernel knows
 * @index:	in: a DMA buffer's region
 * @flags:	in: a direction and a side, MMFDEV_DMA_SYNC_*
 * @reserved:	in: 0
 * @offset:	in: start of the range in the buffer, in bytes
 * @length:	in: its length in bytes
 *
 * Before the device reads what the CPU wrote: TO_DEVICE | FOR_DEVICE.
 * After the device wrote, before the CPU reads: FROM_DEVICE | FOR_CPU.
 * A buffer without MMFDEV_REGION_FLAG_DMA_SYNC takes it too, for free.
 *
 * Errors: EFAULT; EINVAL (@argsz too small, @index is not a DMA buffer,
 * bad @flags, @length 0, the range outside the buffer or overflowing);
 * ENODEV.
 */
struct mmfdev_dma_sync {
	__u32 argsz;
	__u32 index;
	__u32 flags;
	__u32 reserved;
	__u64 offset;
	__u64 length;
};

#define MMFDEV_IOC_DMA_SYNC	_IO(MMFDEV_IOC_MAGIC, 0x13)

/**
 * struct mmfdev_dma_export - MMFDEV_IOC_DMA_EXPORT
 * @argsz:	in: size of the caller's structure; out: size the kernel knows
 * @index:	in: a DMA buffer's region
 * @flags:	in: O_CLOEXEC and O_RDWR, as the new file should have them
 *		(without O_RDWR it is read-only: no writable mmap())
 * @fd:		out: the dma-buf
 * @offset:	in: start of the range to export, a multiple of the page size
 * @length:	in: its length, a multiple of the page size; 0: to the end
 *
 * Makes a dma-buf of the buffer, or of a range of it, for another driver
 * to import (V4L2 and DRM PRIME, among others): each importer maps it for
 * its own device.  The dma-buf mmap()s, vmap()s and syncs
 * (DMA_BUF_IOCTL_SYNC) the same memory.  The memory lasts as long as any
 * dma-buf of it, whatever happens to the buffer's region, and the module
 * cannot be unloaded while one exists.  When the device goes away, dynamic
 * importers are told to let go (move_notify) and cannot map it again;
 * static importers keep the memory until they detach.
 *
 * Errors: EFAULT; EINVAL (@argsz too small, @index is not a DMA buffer,
 * bad @flags, a range not page-aligned, empty, or outside the buffer);
 * EBADF (O_RDWR asked of a file not open for writing); EOPNOTSUPP (memory
 * without struct pages, such as a no-map pool, or a kernel without
 * dma-buf); EMFILE, ENFILE, ENOMEM; ENODEV.
 */
struct mmfdev_dma_export {
	__u32 argsz;
	__u32 index;
	__u32 flags;
	__s32 fd;
	__u64 offset;
	__u64 length;
};

#define MMFDEV_IOC_DMA_EXPORT	_IO(MMFDEV_IOC_MAGIC, 0x14)

#endif /* _UAPI_LINUX_MMFDEV_H */
