/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * mmfdev internals shared by the core, the region kinds and the bus glue.
 *
 * The core owns the character device, the file operations, the region
 * table and the device's lifetime.  A region kind (RAM, MMIO, reserved
 * memory, I/O ports) supplies a struct mmfd_region_ops and never sees a
 * file.  Bus glue (the default device, PCI, device tree, the phys
 * parameter) only discovers regions and hands a filled struct
 * mmfd_device to mmfd_device_register(); mmfd_device_remove() takes it
 * back.
 */
#ifndef _MMFD_INTERNAL_H
#define _MMFD_INTERNAL_H

#include <linux/bits.h>
#include <linux/fs.h>
#include <linux/interrupt.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/miscdevice.h>
#include <linux/mutex.h>
#include <linux/dma-direction.h>
#include <linux/mm_types.h>
#include <linux/poll.h>
#include <linux/refcount.h>
#include <linux/rwsem.h>
#include <linux/security.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/types.h>
#include <linux/mmfdev.h>

#include "compat.h"

/*
 * The node's offset space: bits 0-35 are the offset inside a region (so a
 * region is at most 64 GiB), bits 36-39 the region (16 per device), bits
 * 40-41 the cache mode asked for (0: the region's default).  Every window
 * is page aligned for every page size, and all of it is below 2^42.  The
 * helpers below are the only code that encodes or decodes an offset.
 */
#define MMFD_REGION_SHIFT	36
#define MMFD_REGION_MAX_SIZE	BIT_ULL(MMFD_REGION_SHIFT)
#define MMFD_MAX_REGIONS	16
#define MMFD_MODE_SHIFT	40
/* Pages per region window. */
#define MMFD_WINDOW_PAGES	(1UL << (MMFD_REGION_SHIFT - PAGE_SHIFT))

/* The offset of region @index's window, mapped with cache mode @mode. */
static inline u64 mmfd_index_to_offset(unsigned int index, unsigned int mode)
{
	return (u64)index << MMFD_REGION_SHIFT | (u64)mode << MMFD_MODE_SHIFT;
}

/* A mapping's vm_pgoff: its region, */
static inline unsigned long mmfd_pgoff_to_index(unsigned long pgoff)
{
	return (pgoff / MMFD_WINDOW_PAGES) & (MMFD_MAX_REGIONS - 1);
}

/* the page in that region where it starts, */
static inline unsigned long mmfd_pgoff_to_page(unsigned long pgoff)
{
	return pgoff & (MMFD_WINDOW_PAGES - 1);
}

/* and the cache mode it asks for (0: the region's default). */
static inline unsigned long mmfd_pgoff_to_mode(unsigned long pgoff)
{
	return pgoff >> (MMFD_MODE_SHIFT - PAGE_SHIFT);
}

/* A byte position of read() and write(): its region, */
static inline u64 mmfd_pos_to_index(u64 pos)
{
	return pos >> MMFD_REGION_SHIFT;
}

/* and the offset in that region. */
static inline u64 mmfd_pos_to_rel(u64 pos)
{
	return pos & (MMFD_REGION_MAX_SIZE - 1);
}

struct mmfd_region;

