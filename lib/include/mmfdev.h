/* SPDX-License-Identifier: LGPL-2.1-or-later */
/**
 * DOC: libmmfdev
 *
 * libmmfdev: open an mmfdev device, discover its regions and map them,
 * and wait for its events.
 *
 * Conventions of the whole library:
 *
 * - functions that can fail return 0 (or a byte count) on success and a
 *   negative errno on failure; errno itself is left alone;
 * - handles are opaque; every free/close function accepts NULL;
 * - the library never prints and keeps no global state;
 * - file descriptors are opened with O_CLOEXEC.
 *
 * The documentation comments are kernel-doc, as in the Linux kernel
 * (Documentation/doc-guide/kernel-doc.rst).
 */
#ifndef MMFDEV_H
#define MMFDEV_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * MMFDEV_API - marks the functions the library exports
 */
#if defined(__GNUC__) && __GNUC__ >= 4
#define MMFDEV_API __attribute__((visibility("default")))
#else
#define MMFDEV_API
#endif

/**
 * MMFDEV_DEFAULT_PATH - the node mmfdev_open() uses when given NULL
 */
#define MMFDEV_DEFAULT_PATH "/dev/mmfdev"

/**
 * DOC: Handles
 *
 * The library's types are opaque: it hands out pointers to them, and only
 * its functions look inside.
 *
 * - struct mmfdev: an open mmfdev device, from mmfdev_open() or
 *   mmfdev_open_by_name(); free it with mmfdev_close();
 * - struct mmfdev_region: a snapshot of one region's description, from
 *   mmfdev_region_get() or mmfdev_region_find(); free it with
 *   mmfdev_region_free();
 * - struct mmfdev_event: a snapshot of one event line's description, from
 *   mmfdev_event_get() or mmfdev_event_find(); free it with
 *   mmfdev_event_free();
 * - struct mmfdev_dma_desc: a snapshot of one DMA buffer's description,
 *   its segments included, from mmfdev_dma_describe(); free it with
 *   mmfdev_dma_desc_free().
 */
struct mmfdev;

struct mmfdev_region;

struct mmfdev_event;

struct mmfdev_dma_desc;

/**
 * MMFDEV_OPEN_RDONLY - mmfdev_open() flag: open the device read-only
 */
#define MMFDEV_OPEN_RDONLY	(1U << 0)

/*
 * Region kinds, from mmfdev_region_get_kind().  Each equals its
 * MMFDEV_REGION_KIND_* counterpart in <linux/mmfdev.h>.
 */

/**
 * MMFDEV_REGION_NONE - region kind: an empty slot (e.g. an unused BAR)
 */
#define MMFDEV_REGION_NONE	0
/**
 * MMFDEV_REGION_RAM - region kind: kernel-allocated RAM
 */
#define MMFDEV_REGION_RAM	1
/**
 * MMFDEV_REGION_MMIO - region kind: device registers, a PCI BAR
 */
#define MMFDEV_REGION_MMIO	2
/**
 * MMFDEV_REGION_RESERVED - region kind: reserved memory (RAM-like)
 */
#define MMFDEV_REGION_RESERVED	3
/**
 * MMFDEV_REGION_IOPORT - region kind: I/O ports, listed only
 */
#define MMFDEV_REGION_IOPORT	4
/**
 * MMFDEV_REGION_DMA - region kind: a DMA buffer, from mmfdev_dma_alloc()
 *
 * Since: 1.4
 */
#define MMFDEV_REGION_DMA	5

/*
 * Region flags, from mmfdev_region_get_flags().  Each equals its
 * MMFDEV_REGION_FLAG_* counterpart in <linux/mmfdev.h>.
 */

/**
 * MMFDEV_REGION_READ - region flag: mmfdev_read() works
 */
#define MMFDEV_REGION_READ	(1U << 0)
/**
 * MMFDEV_REGION_WRITE - region flag: mmfdev_write() works
 */
#define MMFDEV_REGION_WRITE	(1U << 1)
/**
 * MMFDEV_REGION_MMAP - region flag: mmfdev_map() works
 */
#define MMFDEV_REGION_MMAP	(1U << 2)
/**
 * MMFDEV_REGION_SIZED - region flag: mmfdev_read() and mmfdev_write()
 * take one aligned 1/2/4/8-byte access
 */
#define MMFDEV_REGION_SIZED	(1U << 3)
/**
 * MMFDEV_REGION_SHARED - region flag: shared with the driver that owns the
 * range (the user opted in)
 *
 * That driver may change the registers under your mapping.
 */
#define MMFDEV_REGION_SHARED	(1U << 4)
/**
 * MMFDEV_REGION_DMA_SYNC - region flag: a DMA buffer whose CPU and device
 * views differ until synced
 *
 * Call mmfdev_dma_sync() around every transfer.
 *
 * Since: 1.4
 */
#define MMFDEV_REGION_DMA_SYNC	(1U << 5)

/*
 * Cache modes, from mmfdev_region_get_cache_modes() and friends.  Each
 * equals the constant of the same name in <linux/mmfdev.h>.
 */

/**
 * MMFDEV_CACHE_UC - cache mode: uncached, for registers
 */
#define MMFDEV_CACHE_UC		1
/**
 * MMFDEV_CACHE_WC - cache mode: write-combining
 */
#define MMFDEV_CACHE_WC		2
/**
 * MMFDEV_CACHE_WB - cache mode: write-back, for RAM-like regions only
 */
#define MMFDEV_CACHE_WB		3
/**
 * MMFDEV_CACHE_BIT() - the bit of a cache mode in a mask of modes
 * @mode:	an MMFDEV_CACHE_* mode
 *
 * The masks are those of mmfdev_region_get_cache_modes().
 */
#define MMFDEV_CACHE_BIT(mode)	(1U << (mode))

/* Flags for mmfdev_map(): protection, and at most one cache mode. */

/**
 * MMFDEV_MAP_READ - mmfdev_map() flag: a readable mapping
 */
