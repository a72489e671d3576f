// SPDX-License-Identifier: GPL-2.0-only
/*
 * mmfdev dma-buf export: a DMA buffer, or a page-aligned range of it,
 * handed to other drivers (V4L2, DRM PRIME, ...) as a dma-buf.
 *
 * Each export holds a reference to the buffer (region_dma.c), so its
 * memory outlives the region, the device and every mapping until the last
 * dma-buf file and attachment are gone; the dma-buf file holds the module.
 * An importer gets the pages mapped for its own device (its mask, its
 * IOMMU); the memory is always resident, so pinning is free and the
 * exporter is dynamic: when the device that owned the buffer goes away,
 * dynamic importers are told to let go, and no importer can map the
 * buffer again.  Static importers keep what they mapped until they
 * detach.  The memory is system RAM: peer-to-peer is never needed, and
 * attachments that ask for it get pages like any other.
 */
#include <linux/dma-buf.h>
#include <linux/dma-mapping.h>
#include <linux/dma-resv.h>
#include <linux/fcntl.h>
#include <linux/iosys-map.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "compat.h"
#include "internal.h"

MMFD_IMPORT_NS_DMA_BUF;

/**
 * struct mmfd_dmabuf - one export
 * @buf:	the DMA buffer, referenced
 * @dmabuf:	the dma-buf
 * @pgoff:	the buffer's page where the export starts
 * @npages:	its length in pages
 * @node:	entry in the buffer's list of exports
 * @revoked:	the device went away: no new mappings for importers
 * @vmap_count:	vmap()s that are not vunmap()ed yet
 * @vaddr:	their kernel address, while @vmap_count
 * @vmapped:	@vaddr comes from vmap()
 */
struct mmfd_dmabuf {
	struct mmfd_dma_buf *buf;
	struct dma_buf *dmabuf;
	unsigned long pgoff;
	unsigned long npages;
	struct list_head node;
	bool revoked;
	unsigned int vmap_count;
	void *vaddr;
	bool vmapped;
};

void mmfd_dmabuf_list_init(struct mmfd_dmabuf_list *list)
{
	mutex_init(&list->lock);
	INIT_LIST_HEAD(&list->head);
}

static int mmfd_dmabuf_attach(struct dma_buf *dmabuf,
			      struct dma_buf_attachment *attach)
{
	/* System RAM has pages: importers never need peer-to-peer. */
	attach->peer2peer = false;
	return 0;
}

/* The memory is always resident: nothing to pin. */
static int mmfd_dmabuf_pin(struct dma_buf_attachment *attach)
{
	return 0;
}

static void mmfd_dmabuf_unpin(struct dma_buf_attachment *attach)
{
}

static struct sg_table *mmfd_dmabuf_map(struct dma_buf_attachment *attach,
					enum dma_data_direction dir)
{
	struct mmfd_dmabuf *exp = attach->dmabuf->priv;
	struct page **pages;
	struct sg_table *sgt;
	unsigned long i;
	int ret;

	if (READ_ONCE(exp->revoked))
		return ERR_PTR(-ENODEV);
	pages = kvmalloc_array(exp->npages, sizeof(*pages), GFP_KERNEL);
	sgt = kzalloc(sizeof(*sgt), GFP_KERNEL);
	ret = -ENOMEM;
	if (!pages || !sgt)
		goto free;
	for (i = 0; i < exp->npages; i++)
		pages[i] = mmfd_dma_buf_page(exp->buf, exp->pgoff + i);
	ret = sg_alloc_table_from_pages(sgt, pages, exp->npages, 0,
					exp->npages << PAGE_SHIFT, GFP_KERNEL);
	if (ret)
		goto free;
	/* For the importer's device: its mask, its IOMMU. */
	ret = dma_map_sgtable(attach->dev, sgt, dir, 0);
	if (ret) {
		sg_free_table(sgt);
		goto free;
	}
	kvfree(pages);
	return sgt;

free:
	kfree(sgt);
	kvfree(pages);
	return ERR_PTR(ret);
}

static void mmfd_dmabuf_unmap(struct dma_buf_attachment *attach,
			      struct sg_table *sgt,
			      enum dma_data_direction dir)
{
	dma_unmap_sgtable(attach->dev, sgt, dir, 0);
	sg_free_table(sgt);
	kfree(sgt);
}

static int mmfd_dmabuf_begin_cpu(struct dma_buf *dmabuf,
				 enum dma_data_direction dir)
{
	struct mmfd_dmabuf *exp = dmabuf->priv;

	mmfd_dma_buf_sync(exp->buf, dir, true, (u64)exp->pgoff << PAGE_SHIFT,
			  (u64)exp->npages << PAGE_SHIFT);
	return 0;
}

static int mmfd_dmabuf_end_cpu(struct dma_buf *dmabuf,
			       enum dma_data_direction dir)
{
	struct mmfd_dmabuf *exp = dmabuf->priv;

	mmfd_dma_buf_sync(exp->buf, dir, false, (u64)exp->pgoff << PAGE_SHIFT,
			  (u64)exp->npages << PAGE_SHIFT);
	return 0;
}