/**
 * struct mmfd_region_ops - what a region kind provides
 * @mmap:	set up @vma, whose range, mode and access the core checked and
 *		whose vm_page_prot already has the cache mode; called without
 *		the device lock (the device may be gone by then).  Either fill it
 *		now (memory that never goes away while mapped) or leave it to
 *		@fault (memory a bus may take back).
 *		A kind whose memory is file memory may instead hand the VMA
 *		to a file and vm_operations of its own (RAM: shmem); it then
 *		provides @owns_vma, and the VMA keeps its vm_private_data.
 * @owns_vma:	is @vma a mapping of this region that @mmap handed over?
 *		Only for kinds that hand VMAs over.
 * @fault:	insert the page at @pgoff of the region for @vmf; called
 *		under the device lock, only while the device is alive.
 * @huge_fault: map the PMD-sized block at @pgoff with one entry, or return
 *		VM_FAULT_FALLBACK; called like @fault, on kernels that
 *		can map PFNs huge.
 * @read:	copy @len bytes at @off into @buf, a kernel buffer; the core
 *		checked the range and, for MMFDEV_REGION_FLAG_SIZED regions,
 *		that this is one aligned access of 1, 2, 4 or 8 bytes.
 *		Returns 0 or a negative errno.
 * @write:	copy @len bytes from @buf to @off; checked likewise.
 * @sync:	make earlier CPU writes visible to the device (fsync/msync).
 * @release:	give back what the kind took; called once, before the device
 *		is gone from its bus (with @outlives_bus: when its last
 *		reference goes), never concurrently with the others.
 * @outlives_bus: the kind's memory owes nothing to the bus (RAM): keep it
 *		until the last file is closed, so that @mmap, which runs
 *		without the device lock, can always use it.
 *
 * @read, @write, @sync, @fault and @huge_fault run under the device lock
 * for reading; they must not touch user memory.
 */
struct mmfd_region_ops {
	int (*mmap)(struct mmfd_region *region, struct vm_area_struct *vma,
		    unsigned long pgoff);
	bool (*owns_vma)(struct mmfd_region *region,
			 struct vm_area_struct *vma);
	vm_fault_t (*fault)(struct mmfd_region *region, struct vm_fault *vmf,
			    unsigned long pgoff);
	vm_fault_t (*huge_fault)(struct mmfd_region *region,
				 struct vm_fault *vmf, unsigned long pgoff);
	int (*read)(struct mmfd_region *region, void *buf, size_t len,
		    u64 off);
	int (*write)(struct mmfd_region *region, const void *buf,
		     size_t len, u64 off);
	int (*sync)(struct mmfd_region *region);
	void (*release)(struct mmfd_region *region);
	bool outlives_bus;
};

/**
 * struct mmfd_region - one region of a device
 * @ops:	the region kind's operations, NULL for an unused slot
 * @kind:	MMFDEV_REGION_KIND_*
 * @flags:	MMFDEV_REGION_FLAG_*
 * @cache_modes: MMFDEV_CACHE_BIT() of each mode a mapping may use
 * @cache_default: the mode a mapping gets unless it asks for another
 * @size:	size in bytes
 * @name:	region name as userspace sees it
 * @priv:	the region kind's data
 */
struct mmfd_region {
	const struct mmfd_region_ops *ops;
	u32 kind;
	u32 flags;
	u32 cache_modes;
	u32 cache_default;
	u64 size;
	char name[MMFDEV_NAME_MAX];
	void *priv;
};

struct mmfd_device;
struct mmfd_event;

/**
 * struct mmfd_event_ops - what the bus glue does for a level line
 * @unmask:	unmask the line at the device or the interrupt controller;
 *		return 1 if the device still asserts it and it stayed
 *		masked (that counts as a new event), else 0
 */
struct mmfd_event_ops {
	int (*unmask)(struct mmfd_event *ev);
};

/**
 * struct mmfd_event - one event line
 * @lock:	protects @count, @last_ns, @masked and @eventfd
 * @mdev:	the device
 * @index:	line number
 * @kind:	MMFDEV_EVENT_KIND_*
 * @trigger:	MMFDEV_EVENT_TRIGGER_*
 * @flags:	MMFDEV_EVENT_FLAG_UNMASK and _RING (fixed)
 * @name:	line name as userspace sees it
 * @count:	events since the device appeared
 * @last_ns:	CLOCK_MONOTONIC time of the latest, 0 if none
 * @masked:	the glue masked the line; userspace has not unmasked it
 * @eventfd:	signalled once per event, or NULL
 * @ops:	the glue's operations, NULL for doorbells and edge lines
 * @priv:	the glue's data
 * @irq:	the glue's interrupt, or 0
 */