#define MMFDEV_MAP_READ		(1U << 0)
/**
 * MMFDEV_MAP_WRITE - mmfdev_map() flag: a writable mapping
 */
#define MMFDEV_MAP_WRITE	(1U << 1)
/**
 * MMFDEV_MAP_UC - mmfdev_map() flag: ask for MMFDEV_CACHE_UC, uncached
 */
#define MMFDEV_MAP_UC		(1U << 4)
/**
 * MMFDEV_MAP_WC - mmfdev_map() flag: ask for MMFDEV_CACHE_WC,
 * write-combining
 */
#define MMFDEV_MAP_WC		(1U << 5)
/**
 * MMFDEV_MAP_WB - mmfdev_map() flag: ask for MMFDEV_CACHE_WB, write-back
 */
#define MMFDEV_MAP_WB		(1U << 6)

/*
 * Event line kinds, from mmfdev_event_get_kind().  Each equals its
 * MMFDEV_EVENT_KIND_* counterpart in <linux/mmfdev.h>.
 */

/**
 * MMFDEV_EVENT_DOORBELL - event kind: software, rung by mmfdev_event_ring()
 */
#define MMFDEV_EVENT_DOORBELL	1
/**
 * MMFDEV_EVENT_MSIX - event kind: a PCI MSI-X vector
 */
#define MMFDEV_EVENT_MSIX	2
/**
 * MMFDEV_EVENT_MSI - event kind: a PCI MSI vector
 */
#define MMFDEV_EVENT_MSI	3
/**
 * MMFDEV_EVENT_INTX - event kind: PCI INTx (level, shared)
 */
#define MMFDEV_EVENT_INTX	4
/**
 * MMFDEV_EVENT_IRQ - event kind: a device-tree interrupt
 */
#define MMFDEV_EVENT_IRQ	5

/*
 * Trigger types, from mmfdev_event_get_trigger().  Each equals its
 * MMFDEV_EVENT_TRIGGER_* counterpart in <linux/mmfdev.h>.
 */

/**
 * MMFDEV_EVENT_EDGE - trigger type: edge; MSI, MSI-X and doorbells too
 */
#define MMFDEV_EVENT_EDGE	1
/**
 * MMFDEV_EVENT_LEVEL - trigger type: level; masked when it fires
 */
#define MMFDEV_EVENT_LEVEL	2

/*
 * Event line flags, from mmfdev_event_get_flags().  They equal
 * MMFDEV_EVENT_FLAG_UNMASK, _RING and _MASKED of <linux/mmfdev.h>.
 */

/**
 * MMFDEV_EVENT_NEEDS_UNMASK - event flag: the line is masked when it
 * fires; mmfdev_event_unmask() it
 */
#define MMFDEV_EVENT_NEEDS_UNMASK	(1U << 0)
/**
 * MMFDEV_EVENT_CAN_RING - event flag: mmfdev_event_ring() works
 */
#define MMFDEV_EVENT_CAN_RING	(1U << 1)
/**
 * MMFDEV_EVENT_MASKED - event flag: the line was masked when the snapshot
 * was taken
 */
#define MMFDEV_EVENT_MASKED	(1U << 2)

/**
 * MMFDEV_EVENT_BIT() - the bit of an event line in the masks of
 * mmfdev_event_wait()
 * @index:	the line's number
 */
#define MMFDEV_EVENT_BIT(index)	((uint64_t)1 << (index))

/*
 * Device flags, from mmfdev_get_device_flags().  They equal
 * MMFDEV_DEVICE_FLAG_DMA, _IOMMU and _DMA_COHERENT of <linux/mmfdev.h>.
 */

/**
 * MMFDEV_DEVICE_DMA - device flag: the device can have DMA buffers (PCI
 * devices and device-tree nodes)
 *
 * Since: 1.4
 */
#define MMFDEV_DEVICE_DMA	(1U << 0)
/**
 * MMFDEV_DEVICE_IOMMU - device flag: an IOMMU translates the device's DMA,
 * so its bus addresses are IOVAs
 *
 * Since: 1.4
 */
#define MMFDEV_DEVICE_IOMMU	(1U << 1)
/**
 * MMFDEV_DEVICE_DMA_COHERENT - device flag: the device's DMA is
 * cache-coherent with the CPUs
 *
 * Since: 1.4
 */
#define MMFDEV_DEVICE_DMA_COHERENT	(1U << 2)
/**
 * MMFDEV_DEVICE_ALL_MEMORY - device flag: whoever opens the node can reach
 * all of memory (a device that can master the bus with no IOMMU to confine
 * it, or raw physical ranges); opening it needs CAP_SYS_RAWIO, and kernel
 * lockdown refuses it (see mmfdev(4), SECURITY)
 *
 * Since: 1.4
 */
#define MMFDEV_DEVICE_ALL_MEMORY	(1U << 3)

/*
 * DMA buffer kinds, for mmfdev_dma_alloc() and from
 * mmfdev_dma_desc_get_kind().  Each equals its MMFDEV_DMA_KIND_*
 * counterpart in <linux/mmfdev.h>.
 */

/**
 * MMFDEV_DMA_COHERENT - DMA kind: CPU and device always agree
 *
 * Write-back on a coherent device, write-combined on another one.  Its
 * mappings are not for O_DIRECT and other users of get_user_pages().
 *
 * Since: 1.4
 */
#define MMFDEV_DMA_COHERENT	1
/**
 * MMFDEV_DMA_STREAMING - DMA kind: cached pages, scattered; each transfer
 * needs mmfdev_dma_sync()
 *
 * The device sees one or more segments.
 *
 * Since: 1.4
 */
#define MMFDEV_DMA_STREAMING	2
/**
 * MMFDEV_DMA_CONTIGUOUS - DMA kind: as MMFDEV_DMA_STREAMING, but the device
 * sees one segment
 *
 * Since: 1.4
 */
#define MMFDEV_DMA_CONTIGUOUS	3

/*
 * Flags for mmfdev_dma_sync(): one direction and one side.  Each equals
 * its MMFDEV_DMA_SYNC_* counterpart in <linux/mmfdev.h>.
 */

