// SPDX-License-Identifier: GPL-2.0-only
/*
 * mmfdev I/O-port and empty regions, a region kind with no operations:
 * a bus's I/O-port ranges (PCI I/O BARs) and its unimplemented slots are
 * listed, so that region numbers match the bus's, but can be neither
 * mapped nor accessed.
 */
#include <linux/string.h>

#include "internal.h"

static const struct mmfd_region_ops ioport_ops = { };

/**
 * mmfd_region_ioport_init() - list an I/O-port range as a region
 * @region:	an unused slot of a device's region table
 * @name:	region name
 * @size:	size in bytes
 *
 * I/O ports have no address a CPU can map: the region is listed so that
 * region numbers match the bus's, with no flags, and every access to it
 * is refused.
 */
void mmfd_region_ioport_init(struct mmfd_region *region,
			     const char *name, u64 size)
{
	region->ops = &ioport_ops;
	region->kind = MMFDEV_REGION_KIND_IOPORT;
	region->size = size;
	strscpy(region->name, name, sizeof(region->name));
}

/**
 * mmfd_region_empty_init() - list an empty slot, so numbers match a bus's
 * @region:	an unused slot of a device's region table
 * @name:	region name
 */
void mmfd_region_empty_init(struct mmfd_region *region, const char *name)
{
	mmfd_region_ioport_init(region, name, 0);
	region->kind = MMFDEV_REGION_KIND_NONE;
}