struct mmfd_event {
	spinlock_t lock;	/* see above: handlers take it too */
	struct mmfd_device *mdev;
	unsigned int index;
	u32 kind;
	u32 trigger;
	u32 flags;
	char name[MMFDEV_NAME_MAX];
	u64 count;
	u64 last_ns;
	bool masked;
	struct eventfd_ctx *eventfd;
	const struct mmfd_event_ops *ops;
	void *priv;
	int irq;
};

/**
 * enum mmfd_quiesce - why the core asks the glue to stop a device's DMA
 * @MMFD_QUIESCE_IDLE:	its last buffer was freed; files are still open
 * @MMFD_QUIESCE_CLOSED: its last file was closed
 * @MMFD_QUIESCE_REMOVE: it leaves its bus, under its device lock
 */
enum mmfd_quiesce {
	MMFD_QUIESCE_IDLE,
	MMFD_QUIESCE_CLOSED,
	MMFD_QUIESCE_REMOVE,
};

/**
 * struct mmfd_bus_ops - what the bus glue does for DMA buffers
 * @dma_start:	let the device master the bus: a buffer was allocated, or
 *		a file opened a device that had been quiesced
 * @quiesce:	stop the device's DMA before its buffers are freed (bus
 *		mastering off; on removal also a reset where it can be).
 *		Returns 0, or -EBUSY if stopping it now would break what
 *		its open files use (its MSIs, which are DMA writes too): the
 *		buffers then wait for the next occasion.
 */
struct mmfd_bus_ops {
	void (*dma_start)(struct mmfd_device *mdev);
	int (*quiesce)(struct mmfd_device *mdev, enum mmfd_quiesce why);
};

/**
 * enum mmfd_reach - what whoever opens a node can reach (trust.c)
 * @MMFD_REACH_CONTAINED: the node's own memory and registers: the RAM node,
 *			a device-tree node that does no DMA
 * @MMFD_REACH_ISOLATED: a device that can do DMA, confined by an IOMMU
 * @MMFD_REACH_ALL:	all of memory: a bus master that no IOMMU isolates,
 *			raw physical ranges (phys=)
 */
enum mmfd_reach {
	MMFD_REACH_CONTAINED,
	MMFD_REACH_ISOLATED,
	MMFD_REACH_ALL,
};

/**
 * struct mmfd_device - one /dev node and its regions
 * @ref:	an open file holds a reference, so does the bus glue until
 *		mmfd_device_remove()
 * @lock:	readers: every file operation; writer: unregistration
 * @dead:	set once the device left its bus; then calls get -ENODEV
 * @registered:	the node exists (mmfd_device_register() succeeded)
 * @inode:	owns the address_space every open file shares, so that
 *		unregistration can zap all user mappings at once
 * @misc:	the character device
 * @name:	node name, also the device name in MMFDEV_IOC_DEVICE_INFO
 * @event_wq:	every event wakes it; waiters check their own lines
 * @nr_events:	number of entries in @events
 * @events:	the event lines: the glue's interrupts, then doorbells
 * @nr_open:	open files, under @lock for writing
 * @dma_dev:	the device DMA buffers are for, or NULL: none (dma.c)
 * @bus_ops:	the glue's DMA operations, or NULL
 * @dma_first:	the first region slot for DMA buffers
 * @dma_quota:	bytes of DMA buffers the device may hold
 * @dma_used:	bytes of its buffers' memory, parked ones and those that
 *		only dma-bufs hold included; shared with the buffers, which
 *		may outlive the device
 * @dma_live:	buffers in slots
 * @dma_active:	bus mastering is on for DMA buffers (not quiesced)
 * @dma_quiesced: quiesced since the last open; the next open lets the
 *		device master the bus again (its MSIs need that too)
 * @dma_parked:	freed buffers waiting for the device to be quiesced
 * @dma_fixed:	the slots of buffers made at probe time, kept until the
 *		device goes
 * @reach:	what whoever opens the node reaches (trust.c)
 * @lockdown:	the lockdown reason that refuses opening it, or LOCKDOWN_NONE
 * @lockdown_why: what it exposes, for the log line of a refusal
 * @nr_regions:	number of entries in @regions
 * @regions:	the region table, indexed by region number
 */
