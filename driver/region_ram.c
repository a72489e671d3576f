// SPDX-License-Identifier: GPL-2.0-only
/*
 * mmfdev RAM regions: zero-filled memory that belongs to the device, and
 * that the rest of the kernel treats as file memory.
 *
 * The pages are the page cache of a shmem file on a private tmpfs mount
 * (mounted huge=within_size where the kernel has THP).  A mapping is a
 * mapping of that file: mmap() hands the VMA to a file of its own on the
 * shmem inode, whose operations are shmem's plus .owner, so that
 *
 *  - every page has a mapping and an index: process-shared futexes (and so
 *    pthread mutexes, condition variables, semaphores), get_user_pages(),
 *    O_DIRECT, vmsplice() and io_uring fixed buffers work, and madvise()
 *    zaps refault from the same pages;
 *  - faults come from the page cache, PMD-mapped where the mapping is
 *    aligned and the folio is huge; nothing is prefilled at mmap() time;
 *  - each such file holds a module reference, so rmmod is refused while a
 *    mapping exists, as it is while a file is open.
 *
 * Unless the ram_movable parameter says otherwise, every page is allocated
 * when the region is created, held with a reference until the device goes
 * (so it is never migrated, and never reclaimed or swapped: the mapping is
 * also unevictable) and taken from outside ZONE_MOVABLE, since it is
 * pinned for good.  The file the VMA holds is read-only, so nothing can
 * punch a hole in the region (MADV_REMOVE gets EBADF).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/file.h>
#include <linux/fs.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mount.h>
#include <linux/mutex.h>
#include <linux/pagemap.h>
#include <linux/shmem_fs.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "compat.h"
#include "internal.h"

static bool ram_movable;
module_param(ram_movable, bool, 0444);
MODULE_PARM_DESC(ram_movable,
		 "Let RAM regions be allocated on first use, migrated and swapped like tmpfs files (default: allocated at creation, pinned)");

struct mmfd_ram {
	struct file *file;	/* the shmem file that owns the pages */
	struct page **pins;	/* one referenced page per folio */
	unsigned long nr_pins;
};

static struct vfsmount *ram_mnt;
static DEFINE_MUTEX(ram_mnt_lock);

/* shmem's file operations, with our module as owner: see ram_mmap(). */
static const struct file_operations *ram_fops;

static struct vfsmount *ram_mount(void)
{
	struct file_system_type *type;
	struct vfsmount *mnt;

	type = get_fs_type("tmpfs");
	if (!type)
		return ERR_PTR(-ENODEV);
	mnt = ERR_PTR(-EINVAL);
	if (has_transparent_hugepage()) {
		char opts[] = "huge=within_size";

		mnt = vfs_kern_mount(type, SB_KERNMOUNT, type->name, opts);
	}
	if (IS_ERR(mnt))
		mnt = kern_mount(type);
	return mnt;
}

static int ram_mount_get(void)
{
	int ret = 0;

	mutex_lock(&ram_mnt_lock);
	if (!ram_mnt) {
		struct vfsmount *mnt = ram_mount();

		if (IS_ERR(mnt))
			ret = PTR_ERR(mnt);
		else
			ram_mnt = mnt;
	}
	mutex_unlock(&ram_mnt_lock);
	return ret;
}

/**
 * mmfd_region_ram_exit() - unmount the RAM regions' tmpfs; at module unload
 */
void mmfd_region_ram_exit(void)
{
	if (ram_mnt)
		kern_unmount(ram_mnt);
	ram_mnt = NULL;
	kfree(ram_fops);
	ram_fops = NULL;
}

/*
 * Every region's file has shmem's operations: copy them once, and make
 * the copy ours.  It is written only here, before anyone can use it.
 */
