/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libmmfdev: open an mmfdev device, discover its regions and map them.
 *
 * Conventions of the whole library:
 * - functions that can fail return 0 (or a byte count) on success and a
 *   negative errno on failure; errno itself is left alone;
 * - handles are opaque; every free/close function accepts NULL;
 * - the library never prints and keeps no global state;
 * - file descriptors are opened with O_CLOEXEC.
 */
#ifndef MMFDEV_H
#define MMFDEV_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__) && __GNUC__ >= 4
#define MMFDEV_API __attribute__((visibility("default")))
#else
#define MMFDEV_API
#endif

/** The node mmfdev_open() uses when given NULL. */
#define MMFDEV_DEFAULT_PATH "/dev/mmfdev"

/** An open mmfdev device. */
struct mmfdev;

/** A snapshot of one region's description, from mmfdev_region_get(). */
struct mmfdev_region;

/* Flags for mmfdev_open(). */
#define MMFDEV_OPEN_RDONLY	(1U << 0)	/**< open read-only */

/* Region kinds, from mmfdev_region_get_kind(). */
#define MMFDEV_REGION_NONE	0	/**< empty slot (e.g. unused BAR) */
#define MMFDEV_REGION_RAM	1	/**< kernel-allocated RAM */
#define MMFDEV_REGION_MMIO	2	/**< device registers, PCI BAR */
#define MMFDEV_REGION_RESERVED	3	/**< reserved memory (RAM-like) */
#define MMFDEV_REGION_IOPORT	4	/**< I/O ports: listed only */

/* Region flags, from mmfdev_region_get_flags(). */
#define MMFDEV_REGION_READ	(1U << 0)	/**< mmfdev_read() works */
#define MMFDEV_REGION_WRITE	(1U << 1)	/**< mmfdev_write() works */
#define MMFDEV_REGION_MMAP	(1U << 2)	/**< mmfdev_map() works */
/** mmfdev_read()/mmfdev_write() take one aligned 1/2/4/8-byte access */
#define MMFDEV_REGION_SIZED	(1U << 3)
/**
 * shared with the driver that owns the range (the user opted in): that
 * driver may change the registers under your mapping
 */
#define MMFDEV_REGION_SHARED	(1U << 4)

/* Cache modes, from mmfdev_region_get_cache_modes() and friends. */
#define MMFDEV_CACHE_UC		1	/**< uncached: registers */
#define MMFDEV_CACHE_WC		2	/**< write-combining */
#define MMFDEV_CACHE_WB		3	/**< write-back: RAM-like only */
#define MMFDEV_CACHE_BIT(mode)	(1U << (mode))

/* Flags for mmfdev_map(): protection, and at most one cache mode. */
#define MMFDEV_MAP_READ		(1U << 0)	/**< readable mapping */
#define MMFDEV_MAP_WRITE	(1U << 1)	/**< writable mapping */
#define MMFDEV_MAP_UC		(1U << 4)	/**< ask for uncached */
#define MMFDEV_MAP_WC		(1U << 5)	/**< ask for write-combining */
#define MMFDEV_MAP_WB		(1U << 6)	/**< ask for write-back */

/**
 * mmfdev_open() - open an mmfdev device node
 * @path:	the node, or NULL for MMFDEV_DEFAULT_PATH
 * @flags:	0 (read-write) or MMFDEV_OPEN_RDONLY
 * @devp:	on success, the new handle; free it with mmfdev_close()
 *
 * Return: 0, or -EINVAL (@devp NULL, unknown @flags), -ENOTTY (@path is not
 * a character device), -ENODEV (a character device that is not mmfdev),
 * -EPROTONOSUPPORT (the module speaks an older ABI), -ENOMEM, or the
 * negative errno of open(2) (-ENOENT, -EACCES, ...).
 */
MMFDEV_API int mmfdev_open(const char *path, unsigned int flags,
			   struct mmfdev **devp);

/**
 * mmfdev_open_by_name() - open the node /dev/@name
 * @name:	a device name, e.g. "mmfdev" or "mmfdev-pci-0000:00:03.0"
 * @flags:	as for mmfdev_open()
 * @devp:	on success, the new handle
 *
 * Since: 1.1
 *
 * Return: as mmfdev_open(), and -EINVAL if @name is NULL, empty, too long
 * or holds a '/'.
 */