/**
 * MMFDEV_DMA_TO_DEVICE - mmfdev_dma_sync() direction: the CPU wrote, the
 * device reads
 *
 * Since: 1.4
 */
#define MMFDEV_DMA_TO_DEVICE	(1U << 0)
/**
 * MMFDEV_DMA_FROM_DEVICE - mmfdev_dma_sync() direction: the device wrote,
 * the CPU reads
 *
 * Since: 1.4
 */
#define MMFDEV_DMA_FROM_DEVICE	(1U << 1)
/**
 * MMFDEV_DMA_BIDIRECTIONAL - mmfdev_dma_sync() direction: both ways
 *
 * Since: 1.4
 */
#define MMFDEV_DMA_BIDIRECTIONAL	(MMFDEV_DMA_TO_DEVICE | \
					 MMFDEV_DMA_FROM_DEVICE)
/**
 * MMFDEV_DMA_FOR_CPU - mmfdev_dma_sync() side: the CPU is about to use the
 * range
 *
 * Since: 1.4
 */
#define MMFDEV_DMA_FOR_CPU	(1U << 2)
/**
 * MMFDEV_DMA_FOR_DEVICE - mmfdev_dma_sync() side: the device is about to
 * use the range
 *
 * Since: 1.4
 */
#define MMFDEV_DMA_FOR_DEVICE	(1U << 3)

/*
 * DMA buffer flags, from mmfdev_dma_desc_get_flags().  They equal
 * MMFDEV_DMA_INFO_SYNC, _CONTIGUOUS and _IOMMU of <linux/mmfdev.h>.
 */

/**
 * MMFDEV_DMA_F_SYNC - DMA buffer flag: transfers need mmfdev_dma_sync()
 *
 * Since: 1.4
 */
#define MMFDEV_DMA_F_SYNC	(1U << 0)
/**
 * MMFDEV_DMA_F_CONTIGUOUS - DMA buffer flag: the device sees one segment
 *
 * Since: 1.4
 */
#define MMFDEV_DMA_F_CONTIGUOUS	(1U << 1)
/**
 * MMFDEV_DMA_F_IOMMU - DMA buffer flag: the bus addresses are IOVAs
 *
 * Since: 1.4
 */
#define MMFDEV_DMA_F_IOMMU	(1U << 2)

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
 * The descriptor can be given to poll(2), select(2) or epoll(7) to wait
 * for events with an event loop: it is readable (POLLIN) while some event
 * line has events that this handle has not looked at yet (mmfdev_event_read()
 * looks; mmfdev_event_peek() and mmfdev_event_wait() do not), and it reports
 * POLLHUP | POLLERR once the device is gone (unbound or removed).  After
 * POLLIN, find the lines with mmfdev_event_wait() (timeout 0) and consume
 * their events with mmfdev_event_read(), or the descriptor stays readable.
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
 * mmfdev_get_num_events() - how many event lines the device has
 * @dev:	the handle
 *
 * Lines are numbered from 0: the device's hardware interrupts first, then
 * its software doorbells.  There are at most 64.
 *
 * Since: 1.2
 *
 * Return: the count, 0 if the device has no event lines, if its module
 * predates events, or if @dev is NULL.
 */
MMFDEV_API unsigned int mmfdev_get_num_events(const struct mmfdev *dev);

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
 * mmfdev_get_device_flags() - what the device can do
 * @dev:	the handle
 *
 * The flags do not change while the device lives: they are read at open.
 *
 * Since: 1.4
 *
 * Return: the MMFDEV_DEVICE_* flags (_DMA, _IOMMU, _DMA_COHERENT,
 * _ALL_MEMORY), or'ed
 * together; 0 if the module predates DMA buffers, or if @dev is NULL.
 */
MMFDEV_API unsigned int mmfdev_get_device_flags(const struct mmfdev *dev);

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

/**
 * mmfdev_region_free() - free a region snapshot; NULL does nothing
 * @region:	the snapshot, or NULL
 */
MMFDEV_API void mmfdev_region_free(struct mmfdev_region *region);

/**
 * mmfdev_region_get_index() - the region's number
 * @region:	the snapshot; not NULL
 *
 * Return: the region's number, below mmfdev_get_num_regions().
 */
MMFDEV_API unsigned int
mmfdev_region_get_index(const struct mmfdev_region *region);

/**
 * mmfdev_region_get_name() - the region's name, owned by @region
 * @region:	the snapshot; not NULL
 *
 * Return: the name, e.g. "ram"; valid until mmfdev_region_free(@region).
 */
MMFDEV_API const char *
mmfdev_region_get_name(const struct mmfdev_region *region);

/**
 * mmfdev_region_get_kind() - MMFDEV_REGION_RAM, ...
 * @region:	the snapshot; not NULL
 *
 * Return: an MMFDEV_REGION_* kind: MMFDEV_REGION_NONE, _RAM, _MMIO,
 * _RESERVED, _IOPORT or _DMA.
 */
MMFDEV_API unsigned int
mmfdev_region_get_kind(const struct mmfdev_region *region);

/**
 * mmfdev_region_get_flags() - MMFDEV_REGION_READ | _WRITE | _MMAP | ...
 * @region:	the snapshot; not NULL
 *
 * Return: the MMFDEV_REGION_* flags of the region (_READ, _WRITE, _MMAP,
 * _SIZED, _SHARED, _DMA_SYNC), or'ed together.
 */
MMFDEV_API unsigned int
mmfdev_region_get_flags(const struct mmfdev_region *region);

/**
 * mmfdev_region_get_size() - the region's size in bytes
 * @region:	the snapshot; not NULL
 *
 * Return: the size in bytes.
 */
MMFDEV_API uint64_t mmfdev_region_get_size(const struct mmfdev_region *region);

/**
 * mmfdev_region_get_cache_modes() - the cache modes a mapping may use
 * @region:	the snapshot; not NULL
 *
 * Since: 1.1
 *
 * Return: MMFDEV_CACHE_BIT(mode) for each allowed MMFDEV_CACHE_* mode.
 */
