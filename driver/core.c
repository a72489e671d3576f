// SPDX-License-Identifier: GPL-2.0-only
/*
 * mmfdev core: the character device, its file operations and the region
 * table.  Nothing here knows what kind of memory a region is.
 *
 * The path of a mapping: mmap() -> mmfd_mmap() -> region and cache mode
 * from the offset -> region->ops->mmap() -> page tables.
 *
 * Lifetime: a device can leave its bus (PCI unbind, removal) while files
 * and mappings still exist.  Every file operation touches a region only
 * under mdev->lock for reading, and fails with -ENODEV once mdev->dead is
 * set.  Unregistering takes the lock for writing, sets dead, zaps every
 * user mapping through the address_space all open files share, and
 * releases the regions.  Regions that can go away are mapped page by page
 * at fault time, under the same lock, so a mapping made in a race with
 * unregistering never gets a page either: an access gets SIGBUS.
 *
 * No user memory is touched under mdev->lock (page faults take mmap_lock,
 * which is held around our own fault handler): data goes through a kernel
 * bounce buffer.  Nor is a VMA changed under it: a fault holds the VMA's
 * lock (or mmap_lock) while it takes mdev->lock, so mmap() checks the
 * region under mdev->lock and sets the VMA up after dropping it.  The
 * order is mmap_lock, then the VMA lock, then mdev->lock.
 */
#include <linux/compat.h>
#include <linux/device.h>
#include <linux/fs.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/mmap_lock.h>
#include <linux/module.h>
#include <linux/mount.h>
#include <linux/overflow.h>
#include <linux/pseudo_fs.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "compat.h"
#include "internal.h"

/* A private filesystem whose inodes give each device its address_space. */
#define MMFD_FS_MAGIC		0x6d6d6664	/* "mmfd" */

static struct vfsmount *mmfd_mnt;

static int mmfd_fs_init_fs_context(struct fs_context *fc)
{
	return init_pseudo(fc, MMFD_FS_MAGIC) ? 0 : -ENOMEM;
}

/*
 * No .owner: the mount would pin the module for good.  The module unmounts
 * it on exit, when no device (so no inode) is left.
 */
static struct file_system_type mmfd_fs_type = {
	.name = "mmfdev",
	.init_fs_context = mmfd_fs_init_fs_context,
	.kill_sb = kill_anon_super,
};

/* Set up what every device needs; called once at module load. */
int mmfd_core_init(void)
{
	mmfd_mnt = kern_mount(&mmfd_fs_type);
	return PTR_ERR_OR_ZERO(mmfd_mnt);
}

void mmfd_core_exit(void)
{
	kern_unmount(mmfd_mnt);
}

/* The device of one of our files. */
static struct mmfd_device *mmfd_of(struct file *file)
{
	struct mmfd_file *mf = file->private_data;

	return mf->mdev;
}

/* What a mapping records in vm_private_data: its region and cache mode. */
#define MMFD_VMA_TAG(index, mode)	((void *)(((index) << 8) | (mode)))
#define MMFD_VMA_INDEX(vma)	((unsigned long)(vma)->vm_private_data >> 8)
#define MMFD_VMA_MODE(vma)	((unsigned long)(vma)->vm_private_data & 0xff)

static struct mmfd_region *mmfd_region_get(struct mmfd_device *mdev,
					   u64 index)
{
	if (index >= mdev->nr_regions || !mdev->regions[index].ops)
		return NULL;
	return &mdev->regions[index];
}

/*
 * The one bounds check: are pages [@pgoff, @pgoff + @npages) inside
 * @region?  Done in page units, so nothing can wrap.
 */
static bool mmfd_pages_inside(const struct mmfd_region *region,
			      unsigned long pgoff, unsigned long npages)
{
	u64 total = region->size >> PAGE_SHIFT;

	return npages && pgoff < total && npages <= total - pgoff;
}

/*
 * Region whose window holds byte @pos of the node, and the offset of @pos
 * inside it.  Used by read() and write(); mmap() works in pages.
 */
static struct mmfd_region *mmfd_region_at(struct mmfd_device *mdev,
					  loff_t pos, u64 *rel)
{
	*rel = mmfd_pos_to_rel(pos);
	return mmfd_region_get(mdev, mmfd_pos_to_index(pos));
}