MMFDEV_API int mmfdev_open_by_name(const char *name, unsigned int flags,
				   struct mmfdev **devp);

/**
 * mmfdev_close() - close a device handle; NULL does nothing
 * @dev:	the handle
 *
 * Mappings made through @dev stay valid until mmfdev_unmap().
 */
MMFDEV_API void mmfdev_close(struct mmfdev *dev);

/**
 * mmfdev_get_fd() - the handle's file descriptor, for poll or raw ioctls
 * @dev:	the handle
 *
 * Return: the descriptor, owned by @dev, or -EINVAL if @dev is NULL.
 */
MMFDEV_API int mmfdev_get_fd(const struct mmfdev *dev);

/**
 * mmfdev_get_name() - the device's name, e.g. "mmfdev"
 * @dev:	the handle
 *
 * Return: a string owned by @dev, or NULL if @dev is NULL.
 */
MMFDEV_API const char *mmfdev_get_name(const struct mmfdev *dev);

/**
 * mmfdev_get_num_regions() - how many regions the device has
 * @dev:	the handle
 *
 * Return: the count (regions are numbered from 0), or 0 if @dev is NULL.
 */
MMFDEV_API unsigned int mmfdev_get_num_regions(const struct mmfdev *dev);

/**
 * mmfdev_get_page_size() - the page size of the running kernel
 * @dev:	the handle
 *
 * Offsets and lengths given to mmfdev_map() must be multiples of it.
 *
 * Return: the page size in bytes, or 0 if @dev is NULL.
 */
MMFDEV_API size_t mmfdev_get_page_size(const struct mmfdev *dev);

/**
 * mmfdev_region_get() - describe one region
 * @dev:	the handle
 * @index:	region number, below mmfdev_get_num_regions()
 * @regionp:	on success, a snapshot; free it with mmfdev_region_free()
 *
 * Return: 0, or -EINVAL (NULL argument, @index out of range), -ENOMEM, or
 * the negative errno of the ioctl.
 */
MMFDEV_API int mmfdev_region_get(struct mmfdev *dev, unsigned int index,
				 struct mmfdev_region **regionp);

/**
 * mmfdev_region_find() - describe the region with a given name
 * @dev:	the handle
 * @name:	region name, e.g. "ram"
 * @regionp:	on success, a snapshot; free it with mmfdev_region_free()
 *
 * Return: 0, -ENOENT if no region has that name, or an error of
 * mmfdev_region_get().
 */
MMFDEV_API int mmfdev_region_find(struct mmfdev *dev, const char *name,
				  struct mmfdev_region **regionp);

/** mmfdev_region_free() - free a region snapshot; NULL does nothing */
MMFDEV_API void mmfdev_region_free(struct mmfdev_region *region);

/** mmfdev_region_get_index() - the region's number */
MMFDEV_API unsigned int
mmfdev_region_get_index(const struct mmfdev_region *region);

/** mmfdev_region_get_name() - the region's name, owned by @region */
MMFDEV_API const char *
mmfdev_region_get_name(const struct mmfdev_region *region);

/** mmfdev_region_get_kind() - MMFDEV_REGION_RAM, ... */
MMFDEV_API unsigned int
mmfdev_region_get_kind(const struct mmfdev_region *region);

/** mmfdev_region_get_flags() - MMFDEV_REGION_READ | _WRITE | _MMAP | ... */
MMFDEV_API unsigned int
mmfdev_region_get_flags(const struct mmfdev_region *region);

/** mmfdev_region_get_size() - the region's size in bytes */
MMFDEV_API uint64_t mmfdev_region_get_size(const struct mmfdev_region *region);

/**
 * mmfdev_region_get_cache_modes() - the cache modes a mapping may use
 *
 * Since: 1.1
 *
 * Return: MMFDEV_CACHE_BIT(mode) for each allowed MMFDEV_CACHE_* mode.
 */
MMFDEV_API unsigned int
mmfdev_region_get_cache_modes(const struct mmfdev_region *region);

/**
 * mmfdev_region_get_cache_default() - the mode a plain mmfdev_map() gets
 *
 * Since: 1.1
 *
 * Return: an MMFDEV_CACHE_* mode.
 */
MMFDEV_API unsigned int
mmfdev_region_get_cache_default(const struct mmfdev_region *region);

