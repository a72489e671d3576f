/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * mmfdev internals shared by the core, the region kinds and the bus glue.
 *
 * The core owns the character device, the file operations and the region
 * table.  A region kind (RAM, MMIO, ...) supplies a struct mmfdev_region_ops
 * and never sees a file; bus glue only discovers regions and hands a filled
 * struct mmfdev_device to mmfdev_device_register().
 */
#ifndef _MMFDEV_H
#define _MMFDEV_H

#include <linux/bits.h>
#include <linux/kref.h>
#include <linux/miscdevice.h>
#include <linux/mm_types.h>
#include <linux/types.h>
#include <linux/mmfdev.h>

/*
 * Each region owns a 2^36-byte (64 GiB) window of the file offset space:
 * region i starts at i << MMFDEV_REGION_SHIFT.  That is page aligned for
 * every page size and keeps 256 regions below 2^44.
 */
#define MMFDEV_REGION_SHIFT	36
#define MMFDEV_REGION_MAX_SIZE	BIT_ULL(MMFDEV_REGION_SHIFT)
#define MMFDEV_MAX_REGIONS	256

struct mmfdev_region;

/**
 * struct mmfdev_region_ops - what a region kind provides
 * @mmap:	map @vma onto the region, starting @pgoff pages into it.  The
 *		core has checked that the whole VMA fits inside the region.
 * @read:	copy @len bytes at @off to userspace; the range is inside.
 * @write:	copy @len bytes from userspace to @off; the range is inside.
 * @sync:	make earlier CPU writes visible to the device (fsync/msync).
 * @release:	free what the kind allocated; called once, at the end.
 */
struct mmfdev_region_ops {
	int (*mmap)(struct mmfdev_region *region, struct vm_area_struct *vma,
		    unsigned long pgoff);
	ssize_t (*read)(struct mmfdev_region *region, char __user *buf,
			size_t len, u64 off);
	ssize_t (*write)(struct mmfdev_region *region, const char __user *buf,
			 size_t len, u64 off);
	int (*sync)(struct mmfdev_region *region);
	void (*release)(struct mmfdev_region *region);
};

/**
 * struct mmfdev_region - one region of a device
 * @ops:	the region kind's operations, NULL for an unused slot
 * @kind:	MMFDEV_REGION_KIND_*
 * @flags:	MMFDEV_REGION_FLAG_*
 * @cache_modes: MMFDEV_CACHE_* modes a mapping may use
 * @cache_default: the mode a plain mmap() gets
 * @size:	size in bytes
 * @name:	region name as userspace sees it
 * @priv:	the region kind's data
 */
struct mmfdev_region {
	const struct mmfdev_region_ops *ops;
	u32 kind;
	u32 flags;
	u32 cache_modes;
	u32 cache_default;
	u64 size;
	char name[MMFDEV_NAME_MAX];
	void *priv;
};

/**
 * struct mmfdev_device - one /dev node and its regions
 * @ref:	an open file holds a reference, so does the registration
 * @misc:	the character device
 * @name:	node name, also the device name in MMFDEV_IOC_DEVICE_INFO
 * @nr_regions:	number of entries in @regions
 * @regions:	the region table, indexed by region number
 */
struct mmfdev_device {
	struct kref ref;
	struct miscdevice misc;
	char name[MMFDEV_NAME_MAX];
	unsigned int nr_regions;
	struct mmfdev_region regions[] __counted_by(nr_regions);
};

struct mmfdev_device *mmfdev_device_alloc(const char *name,
					  unsigned int nr_regions);
void mmfdev_device_put(struct mmfdev_device *mdev);
int mmfdev_device_register(struct mmfdev_device *mdev);
void mmfdev_device_unregister(struct mmfdev_device *mdev);

int mmfdev_ram_region_init(struct mmfdev_region *region, const char *name,
			   u64 size);

#endif /* _MMFDEV_H */