/*
 * Can @region take an access of @count bytes at @rel?  A sized region takes
 * one naturally aligned access of 1, 2, 4 or 8 bytes, inside the region.
 */
static int mmfd_check_access(const struct mmfd_region *region, u64 rel,
			     size_t count)
{
	if (!(region->flags & MMFDEV_REGION_FLAG_SIZED))
		return 0;
	if (count != 1 && count != 2 && count != 4 &&
	    (count != 8 || !IS_ENABLED(CONFIG_64BIT)))
		return -EINVAL;
	if (rel & (count - 1) || rel >= region->size ||
	    count > region->size - rel)
		return -EINVAL;
	return 0;
}

static vm_fault_t mmfd_vm_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct mmfd_device *mdev = mmfd_of(vma->vm_file);
	unsigned long pgoff = mmfd_pgoff_to_page(vma->vm_pgoff) +
			      ((vmf->address - vma->vm_start) >> PAGE_SHIFT);
	struct mmfd_region *region;
	vm_fault_t ret = VM_FAULT_SIGBUS;

	down_read(&mdev->lock);
	region = mmfd_region_get(mdev, MMFD_VMA_INDEX(vma));
	if (!mdev->dead && region && region->ops->fault)
		ret = region->ops->fault(region, vmf, pgoff);
	up_read(&mdev->lock);
	return ret;
}

#ifdef MMFD_HUGE_PFNMAP
/*
 * A whole PMD of device memory with one entry, where the VMA, the region
 * and the physical address line up; the core falls back to
 * mmfd_vm_fault() otherwise.
 */
static vm_fault_t mmfd_vm_huge_fault(struct vm_fault *vmf,
				     unsigned int order)
{
	struct vm_area_struct *vma = vmf->vma;
	struct mmfd_device *mdev = mmfd_of(vma->vm_file);
	unsigned long addr = vmf->address & PMD_MASK;
	unsigned long pgoff = mmfd_pgoff_to_page(vma->vm_pgoff) +
			      ((addr - vma->vm_start) >> PAGE_SHIFT);
	struct mmfd_region *region;
	vm_fault_t ret = VM_FAULT_FALLBACK;

	if (order != PMD_SHIFT - PAGE_SHIFT || addr < vma->vm_start ||
	    addr + PMD_SIZE > vma->vm_end)
		return VM_FAULT_FALLBACK;

	down_read(&mdev->lock);
	region = mmfd_region_get(mdev, MMFD_VMA_INDEX(vma));
	if (mdev->dead)
		ret = VM_FAULT_SIGBUS;
	else if (region && region->ops->huge_fault &&
		 mmfd_pages_inside(region, pgoff, PMD_SIZE >> PAGE_SHIFT))
		ret = region->ops->huge_fault(region, vmf, pgoff);
	up_read(&mdev->lock);
	return ret;
}
#endif

/*
 * ptrace and gdb reach a mapping of device memory through this: do the
 * access through the region, in naturally aligned pieces of at most 8
 * bytes, so that a register block sees the accesses it can take.
 */
static int mmfd_vm_access(struct vm_area_struct *vma, unsigned long addr,
			  void *buf, int len, int write)
{
	struct mmfd_device *mdev = mmfd_of(vma->vm_file);
	u64 rel = ((u64)mmfd_pgoff_to_page(vma->vm_pgoff) << PAGE_SHIFT) +
		  (addr - vma->vm_start);
	struct mmfd_region *region;
	int done = 0, ret = 0;

	if (write && !(vma->vm_flags & VM_WRITE))
		return -EPERM;

	down_read(&mdev->lock);
	region = mmfd_region_get(mdev, MMFD_VMA_INDEX(vma));
	if (mdev->dead || !region || rel >= region->size) {
		up_read(&mdev->lock);
		return -EIO;
	}
	len = min_t(u64, len, region->size - rel);
	while (done < len) {
		size_t n = 8;

		while (n > 1 && ((rel + done) & (n - 1) || n > len - done))
			n >>= 1;
		if (write)
			ret = region->ops->write(region, buf + done, n,
						 rel + done);
		else
			ret = region->ops->read(region, buf + done, n,
						rel + done);
		if (ret)
			break;
		done += n;
	}
	up_read(&mdev->lock);
	return done ? done : ret;
}