struct mmfd_device {
	struct kref ref;
	struct rw_semaphore lock;
	bool dead;
	bool registered;
	struct inode *inode;
	struct miscdevice misc;
	char name[MMFDEV_NAME_MAX];
	wait_queue_head_t event_wq;
	unsigned int nr_events;
	struct mmfd_event *events;
	unsigned int nr_open;
	struct device *dma_dev;
	const struct mmfd_bus_ops *bus_ops;
	unsigned int dma_first;
	u64 dma_quota;
	struct mmfd_dma_used *dma_used;
	unsigned int dma_live;
	bool dma_active;
	bool dma_quiesced;
	struct list_head dma_parked;
	DECLARE_BITMAP(dma_fixed, MMFD_MAX_REGIONS);
	enum mmfd_reach reach;
	enum lockdown_reason lockdown;
	const char *lockdown_why;
	unsigned int nr_regions;
	struct mmfd_region regions[] __counted_by(nr_regions);
};

/**
 * struct mmfd_file - what an open file of a device keeps
 * @mdev:	the device
 * @nr_seen:	the device's number of event lines
 * @seen:	per event line, the count this file last looked at
 */
struct mmfd_file {
	struct mmfd_device *mdev;
	unsigned int nr_seen;
	atomic64_t seen[] __counted_by(nr_seen);
};

int mmfd_core_init(void);
void mmfd_core_exit(void);

struct mmfd_device *mmfd_device_alloc(const char *name,
				      unsigned int nr_regions);
int mmfd_device_register(struct mmfd_device *mdev);
void mmfd_device_remove(struct mmfd_device *mdev);

/* Who may open a node (trust.c) */
void mmfd_trust_set(struct mmfd_device *mdev, enum mmfd_reach reach,
		    enum lockdown_reason lockdown, const char *why);
int mmfd_trust_open(struct mmfd_device *mdev);
void mmfd_trust_fill_device_info(struct mmfd_device *mdev,
				 struct mmfdev_device_info *info);
ssize_t mmfd_trust_show(struct mmfd_device *mdev, char *buf);

/* ioctl arguments that start with their size, argsz (core.c) */
int mmfd_argsz_in(void __user *arg, void *karg, u32 insz, u32 minsz);
int mmfd_argsz_out(void __user *arg, void *karg, u32 size);

/**
 * enum mmfd_claim - how an MMIO region holds its range
 * @MMFD_CLAIM_HELD:	the bus glue holds it already (PCI)
 * @MMFD_CLAIM_OWN:	request it; -EBUSY if a driver holds it
 * @MMFD_CLAIM_SHARE:	never request it: map it alongside the driver that
 *			holds it, now or later (the "shared" opt-in)
 */
enum mmfd_claim {
	MMFD_CLAIM_HELD,
	MMFD_CLAIM_OWN,
	MMFD_CLAIM_SHARE,
};

/* Event lines (events.c) */
int mmfd_events_alloc(struct mmfd_device *mdev, unsigned int nr_hw);
void mmfd_event_init(struct mmfd_event *ev, u32 kind, u32 trigger,
		     const char *name, const struct mmfd_event_ops *ops,
		     void *priv);
void mmfd_event_fire(struct mmfd_event *ev, bool masked);
int mmfd_event_request_irq(struct mmfd_event *ev, int irq,
			   irq_handler_t handler, unsigned long flags);
void mmfd_events_free_irqs(struct mmfd_device *mdev);
void mmfd_events_free(struct mmfd_device *mdev);
__poll_t mmfd_events_poll(struct mmfd_file *mf, struct file *file,
			  struct poll_table_struct *wait);
