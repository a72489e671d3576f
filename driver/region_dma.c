// SPDX-License-Identifier: GPL-2.0-only
/*
 * mmfdev DMA buffers, a region kind: memory that one device reaches, at
 * the addresses that device uses (through its IOMMU, its bus's dma-ranges
 * offset, inside its DMA mask).  The core (dma.c) creates them on request
 * in a device's free slots; this file allocates, maps, syncs and frees
 * them.
 *
 *  - coherent: dma_alloc_coherent().  CPU and device always agree.  User
 *    mappings are PFN maps with the kernel's attributes for that memory
 *    (write-back on a coherent device, write-combined, which is Normal-NC
 *    on arm64, on a non-coherent one), so get_user_pages() refuses them.
 *  - streaming: order-0 pages, from the zone the DMA mask needs, mapped
 *    for the device with dma_map_sgtable(); cached for the CPU, so every
 *    transfer needs a sync unless the device is coherent and nothing
 *    bounces.  User mappings insert the pages themselves: O_DIRECT,
 *    vmsplice() and io_uring fixed buffers work on them.
 *  - contiguous: as streaming, but one range for the device: physically
 *    contiguous pages (alloc_pages_exact()), or scattered ones that an
 *    IOMMU maps as one.
 *
 * A buffer is a refcounted object apart from its region slot: freeing the
 * slot parks it until the device is quiesced (see dma.c), and only the
 * last reference gives the memory back.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/dma-map-ops.h>
#include <linux/dma-mapping.h>
#include <linux/gfp.h>
#include <linux/iommu.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include "compat.h"
#include "internal.h"

/**
 * struct mmfd_dma_buf - one DMA buffer
 * @ref:	the region slot, a parked list entry, and later exports
 * @dev:	the device it was allocated for (referenced)
 * @kind:	MMFDEV_DMA_KIND_*
 * @size:	bytes, whole pages
 * @flags:	MMFDEV_DMA_INFO_*
 * @dma_mask:	the device's mask when it was allocated
 * @nr_pages:	pages in @pages
 * @pages:	streaming and contiguous: the pages, each with a reference
 * @sgt:	streaming and contiguous: @pages, mapped for @dev
 * @vaddr:	coherent: the kernel's address of it
 * @dma:	coherent: its bus address
 * @node:	entry in the device's parked list, once its slot is freed
 * @exports:	its dma-bufs (dmabuf.c), revoked when the device goes
 * @used:	the device's count of DMA bytes, which holds @size until the
 *		memory is freed
 */
struct mmfd_dma_buf {
	struct kref ref;
	struct device *dev;
	u32 kind;
	u64 size;
	u32 flags;
	u64 dma_mask;
	unsigned long nr_pages;
	struct page **pages;
	struct sg_table sgt;
	void *vaddr;
	dma_addr_t dma;
	struct list_head node;
	struct mmfd_dmabuf_list exports;
	struct mmfd_dma_used *used;
};

/* Does an IOMMU translate @dev's DMA (not just pass it through)? */
bool mmfd_dma_iommu_translates(struct device *dev)
{
	struct iommu_domain *domain = iommu_get_domain_for_dev(dev);

	return domain && domain->type != IOMMU_DOMAIN_IDENTITY &&
	       domain->type != IOMMU_DOMAIN_BLOCKED;
}

/**
 * mmfd_dma_reach() - the highest bus address @dev reaches
 * @dev:	the device
 *
 * Its DMA mask, and the limit of its bus's dma-ranges, whichever is lower.
 *
 * Return: the limit, as a mask.
 */
u64 mmfd_dma_reach(struct device *dev)
{
	u64 mask = dma_get_mask(dev);

	if (dev->bus_dma_limit)
		mask = min(mask, dev->bus_dma_limit);
	return mask;
}

/*
 * The zone that pages for @dev must come from: none if its mask reaches
 * all memory or an IOMMU maps any page, else the one under its mask.
 */