static const struct vm_operations_struct mmfd_vm_ops = {
	.fault = mmfd_vm_fault,
#ifdef MMFD_HUGE_PFNMAP
	.huge_fault = mmfd_vm_huge_fault,
#endif
	.access = mmfd_vm_access,
};

/*
 * Give back the regions' resources; safe to call twice.  When the device
 * leaves its bus (@final false), kinds whose memory owes nothing to the
 * bus keep it until the last reference goes (@final true).
 */
static void mmfd_regions_release(struct mmfd_device *mdev, bool final)
{
	unsigned int i;

	for (i = 0; i < mdev->nr_regions; i++) {
		struct mmfd_region *region = &mdev->regions[i];

		if (!region->ops || (!final && region->ops->outlives_bus))
			continue;
		if (region->ops->release)
			region->ops->release(region);
		region->ops = NULL;
	}
}

static void mmfd_device_release(struct kref *ref)
{
	struct mmfd_device *mdev = container_of(ref, struct mmfd_device,
						ref);

	mmfd_regions_release(mdev, true);
	mmfd_dma_used_put(mdev->dma_used);
	mmfd_events_free(mdev);
	iput(mdev->inode);
	kfree(mdev);
}

/**
 * mmfd_device_alloc() - allocate a device with an empty region table
 * @name:	node name; the node appears as /dev/@name
 * @nr_regions:	number of regions the bus glue will fill in
 *
 * Return: the device, holding the reference that mmfd_device_remove()
 * drops, or an ERR_PTR().
 */
struct mmfd_device *mmfd_device_alloc(const char *name,
				      unsigned int nr_regions)
{
	struct mmfd_device *mdev;

	if (!nr_regions || nr_regions > MMFD_MAX_REGIONS)
		return ERR_PTR(-EINVAL);

	mdev = kzalloc(struct_size(mdev, regions, nr_regions), GFP_KERNEL);
	if (!mdev)
		return ERR_PTR(-ENOMEM);

	mdev->inode = alloc_anon_inode(mmfd_mnt->mnt_sb);
	if (IS_ERR(mdev->inode)) {
		struct inode *inode = mdev->inode;

		kfree(mdev);
		return ERR_CAST(inode);
	}

	kref_init(&mdev->ref);
	init_rwsem(&mdev->lock);
	INIT_LIST_HEAD(&mdev->dma_parked);
	init_waitqueue_head(&mdev->event_wq);
	mdev->nr_regions = nr_regions;
	strscpy(mdev->name, name, sizeof(mdev->name));
	return mdev;
}

/* Drop a reference; the last one frees the regions. */
static void mmfd_device_put(struct mmfd_device *mdev)
{
	kref_put(&mdev->ref, mmfd_device_release);
}

static int mmfd_open(struct inode *inode, struct file *file)
{
	/* misc_open() set private_data and holds misc_mtx around this call. */
	struct mmfd_device *mdev = container_of(file->private_data,
						struct mmfd_device, misc);
	struct mmfd_file *mf;
	unsigned int i;
	int ret;

	ret = mmfd_trust_open(mdev);
	if (ret)
		return ret;
	mf = kzalloc(struct_size(mf, seen, mdev->nr_events), GFP_KERNEL);
	if (!mf)
		return -ENOMEM;
	mf->nr_seen = mdev->nr_events;
	mf->mdev = mdev;
	/* A new file has seen what happened before it was opened. */
	for (i = 0; i < mdev->nr_events; i++) {
		struct mmfd_event *ev = &mdev->events[i];
		unsigned long flags;

		spin_lock_irqsave(&ev->lock, flags);
		atomic64_set(&mf->seen[i], ev->count);
		spin_unlock_irqrestore(&ev->lock, flags);
	}

	kref_get(&mdev->ref);
	mmfd_dma_open(mdev);
	file->private_data = mf;
	/* One address_space per device, whichever node the file came from. */
	file->f_mapping = mdev->inode->i_mapping;
	return 0;
}

static int mmfd_release(struct inode *inode, struct file *file)
{
	struct mmfd_file *mf = file->private_data;

	mmfd_dma_last_close(mf->mdev);
	mmfd_device_put(mf->mdev);
	kfree(mf);
	return 0;
}