MMFDEV_API unsigned int
mmfdev_region_get_cache_modes(const struct mmfdev_region *region);

/**
 * mmfdev_region_get_cache_default() - the mode a plain mmfdev_map() gets
 * @region:	the snapshot; not NULL
 *
 * Since: 1.1
 *
 * Return: an MMFDEV_CACHE_* mode.
 */
MMFDEV_API unsigned int
mmfdev_region_get_cache_default(const struct mmfdev_region *region);

/**
 * mmfdev_region_get_offset() - where the region's window starts
 * @region:	the snapshot; not NULL
 *
 * mmfdev_map(), mmfdev_read() and mmfdev_write() add it for you.
 *
 * Return: the offset of the region's first byte for mmap(2), pread(2)
 * and pwrite(2) on mmfdev_get_fd().
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

/**
 * DOC: Whole-range copies without mapping
 *
 * mmfdev_read() and mmfdev_write() are one pread(2) or pwrite(2): they may
 * come back short, and on a MMFDEV_REGION_SIZED region (MMIO) they take
 * exactly one aligned access of 1, 2, 4 or 8 bytes.  The functions below
 * move a whole range of any length and alignment, or fail: on a sized
 * region with naturally aligned accesses of 1 to 8 bytes (the widest that
 * fit, as mmfdev_copy_from_device() does through a mapping), in increasing
 * offset order; on any other region with as few calls as it takes.  They
 * work on regions that cannot be mapped (sub-page MMIO windows) as well.
 *
 * Since: 1.3
 */

/**
 * mmfdev_copy_from_region() - read a whole range of a region
 * @dev:	the handle
 * @index:	region number
 * @offset:	byte offset in the region
 * @buf:	destination, @length bytes
 * @length:	bytes to read; 0 only checks the range
 *
 * Since: 1.3
 *
 * Return: 0 once every byte is read, or -EINVAL (@dev NULL, @buf NULL with
 * a @length, @index out of range), -ENXIO (the range does not fit in the
 * region), -EOPNOTSUPP (the region cannot be read: I/O ports), -ENODEV
 * (the device is gone) or another negative errno of pread(2).  On error
 * some of @buf may have been written.
 */
MMFDEV_API int mmfdev_copy_from_region(struct mmfdev *dev, unsigned int index,
				       uint64_t offset, void *buf,
				       size_t length);

/**
 * mmfdev_copy_to_region() - write a whole range of a region
 * @dev:	the handle
 * @index:	region number
 * @offset:	byte offset in the region
 * @buf:	source, @length bytes
 * @length:	bytes to write; 0 only checks the range
 *
 * Since: 1.3
 *
 * Return: 0 once every byte is written, or -EINVAL (@dev NULL, @buf NULL
 * with a @length, @index out of range), -ENXIO (the range does not fit in
 * the region), -EBADF (read-only handle), -EOPNOTSUPP (the region cannot
 * be written: I/O ports), -ENODEV (the device is gone) or another negative
 * errno of pwrite(2).  On error part of the range may have been written.
 */
MMFDEV_API int mmfdev_copy_to_region(struct mmfdev *dev, unsigned int index,
				     uint64_t offset, const void *buf,
				     size_t length);

/**
 * mmfdev_fill_region() - set a whole range of a region to a byte value
 * @dev:	the handle
 * @index:	region number
 * @offset:	byte offset in the region
 * @c:		the byte value (converted to uint8_t)
 * @length:	bytes to set; 0 only checks the range
 *
 * Since: 1.3
 *
 * Return: as mmfdev_copy_to_region(), and -ENOMEM.
 */
MMFDEV_API int mmfdev_fill_region(struct mmfdev *dev, unsigned int index,
				  uint64_t offset, int c, size_t length);

/**
 * DOC: Events
 *
 * A device has numbered event lines (mmfdev_get_num_events()): its
 * hardware interrupts, then its software doorbells, which any handle open
 * for writing can ring.  The kernel counts every event of every line,
 * whether anyone waits or not, and each handle has a mark per line: the
 * count it last looked at with mmfdev_event_read().  Events after the mark
 * are new to the handle; they wake mmfdev_event_wait() and poll(2) on
 * mmfdev_get_fd() until mmfdev_event_read() moves the mark.  Events are
 * counted, never merged: a handle that looks late learns how many it
 * missed.
 *
 * The marks belong to the open file: handles from separate mmfdev_open()
 * calls, in one process or several, each have their own, but a process
 * made by fork(2) shares its parent's handles, marks included.  Open the
 * device again in the child to wait independently.
 *
 * To wait without losing a wakeup, consume first, then look at the state
 * the events announce, then wait::
 *
 *	for (;;) {
 *		mmfdev_event_read(dev, line, NULL, NULL, NULL);
 *		if (work_to_do())
 *			break;
 *		mmfdev_event_wait(dev, MMFDEV_EVENT_BIT(line), -1, NULL);
 *	}
 *
 * An event that comes after the read wakes the wait; one that comes
 * before it is seen by work_to_do().
 *
 * A level-triggered line (MMFDEV_EVENT_NEEDS_UNMASK) is masked by the
 * kernel when it fires and stays masked until mmfdev_event_unmask(), which
 * must come after the device has been quieted; if the device still asserts
 * the line then, that is a new event and the line stays masked.
 *
 * Since: 1.2
 */

/**
 * mmfdev_event_get() - describe one event line
 * @dev:	the handle
 * @index:	line number, below mmfdev_get_num_events()
 * @eventp:	on success, a snapshot; free it with mmfdev_event_free()
 *
 * Since: 1.2
 *
 * Return: 0, or -EINVAL (NULL argument, @index out of range), -ENODEV (the
 * device is gone), -ENOMEM, or another negative errno of the ioctl.
 */
MMFDEV_API int mmfdev_event_get(struct mmfdev *dev, unsigned int index,
				struct mmfdev_event **eventp);

