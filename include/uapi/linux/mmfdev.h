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
 * is used for mmap(), pread() and pwrite().  Offsets do not depend on the
 * page size and stay below 2^44, so 32-bit processes can use them.
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
 * @flags:	out: reserved, 0
 * @api_version: out: MMFDEV_API_VERSION of the kernel module
 * @num_regions: out: regions are numbered 0 .. @num_regions - 1
 * @page_size:	out: PAGE_SIZE of the running kernel, in bytes
 * @reserved:	out: 0
 * @name:	out: device name, NUL-terminated (e.g. "mmfdev")
 *
 * Errors: EFAULT (bad pointer), EINVAL (@argsz too small).
 */
struct mmfdev_device_info {
	__u32 argsz;
	__u32 flags;
	__u32 api_version;
	__u32 num_regions;
	__u32 page_size;
	__u32 reserved;
	char name[MMFDEV_NAME_MAX];
};

#define MMFDEV_IOC_DEVICE_INFO	_IO(MMFDEV_IOC_MAGIC, 0x00)

/* Region kinds */
#define MMFDEV_REGION_KIND_RAM		1	/* kernel-allocated RAM */

/* Region flags */
#define MMFDEV_REGION_FLAG_READ		(1U << 0)	/* pread() allowed */
#define MMFDEV_REGION_FLAG_WRITE	(1U << 1)	/* pwrite() allowed */
#define MMFDEV_REGION_FLAG_MMAP		(1U << 2)	/* mmap() allowed */

/* Cache modes, as bits in @cache_modes and values of @cache_default */
#define MMFDEV_CACHE_WB			(1U << 0)	/* write-back (RAM) */

/**
 * struct mmfdev_region_info - MMFDEV_IOC_REGION_INFO
 * @argsz:	in: size of the caller's structure; out: size the kernel knows
 * @index:	in: region number, below mmfdev_device_info.num_regions
 * @flags:	out: MMFDEV_REGION_FLAG_*
 * @kind:	out: MMFDEV_REGION_KIND_*
 * @size:	out: size in bytes (a multiple of the page size if mappable)
 * @offset:	out: start of the region's window for mmap()/pread()/pwrite()
 * @cache_modes: out: MMFDEV_CACHE_* modes a mapping of the region may use
 * @cache_default: out: the MMFDEV_CACHE_* mode a plain mmap() gets
 * @name:	out: region name, NUL-terminated (e.g. "ram")
 *
 * Errors: EFAULT (bad pointer), EINVAL (@argsz too small, @index out of
 * range).
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
};

#define MMFDEV_IOC_REGION_INFO	_IO(MMFDEV_IOC_MAGIC, 0x01)

#endif /* _UAPI_LINUX_MMFDEV_H */