static gfp_t mmfd_dma_zone(struct device *dev)
{
	u64 mask = mmfd_dma_reach(dev);

	if (mmfd_dma_iommu_translates(dev) || mask >= dma_get_required_mask(dev))
		return 0;
	if (IS_ENABLED(CONFIG_ZONE_DMA32) && mask >= DMA_BIT_MASK(32))
		return GFP_DMA32;
	return IS_ENABLED(CONFIG_ZONE_DMA) ? GFP_DMA : GFP_DMA32;
}

static void mmfd_dma_buf_release(struct kref *ref)
{
	struct mmfd_dma_buf *buf = container_of(ref, struct mmfd_dma_buf, ref);
	unsigned long i;

	if (buf->kind == MMFDEV_DMA_KIND_COHERENT) {
		dma_free_coherent(buf->dev, buf->size, buf->vaddr, buf->dma);
	} else {
		dma_unmap_sgtable(buf->dev, &buf->sgt, DMA_BIDIRECTIONAL, 0);
		sg_free_table(&buf->sgt);
	}
	/* Pages that get_user_pages() still pins go when it lets go. */
	for (i = 0; i < buf->nr_pages; i++)
		put_page(buf->pages[i]);
	kvfree(buf->pages);
	put_device(buf->dev);
	atomic64_sub(buf->size, &buf->used->bytes);
	mmfd_dma_used_put(buf->used);
	kfree(buf);
}

/* Drop a device's count of DMA bytes; the last reference frees it. */
void mmfd_dma_used_put(struct mmfd_dma_used *used)
{
	if (used && refcount_dec_and_test(&used->ref))
		kfree(used);
}

/* Drop a reference to @buf; the last one frees its memory. */
void mmfd_dma_buf_put(struct mmfd_dma_buf *buf)
{
	kref_put(&buf->ref, mmfd_dma_buf_release);
}

/* The pages of a streaming or contiguous buffer, zeroed. */
static int mmfd_dma_alloc_pages(struct mmfd_dma_buf *buf, bool contiguous)
{
	gfp_t gfp = GFP_KERNEL_ACCOUNT | __GFP_ZERO | __GFP_NOWARN |
		    mmfd_dma_zone(buf->dev);
	unsigned long i, nr = buf->nr_pages;
	void *vaddr;

	/* buf->nr_pages counts the pages allocated, for the error path. */
	buf->nr_pages = 0;
	buf->pages = kvcalloc(nr, sizeof(*buf->pages), GFP_KERNEL_ACCOUNT);
	if (!buf->pages)
		return -ENOMEM;

	if (contiguous) {
		/* Split pages: each is referenced, mapped and freed alone. */
		vaddr = alloc_pages_exact(buf->size, gfp);
		if (vaddr) {
			for (i = 0; i < nr; i++)
				buf->pages[i] = virt_to_page(vaddr +
							     i * PAGE_SIZE);
			buf->nr_pages = nr;
			return 0;
		}
		/* Scattered pages are one range only behind an IOMMU. */
		if (!mmfd_dma_iommu_translates(buf->dev))
			return -ENOMEM;
	}

	while (buf->nr_pages < nr) {
		buf->pages[buf->nr_pages] = alloc_page(gfp);
		if (!buf->pages[buf->nr_pages])
			return -ENOMEM;
		buf->nr_pages++;
		if (fatal_signal_pending(current))
			return -EINTR;
		cond_resched();
	}
	return 0;
}