/**
 * mmfdev_event_find() - describe the event line with a given name
 * @dev:	the handle
 * @name:	line name, e.g. "msix0" or "doorbell0"
 * @eventp:	on success, a snapshot; free it with mmfdev_event_free()
 *
 * Since: 1.2
 *
 * Return: 0, -ENOENT if no line has that name, or an error of
 * mmfdev_event_get().
 */
MMFDEV_API int mmfdev_event_find(struct mmfdev *dev, const char *name,
				 struct mmfdev_event **eventp);

/**
 * mmfdev_event_free() - free an event line snapshot; NULL does nothing
 * @event:	the snapshot
 *
 * Since: 1.2
 */
MMFDEV_API void mmfdev_event_free(struct mmfdev_event *event);

/**
 * mmfdev_event_get_index() - the line's number
 * @event:	the snapshot; not NULL
 *
 * Since: 1.2
 *
 * Return: the line's number, below mmfdev_get_num_events().
 */
MMFDEV_API unsigned int
mmfdev_event_get_index(const struct mmfdev_event *event);

/**
 * mmfdev_event_get_name() - the line's name, owned by @event
 * @event:	the snapshot; not NULL
 *
 * Since: 1.2
 *
 * Return: the name, e.g. "msix0"; valid until mmfdev_event_free(@event).
 */
MMFDEV_API const char *
mmfdev_event_get_name(const struct mmfdev_event *event);

/**
 * mmfdev_event_get_kind() - MMFDEV_EVENT_DOORBELL, MMFDEV_EVENT_MSIX, ...
 * @event:	the snapshot; not NULL
 *
 * Since: 1.2
 *
 * Return: an event kind: MMFDEV_EVENT_DOORBELL, _MSIX, _MSI, _INTX or
 * _IRQ.
 */
MMFDEV_API unsigned int
mmfdev_event_get_kind(const struct mmfdev_event *event);

/**
 * mmfdev_event_get_trigger() - MMFDEV_EVENT_EDGE or MMFDEV_EVENT_LEVEL
 * @event:	the snapshot; not NULL
 *
 * Since: 1.2
 *
 * Return: MMFDEV_EVENT_EDGE or MMFDEV_EVENT_LEVEL.
 */
MMFDEV_API unsigned int
mmfdev_event_get_trigger(const struct mmfdev_event *event);

/**
 * mmfdev_event_get_flags() - MMFDEV_EVENT_NEEDS_UNMASK | _CAN_RING | ...
 * @event:	the snapshot; not NULL
 *
 * MMFDEV_EVENT_MASKED tells whether the line was masked when the snapshot
 * was taken.
 *
 * Since: 1.2
 *
 * Return: the MMFDEV_EVENT_* flags of the line (_NEEDS_UNMASK, _CAN_RING,
 * _MASKED), or'ed together.
 */
MMFDEV_API unsigned int
mmfdev_event_get_flags(const struct mmfdev_event *event);

/**
 * mmfdev_event_wait() - sleep until some event lines have new events
 * @dev:	the handle
 * @lines:	MMFDEV_EVENT_BIT() of each line to wait for; 0 for every line
 * @timeout_ns:	the longest wait in nanoseconds; negative: no limit; 0: do
 *		not sleep, only look
 * @pendingp:	on success, MMFDEV_EVENT_BIT() of each line of @lines with
 *		events this handle has not looked at; may be NULL
 *
 * Returns as soon as one line of @lines has new events for this handle, at
 * once if one has them already.  It does not move the marks: consume the
 * events with mmfdev_event_read(), or the next wait returns at once.
 *
 * Context: blocks until an event, the timeout or a signal, unless a line of
 * @lines already has new events or @timeout_ns is 0.
 *
 * Since: 1.2
 *
 * Return: 0, or -ETIMEDOUT (no new events within @timeout_ns, or now when
 * it is 0), -EINTR (a signal came first; the wait is not restarted),
 * -ENODEV (the device went away, before or during the wait), -EINVAL
 * (@dev NULL, a bit of @lines at or beyond mmfdev_get_num_events(), a
 * device without event lines), or another negative errno of the ioctl.
 */
MMFDEV_API int mmfdev_event_wait(struct mmfdev *dev, uint64_t lines,
				 int64_t timeout_ns, uint64_t *pendingp);

/**
 * mmfdev_event_read() - count an event line's events and consume them
 * @dev:	the handle
 * @index:	line number
 * @countp:	on success, the line's events since the device appeared; may
 *		be NULL
 * @newp:	on success, the events since this handle last looked; may be
 *		NULL
 * @timestamp_nsp: on success, the CLOCK_MONOTONIC time of the line's latest
 *		event in nanoseconds, 0 if it never fired; may be NULL
 *
 * Moves this handle's mark to the count, so the events stop waking
 * mmfdev_event_wait() and poll(2).
 *
 * Since: 1.2
 *
 * Return: 0, or -EINVAL (@dev NULL, @index out of range), -ENODEV (the
 * device is gone) or another negative errno of the ioctl.
 */
MMFDEV_API int mmfdev_event_read(struct mmfdev *dev, unsigned int index,
				 uint64_t *countp, uint64_t *newp,
				 uint64_t *timestamp_nsp);

/**
 * mmfdev_event_peek() - count an event line's events, leave them new
 * @dev:	the handle
 * @index:	line number
 * @countp:	as for mmfdev_event_read(); may be NULL
 * @newp:	as for mmfdev_event_read(); may be NULL
 * @timestamp_nsp: as for mmfdev_event_read(); may be NULL
 *
 * As mmfdev_event_read(), without moving this handle's mark.
 *
 * Since: 1.2
 *
 * Return: as mmfdev_event_read().
 */
MMFDEV_API int mmfdev_event_peek(struct mmfdev *dev, unsigned int index,
				 uint64_t *countp, uint64_t *newp,
				 uint64_t *timestamp_nsp);