/**
 * mmfdev_region_get_offset() - where the region's window starts
 *
 * This is the offset of the region's first byte for mmap(2), pread(2)
 * and pwrite(2) on mmfdev_get_fd(); mmfdev_map(), mmfdev_read() and
 * mmfdev_write() add it for you.
 */
MMFDEV_API uint64_t
mmfdev_region_get_offset(const struct mmfdev_region *region);

/**
 * mmfdev_map() - map a region, or a page-aligned part of it, shared
 * @dev:	the handle
 * @index:	region number
 * @offset:	where the mapping starts in the region; a page multiple
 * @length:	bytes to map, a page multiple; 0 maps to the end of the region
 * @prot:	MMFDEV_MAP_READ, MMFDEV_MAP_WRITE or both, plus at most one of
 *		MMFDEV_MAP_UC, MMFDEV_MAP_WC, MMFDEV_MAP_WB (none: the region's
 *		default mode, see mmfdev_region_get_cache_default())
 * @addrp:	on success, the address of the mapping
 * @lengthp:	on success, its length; may be NULL
 *
 * The mapping is MAP_SHARED: every process that maps the region sees the
 * same bytes.  It outlives mmfdev_close(); end it with mmfdev_unmap().
 * Access MMIO mappings with the mmfdev_read32() family and
 * mmfdev_copy_from_device(), never with memcpy() or memset().
 *
 * Return: 0, or -EINVAL (NULL argument, bad @prot, @offset or @length not
 * a page multiple, @offset at or past the end of the region), -EOPNOTSUPP
 * (the region does not allow the cache mode asked for), -ENXIO (the range
 * does not fit in the region), -ENODEV (the region cannot be mapped: a
 * sub-page or unaligned MMIO window, I/O ports; or the device is gone),
 * -EACCES (MMFDEV_MAP_WRITE on a read-only handle), -ENOMEM, or another
 * negative errno of mmap(2).
 */
MMFDEV_API int mmfdev_map(struct mmfdev *dev, unsigned int index,
			  uint64_t offset, size_t length, unsigned int prot,
			  void **addrp, size_t *lengthp);

/**
 * mmfdev_mapping_cache_mode() - the cache mode a mapping actually got
 * @dev:	the handle the mapping was made through
 * @addr:	any address inside the mapping
 *
 * Since: 1.1
 *
 * Return: an MMFDEV_CACHE_* mode, or -EINVAL (@addr is not in a mapping
 * of this device), -ENODEV (the device is gone) or another negative errno.
 */
MMFDEV_API int mmfdev_mapping_cache_mode(struct mmfdev *dev,
					 const void *addr);

/**
 * mmfdev_unmap() - end a mapping made by mmfdev_map()
 * @addr:	the address mmfdev_map() returned
 * @length:	the length mmfdev_map() returned
 *
 * Return: 0, or -EINVAL (bad address or length).
 */
MMFDEV_API int mmfdev_unmap(void *addr, size_t length);

/**
 * mmfdev_sync() - wait until writes through a mapping reach the device
 * @addr:	start of the range, inside a mapping from mmfdev_map()
 * @length:	bytes in the range
 *
 * For RAM regions every mapping already sees every write; this is the
 * msync(MS_SYNC) that device memory needs, and it is cheap for RAM.
 *
 * Return: 0, or -EINVAL (@addr not page-aligned), -ENOMEM (the range is
 * not mapped), or another negative errno of msync(2).
 */
MMFDEV_API int mmfdev_sync(void *addr, size_t length);

/**
 * mmfdev_read() - copy bytes out of a region without mapping it
 * @dev:	the handle
 * @index:	region number
 * @offset:	byte offset in the region
 * @buf:	destination
 * @length:	bytes wanted
 *
 * On a MMFDEV_REGION_SIZED region (MMIO) this is exactly one access of
 * @length bytes, which must be 1, 2, 4 or 8 and aligned to itself.
 *
 * Return: the number of bytes read (short at the end of the region, 0 at
 * or past it), or -EINVAL (NULL argument, @index out of range, an access a
 * sized region refuses), -EOPNOTSUPP (the region cannot be read: I/O
 * ports), -ENODEV (the device is gone) or another negative errno of
 * pread(2).
 */
MMFDEV_API ssize_t mmfdev_read(struct mmfdev *dev, unsigned int index,
			       uint64_t offset, void *buf, size_t length);