static pgprot_t mmfd_pgprot(pgprot_t prot, unsigned int mode)
{
	switch (mode) {
	case MMFDEV_CACHE_UC:
		return pgprot_noncached(prot);
	case MMFDEV_CACHE_WC:
		return pgprot_writecombine(prot);
	default:
		return prot;
	}
}

/*
 * Check a mapping against the region under the device lock, and note the
 * region and the mode it gets.  The VMA itself is changed only after the
 * lock is dropped: changing its flags takes the VMA's own lock, which a
 * fault holds while it takes ours.
 */
static int mmfd_mmap_check(struct mmfd_device *mdev,
			   struct vm_area_struct *vma,
			   struct mmfd_region **regionp,
			   const struct mmfd_region_ops **opsp,
			   unsigned long *modep)
{
	unsigned long pgoff = mmfd_pgoff_to_page(vma->vm_pgoff);
	unsigned long index = mmfd_pgoff_to_index(vma->vm_pgoff);
	unsigned long mode = mmfd_pgoff_to_mode(vma->vm_pgoff);
	struct mmfd_region *region;

	if (mdev->dead)
		return -ENODEV;
	region = mmfd_region_get(mdev, index);
	if (!region || mode >= MMFDEV_CACHE_NR)
		return -ENXIO;
	if (!(region->flags & MMFDEV_REGION_FLAG_MMAP))
		return -ENODEV;
	if (!mmfd_pages_inside(region, pgoff, vma_pages(vma)))
		return -ENXIO;
	if (!mode)
		mode = region->cache_default;
	if (!(region->cache_modes & MMFDEV_CACHE_BIT(mode)))
		return -EINVAL;
	*regionp = region;
	*opsp = region->ops;	/* unregistering clears region->ops */
	*modep = mode;
	return 0;
}

static int mmfd_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct mmfd_device *mdev = mmfd_of(file);
	unsigned long pgoff = mmfd_pgoff_to_page(vma->vm_pgoff);
	unsigned long index = mmfd_pgoff_to_index(vma->vm_pgoff);
	const struct mmfd_region_ops *ops;
	struct mmfd_region *region;
	unsigned long mode;
	int ret;

	/* Device memory is shared by definition; a private COW copy is not. */
	if (!(vma->vm_flags & VM_MAYSHARE))
		return -EINVAL;

	down_read(&mdev->lock);
	ret = mmfd_mmap_check(mdev, vma, &region, &ops, &mode);
	up_read(&mdev->lock);
	if (ret)
		return ret;

	/*
	 * Unlocked from here: if the device goes now, the region's memory
	 * is either the kind's own until the last file is closed (RAM,
	 * which our open file keeps), or filled at fault time, which checks
	 * dead under the lock: the mapping then only ever gets SIGBUS.
	 *
	 * do_mmap() already drops VM_MAYWRITE from a shared mapping of a file
	 * not open for writing; say so here too, so that no later mprotect()
	 * can make such a mapping writable whatever the core does.
	 */
	if (!(file->f_mode & FMODE_WRITE))
		vm_flags_clear(vma, VM_MAYWRITE);
	vm_flags_set(vma, VM_DONTEXPAND | VM_DONTDUMP);
	vma->vm_page_prot = mmfd_pgprot(vma->vm_page_prot, mode);
	vma->vm_ops = &mmfd_vm_ops;
	vma->vm_private_data = MMFD_VMA_TAG(index, mode);

	return ops->mmap(region, vma, pgoff);
}

/*
 * Move up to one bounce buffer of data between the device and @kbuf, for
 * a read (@write false) or a write at *@ppos.  Returns the bytes moved, 0
 * at the end of a region (read), or a negative errno.
 */
static ssize_t mmfd_rw_chunk(struct mmfd_device *mdev, void *kbuf,
			     size_t count, loff_t pos, bool write)
{
	struct mmfd_region *region;
	ssize_t ret;
	u64 rel;

	down_read(&mdev->lock);
	ret = -ENODEV;
	if (mdev->dead)
		goto unlock;
	region = mmfd_region_at(mdev, pos, &rel);
	ret = -ENXIO;
	if (!region)
		goto unlock;
	ret = -EOPNOTSUPP;
	if (!(region->flags & (write ? MMFDEV_REGION_FLAG_WRITE :
					MMFDEV_REGION_FLAG_READ)))
		goto unlock;
	ret = write ? -ENOSPC : 0;
	if (rel >= region->size)
		goto unlock;
	ret = mmfd_check_access(region, rel, count);
	if (ret)
		goto unlock;

	count = min_t(u64, count, region->size - rel);
	if (write)
		ret = region->ops->write(region, kbuf, count, rel);
	else
		ret = region->ops->read(region, kbuf, count, rel);
	if (!ret)
		ret = count;
unlock:
	up_read(&mdev->lock);
	return ret;
}