/* Map the pages for the device; a contiguous buffer gets one segment. */
static int mmfd_dma_map_pages(struct mmfd_dma_buf *buf, bool contiguous)
{
	struct scatterlist *sg;
	unsigned int i;
	int ret;

	ret = sg_alloc_table_from_pages(&buf->sgt, buf->pages, buf->nr_pages,
					0, buf->size, GFP_KERNEL_ACCOUNT);
	if (ret)
		return ret;
	ret = dma_map_sgtable(buf->dev, &buf->sgt, DMA_BIDIRECTIONAL, 0);
	if (ret) {
		sg_free_table(&buf->sgt);
		/* No address under the mask (e.g. no bounce buffer there). */
		return ret == -EINVAL || ret == -EIO ? -ENOMEM : ret;
	}
	if (contiguous && buf->sgt.nents != 1) {
		dma_unmap_sgtable(buf->dev, &buf->sgt, DMA_BIDIRECTIONAL, 0);
		sg_free_table(&buf->sgt);
		return -ENOMEM;
	}
	if (buf->sgt.nents == 1)
		buf->flags |= MMFDEV_DMA_INFO_CONTIGUOUS;
	for_each_sgtable_dma_sg(&buf->sgt, sg, i)
		if (dma_need_sync(buf->dev, sg_dma_address(sg)))
			buf->flags |= MMFDEV_DMA_INFO_SYNC;
	return 0;
}

static struct mmfd_dma_buf *mmfd_dma_buf_alloc(struct device *dev, u32 kind,
					       u64 size)
{
	bool contiguous = kind == MMFDEV_DMA_KIND_CONTIGUOUS;
	struct mmfd_dma_buf *buf;
	int ret;

	buf = kzalloc(sizeof(*buf), GFP_KERNEL_ACCOUNT);
	if (!buf)
		return ERR_PTR(-ENOMEM);
	kref_init(&buf->ref);
	INIT_LIST_HEAD(&buf->node);
	mmfd_dmabuf_list_init(&buf->exports);
	buf->dev = get_device(dev);
	buf->kind = kind;
	buf->size = size;
	buf->nr_pages = size >> PAGE_SHIFT;
	buf->dma_mask = mmfd_dma_reach(dev);
	if (mmfd_dma_iommu_translates(dev))
		buf->flags |= MMFDEV_DMA_INFO_IOMMU;

	if (kind == MMFDEV_DMA_KIND_COHERENT) {
		buf->nr_pages = 0;
		buf->vaddr = dma_alloc_coherent(dev, size, &buf->dma,
						GFP_KERNEL | __GFP_NOWARN);
		if (!buf->vaddr) {
			ret = -ENOMEM;
			goto free_buf;
		}
		buf->flags |= MMFDEV_DMA_INFO_CONTIGUOUS;
		return buf;
	}

	ret = mmfd_dma_alloc_pages(buf, contiguous);
	if (!ret)
		ret = mmfd_dma_map_pages(buf, contiguous);
	if (!ret)
		return buf;

	while (buf->nr_pages)
		put_page(buf->pages[--buf->nr_pages]);
	kvfree(buf->pages);
free_buf:
	put_device(buf->dev);
	kfree(buf);
	return ERR_PTR(ret);
}

static int dma_mmap(struct mmfd_region *region, struct vm_area_struct *vma,
		    unsigned long pgoff)
{
	struct mmfd_dma_buf *buf = region->priv;

	/* Coherent memory is no struct page to userspace: no GUP on it. */
	if (buf->kind == MMFDEV_DMA_KIND_COHERENT)
		vm_flags_set(vma, VM_IO | VM_PFNMAP);
	return 0;
}

/* The page frame of byte @off of a coherent buffer. */
static unsigned long mmfd_dma_coherent_pfn(struct mmfd_dma_buf *buf, u64 off)
{
	void *addr = buf->vaddr + off;

	return is_vmalloc_addr(addr) ? vmalloc_to_pfn(addr) :
				       PHYS_PFN(virt_to_phys(addr));
}

