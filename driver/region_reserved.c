// SPDX-License-Identifier: GPL-2.0-only
/*
 * mmfdev reserved-memory regions, a region kind: a carve-out from a
 * device tree's reserved-memory node, RAM the kernel keeps off.  It is
 * mapped and faulted in as the MMIO kind is (the mmfd_phys_* operations
 * of region_mmio.c), since it is a physical range that goes away with
 * its device; only its accesses differ: plain memory copies.
 */
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "internal.h"

static int reserved_read(struct mmfd_region *region, void *buf,
			 size_t len, u64 off)
{
	struct mmfd_phys *p = region->priv;

	memcpy(buf, p->mem + off, len);
	return 0;
}

static int reserved_write(struct mmfd_region *region, const void *buf,
			  size_t len, u64 off)
{
	struct mmfd_phys *p = region->priv;

	memcpy(p->mem + off, buf, len);
	return 0;
}

static int reserved_sync(struct mmfd_region *region)
{
	/* Order earlier stores to the carve-out before what the caller does. */
	smp_mb();
	return 0;
}

static const struct mmfd_region_ops reserved_ops = {
	MMFD_PHYS_REGION_OPS,
	.read = reserved_read,
	.write = reserved_write,
	.sync = reserved_sync,
};

/**
 * mmfd_region_reserved_init() - make @region a reserved-memory carve-out
 * @region:	an unused slot of a device's region table
 * @name:	region name
 * @phys:	physical address (from a reserved-memory node)
 * @size:	size in bytes
 *
 * Reserved memory is RAM-like: mapped write-back by default, and byte
 * accesses are fine.  The reservation itself already keeps the kernel off
 * it, so nothing is requested here.
 *
 * Return: 0, -EINVAL (bad size) or -ENOMEM.
 */
int mmfd_region_reserved_init(struct mmfd_region *region,
			      const char *name, phys_addr_t phys, u64 size)
{
	struct mmfd_phys *p;

	if (!size || size > MMFD_REGION_MAX_SIZE)
		return -EINVAL;

	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	p->phys = phys;
	p->mem = memremap(phys, size, MEMREMAP_WB);
	if (!p->mem) {
		kfree(p);
		return -ENOMEM;
	}

	region->ops = &reserved_ops;
	region->kind = MMFDEV_REGION_KIND_RESERVED;
	region->flags = MMFDEV_REGION_FLAG_READ | MMFDEV_REGION_FLAG_WRITE;
	region->cache_modes = MMFDEV_CACHE_BIT(MMFDEV_CACHE_WB) |
			      MMFDEV_CACHE_BIT(MMFDEV_CACHE_UC) |
			      MMFDEV_CACHE_BIT(MMFDEV_CACHE_WC);
	region->cache_default = MMFDEV_CACHE_WB;
	mmfd_phys_region_fill(region, name, size, p);
	return 0;
}