long mmfd_events_ioctl(struct mmfd_file *mf, struct file *file,
		       unsigned int cmd, void __user *arg);
ssize_t mmfd_events_show(struct mmfd_device *mdev, char *buf);

/**
 * struct mmfd_dma_used - the bytes of DMA memory a device's buffers hold
 * @ref:	the device, and each buffer until its memory is freed
 * @bytes:	the sum of their sizes
 */
struct mmfd_dma_used {
	refcount_t ref;
	atomic64_t bytes;
};

/* DMA buffers: the device's table of them (dma.c) */
int mmfd_dma_setup(struct mmfd_device *mdev, struct device *dev,
		   const struct mmfd_bus_ops *ops, unsigned int first);
int mmfd_dma_alloc_spec(struct mmfd_device *mdev, const char *spec);
long mmfd_dma_ioctl(struct mmfd_device *mdev, struct file *file,
		    unsigned int cmd, void __user *arg);
void mmfd_dma_fill_device_info(struct mmfd_device *mdev,
			       struct mmfdev_device_info *info);
void mmfd_dma_open(struct mmfd_device *mdev);
void mmfd_dma_last_close(struct mmfd_device *mdev);
void mmfd_dma_unregister(struct mmfd_device *mdev);
ssize_t mmfd_dma_show(struct mmfd_device *mdev, char *buf);

/* DMA buffers, the region kind (region_dma.c) */
struct mmfd_dma_buf;
bool mmfd_dma_iommu_translates(struct device *dev);
u64 mmfd_dma_reach(struct device *dev);
void mmfd_region_dma_slot_init(struct mmfd_region *region, unsigned int n);
bool mmfd_region_is_dma_slot(const struct mmfd_region *region);
bool mmfd_region_is_dma(const struct mmfd_region *region);
int mmfd_region_dma_init(struct mmfd_region *region, struct device *dev,
			 u32 kind, u64 size, struct mmfd_dma_used *used);
void mmfd_dma_used_put(struct mmfd_dma_used *used);
int mmfd_region_dma_sync(struct mmfd_region *region, u32 flags, u64 off,
			 u64 len);
void mmfd_region_dma_info(struct mmfd_region *region,
			  struct mmfdev_dma_info *info,
			  struct mmfdev_dma_segment *segs, u32 room);
void mmfd_region_dma_park(struct mmfd_region *region,
			  struct list_head *parked, unsigned int n);
void mmfd_dma_reap(struct list_head *parked);
void mmfd_dma_buf_put(struct mmfd_dma_buf *buf);
struct mmfd_dma_buf *mmfd_region_dma_buf(struct mmfd_region *region);
struct page *mmfd_dma_buf_page(struct mmfd_dma_buf *buf, unsigned long pgoff);
u64 mmfd_dma_buf_size(struct mmfd_dma_buf *buf);
void mmfd_dma_buf_sync(struct mmfd_dma_buf *buf, enum dma_data_direction dir,
		       bool for_cpu, u64 off, u64 len);
int mmfd_dma_buf_mmap(struct mmfd_dma_buf *buf, struct vm_area_struct *vma,
		      unsigned long pgoff);
void *mmfd_dma_buf_vmap(struct mmfd_dma_buf *buf, unsigned long pgoff,
			unsigned long npages, bool *vmapped);

/**
 * struct mmfd_dmabuf_list - the dma-bufs exported from one DMA buffer
 * @lock:	protects @head
 * @head:	the exports (dmabuf.c)
 */
struct mmfd_dmabuf_list {
	struct mutex lock;	/* see above */
	struct list_head head;
};

struct mmfd_dmabuf_list *mmfd_dma_buf_exports(struct mmfd_dma_buf *buf);