static vm_fault_t dma_fault(struct mmfd_region *region, struct vm_fault *vmf,
			    unsigned long pgoff)
{
	struct mmfd_dma_buf *buf = region->priv;
	unsigned long pfn;

	if (buf->kind == MMFDEV_DMA_KIND_COHERENT) {
		pfn = mmfd_dma_coherent_pfn(buf, (u64)pgoff << PAGE_SHIFT);
		return vmf_insert_pfn_prot(vmf->vma, vmf->address & PAGE_MASK,
					   pfn, vmf->vma->vm_page_prot);
	}
	/* The page itself, referenced by the page table that maps it. */
	vmf->page = buf->pages[pgoff];
	get_page(vmf->page);
	return 0;
}

/* Copy between @kbuf and bytes [@off, @off + @len) of the CPU's view. */
static void mmfd_dma_copy(struct mmfd_dma_buf *buf, void *kbuf, size_t len,
			  u64 off, bool write)
{
	while (len) {
		size_t n = min_t(size_t, len, PAGE_SIZE - offset_in_page(off));
		void *p;

		if (buf->kind == MMFDEV_DMA_KIND_COHERENT)
			p = buf->vaddr + off;
		else
			p = page_address(buf->pages[off >> PAGE_SHIFT]) +
			    offset_in_page(off);
		if (write)
			memcpy(p, kbuf, n);
		else
			memcpy(kbuf, p, n);
		kbuf += n;
		off += n;
		len -= n;
	}
}

static int dma_read(struct mmfd_region *region, void *kbuf, size_t len,
		    u64 off)
{
	mmfd_dma_copy(region->priv, kbuf, len, off, false);
	return 0;
}

static int dma_write(struct mmfd_region *region, const void *kbuf,
		     size_t len, u64 off)
{
	mmfd_dma_copy(region->priv, (void *)kbuf, len, off, true);
	return 0;
}

/*
 * Sync bytes [@off, @off + @len) of a buffer mapped as scatterlist, in
 * pieces that never cross a page of bus addresses: behind an IOMMU one
 * segment is many pages, scattered in memory.
 */
static void mmfd_dma_sync_sg(struct mmfd_dma_buf *buf,
			     enum dma_data_direction dir, bool for_cpu,
			     u64 off, u64 len)
{
	u64 end = off + len, pos = 0;
	struct scatterlist *sg;
	unsigned int i;

	for_each_sgtable_dma_sg(&buf->sgt, sg, i) {
		u64 seg_end = pos + sg_dma_len(sg);
		u64 s = max(off, pos), e = min(end, seg_end);

		while (s < e) {
			dma_addr_t addr = sg_dma_address(sg) + (s - pos);
			size_t n = min_t(u64, e - s,
					 PAGE_SIZE - offset_in_page(addr));

			if (for_cpu)
				dma_sync_single_for_cpu(buf->dev, addr, n, dir);
			else
				dma_sync_single_for_device(buf->dev, addr, n,
							   dir);
			s += n;
		}
		pos = seg_end;
		if (pos >= end)
			break;
	}
}

/**
 * mmfd_region_dma_sync() - sync a range of a DMA buffer
 * @region:	a DMA buffer's region
 * @flags:	MMFDEV_DMA_SYNC_*, one direction and one side
 * @off:	start of the range, in bytes
 * @len:	its length in bytes
 *
 * Return: 0, or -EINVAL for bad @flags or a range that is empty, outside
 * the buffer, or overflowing.
 */