/**
 * mmfdev_event_unmask() - unmask a level-triggered line after handling it
 * @dev:	the handle
 * @index:	line number, a line with MMFDEV_EVENT_NEEDS_UNMASK
 *
 * Call it once the device no longer asserts the line (its interrupt status
 * acknowledged).  Unmasking a line that is not masked does nothing.  If
 * the device still asserts the line, that counts as a new event and the
 * line stays masked.
 *
 * Since: 1.2
 *
 * Return: 0, or -EINVAL (@dev NULL, @index out of range, a line without
 * MMFDEV_EVENT_NEEDS_UNMASK), -ENODEV (the device is gone) or another
 * negative errno of the ioctl.
 */
MMFDEV_API int mmfdev_event_unmask(struct mmfdev *dev, unsigned int index);

/**
 * mmfdev_event_ring() - ring a doorbell
 * @dev:	the handle, open for writing
 * @index:	line number, a line with MMFDEV_EVENT_CAN_RING
 *
 * One event on the line, for every handle of every process, and for the
 * eventfd bound to it.
 *
 * Since: 1.2
 *
 * Return: 0, or -EINVAL (@dev NULL, @index out of range, a line without
 * MMFDEV_EVENT_CAN_RING), -EBADF (@dev was opened MMFDEV_OPEN_RDONLY),
 * -ENODEV (the device is gone) or another negative errno of the ioctl.
 */
MMFDEV_API int mmfdev_event_ring(struct mmfdev *dev, unsigned int index);

/**
 * mmfdev_event_bind_eventfd() - signal an eventfd on each event of a line
 * @dev:	the handle
 * @index:	line number
 * @efd:	an eventfd(2) descriptor, or -1 to unbind the line's eventfd
 *
 * The kernel adds 1 to the eventfd's counter per event, so that the eventfd
 * can join an event loop or be handed to another process or to a
 * hypervisor.  A line has at most one eventfd: binding replaces the one
 * bound before.  The binding belongs to the device, not to @dev: it lasts,
 * even after @efd and @dev are closed (the kernel keeps its own reference
 * to the eventfd), until it is replaced or unbound or the device goes
 * away.  It does not touch the marks of any handle.
 *
 * Since: 1.2
 *
 * Return: 0, or -EINVAL (@dev NULL, @index out of range, @efd is not an
 * eventfd), -EBADF (@efd is not an open descriptor), -ENODEV (the device is
 * gone) or another negative errno of the ioctl.
 */
MMFDEV_API int mmfdev_event_bind_eventfd(struct mmfdev *dev,
					 unsigned int index, int efd);

/**
 * mmfdev_event_eventfd() - make an eventfd and bind it to a line
 * @dev:	the handle
 * @index:	line number
 * @efdp:	on success, a new eventfd (EFD_CLOEXEC | EFD_NONBLOCK) that the
 *		caller owns and closes
 *
 * mmfdev_event_bind_eventfd() with a new eventfd: read(2) of 8 bytes from
 * it returns the number of events since the previous read, or fails with
 * EAGAIN if there were none.  Closing it does not unbind it (see
 * mmfdev_event_bind_eventfd()).
 *
 * Since: 1.2
 *
 * Return: 0, or -EINVAL (NULL argument), a negative errno of eventfd(2)
 * (-EMFILE, -ENFILE, -ENOMEM, ...) or an error of
 * mmfdev_event_bind_eventfd(); on error no descriptor is left open.
 */
MMFDEV_API int mmfdev_event_eventfd(struct mmfdev *dev, unsigned int index,
				    int *efdp);

/**
 * DOC: DMA buffers
 *
 * A PCI device or a device-tree node (MMFDEV_DEVICE_DMA) can have buffers
 * that the device itself reaches.  mmfdev_dma_alloc() makes one in a free
 * region slot: a region of kind MMFDEV_REGION_DMA, which maps, reads and
 * writes like any region.  mmfdev_dma_describe() tells what the device
 * sees of it: its bus address and segments, inside the device's DMA mask,
 * through its IOMMU if one translates for it.
 *
 * A buffer belongs to the device, not to the handle: it lasts until
 * mmfdev_dma_free(), until the last file of the device is closed (by every
 * process), or until the device goes away.
 *
 * A buffer with MMFDEV_REGION_DMA_SYNC (MMFDEV_DMA_F_SYNC) needs
 * mmfdev_dma_sync() around every transfer: MMFDEV_DMA_TO_DEVICE |
 * MMFDEV_DMA_FOR_DEVICE after the CPU wrote and before the device reads,
 * MMFDEV_DMA_FROM_DEVICE | MMFDEV_DMA_FOR_CPU after the device wrote and
 * before the CPU reads.  Other buffers take it too, for free.
 *
 * The DMA calls are checked against the flags the device reported at
 * open, so that a module older than DMA buffers never sees their ioctls.
 *
 * Since: 1.4
 */

/**
 * mmfdev_get_dma_limits() - the device's DMA mask, quota and use, now
 * @dev:	the handle
 * @mask:	on success, the addresses the device can reach, as its DMA
 *		mask; may be NULL
 * @quota:	on success, the bytes of DMA buffers the device may hold at
 *		once; may be NULL
 * @used:	on success, the bytes it holds now, freed buffers that wait
 *		for the device to be quiesced included; may be NULL
 *
 * Asks the kernel each time: @used changes as buffers come and go.
 *
 * Since: 1.4
 *
 * Return: 0, or -EINVAL (@dev NULL), -EOPNOTSUPP (the device cannot have
 * DMA buffers, or its module predates them), -ENODEV (the device is gone)
 * or another negative errno of the ioctl.
 */
MMFDEV_API int mmfdev_get_dma_limits(struct mmfdev *dev, uint64_t *mask,
				     uint64_t *quota, uint64_t *used);

