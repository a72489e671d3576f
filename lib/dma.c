// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libmmfdev: DMA buffers: the device's limits, allocation, freeing,
 * descriptions with every segment, and syncs.
 *
 * Only the handle's public accessors are used here.  Every call checks the
 * device flags read at open, so that a module older than DMA buffers
 * (which reports no MMFDEV_DEVICE_FLAG_DMA) never sees these ioctls.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include <linux/mmfdev.h>

#include "mmfdev.h"

/* The public names are the ABI's values: lib/abi.c checks them. */

struct mmfdev_dma_desc {
	unsigned int kind;
	unsigned int flags;
	uint64_t size;
	uint64_t dma_mask;
	uint64_t bus_addr;
	unsigned int num_segments;
	struct mmfdev_dma_segment segments[];
};

/* Room for segments in the first MMFDEV_IOC_DMA_INFO: most have few. */
#define DESCRIBE_ROOM	16
/* MMFDEV_IOC_DMA_INFO calls before a buffer that keeps changing wins. */
#define DESCRIBE_TRIES	4

#define SYNC_DIRECTIONS	(MMFDEV_DMA_SYNC_TO_DEVICE | MMFDEV_DMA_SYNC_FROM_DEVICE)
#define SYNC_SIDES	(MMFDEV_DMA_SYNC_FOR_CPU | MMFDEV_DMA_SYNC_FOR_DEVICE)

/* Can @dev have DMA buffers at all? */
static int check_dma(const struct mmfdev *dev)
{
	if (!dev)
		return -EINVAL;
	if (!(mmfdev_get_device_flags(dev) & MMFDEV_DEVICE_FLAG_DMA))
		return -EOPNOTSUPP;
	return 0;
}

/* ... and is @index one of its regions, so possibly a buffer? */
static int check_buffer(const struct mmfdev *dev, unsigned int index)
{
	int ret;

	ret = check_dma(dev);
	if (ret)
		return ret;
	if (index >= mmfdev_get_num_regions(dev))
		return -EINVAL;
	return 0;
}

MMFDEV_API int mmfdev_get_dma_limits(struct mmfdev *dev, uint64_t *mask,
				     uint64_t *quota, uint64_t *used)
{
	struct mmfdev_device_info info;
	const size_t known = offsetof(struct mmfdev_device_info, dma_used) +
			     sizeof(info.dma_used);
	int ret;

	ret = check_dma(dev);
	if (ret)
		return ret;
	memset(&info, 0, sizeof(info));
	info.argsz = sizeof(info);
	if (ioctl(mmfdev_get_fd(dev), MMFDEV_IOC_DEVICE_INFO, &info))
		return -errno;
	/* A module that has DMA buffers fills their fields. */
	if (!(info.flags & MMFDEV_DEVICE_FLAG_DMA) || info.argsz < known)
		return -EOPNOTSUPP;
	if (mask)
		*mask = info.dma_mask;
	if (quota)
		*quota = info.dma_quota;
	if (used)
		*used = info.dma_used;
	return 0;
}

MMFDEV_API int mmfdev_dma_alloc(struct mmfdev *dev, unsigned int kind,
				uint64_t size, unsigned int *index)
{
	struct mmfdev_dma_alloc arg;
	size_t page;
	int ret;

	if (!dev || !index)
		return -EINVAL;
	if (kind != MMFDEV_DMA_KIND_COHERENT &&
	    kind != MMFDEV_DMA_KIND_STREAMING &&
	    kind != MMFDEV_DMA_KIND_CONTIGUOUS)
		return -EINVAL;
	page = mmfdev_get_page_size(dev);
	if (!size || !page || size % page)
		return -EINVAL;
	ret = check_dma(dev);
	if (ret)
		return ret;

	memset(&arg, 0, sizeof(arg));
	arg.argsz = sizeof(arg);
	arg.kind = kind;
	arg.size = size;
	if (ioctl(mmfdev_get_fd(dev), MMFDEV_IOC_DMA_ALLOC, &arg))
		return -errno;
	*index = arg.index;
	return 0;
}

MMFDEV_API int mmfdev_dma_free(struct mmfdev *dev, unsigned int index)
{
	struct mmfdev_dma_free arg;
	int ret;

	ret = check_buffer(dev, index);
	if (ret)
		return ret;
	memset(&arg, 0, sizeof(arg));
	arg.argsz = sizeof(arg);
	arg.index = index;
	if (ioctl(mmfdev_get_fd(dev), MMFDEV_IOC_DMA_FREE, &arg))
		return -errno;
	return 0;
}

MMFDEV_API int mmfdev_dma_sync(struct mmfdev *dev, unsigned int index,
			       unsigned int flags, uint64_t offset,
			       uint64_t length)
{
	const unsigned int side = flags & SYNC_SIDES;
	struct mmfdev_dma_sync arg;
	int ret;

	if (!dev || (flags & ~(SYNC_DIRECTIONS | SYNC_SIDES)) ||
	    !(flags & SYNC_DIRECTIONS) ||
	    (side != MMFDEV_DMA_SYNC_FOR_CPU &&
	     side != MMFDEV_DMA_SYNC_FOR_DEVICE))
		return -EINVAL;
	if (!length || offset > UINT64_MAX - length)
		return -EINVAL;
	ret = check_buffer(dev, index);
	if (ret)
		return ret;

	memset(&arg, 0, sizeof(arg));
	arg.argsz = sizeof(arg);
	arg.index = index;
	arg.flags = flags;
	arg.offset = offset;
	arg.length = length;
	if (ioctl(mmfdev_get_fd(dev), MMFDEV_IOC_DMA_SYNC, &arg))
		return -errno;
	return 0;
}