int mmfd_region_dma_sync(struct mmfd_region *region, u32 flags, u64 off,
			 u64 len)
{
	static const enum dma_data_direction dirs[] = {
		[MMFDEV_DMA_SYNC_TO_DEVICE] = DMA_TO_DEVICE,
		[MMFDEV_DMA_SYNC_FROM_DEVICE] = DMA_FROM_DEVICE,
		[MMFDEV_DMA_SYNC_BIDIRECTIONAL] = DMA_BIDIRECTIONAL,
	};
	u32 dir = flags & MMFDEV_DMA_SYNC_BIDIRECTIONAL;
	u32 side = flags & (MMFDEV_DMA_SYNC_FOR_CPU |
			    MMFDEV_DMA_SYNC_FOR_DEVICE);
	struct mmfd_dma_buf *buf = region->priv;

	if (!dir || (side != MMFDEV_DMA_SYNC_FOR_CPU &&
		     side != MMFDEV_DMA_SYNC_FOR_DEVICE) ||
	    flags & ~(MMFDEV_DMA_SYNC_BIDIRECTIONAL | side))
		return -EINVAL;
	if (!len || off >= buf->size || len > buf->size - off)
		return -EINVAL;
	if (buf->kind != MMFDEV_DMA_KIND_COHERENT)
		mmfd_dma_sync_sg(buf, dirs[dir],
				 side == MMFDEV_DMA_SYNC_FOR_CPU, off, len);
	return 0;
}

/* fsync() and msync(MS_SYNC): what the CPU wrote goes to the device. */
static int dma_sync(struct mmfd_region *region)
{
	struct mmfd_dma_buf *buf = region->priv;

	return mmfd_region_dma_sync(region, MMFDEV_DMA_SYNC_TO_DEVICE |
				    MMFDEV_DMA_SYNC_FOR_DEVICE, 0, buf->size);
}

/**
 * mmfd_region_dma_info() - describe a DMA buffer
 * @region:	a DMA buffer's region
 * @info:	filled in, but for argsz and index
 * @segs:	room for @room segments, filled in order
 * @room:	how many segments @segs holds
 */
void mmfd_region_dma_info(struct mmfd_region *region,
			  struct mmfdev_dma_info *info,
			  struct mmfdev_dma_segment *segs, u32 room)
{
	struct mmfd_dma_buf *buf = region->priv;
	struct scatterlist *sg;
	unsigned int i;

	info->kind = buf->kind;
	info->flags = buf->flags;
	info->size = buf->size;
	info->dma_mask = buf->dma_mask;
	info->reserved = 0;
	if (buf->kind == MMFDEV_DMA_KIND_COHERENT) {
		info->bus_addr = buf->dma;
		info->num_segments = 1;
		if (room) {
			segs[0].addr = buf->dma;
			segs[0].len = buf->size;
		}
		return;
	}
	info->bus_addr = sg_dma_address(buf->sgt.sgl);
	info->num_segments = buf->sgt.nents;
	for_each_sgtable_dma_sg(&buf->sgt, sg, i) {
		if (i >= room)
			break;
		segs[i].addr = sg_dma_address(sg);
		segs[i].len = sg_dma_len(sg);
	}
}

/**
 * mmfd_region_dma_buf() - the buffer of a DMA region, referenced
 * @region:	a DMA buffer's region
 *
 * Return: the buffer; drop it with mmfd_dma_buf_put().
 */
struct mmfd_dma_buf *mmfd_region_dma_buf(struct mmfd_region *region)
{
	struct mmfd_dma_buf *buf = region->priv;

	kref_get(&buf->ref);
	return buf;
}

/**
 * mmfd_dma_buf_page() - the struct page of a page of a buffer
 * @buf:	the buffer
 * @pgoff:	the page, below its size
 *
 * Return: the page, or NULL for memory without one that importers may
 * use: none at all, or a reserved one (a no-map pool's, which the kernel
 * does not map).
 */
struct page *mmfd_dma_buf_page(struct mmfd_dma_buf *buf, unsigned long pgoff)
{
	unsigned long pfn;

	if (buf->kind != MMFDEV_DMA_KIND_COHERENT)
		return buf->pages[pgoff];
	pfn = mmfd_dma_coherent_pfn(buf, (u64)pgoff << PAGE_SHIFT);
	if (!pfn_valid(pfn))
		return NULL;
	/* A no-map pool's pages exist, reserved, outside the linear map. */
	return PageReserved(pfn_to_page(pfn)) ? NULL : pfn_to_page(pfn);
}