/**
 * mmfdev_dma_alloc() - allocate a DMA buffer of the device
 * @dev:	the handle, open for writing
 * @kind:	MMFDEV_DMA_COHERENT, MMFDEV_DMA_STREAMING or
 *		MMFDEV_DMA_CONTIGUOUS
 * @size:	bytes, a non-zero multiple of mmfdev_get_page_size()
 * @index:	on success, the new buffer's region number
 *
 * The buffer is zeroed.  It belongs to the device: it outlives
 * mmfdev_close() of @dev as long as another file of the device is open.
 *
 * Since: 1.4
 *
 * Return: 0, or -EINVAL (NULL argument, unknown @kind, @size zero or not a
 * page multiple), -EOPNOTSUPP (the device cannot have DMA buffers: the RAM
 * node, phys= ranges), -EBADF (@dev was opened MMFDEV_OPEN_RDONLY), -ENOSPC
 * (no free region slot, or the device's quota would be exceeded), -ENOMEM
 * (no such memory that the device can reach), -E2BIG (@size beyond what a
 * region holds), -ENODEV (the device is gone) or another negative errno of
 * the ioctl.
 */
MMFDEV_API int mmfdev_dma_alloc(struct mmfdev *dev, unsigned int kind,
				uint64_t size, unsigned int *index);

/**
 * mmfdev_dma_free() - free a DMA buffer
 * @dev:	the handle, open for writing
 * @index:	the buffer's region number
 *
 * Every mapping of the buffer, in every process, is revoked: an access
 * gets SIGBUS.  The region slot is free again at once; the memory goes
 * back once the device can no longer reach it.
 *
 * Since: 1.4
 *
 * Return: 0, or -EINVAL (@dev NULL, @index is not a DMA buffer),
 * -EOPNOTSUPP (the device cannot have DMA buffers), -EBADF (@dev was
 * opened MMFDEV_OPEN_RDONLY), -ENODEV (the device is gone) or another
 * negative errno of the ioctl.
 */
MMFDEV_API int mmfdev_dma_free(struct mmfdev *dev, unsigned int index);

/**
 * mmfdev_dma_sync() - hand a range of a DMA buffer to the CPU or the device
 * @dev:	the handle
 * @index:	the buffer's region number
 * @flags:	one direction, MMFDEV_DMA_TO_DEVICE, MMFDEV_DMA_FROM_DEVICE or
 *		MMFDEV_DMA_BIDIRECTIONAL, or'ed with one side,
 *		MMFDEV_DMA_FOR_CPU or MMFDEV_DMA_FOR_DEVICE
 * @offset:	start of the range in the buffer, in bytes
 * @length:	bytes in the range, not 0
 *
 * Before the device reads what the CPU wrote: MMFDEV_DMA_TO_DEVICE |
 * MMFDEV_DMA_FOR_DEVICE.  After the device wrote, before the CPU reads:
 * MMFDEV_DMA_FROM_DEVICE | MMFDEV_DMA_FOR_CPU.
 *
 * Since: 1.4
 *
 * Return: 0, or -EINVAL (@dev NULL, bad @flags, @length 0, the range
 * outside the buffer or wrapping, @index is not a DMA buffer), -EOPNOTSUPP
 * (the device cannot have DMA buffers), -ENODEV (the device is gone) or
 * another negative errno of the ioctl.
 */
MMFDEV_API int mmfdev_dma_sync(struct mmfdev *dev, unsigned int index,
			       unsigned int flags, uint64_t offset,
			       uint64_t length);

/**
 * MMFDEV_DMA_EXPORT_RDONLY - mmfdev_dma_export() flag: a read-only dma-buf
 *
 * Since: 1.4
 */
#define MMFDEV_DMA_EXPORT_RDONLY	(1U << 0)

/**
 * mmfdev_dma_export() - a dma-buf of a DMA buffer, for another driver
 * @dev:	the handle
 * @index:	the buffer's region number
 * @offset:	start of the range to export, a multiple of the page size
 * @length:	its length, a multiple of the page size; 0: to the end
 * @flags:	0 for a read-write dma-buf, or MMFDEV_DMA_EXPORT_RDONLY
 * @fdp:	on success, the dma-buf's file descriptor (close-on-exec),
 *		to pass to V4L2 (V4L2_MEMORY_DMABUF), DRM PRIME and the like
 *
 * The memory lasts as long as the dma-buf, whatever happens to the buffer
 * or its device.  Map it, and bracket CPU accesses with
 * DMA_BUF_IOCTL_SYNC, as for any dma-buf.
 *
 * Since: 1.4
 *
 * Return: 0, or -EINVAL (@dev or @fdp NULL, unknown @flags, a range not
 * page-aligned, empty or outside the buffer, @index is not a DMA buffer),
 * -EOPNOTSUPP (the device cannot have DMA buffers, or the memory has no
 * pages to share), -EBADF (a read-write dma-buf from a handle opened
 * MMFDEV_OPEN_RDONLY), -EMFILE, -ENODEV (the device is gone) or another
 * negative errno of the ioctl.
 */
MMFDEV_API int mmfdev_dma_export(struct mmfdev *dev, unsigned int index,
				 uint64_t offset, uint64_t length,
				 unsigned int flags, int *fdp);

/**
 * mmfdev_dma_describe() - describe a DMA buffer, all its segments included
 * @dev:	the handle
 * @index:	the buffer's region number
 * @descp:	on success, a snapshot; free it with mmfdev_dma_desc_free()
 *
 * Since: 1.4
 *
 * Return: 0, or -EINVAL (NULL argument, @index is not a DMA buffer),
 * -EOPNOTSUPP (the device cannot have DMA buffers), -ENOMEM, -EAGAIN (the
 * buffer's segments kept changing while they were read: it was freed and
 * another one allocated in its slot, again and again), -ENODEV (the
 * device is gone) or another negative errno of the ioctl.
 */
MMFDEV_API int mmfdev_dma_describe(struct mmfdev *dev, unsigned int index,
				   struct mmfdev_dma_desc **descp);

/**
 * mmfdev_dma_desc_free() - free a DMA buffer snapshot; NULL does nothing
 * @desc:	the snapshot, or NULL
 *
 * Since: 1.4
 */
MMFDEV_API void mmfdev_dma_desc_free(struct mmfdev_dma_desc *desc);