static int mmfd_dmabuf_mmap(struct dma_buf *dmabuf, struct vm_area_struct *vma)
{
	struct mmfd_dmabuf *exp = dmabuf->priv;

	if (vma->vm_pgoff >= exp->npages ||
	    vma_pages(vma) > exp->npages - vma->vm_pgoff)
		return -EINVAL;
	return mmfd_dma_buf_mmap(exp->buf, vma, exp->pgoff + vma->vm_pgoff);
}

/* Under the dma-buf's reservation lock, which its callers hold. */
static int mmfd_dmabuf_vmap(struct dma_buf *dmabuf, struct iosys_map *map)
{
	struct mmfd_dmabuf *exp = dmabuf->priv;

	if (!exp->vmap_count) {
		exp->vaddr = mmfd_dma_buf_vmap(exp->buf, exp->pgoff,
					       exp->npages, &exp->vmapped);
		if (!exp->vaddr)
			return -ENOMEM;
	}
	exp->vmap_count++;
	iosys_map_set_vaddr(map, exp->vaddr);
	return 0;
}

static void mmfd_dmabuf_vunmap(struct dma_buf *dmabuf, struct iosys_map *map)
{
	struct mmfd_dmabuf *exp = dmabuf->priv;

	if (WARN_ON_ONCE(!exp->vmap_count))
		return;
	if (--exp->vmap_count == 0 && exp->vmapped)
		vunmap(exp->vaddr);
}

static void mmfd_dmabuf_release(struct dma_buf *dmabuf)
{
	struct mmfd_dmabuf *exp = dmabuf->priv;
	struct mmfd_dmabuf_list *list = mmfd_dma_buf_exports(exp->buf);

	mutex_lock(&list->lock);
	list_del(&exp->node);
	mutex_unlock(&list->lock);
	mmfd_dma_buf_put(exp->buf);
	kfree(exp);
}

static const struct dma_buf_ops mmfd_dmabuf_ops = {
	.attach = mmfd_dmabuf_attach,
	.pin = mmfd_dmabuf_pin,
	.unpin = mmfd_dmabuf_unpin,
	.map_dma_buf = mmfd_dmabuf_map,
	.unmap_dma_buf = mmfd_dmabuf_unmap,
	.begin_cpu_access = mmfd_dmabuf_begin_cpu,
	.end_cpu_access = mmfd_dmabuf_end_cpu,
	.mmap = mmfd_dmabuf_mmap,
	.vmap = mmfd_dmabuf_vmap,
	.vunmap = mmfd_dmabuf_vunmap,
	.release = mmfd_dmabuf_release,
};

/**
 * mmfd_dmabuf_revoke() - the device of a buffer went away
 * @list:	the buffer's exports
 *
 * No importer maps the memory again; dynamic ones are told to unmap it.
 */
void mmfd_dmabuf_revoke(struct mmfd_dmabuf_list *list)
{
	struct mmfd_dmabuf *exp;

	mutex_lock(&list->lock);
	list_for_each_entry(exp, &list->head, node) {
		dma_resv_lock(exp->dmabuf->resv, NULL);
		WRITE_ONCE(exp->revoked, true);
		mmfd_dma_buf_move_notify(exp->dmabuf);
		dma_resv_unlock(exp->dmabuf->resv);
	}
	mutex_unlock(&list->lock);
}

/**
 * mmfd_dmabuf_export() - a dma-buf of a range of a DMA buffer
 * @region:	the buffer's region, under the device lock
 * @offset:	start of the range, page-aligned, inside the buffer
 * @length:	its length, page-aligned, inside the buffer, not 0
 * @flags:	O_CLOEXEC and O_RDWR, for the file
 *
 * Return: the new file descriptor, or a negative errno (-EOPNOTSUPP for
 * memory without pages).
 */
int mmfd_dmabuf_export(struct mmfd_region *region, u64 offset, u64 length,
		       u32 flags)
{
	DEFINE_DMA_BUF_EXPORT_INFO(info);
	struct mmfd_dmabuf_list *list;
	struct mmfd_dmabuf *exp;
	struct dma_buf *dmabuf;
	int fd;

	exp = kzalloc(sizeof(*exp), GFP_KERNEL);
	if (!exp)
		return -ENOMEM;
	exp->buf = mmfd_region_dma_buf(region);
	exp->pgoff = offset >> PAGE_SHIFT;
	exp->npages = length >> PAGE_SHIFT;
	INIT_LIST_HEAD(&exp->node);
	/* Importers need struct pages (a no-map pool has none). */
	if (!mmfd_dma_buf_page(exp->buf, exp->pgoff)) {
		fd = -EOPNOTSUPP;
		goto put_buf;
	}

	info.ops = &mmfd_dmabuf_ops;
	info.size = length;
	info.flags = flags & O_ACCMODE;
	info.priv = exp;
	dmabuf = dma_buf_export(&info);
	if (IS_ERR(dmabuf)) {
		fd = PTR_ERR(dmabuf);
		goto put_buf;
	}
	exp->dmabuf = dmabuf;
	list = mmfd_dma_buf_exports(exp->buf);
	mutex_lock(&list->lock);
	list_add_tail(&exp->node, &list->head);
	mutex_unlock(&list->lock);

	fd = dma_buf_fd(dmabuf, flags & O_CLOEXEC);
	if (fd < 0)
		dma_buf_put(dmabuf);	/* its release drops the rest */
	return fd;

put_buf:
	mmfd_dma_buf_put(exp->buf);
	kfree(exp);
	return fd;
}