/* The list of the buffer's dma-bufs. */
struct mmfd_dmabuf_list *mmfd_dma_buf_exports(struct mmfd_dma_buf *buf)
{
	return &buf->exports;
}

/* The buffer's size in bytes. */
u64 mmfd_dma_buf_size(struct mmfd_dma_buf *buf)
{
	return buf->size;
}

/**
 * mmfd_dma_buf_sync() - sync a range of a buffer for its own device
 * @buf:	the buffer
 * @dir:	the direction
 * @for_cpu:	for the CPU, else for the device
 * @off:	start of the range, inside the buffer
 * @len:	its length, inside the buffer
 */
void mmfd_dma_buf_sync(struct mmfd_dma_buf *buf, enum dma_data_direction dir,
		       bool for_cpu, u64 off, u64 len)
{
	if (buf->kind != MMFDEV_DMA_KIND_COHERENT)
		mmfd_dma_sync_sg(buf, dir, for_cpu, off, len);
}

/**
 * mmfd_dma_buf_mmap() - map pages of a buffer into a VMA at once
 * @buf:	the buffer
 * @vma:	the VMA, whose size the caller checked against the buffer
 * @pgoff:	the buffer's page at the VMA's start
 *
 * Coherent memory gets the attributes the kernel maps it with, as a PFN
 * map; pages are inserted themselves.
 *
 * Return: 0 or a negative errno.
 */
int mmfd_dma_buf_mmap(struct mmfd_dma_buf *buf, struct vm_area_struct *vma,
		      unsigned long pgoff)
{
	unsigned long i, n = vma_pages(vma);
	int ret;

	if (buf->kind != MMFDEV_DMA_KIND_COHERENT)
		return vm_map_pages(vma, buf->pages + pgoff, n);

	vm_flags_set(vma, VM_IO | VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP);
	if (!dev_is_dma_coherent(buf->dev))
		vma->vm_page_prot = pgprot_writecombine(vma->vm_page_prot);
	for (i = 0; i < n; i++) {
		ret = remap_pfn_range(vma, vma->vm_start + i * PAGE_SIZE,
				      mmfd_dma_coherent_pfn(buf,
							    (u64)(pgoff + i) <<
							    PAGE_SHIFT),
				      PAGE_SIZE, vma->vm_page_prot);
		if (ret)
			return ret;
	}
	return 0;
}

/**
 * mmfd_dma_buf_vmap() - a kernel mapping of pages of a buffer
 * @buf:	the buffer
 * @pgoff:	the first page
 * @npages:	how many
 * @vmapped:	set if the caller must vunmap() the address
 *
 * Return: the address, or NULL.
 */
void *mmfd_dma_buf_vmap(struct mmfd_dma_buf *buf, unsigned long pgoff,
			unsigned long npages, bool *vmapped)
{
	*vmapped = buf->kind != MMFDEV_DMA_KIND_COHERENT;
	if (!*vmapped)
		return buf->vaddr + ((u64)pgoff << PAGE_SHIFT);
	return vmap(buf->pages + pgoff, npages, VM_MAP, PAGE_KERNEL);
}

static void dma_release(struct mmfd_region *region)
{
	struct mmfd_dma_buf *buf = region->priv;

	/* The device is gone: dynamic importers let go (dmabuf.c). */
	mmfd_dmabuf_revoke(&buf->exports);
	mmfd_dma_buf_put(buf);
	region->priv = NULL;
}

static const struct mmfd_region_ops dma_region_ops = {
	.mmap = dma_mmap,
	.fault = dma_fault,
	.read = dma_read,
	.write = dma_write,
	.sync = dma_sync,
	.release = dma_release,
};

/* A free slot: listed as an empty region until a buffer fills it. */
static const struct mmfd_region_ops dma_slot_region_ops = { };

/**
 * mmfd_region_dma_slot_init() - make @region a free slot for DMA buffers
 * @region:	an unused slot of a device's region table
 * @n:		its number among the device's DMA slots, for its name
 */
