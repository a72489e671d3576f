// SPDX-License-Identifier: GPL-2.0-only
/*
 * mmfdev RAM regions: zero-filled kernel memory that belongs to the device.
 *
 * The buffer comes from vmalloc_user(), which zeroes it and makes it
 * mappable with remap_vmalloc_range().  It lives as long as the device, so
 * its bytes outlive every file and every process that wrote them.
 */
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include "mmfdev.h"

/*
 * The buffer lives as long as the device, and the default device cannot go
 * while anything is mapped (the module is pinned), so fill the whole VMA
 * now: no faults later.
 */
static int ram_mmap(struct mmfdev_region *region, struct vm_area_struct *vma,
		    unsigned long pgoff)
{
	return remap_vmalloc_range(vma, region->priv, pgoff);
}

static void ram_read(struct mmfdev_region *region, void *buf, size_t len,
		     u64 off)
{
	memcpy(buf, region->priv + off, len);
}

static void ram_write(struct mmfdev_region *region, const void *buf,
		      size_t len, u64 off)
{
	memcpy(region->priv + off, buf, len);
}

static int ram_sync(struct mmfdev_region *region)
{
	/*
	 * Every mapping, read and write goes through the same cacheable
	 * pages, so there is nothing to write back; order earlier stores
	 * before whatever the caller does next.
	 */
	smp_mb();
	return 0;
}

static void ram_release(struct mmfdev_region *region)
{
	vfree(region->priv);
	region->priv = NULL;
}

static const struct mmfdev_region_ops ram_ops = {
	.mmap = ram_mmap,
	.read = ram_read,
	.write = ram_write,
	.sync = ram_sync,
	.release = ram_release,
};

/**
 * mmfdev_ram_region_init() - make @region a zero-filled RAM region
 * @region:	an unused slot of a device's region table
 * @name:	region name
 * @size:	size in bytes, a non-zero multiple of PAGE_SIZE
 *
 * Return: 0, -EINVAL for a bad size, or -ENOMEM.
 */
int mmfdev_ram_region_init(struct mmfdev_region *region, const char *name,
			   u64 size)
{
	void *buf;

	if (!size || !PAGE_ALIGNED(size) || size > MMFDEV_REGION_MAX_SIZE)
		return -EINVAL;

	buf = vmalloc_user(size);
	if (!buf)
		return -ENOMEM;

	region->ops = &ram_ops;
	region->kind = MMFDEV_REGION_KIND_RAM;
	region->flags = MMFDEV_REGION_FLAG_READ | MMFDEV_REGION_FLAG_WRITE |
			MMFDEV_REGION_FLAG_MMAP;
	/* Never alias the kernel's cacheable mapping with another type. */
	region->cache_modes = MMFDEV_CACHE_BIT(MMFDEV_CACHE_WB);
	region->cache_default = MMFDEV_CACHE_WB;
	region->size = size;
	region->priv = buf;
	strscpy(region->name, name, sizeof(region->name));
	return 0;
}