/**
 * mmfdev_write() - copy bytes into a region without mapping it
 * @dev:	the handle
 * @index:	region number
 * @offset:	byte offset in the region
 * @buf:	source
 * @length:	bytes to write
 *
 * On a MMFDEV_REGION_SIZED region (MMIO) this is exactly one access of
 * @length bytes, which must be 1, 2, 4 or 8 and aligned to itself.
 *
 * Return: the number of bytes written (short at the end of the region), or
 * -EINVAL (NULL argument, @index out of range, an access a sized region
 * refuses), -ENOSPC (@offset at or past the end), -EBADF (read-only
 * handle), -EOPNOTSUPP (the region cannot be written: I/O ports), -ENODEV
 * (the device is gone) or another negative errno of pwrite(2).
 */
MMFDEV_API ssize_t mmfdev_write(struct mmfdev *dev, unsigned int index,
				uint64_t offset, const void *buf,
				size_t length);

/*
 * Device-memory accessors, for mappings of MMIO (and any other) regions.
 *
 * Each does exactly one access of its width, which must be naturally
 * aligned.  Reads are ordered before later memory reads (so a status
 * register read comes before reading the buffer it describes); writes are
 * ordered after earlier memory writes (so a buffer is complete before the
 * doorbell write that hands it to the device).  They never split, merge
 * or reorder device accesses.
 *
 * glibc's memcpy()/memset() may use unaligned accesses or cache-zeroing
 * instructions that fault on arm64 Device memory: use the copy functions
 * below instead.
 *
 * Since: 1.1
 */

/** mmfdev_read8() - one 8-bit read of device memory */
MMFDEV_API uint8_t mmfdev_read8(const volatile void *addr);
/** mmfdev_read16() - one 16-bit read of device memory */
MMFDEV_API uint16_t mmfdev_read16(const volatile void *addr);
/** mmfdev_read32() - one 32-bit read of device memory */
MMFDEV_API uint32_t mmfdev_read32(const volatile void *addr);
/** mmfdev_read64() - one 64-bit read of device memory */
MMFDEV_API uint64_t mmfdev_read64(const volatile void *addr);
/** mmfdev_write8() - one 8-bit write to device memory */
MMFDEV_API void mmfdev_write8(volatile void *addr, uint8_t value);
/** mmfdev_write16() - one 16-bit write to device memory */
MMFDEV_API void mmfdev_write16(volatile void *addr, uint16_t value);
/** mmfdev_write32() - one 32-bit write to device memory */
MMFDEV_API void mmfdev_write32(volatile void *addr, uint32_t value);
/** mmfdev_write64() - one 64-bit write to device memory */
MMFDEV_API void mmfdev_write64(volatile void *addr, uint64_t value);

/**
 * mmfdev_copy_from_device() - copy out of device memory
 * @dst:	normal memory
 * @src:	device memory (a mapping from mmfdev_map())
 * @len:	bytes
 *
 * Uses only naturally aligned device reads of 1 to 8 bytes (the widest
 * that fit), in increasing address order.
 */
MMFDEV_API void mmfdev_copy_from_device(void *dst, const volatile void *src,
					size_t len);

/**
 * mmfdev_copy_to_device() - copy into device memory
 * @dst:	device memory (a mapping from mmfdev_map())
 * @src:	normal memory
 * @len:	bytes
 *
 * Uses only naturally aligned device writes of 1 to 8 bytes, in
 * increasing address order, after a write barrier.
 */
MMFDEV_API void mmfdev_copy_to_device(volatile void *dst, const void *src,
				      size_t len);

/**
 * mmfdev_fill_device() - set device memory to a byte value
 * @dst:	device memory (a mapping from mmfdev_map())
 * @c:		the byte value
 * @len:	bytes
 *
 * The memset() for device memory, with the same accesses as
 * mmfdev_copy_to_device().
 */
MMFDEV_API void mmfdev_fill_device(volatile void *dst, int c, size_t len);

/**
 * mmfdev_strerror() - describe an error code returned by this library
 * @err:	a negative (or positive) errno
 *
 * Return: a static, thread-safe string; never NULL.
 */
MMFDEV_API const char *mmfdev_strerror(int err);

/**
 * mmfdev_version_string() - the library's version, e.g. "1.0.0"
 *
 * Return: a static string.
 */
MMFDEV_API const char *mmfdev_version_string(void);

#ifdef __cplusplus
}
#endif

#endif /* MMFDEV_H */
