// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libmmfdev: device handles, region discovery and mappings.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <linux/mmfdev.h>

#include "mmfdev.h"

struct mmfdev {
	int fd;
	unsigned int flags;
	unsigned int num_regions;
	unsigned int num_events;
	size_t page_size;
	char name[MMFDEV_NAME_MAX];
};

struct mmfdev_region {
	struct mmfdev_region_info info;
};

/*
 * Is this character device an mmfdev node?  Ask sysfs, as libgpiod does,
 * before sending our ioctls to a driver that may read them differently.
 */
static int check_mmfdev_node(int fd)
{
	char sys[64], *real, *base;
	struct stat st;
	int ret = 0;

	if (fstat(fd, &st))
		return -errno;
	if (!S_ISCHR(st.st_mode))
		return -ENOTTY;

	snprintf(sys, sizeof(sys), "/sys/dev/char/%u:%u",
		 major(st.st_rdev), minor(st.st_rdev));
	real = realpath(sys, NULL);
	if (!real)
		return errno == ENOMEM ? -ENOMEM : -ENODEV;

	base = strrchr(real, '/');
	base = base ? base + 1 : real;
	if (strncmp(base, "mmfdev", strlen("mmfdev")))
		ret = -ENODEV;
	free(real);
	return ret;
}

MMFDEV_API int mmfdev_open(const char *path, unsigned int flags,
			   struct mmfdev **devp)
{
	struct mmfdev_device_info info;
	struct mmfdev *dev;
	int oflags, ret;

	if (!devp || (flags & ~MMFDEV_OPEN_RDONLY))
		return -EINVAL;
	if (!path)
		path = MMFDEV_DEFAULT_PATH;

	dev = calloc(1, sizeof(*dev));
	if (!dev)
		return -ENOMEM;

	oflags = (flags & MMFDEV_OPEN_RDONLY) ? O_RDONLY : O_RDWR;
	dev->fd = open(path, oflags | O_CLOEXEC | O_NOCTTY);
	if (dev->fd < 0) {
		ret = -errno;
		goto err_free_dev;
	}

	ret = check_mmfdev_node(dev->fd);
	if (ret)
		goto err_close_fd;

	memset(&info, 0, sizeof(info));
	info.argsz = sizeof(info);
	if (ioctl(dev->fd, MMFDEV_IOC_DEVICE_INFO, &info)) {
		ret = errno == ENOTTY ? -ENODEV : -errno;
		goto err_close_fd;
	}
	if (info.api_version < MMFDEV_API_VERSION) {
		ret = -EPROTONOSUPPORT;
		goto err_close_fd;
	}

	dev->flags = info.flags;
	dev->num_regions = info.num_regions;
	dev->num_events = info.num_events;
	dev->page_size = info.page_size;
	memcpy(dev->name, info.name, sizeof(dev->name));
	dev->name[sizeof(dev->name) - 1] = '\0';
	*devp = dev;
	return 0;

err_close_fd:
	close(dev->fd);
err_free_dev:
	free(dev);
	return ret;
}

MMFDEV_API int mmfdev_open_by_name(const char *name, unsigned int flags,
				   struct mmfdev **devp)
{
	char path[128];

	if (!name || !*name || strchr(name, '/') ||
	    snprintf(path, sizeof(path), "/dev/%s", name) >= (int)sizeof(path))
		return -EINVAL;
	return mmfdev_open(path, flags, devp);
}

MMFDEV_API void mmfdev_close(struct mmfdev *dev)
{
	if (!dev)
		return;
	close(dev->fd);
	free(dev);
}

MMFDEV_API int mmfdev_get_fd(const struct mmfdev *dev)
{
	return dev ? dev->fd : -EINVAL;
}

MMFDEV_API const char *mmfdev_get_name(const struct mmfdev *dev)
{
	return dev ? dev->name : NULL;
}

MMFDEV_API unsigned int mmfdev_get_num_regions(const struct mmfdev *dev)
{
	return dev ? dev->num_regions : 0;
}

MMFDEV_API unsigned int mmfdev_get_num_events(const struct mmfdev *dev)
{
	return dev ? dev->num_events : 0;
}