/* dma-buf export of DMA buffers (dmabuf.c), where the kernel has dma-buf */
#if IS_ENABLED(CONFIG_DMA_SHARED_BUFFER)
void mmfd_dmabuf_list_init(struct mmfd_dmabuf_list *list);
void mmfd_dmabuf_revoke(struct mmfd_dmabuf_list *list);
int mmfd_dmabuf_export(struct mmfd_region *region, u64 offset, u64 length,
		       u32 flags);
#else
static inline void mmfd_dmabuf_list_init(struct mmfd_dmabuf_list *list)
{
	mutex_init(&list->lock);
	INIT_LIST_HEAD(&list->head);
}

static inline void mmfd_dmabuf_revoke(struct mmfd_dmabuf_list *list) { }

static inline int mmfd_dmabuf_export(struct mmfd_region *region, u64 offset,
				     u64 length, u32 flags)
{
	return -EOPNOTSUPP;
}
#endif

/* Region kinds (region_*.c) */
void mmfd_region_ram_exit(void);
int mmfd_region_ram_init(struct mmfd_region *region, const char *name,
			 u64 size);
int mmfd_region_mmio_init(struct mmfd_region *region, const char *name,
			  phys_addr_t phys, u64 size,
			  enum mmfd_claim claim);
int mmfd_region_reserved_init(struct mmfd_region *region,
			      const char *name, phys_addr_t phys, u64 size);
void mmfd_region_ioport_init(struct mmfd_region *region,
			     const char *name, u64 size);
void mmfd_region_empty_init(struct mmfd_region *region, const char *name);

/**
 * struct mmfd_phys - a physical region's data (MMIO or reserved memory)
 * @phys:	physical address
 * @io:		the kernel's mapping of MMIO, or NULL
 * @mem:	the kernel's mapping of reserved memory, or NULL
 * @claimed:	we requested the range and hold it
 */
struct mmfd_phys {
	phys_addr_t phys;
	void __iomem *io;
	void *mem;
	bool claimed;
};

/* What the physical kinds share (region_mmio.c); region->priv is theirs. */
int mmfd_phys_mmap(struct mmfd_region *region, struct vm_area_struct *vma,
		   unsigned long pgoff);
vm_fault_t mmfd_phys_fault(struct mmfd_region *region, struct vm_fault *vmf,
			   unsigned long pgoff);
#ifdef MMFD_HUGE_PFNMAP
vm_fault_t mmfd_phys_huge_fault(struct mmfd_region *region,
				struct vm_fault *vmf, unsigned long pgoff);
#else
#define mmfd_phys_huge_fault	NULL
#endif
void mmfd_phys_release(struct mmfd_region *region);
/* The mapping and release operations of a physical kind's ops. */
#define MMFD_PHYS_REGION_OPS				\
	.mmap = mmfd_phys_mmap,				\
	.fault = mmfd_phys_fault,			\
	.huge_fault = mmfd_phys_huge_fault,		\
	.release = mmfd_phys_release
void mmfd_phys_region_fill(struct mmfd_region *region, const char *name,
			   u64 size, struct mmfd_phys *p);

/* Shared MMIO ranges: who holds them (region_mmio_owner.c) */
void mmfd_mmio_owner_report(struct device *dev, const char *name,
			    phys_addr_t phys, u64 size);

/* Bus glue: bus_ram.c, bus_pci.c, bus_param.c, bus_of.c */
int mmfd_bus_ram_init(void);
void mmfd_bus_ram_exit(void);
int mmfd_bus_pci_init(void);
void mmfd_bus_pci_exit(void);
int mmfd_bus_param_init(void);
void mmfd_bus_param_exit(void);
#if IS_ENABLED(CONFIG_OF)
int mmfd_bus_of_init(void);
void mmfd_bus_of_exit(void);
#else
static inline int mmfd_bus_of_init(void) { return 0; }
static inline void mmfd_bus_of_exit(void) { }
#endif

#endif /* _MMFD_INTERNAL_H */