/*
 * read() and write(): one bounce buffer of data at a time, moved between
 * userspace and the buffer with no lock held.
 */
static ssize_t mmfd_rw(struct file *file, char __user *ubuf, size_t count,
		       loff_t *ppos, bool write)
{
	struct mmfd_device *mdev = mmfd_of(file);
	size_t done = 0;
	ssize_t ret = 0;
	void *kbuf;

	if (!count)
		return 0;
	kbuf = kmalloc(min_t(size_t, count, PAGE_SIZE), GFP_KERNEL);
	if (!kbuf)
		return -ENOMEM;

	while (done < count) {
		size_t n = min_t(size_t, count - done, PAGE_SIZE);

		if (write && copy_from_user(kbuf, ubuf + done, n)) {
			ret = -EFAULT;
			break;
		}
		ret = mmfd_rw_chunk(mdev, kbuf, n, *ppos, write);
		if (ret <= 0)
			break;
		if (!write && copy_to_user(ubuf + done, kbuf, ret)) {
			ret = -EFAULT;
			break;
		}
		*ppos += ret;
		done += ret;
		if (fatal_signal_pending(current))
			break;
		cond_resched();
	}
	kfree(kbuf);
	return done ? done : ret;
}

static ssize_t mmfd_read(struct file *file, char __user *buf, size_t count,
			 loff_t *ppos)
{
	return mmfd_rw(file, buf, count, ppos, false);
}

static ssize_t mmfd_write(struct file *file, const char __user *buf,
			  size_t count, loff_t *ppos)
{
	/* mmfd_rw() only reads from @buf when @write is true. */
	return mmfd_rw(file, (char __user *)buf, count, ppos, true);
}

/*
 * SEEK_SET and SEEK_CUR reach every region window; SEEK_END is relative to
 * the end of region 0, so tools that treat the node as one file (dd, cmp,
 * hexdump) see region 0 as its contents.
 */
static loff_t mmfd_llseek(struct file *file, loff_t offset, int whence)
{
	struct mmfd_device *mdev = mmfd_of(file);
	loff_t maxsize = mmfd_index_to_offset(mdev->nr_regions, 0);

	return generic_file_llseek_size(file, offset, whence, maxsize,
					mdev->regions[0].size);
}

static int mmfd_fsync(struct file *file, loff_t start, loff_t end,
		      int datasync)
{
	struct mmfd_device *mdev = mmfd_of(file);
	unsigned int i;
	int ret = 0;

	down_read(&mdev->lock);
	if (mdev->dead)
		ret = -ENODEV;
	for (i = 0; !ret && i < mdev->nr_regions; i++) {
		struct mmfd_region *region = &mdev->regions[i];

		if (region->ops && region->ops->sync)
			ret = region->ops->sync(region);
	}
	up_read(&mdev->lock);
	return ret;
}

/**
 * mmfd_argsz_in() - read an ioctl argument that starts with its u32 argsz
 * @arg:	the caller's argument
 * @karg:	the kernel's copy of it, whose first member is argsz
 * @insz:	bytes of @arg to copy into @karg (0: none but argsz)
 * @minsz:	the smallest argsz accepted; not less than @insz
 *
 * Refuses an argsz shorter than @minsz, and never touches a byte of @arg
 * past @insz.  On success @karg's argsz is the caller's, for
 * mmfd_argsz_out().
 *
 * Return: 0, -EFAULT, or -EINVAL (argsz too short).
 */
int mmfd_argsz_in(void __user *arg, void *karg, u32 insz, u32 minsz)
{
	u32 argsz;

	if (get_user(argsz, (u32 __user *)arg))
		return -EFAULT;
	if (argsz < minsz)
		return -EINVAL;
	if (insz && copy_from_user(karg, arg, insz))
		return -EFAULT;
	*(u32 *)karg = argsz;
	return 0;
}