MMFDEV_API size_t mmfdev_get_page_size(const struct mmfdev *dev)
{
	return dev ? dev->page_size : 0;
}

MMFDEV_API unsigned int mmfdev_get_device_flags(const struct mmfdev *dev)
{
	return dev ? dev->flags : 0;
}

/* Ask the kernel about region @index; no caching, the kernel owns it. */
static int query_region(struct mmfdev *dev, unsigned int index,
			struct mmfdev_region_info *info)
{
	memset(info, 0, sizeof(*info));
	info->argsz = sizeof(*info);
	info->index = index;
	if (ioctl(dev->fd, MMFDEV_IOC_REGION_INFO, info))
		return -errno;
	info->name[sizeof(info->name) - 1] = '\0';
	return 0;
}

MMFDEV_API int mmfdev_region_get(struct mmfdev *dev, unsigned int index,
				 struct mmfdev_region **regionp)
{
	struct mmfdev_region *region;
	int ret;

	if (!dev || !regionp)
		return -EINVAL;

	region = malloc(sizeof(*region));
	if (!region)
		return -ENOMEM;

	ret = query_region(dev, index, &region->info);
	if (ret) {
		free(region);
		return ret;
	}
	*regionp = region;
	return 0;
}

MMFDEV_API int mmfdev_region_find(struct mmfdev *dev, const char *name,
				  struct mmfdev_region **regionp)
{
	struct mmfdev_region *region;
	unsigned int i;
	int ret;

	if (!dev || !name || !regionp)
		return -EINVAL;

	for (i = 0; i < dev->num_regions; i++) {
		ret = mmfdev_region_get(dev, i, &region);
		if (ret)
			return ret;
		if (!strcmp(region->info.name, name)) {
			*regionp = region;
			return 0;
		}
		mmfdev_region_free(region);
	}
	return -ENOENT;
}

MMFDEV_API void mmfdev_region_free(struct mmfdev_region *region)
{
	free(region);
}

MMFDEV_API unsigned int
mmfdev_region_get_index(const struct mmfdev_region *region)
{
	return region->info.index;
}

MMFDEV_API const char *
mmfdev_region_get_name(const struct mmfdev_region *region)
{
	return region->info.name;
}

MMFDEV_API unsigned int
mmfdev_region_get_kind(const struct mmfdev_region *region)
{
	return region->info.kind;
}

MMFDEV_API unsigned int
mmfdev_region_get_flags(const struct mmfdev_region *region)
{
	return region->info.flags;
}

MMFDEV_API uint64_t mmfdev_region_get_size(const struct mmfdev_region *region)
{
	return region->info.size;
}

MMFDEV_API unsigned int
mmfdev_region_get_cache_modes(const struct mmfdev_region *region)
{
	return region->info.cache_modes;
}

MMFDEV_API unsigned int
mmfdev_region_get_cache_default(const struct mmfdev_region *region)
{
	return region->info.cache_default;
}

MMFDEV_API uint64_t
mmfdev_region_get_offset(const struct mmfdev_region *region)
{
	return region->info.offset;
}