static int ram_fops_get(const struct file_operations *shmem_fops)
{
	struct module *owner = THIS_MODULE;
	void *fops;

	if (ram_fops)
		return 0;
	fops = kmemdup(shmem_fops, sizeof(*shmem_fops), GFP_KERNEL);
	if (!fops)
		return -ENOMEM;
	memcpy(fops + offsetof(typeof(*shmem_fops), owner), &owner,
	       sizeof(owner));
	ram_fops = fops;
	return 0;
}

/*
 * A file of our own on the region's inode, for one mmap() call.  Its
 * operations are shmem's, so the VMA is a shmem VMA in every way the core
 * checks; its owner is us, so the module stays while the VMA (or a copy
 * of it, after fork or split) holds the file.
 */
static struct file *ram_file_clone(struct mmfd_ram *ram)
{
	struct inode *inode = file_inode(ram->file);
	struct file *file;

	__module_get(THIS_MODULE);
	ihold(inode);
	file = alloc_file_pseudo(inode, ram_mnt, "mmfdev-ram", O_RDONLY,
				 ram_fops);
	if (IS_ERR(file)) {
		iput(inode);
		module_put(THIS_MODULE);
	}
	return file;
}

static int ram_mmap(struct mmfd_region *region, struct vm_area_struct *vma,
		    unsigned long pgoff)
{
	struct mmfd_ram *ram = region->priv;
	struct file *file;

	file = ram_file_clone(ram);
	if (IS_ERR(file))
		return PTR_ERR(file);
	/* The VMA now holds the clone, and no longer our node's file. */
	vma_set_file(vma, file);
	fput(file);
	vma->vm_pgoff = pgoff;
	return mmfd_file_mmap(file, vma);
}

static bool ram_owns_vma(struct mmfd_region *region,
			 struct vm_area_struct *vma)
{
	struct mmfd_ram *ram = region->priv;

	return vma->vm_file && vma->vm_file->f_op == ram_fops &&
	       file_inode(vma->vm_file) == file_inode(ram->file);
}

/* Copy @len bytes between @buf and the region at @off, page by page. */
static int ram_copy(struct mmfd_ram *ram, void *buf, size_t len, u64 off,
		    bool write)
{
	struct address_space *mapping = ram->file->f_mapping;

	while (len) {
		size_t in_page = offset_in_page(off);
		size_t n = min_t(size_t, len, PAGE_SIZE - in_page);
		struct page *page;
		void *kaddr;

		page = shmem_read_mapping_page(mapping, off >> PAGE_SHIFT);
		if (IS_ERR(page))
			return PTR_ERR(page);
		kaddr = kmap_local_page(page);
		if (write) {
			memcpy(kaddr + in_page, buf, n);
			flush_dcache_page(page);
		} else {
			memcpy(buf, kaddr + in_page, n);
		}
		kunmap_local(kaddr);
		if (write) {
			/* A clean shmem page could be dropped by reclaim. */
			lock_page(page);
			set_page_dirty(page);
			unlock_page(page);
		}
		put_page(page);
		buf += n;
		off += n;
		len -= n;
	}
	return 0;
}

static int ram_read(struct mmfd_region *region, void *buf, size_t len,
		    u64 off)
{
	return ram_copy(region->priv, buf, len, off, false);
}

static int ram_write(struct mmfd_region *region, const void *buf,
		     size_t len, u64 off)
{
	return ram_copy(region->priv, (void *)buf, len, off, true);
}

static int ram_sync(struct mmfd_region *region)
{
	/*
	 * Every mapping, read and write goes through the same cacheable
	 * pages, so there is nothing to write back; order earlier stores
	 * before whatever the caller does next.
	 */
	smp_mb();
	return 0;
}

static void ram_unpin(struct mmfd_ram *ram)
{
	unsigned long i;

	for (i = 0; i < ram->nr_pins; i++)
		put_page(ram->pins[i]);
	kvfree(ram->pins);
	ram->pins = NULL;
	ram->nr_pins = 0;
}

/*
 * tmpfs reports an inode or a page it could not allocate as ENOSPC: for
 * a region, and for the user loading the module, that is ENOMEM.
 */