MMFDEV_API int mmfdev_dma_export(struct mmfdev *dev, unsigned int index,
				 uint64_t offset, uint64_t length,
				 unsigned int flags, int *fdp)
{
	struct mmfdev_dma_export arg;
	int ret;

	if (!dev || !fdp || (flags & ~MMFDEV_DMA_EXPORT_RDONLY))
		return -EINVAL;
	ret = check_buffer(dev, index);
	if (ret)
		return ret;

	memset(&arg, 0, sizeof(arg));
	arg.argsz = sizeof(arg);
	arg.index = index;
	arg.flags = O_CLOEXEC |
		    ((flags & MMFDEV_DMA_EXPORT_RDONLY) ? O_RDONLY : O_RDWR);
	arg.offset = offset;
	arg.length = length;
	if (ioctl(mmfdev_get_fd(dev), MMFDEV_IOC_DMA_EXPORT, &arg))
		return -errno;
	*fdp = arg.fd;
	return 0;
}

/*
 * MMFDEV_IOC_DMA_INFO with room for every segment: the kernel says in
 * @argsz how much room they all take, so ask again with that much until
 * they fit.  Only a buffer freed and allocated anew in between changes
 * their number; give up after a few such rounds.
 */
static int query_dma(struct mmfdev *dev, unsigned int index,
		     struct mmfdev_dma_info **infop)
{
	const size_t seg = sizeof(struct mmfdev_dma_segment);
	size_t room = DESCRIBE_ROOM;
	struct mmfdev_dma_info *info;
	int tries, ret;

	for (tries = 0; tries < DESCRIBE_TRIES; tries++) {
		size_t argsz = sizeof(*info) + room * seg;

		info = calloc(1, argsz);
		if (!info)
			return -ENOMEM;
		info->argsz = argsz;
		info->index = index;
		if (ioctl(mmfdev_get_fd(dev), MMFDEV_IOC_DMA_INFO, info)) {
			ret = -errno;
			free(info);
			return ret;
		}
		if (info->argsz <= argsz && info->num_segments <= room) {
			*infop = info;
			return 0;
		}
		/* The kernel's @argsz is a __u32: this never overflows. */
		if (info->argsz > argsz)
			room = (info->argsz - sizeof(*info)) / seg;
		free(info);
	}
	return -EAGAIN;
}

MMFDEV_API int mmfdev_dma_describe(struct mmfdev *dev, unsigned int index,
				   struct mmfdev_dma_desc **descp)
{
	struct mmfdev_dma_info *info = NULL;
	struct mmfdev_dma_desc *desc;
	size_t n;
	int ret;

	if (!descp)
		return -EINVAL;
	ret = check_buffer(dev, index);
	if (ret)
		return ret;
	ret = query_dma(dev, index, &info);
	if (ret)
		return ret;

	n = info->num_segments;
	desc = malloc(sizeof(*desc) + n * sizeof(desc->segments[0]));
	if (!desc) {
		free(info);
		return -ENOMEM;
	}
	desc->kind = info->kind;
	desc->flags = info->flags;
	desc->size = info->size;
	desc->dma_mask = info->dma_mask;
	desc->bus_addr = info->bus_addr;
	desc->num_segments = n;
	memcpy(desc->segments, info->segments, n * sizeof(desc->segments[0]));
	free(info);
	*descp = desc;
	return 0;
}

MMFDEV_API void mmfdev_dma_desc_free(struct mmfdev_dma_desc *desc)
{
	free(desc);
}

MMFDEV_API unsigned int
mmfdev_dma_desc_get_kind(const struct mmfdev_dma_desc *desc)
{
	return desc->kind;
}

MMFDEV_API unsigned int
mmfdev_dma_desc_get_flags(const struct mmfdev_dma_desc *desc)
{
	return desc->flags;
}

MMFDEV_API uint64_t
mmfdev_dma_desc_get_size(const struct mmfdev_dma_desc *desc)
{
	return desc->size;
}

MMFDEV_API uint64_t
mmfdev_dma_desc_get_dma_mask(const struct mmfdev_dma_desc *desc)
{
	return desc->dma_mask;
}

MMFDEV_API uint64_t
mmfdev_dma_desc_get_bus_addr(const struct mmfdev_dma_desc *desc)
{
	return desc->bus_addr;
}

MMFDEV_API unsigned int
mmfdev_dma_desc_get_num_segments(const struct mmfdev_dma_desc *desc)
{
	return desc->num_segments;
}

MMFDEV_API int mmfdev_dma_desc_get_segment(const struct mmfdev_dma_desc *desc,
					   unsigned int i, uint64_t *addr,
					   uint64_t *len)
{
	if (!desc || i >= desc->num_segments)
		return -EINVAL;
	if (addr)
		*addr = desc->segments[i].addr;
	if (len)
		*len = desc->segments[i].len;
	return 0;
}