/**
 * mmfd_argsz_out() - copy an ioctl argument back to its caller
 * @arg:	the caller's argument
 * @karg:	the kernel's copy, its argsz still the caller's from
 *		mmfd_argsz_in()
 * @size:	size of the kernel's structure, the argsz the caller gets
 *
 * Copies no more than the caller's argsz, so an older caller with a
 * shorter structure gets its part of it.
 *
 * Return: 0 or -EFAULT.
 */
int mmfd_argsz_out(void __user *arg, void *karg, u32 size)
{
	u32 argsz = *(u32 *)karg;

	*(u32 *)karg = size;
	return copy_to_user(arg, karg, min(argsz, size)) ? -EFAULT : 0;
}

static long mmfd_ioctl_device_info(struct mmfd_device *mdev,
				   void __user *arg)
{
	struct mmfdev_device_info info = { };
	int ret;

	ret = mmfd_argsz_in(arg, &info, 0, offsetofend(typeof(info), name));
	if (ret)
		return ret;

	info.api_version = MMFDEV_API_VERSION;
	info.num_regions = mdev->nr_regions;
	info.page_size = PAGE_SIZE;
	info.num_events = mdev->nr_events;
	strscpy(info.name, mdev->name, sizeof(info.name));
	down_read(&mdev->lock);
	mmfd_dma_fill_device_info(mdev, &info);
	up_read(&mdev->lock);
	mmfd_trust_fill_device_info(mdev, &info);

	return mmfd_argsz_out(arg, &info, sizeof(info));
}

static int mmfd_fill_region_info(struct mmfd_device *mdev, u32 index,
				 struct mmfdev_region_info *info)
{
	struct mmfd_region *region;
	unsigned int mode;

	region = mmfd_region_get(mdev, index);
	if (!region)
		return -EINVAL;

	info->index = index;
	info->flags = region->flags;
	info->kind = region->kind;
	info->size = region->size;
	info->offset = mmfd_index_to_offset(index, 0);
	info->cache_modes = region->cache_modes;
	info->cache_default = region->cache_default;
	strscpy(info->name, region->name, sizeof(info->name));
	for (mode = 0; mode < MMFDEV_CACHE_NR; mode++) {
		info->cache_offset[mode] = MMFDEV_OFFSET_INVALID;
		if (mode && region->flags & MMFDEV_REGION_FLAG_MMAP &&
		    region->cache_modes & MMFDEV_CACHE_BIT(mode))
			info->cache_offset[mode] =
				mmfd_index_to_offset(index, mode);
	}
	return 0;
}

static long mmfd_ioctl_region_info(struct mmfd_device *mdev,
				   void __user *arg)
{
	struct mmfdev_region_info info = { };
	int ret;

	ret = mmfd_argsz_in(arg, &info, offsetofend(typeof(info), index),
			    offsetofend(typeof(info), cache_offset));
	if (ret)
		return ret;

	down_read(&mdev->lock);
	ret = mdev->dead ? -ENODEV :
	      mmfd_fill_region_info(mdev, info.index, &info);
	up_read(&mdev->lock);
	if (ret)
		return ret;

	return mmfd_argsz_out(arg, &info, sizeof(info));
}

/*
 * Is @vma a mapping of @mdev?  Either ours, with our vm_ops on a file of
 * this device, or one a region kind handed to a file of its own.
 */
static bool mmfd_vma_belongs(struct mmfd_device *mdev,
			     struct vm_area_struct *vma)
{
	struct mmfd_region *region;
	bool ret;

	if (!vma->vm_file)
		return false;
	if (vma->vm_ops == &mmfd_vm_ops)
		return vma->vm_file->f_mapping == mdev->inode->i_mapping;

	down_read(&mdev->lock);
	/* A foreign VMA's tag is garbage: the region's check decides. */
	region = mdev->dead ? NULL :
		 mmfd_region_get(mdev, MMFD_VMA_INDEX(vma));
	ret = region && region->ops->owns_vma &&
	      region->ops->owns_vma(region, vma);
	up_read(&mdev->lock);
	return ret;
}