static int ram_errno(int err)
{
	return err == -ENOSPC ? -ENOMEM : err;
}

/*
 * Allocate every page of the region now, and keep a reference on each
 * folio: a page with an extra reference is neither migrated nor reclaimed.
 */
static int ram_pin_all(struct mmfd_ram *ram, u64 size)
{
	struct address_space *mapping = ram->file->f_mapping;
	pgoff_t index = 0, end = size >> PAGE_SHIFT;

	ram->pins = kvcalloc(end, sizeof(*ram->pins), GFP_KERNEL);
	if (!ram->pins)
		return -ENOMEM;

	mapping_set_unevictable(mapping);
	mapping_set_gfp_mask(mapping, GFP_HIGHUSER);
	while (index < end) {
		struct page *page;

		page = shmem_read_mapping_page(mapping, index);
		if (IS_ERR(page)) {
			ram_unpin(ram);
			return ram_errno(PTR_ERR(page));
		}
		ram->pins[ram->nr_pins++] = page;
		index = page_folio(page)->index +
			folio_nr_pages(page_folio(page));
		if (fatal_signal_pending(current)) {
			ram_unpin(ram);
			return -EINTR;
		}
		cond_resched();
	}
	return 0;
}

static void ram_release(struct mmfd_region *region)
{
	struct mmfd_ram *ram = region->priv;

	ram_unpin(ram);
	fput(ram->file);
	kfree(ram);
	region->priv = NULL;
}

static const struct mmfd_region_ops ram_ops = {
	.mmap = ram_mmap,
	.owns_vma = ram_owns_vma,
	.read = ram_read,
	.write = ram_write,
	.sync = ram_sync,
	.release = ram_release,
	.outlives_bus = true,
};

/**
 * mmfd_region_ram_init() - make @region a zero-filled RAM region
 * @region:	an unused slot of a device's region table
 * @name:	region name
 * @size:	size in bytes, a non-zero multiple of PAGE_SIZE
 *
 * Return: 0, -EINVAL for a bad size, -EINTR if a fatal signal came while
 * the pages were allocated, or -ENOMEM.
 */
int mmfd_region_ram_init(struct mmfd_region *region, const char *name,
			 u64 size)
{
	struct mmfd_ram *ram;
	int ret;

	if (!size || !PAGE_ALIGNED(size) || size > MMFD_REGION_MAX_SIZE)
		return -EINVAL;

	ret = ram_mount_get();
	if (ret)
		return ret;

	ram = kzalloc(sizeof(*ram), GFP_KERNEL);
	if (!ram)
		return -ENOMEM;

	ram->file = mmfd_shmem_file_setup(ram_mnt, "mmfdev-ram", size);
	if (IS_ERR(ram->file)) {
		ret = ram_errno(PTR_ERR(ram->file));
		goto free_ram;
	}
	mutex_lock(&ram_mnt_lock);
	ret = ram_fops_get(ram->file->f_op);
	mutex_unlock(&ram_mnt_lock);
	if (ret)
		goto put_file;

	if (!ram_movable) {
		ret = ram_pin_all(ram, size);
		if (ret)
			goto put_file;
	}

	region->ops = &ram_ops;
	region->kind = MMFDEV_REGION_KIND_RAM;
	region->flags = MMFDEV_REGION_FLAG_READ | MMFDEV_REGION_FLAG_WRITE |
			MMFDEV_REGION_FLAG_MMAP;
	/* Never alias the kernel's cacheable mapping with another type. */
	region->cache_modes = MMFDEV_CACHE_BIT(MMFDEV_CACHE_WB);
	region->cache_default = MMFDEV_CACHE_WB;
	region->size = size;
	region->priv = ram;
	strscpy(region->name, name, sizeof(region->name));
	return 0;

put_file:
	fput(ram->file);
free_ram:
	kfree(ram);
	return ret;
}