MMFDEV_API int mmfdev_map(struct mmfdev *dev, unsigned int index,
			  uint64_t offset, size_t length, unsigned int prot,
			  void **addrp, size_t *lengthp)
{
	const unsigned int access = MMFDEV_MAP_READ | MMFDEV_MAP_WRITE;
	const unsigned int modes = MMFDEV_MAP_UC | MMFDEV_MAP_WC | MMFDEV_MAP_WB;
	struct mmfdev_region_info info;
	long page = sysconf(_SC_PAGESIZE);
	unsigned int want = prot & modes;
	int mprot = 0, ret;
	uint64_t base;
	void *addr;

	if (!dev || !addrp || !(prot & access) || (prot & ~(access | modes)) ||
	    (want & (want - 1)))
		return -EINVAL;
	if (page <= 0 || offset % page || length % page)
		return -EINVAL;

	ret = query_region(dev, index, &info);
	if (ret)
		return ret;
	base = info.offset;
	if (want) {
		unsigned int mode = want == MMFDEV_MAP_UC ? MMFDEV_CACHE_UC :
				    want == MMFDEV_MAP_WC ? MMFDEV_CACHE_WC :
				    MMFDEV_CACHE_WB;

		if (!(info.flags & MMFDEV_REGION_FLAG_MMAP))
			return -ENODEV;
		base = info.cache_offset[mode];
		if (base == MMFDEV_OFFSET_INVALID)
			return -EOPNOTSUPP;
	}
	if (!length) {
		if (offset >= info.size)
			return -EINVAL;
		if (info.size - offset > SIZE_MAX)
			return -ENOMEM;
		length = info.size - offset;
	}
	/* Let the kernel judge the range, but never let the offset wrap. */
	if (offset > UINT64_MAX - base)
		return -ENXIO;

	if (prot & MMFDEV_MAP_READ)
		mprot |= PROT_READ;
	if (prot & MMFDEV_MAP_WRITE)
		mprot |= PROT_WRITE;

	addr = mmap(NULL, length, mprot, MAP_SHARED, dev->fd,
		    (off_t)(base + offset));
	if (addr == MAP_FAILED)
		return -errno;

	*addrp = addr;
	if (lengthp)
		*lengthp = length;
	return 0;
}

MMFDEV_API int mmfdev_mapping_cache_mode(struct mmfdev *dev,
					 const void *addr)
{
	struct mmfdev_mapping_info info;

	if (!dev)
		return -EINVAL;
	memset(&info, 0, sizeof(info));
	info.argsz = sizeof(info);
	info.addr = (uintptr_t)addr;
	if (ioctl(dev->fd, MMFDEV_IOC_MAPPING_INFO, &info))
		return -errno;
	return (int)info.cache_mode;
}

MMFDEV_API int mmfdev_unmap(void *addr, size_t length)
{
	return munmap(addr, length) ? -errno : 0;
}

MMFDEV_API int mmfdev_sync(void *addr, size_t length)
{
	return msync(addr, length, MS_SYNC) ? -errno : 0;
}

/* The node offset of byte @offset of region @index. */
static int region_pos(struct mmfdev *dev, unsigned int index,
		      uint64_t offset, off_t *pos)
{
	struct mmfdev_region_info info;
	int ret;

	ret = query_region(dev, index, &info);
	if (ret)
		return ret;
	if (offset > (uint64_t)INT64_MAX - info.offset)
		return -EINVAL;
	*pos = (off_t)(info.offset + offset);
	return 0;
}

/* One pread() or pwrite() at @offset of region @index. */
static ssize_t region_io(struct mmfdev *dev, unsigned int index,
			 uint64_t offset, void *buf, size_t length, bool write)
{
	ssize_t n;
	off_t pos;
	int ret;

	if (!dev || (!buf && length))
		return -EINVAL;
	ret = region_pos(dev, index, offset, &pos);
	if (ret)
		return ret;
	n = write ? pwrite(dev->fd, buf, length, pos) :
		    pread(dev->fd, buf, length, pos);
	return n < 0 ? -errno : n;
}

MMFDEV_API ssize_t mmfdev_read(struct mmfdev *dev, unsigned int index,
			       uint64_t offset, void *buf, size_t length)
{
	return region_io(dev, index, offset, buf, length, false);
}

MMFDEV_API ssize_t mmfdev_write(struct mmfdev *dev, unsigned int index,
				uint64_t offset, const void *buf,
				size_t length)
{
	/* pwrite() only reads the buffer: the cast drops no promise. */
	return region_io(dev, index, offset, (void *)buf, length, true);
}

/*
 * Whole-range copies through pread()/pwrite(), for tools that do not map.
 *
 * A MMFDEV_REGION_SIZED region takes one naturally aligned access of 1, 2,
 * 4 or 8 bytes per call; every other readable region takes any length,
 * and a call may still come back short or be interrupted.  These loop
 * until the whole range is done.
 */

/* Check @offset + @length against region @index; fill @info. */
static int region_range(struct mmfdev *dev, unsigned int index,
			uint64_t offset, size_t length,
			struct mmfdev_region_info *info)
{
	int ret;