static long mmfd_ioctl_mapping_info(struct mmfd_device *mdev,
				    void __user *arg)
{
	struct mmfdev_mapping_info info = { };
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma;
	int ret;

	ret = mmfd_argsz_in(arg, &info, offsetofend(typeof(info), addr),
			    offsetofend(typeof(info), cache_mode));
	if (ret)
		return ret;
	if (!mm)
		return -EINVAL;

	mmap_read_lock(mm);
	vma = vma_lookup(mm, info.addr);
	if (!vma || !mmfd_vma_belongs(mdev, vma)) {
		mmap_read_unlock(mm);
		return -EINVAL;
	}
	info.start = vma->vm_start;
	info.length = vma->vm_end - vma->vm_start;
	info.offset = (u64)mmfd_pgoff_to_page(vma->vm_pgoff) << PAGE_SHIFT;
	info.index = MMFD_VMA_INDEX(vma);
	info.cache_mode = MMFD_VMA_MODE(vma);
	mmap_read_unlock(mm);

	info.flags = 0;
	return mmfd_argsz_out(arg, &info, sizeof(info));
}

/* The handlers take mdev->lock themselves, and never around a user copy. */
static long mmfd_ioctl(struct file *file, unsigned int cmd,
		       unsigned long arg)
{
	struct mmfd_device *mdev = mmfd_of(file);
	void __user *argp = (void __user *)arg;

	if (READ_ONCE(mdev->dead))
		return -ENODEV;

	switch (cmd) {
	case MMFDEV_IOC_DEVICE_INFO:
		return mmfd_ioctl_device_info(mdev, argp);
	case MMFDEV_IOC_REGION_INFO:
		return mmfd_ioctl_region_info(mdev, argp);
	case MMFDEV_IOC_MAPPING_INFO:
		return mmfd_ioctl_mapping_info(mdev, argp);
	case MMFDEV_IOC_DMA_ALLOC:
	case MMFDEV_IOC_DMA_FREE:
	case MMFDEV_IOC_DMA_INFO:
	case MMFDEV_IOC_DMA_SYNC:
	case MMFDEV_IOC_DMA_EXPORT:
		return mmfd_dma_ioctl(mdev, file, cmd, argp);
	default:
		return mmfd_events_ioctl(file->private_data, file, cmd, argp);
	}
}

/* POLLIN: events this file has not looked at; POLLHUP: device gone. */
static __poll_t mmfd_poll(struct file *file, poll_table *wait)
{
	return mmfd_events_poll(file->private_data, file, wait);
}

static const struct file_operations mmfd_fops = {
	.owner = THIS_MODULE,
	.open = mmfd_open,
	.release = mmfd_release,
	.mmap = mmfd_mmap,
	.read = mmfd_read,
	.write = mmfd_write,
	.llseek = mmfd_llseek,
	/* Align big mappings so that huge entries can map them. */
	.get_unmapped_area = thp_get_unmapped_area,
	.fsync = mmfd_fsync,
	.unlocked_ioctl = mmfd_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.poll = mmfd_poll,
};

static const char *const mmfd_kind_names[] = {
	[MMFDEV_REGION_KIND_NONE] = "none",
	[MMFDEV_REGION_KIND_RAM] = "ram",
	[MMFDEV_REGION_KIND_MMIO] = "mmio",
	[MMFDEV_REGION_KIND_RESERVED] = "reserved",
	[MMFDEV_REGION_KIND_IOPORT] = "ioport",
	[MMFDEV_REGION_KIND_DMA] = "dma",
};

/*
 * /sys/class/misc/<node>/regions: the facts of MMFDEV_IOC_REGION_INFO for
 * shells and udev rules, one region a line:
 *	index name kind size offset flags cache_modes cache_default
 * (size and offset in hex bytes; flags and modes as their ABI bits).
 */
static ssize_t regions_show(struct device *dev, struct device_attribute *attr,
			    char *buf)
{
	struct miscdevice *misc = dev_get_drvdata(dev);
	struct mmfd_device *mdev = container_of(misc, struct mmfd_device,
						misc);
	unsigned int i;
	int len = 0;

	down_read(&mdev->lock);
	for (i = 0; i < mdev->nr_regions && !mdev->dead; i++) {
		struct mmfd_region *r = &mdev->regions[i];

		len += sysfs_emit_at(buf, len, "%u %s %s 0x%llx 0x%llx 0x%x 0x%x %u\n",
				     i, r->name, mmfd_kind_names[r->kind],
				     r->size, mmfd_index_to_offset(i, 0),
				     r->flags, r->cache_modes,
				     r->cache_default);
	}
	up_read(&mdev->lock);
	return len;
}
static DEVICE_ATTR_RO(regions);