/**
 * mmfdev_dma_desc_get_kind() - MMFDEV_DMA_COHERENT, ...
 * @desc:	the snapshot; not NULL
 *
 * Since: 1.4
 *
 * Return: the buffer's kind: MMFDEV_DMA_COHERENT, _STREAMING or
 * _CONTIGUOUS.
 */
MMFDEV_API unsigned int
mmfdev_dma_desc_get_kind(const struct mmfdev_dma_desc *desc);

/**
 * mmfdev_dma_desc_get_flags() - MMFDEV_DMA_F_SYNC | _CONTIGUOUS | _IOMMU
 * @desc:	the snapshot; not NULL
 *
 * Since: 1.4
 *
 * Return: the MMFDEV_DMA_F_* flags of the buffer, or'ed together.
 */
MMFDEV_API unsigned int
mmfdev_dma_desc_get_flags(const struct mmfdev_dma_desc *desc);

/**
 * mmfdev_dma_desc_get_size() - the buffer's size in bytes
 * @desc:	the snapshot; not NULL
 *
 * Since: 1.4
 *
 * Return: the size in bytes.
 */
MMFDEV_API uint64_t
mmfdev_dma_desc_get_size(const struct mmfdev_dma_desc *desc);

/**
 * mmfdev_dma_desc_get_dma_mask() - the DMA mask the buffer was made for
 * @desc:	the snapshot; not NULL
 *
 * Since: 1.4
 *
 * Return: the device's DMA mask when the buffer was allocated: every bus
 * address of the buffer is inside it.
 */
MMFDEV_API uint64_t
mmfdev_dma_desc_get_dma_mask(const struct mmfdev_dma_desc *desc);

/**
 * mmfdev_dma_desc_get_bus_addr() - the bus address of the buffer's start
 * @desc:	the snapshot; not NULL
 *
 * Since: 1.4
 *
 * Return: the address the device uses for the buffer's first byte (an
 * IOVA with MMFDEV_DMA_F_IOMMU), the address of segment 0.
 */
MMFDEV_API uint64_t
mmfdev_dma_desc_get_bus_addr(const struct mmfdev_dma_desc *desc);

/**
 * mmfdev_dma_desc_get_num_segments() - how many ranges the device sees
 * @desc:	the snapshot; not NULL
 *
 * Since: 1.4
 *
 * Return: the number of segments, at least 1; exactly 1 with
 * MMFDEV_DMA_F_CONTIGUOUS.
 */
MMFDEV_API unsigned int
mmfdev_dma_desc_get_num_segments(const struct mmfdev_dma_desc *desc);

/**
 * mmfdev_dma_desc_get_segment() - one range of the buffer as the device
 * sees it
 * @desc:	the snapshot
 * @i:		segment number, below mmfdev_dma_desc_get_num_segments()
 * @addr:	on success, the segment's bus address; may be NULL
 * @len:	on success, its length in bytes; may be NULL
 *
 * The segments come in buffer order: segment 0 holds its first bytes.
 *
 * Since: 1.4
 *
 * Return: 0, or -EINVAL (@desc NULL, @i out of range).
 */
MMFDEV_API int mmfdev_dma_desc_get_segment(const struct mmfdev_dma_desc *desc,
					   unsigned int i, uint64_t *addr,
					   uint64_t *len);

/**
 * DOC: Device-memory accessors
 *
 * For mappings of MMIO (and any other) regions.
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

/**
 * mmfdev_read8() - one 8-bit read of device memory
 * @addr:	the register, in a mapping from mmfdev_map(); any address
 *
 * Ordered before later memory reads.
 *
 * Since: 1.1
 *
 * Return: the value read.
 */
MMFDEV_API uint8_t mmfdev_read8(const volatile void *addr);
/**
 * mmfdev_read16() - one 16-bit read of device memory
 * @addr:	the register, in a mapping from mmfdev_map(); aligned to 2 bytes
 *
 * Ordered before later memory reads.
 *
 * Since: 1.1
 *
 * Return: the value read.
 */
MMFDEV_API uint16_t mmfdev_read16(const volatile void *addr);
/**
 * mmfdev_read32() - one 32-bit read of device memory
 * @addr:	the register, in a mapping from mmfdev_map(); aligned to 4 bytes
 *
 * Ordered before later memory reads.
 *
 * Since: 1.1
 *
 * Return: the value read.
 */
MMFDEV_API uint32_t mmfdev_read32(const volatile void *addr);
/**
 * mmfdev_read64() - one 64-bit read of device memory
 * @addr:	the register, in a mapping from mmfdev_map(); aligned to 8 bytes
 *
 * Ordered before later memory reads.
 *
 * Since: 1.1
 *
 * Return: the value read.
 */
MMFDEV_API uint64_t mmfdev_read64(const volatile void *addr);
/**
 * mmfdev_write8() - one 8-bit write to device memory
 * @addr:	the register, in a mapping from mmfdev_map(); any address
 * @value:	the value to write
 *
 * Ordered after earlier memory writes.
 *
 * Since: 1.1
 */
MMFDEV_API void mmfdev_write8(volatile void *addr, uint8_t value);
/**
 * mmfdev_write16() - one 16-bit write to device memory
 * @addr:	the register, in a mapping from mmfdev_map(); aligned to 2 bytes
 * @value:	the value to write
 *
 * Ordered after earlier memory writes.
 *
 * Since: 1.1
 */
MMFDEV_API void mmfdev_write16(volatile void *addr, uint16_t value);
/**
 * mmfdev_write32() - one 32-bit write to device memory
 * @addr:	the register, in a mapping from mmfdev_map(); aligned to 4 bytes
 * @value:	the value to write
 *
 * Ordered after earlier memory writes.
 *
 * Since: 1.1
 */
MMFDEV_API void mmfdev_write32(volatile void *addr, uint32_t value);
/**
 * mmfdev_write64() - one 64-bit write to device memory
 * @addr:	the register, in a mapping from mmfdev_map(); aligned to 8 bytes
 * @value:	the value to write
 *
 * Ordered after earlier memory writes.
 *
 * Since: 1.1
 */
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