	if (!dev)
		return -EINVAL;
	ret = query_region(dev, index, info);
	if (ret)
		return ret;
	if (offset > info->size || length > info->size - offset)
		return -ENXIO;
	if (offset + length > (uint64_t)INT64_MAX - info->offset)
		return -ENXIO;
	return 0;
}

/* The widest naturally aligned access (8, 4, 2 or 1) at @pos for @left. */
static size_t sized_width(uint64_t pos, size_t left)
{
	size_t n = 8;

	while (n > 1 && ((pos & (n - 1)) || n > left))
		n >>= 1;
	return n;
}

/* Bytes per pread()/pwrite() call on a region that takes any length. */
#define COPY_CHUNK	(1U << 20)

MMFDEV_API int mmfdev_copy_from_region(struct mmfdev *dev, unsigned int index,
				       uint64_t offset, void *buf,
				       size_t length)
{
	struct mmfdev_region_info info;
	uint8_t *d = buf;
	int ret;

	if (!buf && length)
		return -EINVAL;
	ret = region_range(dev, index, offset, length, &info);
	if (ret)
		return ret;
	while (length) {
		size_t n = length;
		ssize_t got;

		if (info.flags & MMFDEV_REGION_FLAG_SIZED)
			n = sized_width(offset, length);
		else if (n > COPY_CHUNK)
			n = COPY_CHUNK;
		got = pread(dev->fd, d, n, (off_t)(info.offset + offset));
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			return -errno;
		if (got == 0)
			return -ENXIO;	/* the region shrank under us */
		d += got;
		offset += got;
		length -= got;
	}
	return 0;
}

/* Write @length bytes at @offset: from @src, or @src's first byte repeated. */
static int write_range(struct mmfdev *dev, unsigned int index,
		       uint64_t offset, const uint8_t *src, size_t length,
		       int fill)
{
	struct mmfdev_region_info info;
	uint8_t *pattern = NULL;
	int ret;

	ret = region_range(dev, index, offset, length, &info);
	if (ret)
		return ret;
	if (fill && !(info.flags & MMFDEV_REGION_FLAG_SIZED) && length) {
		size_t n = length < COPY_CHUNK ? length : COPY_CHUNK;

		pattern = malloc(n);
		if (!pattern)
			return -ENOMEM;
		memset(pattern, *src, n);
	}
	while (length) {
		size_t n = length;
		const uint8_t *from = src;
		uint8_t word[8];
		ssize_t put;

		if (info.flags & MMFDEV_REGION_FLAG_SIZED) {
			n = sized_width(offset, length);
			if (fill) {
				memset(word, *src, sizeof(word));
				from = word;
			}
		} else {
			if (n > COPY_CHUNK)
				n = COPY_CHUNK;
			if (fill)
				from = pattern;
		}
		put = pwrite(dev->fd, from, n, (off_t)(info.offset + offset));
		if (put < 0 && errno == EINTR)
			continue;
		if (put < 0) {
			ret = -errno;
			break;
		}
		if (put == 0) {
			ret = -ENOSPC;
			break;
		}
		if (!fill)
			src += put;
		offset += put;
		length -= put;
	}
	free(pattern);
	return ret;
}

MMFDEV_API int mmfdev_copy_to_region(struct mmfdev *dev, unsigned int index,
				     uint64_t offset, const void *buf,
				     size_t length)
{
	if (!buf && length)
		return -EINVAL;
	return write_range(dev, index, offset, buf, length, 0);
}

MMFDEV_API int mmfdev_fill_region(struct mmfdev *dev, unsigned int index,
				  uint64_t offset, int c, size_t length)
{
	uint8_t byte = (uint8_t)c;

	return write_range(dev, index, offset, &byte, length, 1);
}

MMFDEV_API const char *mmfdev_strerror(int err)
{
	const char *desc;

	if (err == INT_MIN)
		return "Unknown error";
	desc = strerrordesc_np(err < 0 ? -err : err);
	return desc ? desc : "Unknown error";
}

MMFDEV_API const char *mmfdev_version_string(void)
{
	return MMFDEV_VERSION;
}