/*
 * /sys/class/misc/<node>/events: the event lines, one a line:
 *	index name kind trigger flags count
 */
static ssize_t events_show(struct device *dev, struct device_attribute *attr,
			   char *buf)
{
	struct miscdevice *misc = dev_get_drvdata(dev);

	return mmfd_events_show(container_of(misc, struct mmfd_device,
					     misc), buf);
}
static DEVICE_ATTR_RO(events);

/*
 * /sys/class/misc/<node>/dma: see mmfd_dma_show().  Root's only: without
 * an IOMMU, bus addresses are physical ones, which only those who may
 * open the node need.
 */
static ssize_t dma_show(struct device *dev, struct device_attribute *attr,
			char *buf)
{
	struct miscdevice *misc = dev_get_drvdata(dev);

	return mmfd_dma_show(container_of(misc, struct mmfd_device, misc),
			     buf);
}
static DEVICE_ATTR_ADMIN_RO(dma);

/* /sys/class/misc/<node>/reach: see mmfd_trust_show(). */
static ssize_t reach_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	struct miscdevice *misc = dev_get_drvdata(dev);

	return mmfd_trust_show(container_of(misc, struct mmfd_device, misc),
			       buf);
}
static DEVICE_ATTR_RO(reach);

static struct attribute *mmfd_attrs[] = {
	&dev_attr_regions.attr,
	&dev_attr_events.attr,
	&dev_attr_dma.attr,
	&dev_attr_reach.attr,
	NULL
};
ATTRIBUTE_GROUPS(mmfd);

/**
 * mmfd_device_register() - create the device's node
 * @mdev:	a device whose region table is filled in
 *
 * Return: 0 or a negative errno from misc_register().
 */
int mmfd_device_register(struct mmfd_device *mdev)
{
	int ret;

	/* Glue without interrupts still gets its doorbells. */
	if (!mdev->events) {
		ret = mmfd_events_alloc(mdev, 0);
		if (ret)
			return ret;
	}
	mdev->misc.minor = MISC_DYNAMIC_MINOR;
	mdev->misc.name = mdev->name;
	mdev->misc.fops = &mmfd_fops;
	mdev->misc.mode = 0600;
	mdev->misc.groups = mmfd_groups;
	ret = misc_register(&mdev->misc);
	if (!ret)
		mdev->registered = true;
	return ret;
}

/*
 * Revoke everything and remove the node: when this returns, no user
 * mapping points at the device's memory any more, the regions have given
 * back their resources, every event waiter has been woken to return
 * -ENODEV, no line is unmasked any more, and calls on files that are
 * still open fail with -ENODEV.
 */
static void mmfd_device_unregister(struct mmfd_device *mdev)
{
	misc_deregister(&mdev->misc);

	down_write(&mdev->lock);
	mdev->dead = true;
	unmap_mapping_range(mdev->inode->i_mapping, 0, 0, 1);
	/* No DMA buffer is freed before the device stops reaching it. */
	mmfd_dma_unregister(mdev);
	mmfd_regions_release(mdev, false);
	up_write(&mdev->lock);
	/* Every waiter sees dead and returns -ENODEV. */
	wake_up_all(&mdev->event_wq);
}

/**
 * mmfd_device_remove() - take a device away from its bus glue
 * @mdev:	the device, registered or not (a probe's error path)
 *
 * The one order for every glue's remove and probe error path: unregister
 * the device (see mmfd_device_unregister()), then free the interrupts of
 * its event lines, whose handlers use the lines until then, then drop
 * the glue's reference.  Open files keep the device until they are
 * closed.  When this returns, the glue may give its bus back the memory
 * and the interrupt vectors.
 */
void mmfd_device_remove(struct mmfd_device *mdev)
{
	if (mdev->registered) {
		mmfd_device_unregister(mdev);
	} else {
		/* A probe that failed may have made DMA buffers already. */
		down_write(&mdev->lock);
		mmfd_dma_unregister(mdev);
		up_write(&mdev->lock);
	}
	mmfd_events_free_irqs(mdev);
	mmfd_device_put(mdev);
}