void mmfd_region_dma_slot_init(struct mmfd_region *region, unsigned int n)
{
	memset(region, 0, sizeof(*region));
	region->ops = &dma_slot_region_ops;
	region->kind = MMFDEV_REGION_KIND_NONE;
	snprintf(region->name, sizeof(region->name), "dma%u", n);
}

bool mmfd_region_is_dma_slot(const struct mmfd_region *region)
{
	return region && region->ops == &dma_slot_region_ops;
}

bool mmfd_region_is_dma(const struct mmfd_region *region)
{
	return region && region->ops == &dma_region_ops;
}

/**
 * mmfd_region_dma_init() - allocate a DMA buffer into a free slot
 * @region:	a free slot (mmfd_region_is_dma_slot())
 * @dev:	the device that will reach it
 * @kind:	MMFDEV_DMA_KIND_*
 * @size:	bytes, whole pages, at most a region's
 * @used:	the device's count of DMA bytes, which the buffer holds @size
 *		of until its memory is freed
 *
 * Return: 0, -EINVAL (bad @kind), -ENOMEM (no memory that @dev reaches),
 * or -EINTR (a fatal signal came while allocating).
 */
int mmfd_region_dma_init(struct mmfd_region *region, struct device *dev,
			 u32 kind, u64 size, struct mmfd_dma_used *used)
{
	struct mmfd_dma_buf *buf;
	bool coherent;

	if (kind != MMFDEV_DMA_KIND_COHERENT &&
	    kind != MMFDEV_DMA_KIND_STREAMING &&
	    kind != MMFDEV_DMA_KIND_CONTIGUOUS)
		return -EINVAL;
	buf = mmfd_dma_buf_alloc(dev, kind, size);
	if (IS_ERR(buf))
		return PTR_ERR(buf);

	buf->used = used;
	refcount_inc(&used->ref);
	atomic64_add(size, &used->bytes);
	coherent = dev_is_dma_coherent(dev);
	region->ops = &dma_region_ops;
	region->kind = MMFDEV_REGION_KIND_DMA;
	region->flags = MMFDEV_REGION_FLAG_READ | MMFDEV_REGION_FLAG_WRITE |
			MMFDEV_REGION_FLAG_MMAP;
	if (buf->flags & MMFDEV_DMA_INFO_SYNC)
		region->flags |= MMFDEV_REGION_FLAG_DMA_SYNC;
	/* The attributes the kernel's own mapping of the memory has. */
	region->cache_default = kind != MMFDEV_DMA_KIND_COHERENT || coherent ?
				MMFDEV_CACHE_WB : MMFDEV_CACHE_WC;
	region->cache_modes = MMFDEV_CACHE_BIT(region->cache_default);
	region->size = size;
	region->priv = buf;
	return 0;
}

/**
 * mmfd_region_dma_park() - take the buffer out of its slot
 * @region:	a DMA buffer's region; a free slot again afterwards
 * @parked:	the list the buffer joins, until mmfd_dma_reap()
 * @n:		the slot's number among the device's DMA slots
 *
 * The caller revoked every user mapping of the region first.
 */
void mmfd_region_dma_park(struct mmfd_region *region,
			  struct list_head *parked, unsigned int n)
{
	struct mmfd_dma_buf *buf = region->priv;

	list_add_tail(&buf->node, parked);
	mmfd_region_dma_slot_init(region, n);
}

/**
 * mmfd_dma_reap() - let go of the parked buffers of a quiesced device
 * @parked:	the device's list
 *
 * Their memory goes now, or with the last dma-buf of it.
 */
void mmfd_dma_reap(struct list_head *parked)
{
	struct mmfd_dma_buf *buf, *tmp;

	list_for_each_entry_safe(buf, tmp, parked, node) {
		list_del_init(&buf->node);
		mmfd_dma_buf_put(buf);
	}
}
