// SPDX-License-Identifier: GPL-2.0-only
/*
 * mmfdev core: the character device, its file operations and the region
 * table.  Nothing here knows what kind of memory a region is.
 *
 * The path of a mapping: mmap() -> mmfdev_mmap() -> region and cache mode
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

/* Pages per region window. */
#define MMFDEV_WINDOW_PAGES	(1UL << (MMFDEV_REGION_SHIFT - PAGE_SHIFT))

/* A private filesystem whose inodes give each device its address_space. */
#define MMFDEV_FS_MAGIC		0x6d6d6664	/* "mmfd" */

static struct vfsmount *mmfdev_mnt;

static int mmfdev_fs_init_fs_context(struct fs_context *fc)
{
	return init_pseudo(fc, MMFDEV_FS_MAGIC) ? 0 : -ENOMEM;
}

/*
 * No .owner: the mount would pin the module for good.  The module unmounts
 * it on exit, when no device (so no inode) is left.
 */
static struct file_system_type mmfdev_fs_type = {
	.name = "mmfdev",
	.init_fs_context = mmfdev_fs_init_fs_context,
	.kill_sb = kill_anon_super,
};

/* Set up what every device needs; called once at module load. */
int mmfdev_core_init(void)
{
	mmfdev_mnt = kern_mount(&mmfdev_fs_type);
	return PTR_ERR_OR_ZERO(mmfdev_mnt);
}

void mmfdev_core_exit(void)
{
	kern_unmount(mmfdev_mnt);
}

/* The device of one of our files. */
static struct mmfdev_device *mmfdev_of(struct file *file)
{
	struct mmfdev_file *mf = file->private_data;

	return mf->mdev;
}

/* What a mapping records in vm_private_data: its region and cache mode. */
#define MMFDEV_VMA_TAG(index, mode)	((void *)(((index) << 8) | (mode)))
#define MMFDEV_VMA_INDEX(vma)	((unsigned long)(vma)->vm_private_data >> 8)
#define MMFDEV_VMA_MODE(vma)	((unsigned long)(vma)->vm_private_data & 0xff)

static struct mmfdev_region *mmfdev_region_get(struct mmfdev_device *mdev,
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
static bool mmfdev_pages_inside(const struct mmfdev_region *region,
				unsigned long pgoff, unsigned long npages)
{
	u64 total = region->size >> PAGE_SHIFT;

	return npages && pgoff < total && npages <= total - pgoff;
}

/*
 * Region whose window holds byte @pos of the node, and the offset of @pos
 * inside it.  Used by read() and write(); mmap() works in pages.
 */
static struct mmfdev_region *mmfdev_region_at(struct mmfdev_device *mdev,
					      loff_t pos, u64 *rel)
{
	*rel = (u64)pos & (MMFDEV_REGION_MAX_SIZE - 1);
	return mmfdev_region_get(mdev, (u64)pos >> MMFDEV_REGION_SHIFT);
}

/*
 * Can @region take an access of @count bytes at @rel?  A sized region takes
 * one naturally aligned access of 1, 2, 4 or 8 bytes, inside the region.
 */
static int mmfdev_check_access(const struct mmfdev_region *region, u64 rel,
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

static vm_fault_t mmfdev_vm_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct mmfdev_device *mdev = mmfdev_of(vma->vm_file);
	unsigned long pgoff = (vma->vm_pgoff & (MMFDEV_WINDOW_PAGES - 1)) +
			      ((vmf->address - vma->vm_start) >> PAGE_SHIFT);
	struct mmfdev_region *region;
	vm_fault_t ret = VM_FAULT_SIGBUS;

	down_read(&mdev->lock);
	region = mmfdev_region_get(mdev, MMFDEV_VMA_INDEX(vma));
	if (!mdev->dead && region && region->ops->fault)
		ret = region->ops->fault(region, vmf, pgoff);
	up_read(&mdev->lock);
	return ret;
}

#ifdef MMFDEV_HUGE_PFNMAP
/*
 * A whole PMD of device memory with one entry, where the VMA, the region
 * and the physical address line up; the core falls back to
 * mmfdev_vm_fault() otherwise.
 */
static vm_fault_t mmfdev_vm_huge_fault(struct vm_fault *vmf,
				       unsigned int order)
{
	struct vm_area_struct *vma = vmf->vma;
	struct mmfdev_device *mdev = mmfdev_of(vma->vm_file);
	unsigned long addr = vmf->address & PMD_MASK;
	unsigned long pgoff = (vma->vm_pgoff & (MMFDEV_WINDOW_PAGES - 1)) +
			      ((addr - vma->vm_start) >> PAGE_SHIFT);
	struct mmfdev_region *region;
	vm_fault_t ret = VM_FAULT_FALLBACK;

	if (order != PMD_SHIFT - PAGE_SHIFT || addr < vma->vm_start ||
	    addr + PMD_SIZE > vma->vm_end)
		return VM_FAULT_FALLBACK;

	down_read(&mdev->lock);
	region = mmfdev_region_get(mdev, MMFDEV_VMA_INDEX(vma));
	if (mdev->dead)
		ret = VM_FAULT_SIGBUS;
	else if (region && region->ops->huge_fault &&
		 mmfdev_pages_inside(region, pgoff, PMD_SIZE >> PAGE_SHIFT))
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
static int mmfdev_vm_access(struct vm_area_struct *vma, unsigned long addr,
			    void *buf, int len, int write)
{
	struct mmfdev_device *mdev = mmfdev_of(vma->vm_file);
	u64 rel = ((u64)(vma->vm_pgoff & (MMFDEV_WINDOW_PAGES - 1)) <<
		   PAGE_SHIFT) + (addr - vma->vm_start);
	struct mmfdev_region *region;
	int done = 0, ret = 0;

	if (write && !(vma->vm_flags & VM_WRITE))
		return -EPERM;

	down_read(&mdev->lock);
	region = mmfdev_region_get(mdev, MMFDEV_VMA_INDEX(vma));
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

static const struct vm_operations_struct mmfdev_vm_ops = {
	.fault = mmfdev_vm_fault,
#ifdef MMFDEV_HUGE_PFNMAP
	.huge_fault = mmfdev_vm_huge_fault,
#endif
	.access = mmfdev_vm_access,
};

/*
 * Give back the regions' resources; safe to call twice.  When the device
 * leaves its bus (@final false), kinds whose memory owes nothing to the
 * bus keep it until the last reference goes (@final true).
 */
static void mmfdev_regions_release(struct mmfdev_device *mdev, bool final)
{
	unsigned int i;

	for (i = 0; i < mdev->nr_regions; i++) {
		struct mmfdev_region *region = &mdev->regions[i];

		if (!region->ops || (!final && region->ops->outlives_bus))
			continue;
		if (region->ops->release)
			region->ops->release(region);
		region->ops = NULL;
	}
}

static void mmfdev_device_release(struct kref *ref)
{
	struct mmfdev_device *mdev = container_of(ref, struct mmfdev_device,
						  ref);

	mmfdev_regions_release(mdev, true);
	mmfdev_events_free(mdev);
	iput(mdev->inode);
	kfree(mdev);
}

/**
 * mmfdev_device_alloc() - allocate a device with an empty region table
 * @name:	node name; the node appears as /dev/@name
 * @nr_regions:	number of regions the bus glue will fill in
 *
 * Return: the device, holding one reference, or an ERR_PTR().
 */
struct mmfdev_device *mmfdev_device_alloc(const char *name,
					  unsigned int nr_regions)
{
	struct mmfdev_device *mdev;

	if (!nr_regions || nr_regions > MMFDEV_MAX_REGIONS)
		return ERR_PTR(-EINVAL);

	mdev = kzalloc(struct_size(mdev, regions, nr_regions), GFP_KERNEL);
	if (!mdev)
		return ERR_PTR(-ENOMEM);

	mdev->inode = alloc_anon_inode(mmfdev_mnt->mnt_sb);
	if (IS_ERR(mdev->inode)) {
		struct inode *inode = mdev->inode;

		kfree(mdev);
		return ERR_CAST(inode);
	}

	kref_init(&mdev->ref);
	init_rwsem(&mdev->lock);
	init_waitqueue_head(&mdev->event_wq);
	mdev->nr_regions = nr_regions;
	strscpy(mdev->name, name, sizeof(mdev->name));
	return mdev;
}

/**
 * mmfdev_device_get() - take a reference, e.g. across unregistering
 * @mdev:	the device
 */
void mmfdev_device_get(struct mmfdev_device *mdev)
{
	kref_get(&mdev->ref);
}

/**
 * mmfdev_device_put() - drop a reference; the last one frees the regions
 * @mdev:	the device
 */
void mmfdev_device_put(struct mmfdev_device *mdev)
{
	kref_put(&mdev->ref, mmfdev_device_release);
}

static int mmfdev_open(struct inode *inode, struct file *file)
{
	/* misc_open() set private_data and holds misc_mtx around this call. */
	struct mmfdev_device *mdev = container_of(file->private_data,
						  struct mmfdev_device, misc);
	struct mmfdev_file *mf;
	unsigned int i;

	mf = kzalloc(struct_size(mf, seen, mdev->nr_events), GFP_KERNEL);
	if (!mf)
		return -ENOMEM;
	mf->nr_seen = mdev->nr_events;
	mf->mdev = mdev;
	/* A new file has seen what happened before it was opened. */
	for (i = 0; i < mdev->nr_events; i++) {
		struct mmfdev_event *ev = &mdev->events[i];
		unsigned long flags;

		spin_lock_irqsave(&ev->lock, flags);
		atomic64_set(&mf->seen[i], ev->count);
		spin_unlock_irqrestore(&ev->lock, flags);
	}

	kref_get(&mdev->ref);
	file->private_data = mf;
	/* One address_space per device, whichever node the file came from. */
	file->f_mapping = mdev->inode->i_mapping;
	return 0;
}

static int mmfdev_release(struct inode *inode, struct file *file)
{
	struct mmfdev_file *mf = file->private_data;

	mmfdev_device_put(mf->mdev);
	kfree(mf);
	return 0;
}

static pgprot_t mmfdev_pgprot(pgprot_t prot, unsigned int mode)
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
static int mmfdev_mmap_check(struct mmfdev_device *mdev,
			     struct vm_area_struct *vma,
			     struct mmfdev_region **regionp,
			     const struct mmfdev_region_ops **opsp,
			     unsigned long *modep)
{
	unsigned long pgoff = vma->vm_pgoff & (MMFDEV_WINDOW_PAGES - 1);
	unsigned long index = (vma->vm_pgoff / MMFDEV_WINDOW_PAGES) &
			      (MMFDEV_MAX_REGIONS - 1);
	unsigned long mode = vma->vm_pgoff >> (MMFDEV_MODE_SHIFT - PAGE_SHIFT);
	struct mmfdev_region *region;

	if (mdev->dead)
		return -ENODEV;
	region = mmfdev_region_get(mdev, index);
	if (!region || mode >= MMFDEV_CACHE_NR)
		return -ENXIO;
	if (!(region->flags & MMFDEV_REGION_FLAG_MMAP))
		return -ENODEV;
	if (!mmfdev_pages_inside(region, pgoff, vma_pages(vma)))
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

static int mmfdev_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct mmfdev_device *mdev = mmfdev_of(file);
	unsigned long pgoff = vma->vm_pgoff & (MMFDEV_WINDOW_PAGES - 1);
	unsigned long index = (vma->vm_pgoff / MMFDEV_WINDOW_PAGES) &
			      (MMFDEV_MAX_REGIONS - 1);
	const struct mmfdev_region_ops *ops;
	struct mmfdev_region *region;
	unsigned long mode;
	int ret;

	/* Device memory is shared by definition; a private COW copy is not. */
	if (!(vma->vm_flags & VM_MAYSHARE))
		return -EINVAL;

	down_read(&mdev->lock);
	ret = mmfdev_mmap_check(mdev, vma, &region, &ops, &mode);
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
	vma->vm_page_prot = mmfdev_pgprot(vma->vm_page_prot, mode);
	vma->vm_ops = &mmfdev_vm_ops;
	vma->vm_private_data = MMFDEV_VMA_TAG(index, mode);

	return ops->mmap(region, vma, pgoff);
}

/*
 * Move up to one bounce buffer of data between the device and @kbuf, for
 * a read (@write false) or a write at *@ppos.  Returns the bytes moved, 0
 * at the end of a region (read), or a negative errno.
 */
static ssize_t mmfdev_rw_chunk(struct mmfdev_device *mdev, void *kbuf,
			       size_t count, loff_t pos, bool write)
{
	struct mmfdev_region *region;
	ssize_t ret;
	u64 rel;

	down_read(&mdev->lock);
	ret = -ENODEV;
	if (mdev->dead)
		goto unlock;
	region = mmfdev_region_at(mdev, pos, &rel);
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
	ret = mmfdev_check_access(region, rel, count);
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
static ssize_t mmfdev_rw(struct file *file, char __user *ubuf, size_t count,
			 loff_t *ppos, bool write)
{
	struct mmfdev_device *mdev = mmfdev_of(file);
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
		ret = mmfdev_rw_chunk(mdev, kbuf, n, *ppos, write);
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

static ssize_t mmfdev_read(struct file *file, char __user *buf, size_t count,
			   loff_t *ppos)
{
	return mmfdev_rw(file, buf, count, ppos, false);
}

static ssize_t mmfdev_write(struct file *file, const char __user *buf,
			    size_t count, loff_t *ppos)
{
	/* mmfdev_rw() only reads from @buf when @write is true. */
	return mmfdev_rw(file, (char __user *)buf, count, ppos, true);
}

/*
 * SEEK_SET and SEEK_CUR reach every region window; SEEK_END is relative to
 * the end of region 0, so tools that treat the node as one file (dd, cmp,
 * hexdump) see region 0 as its contents.
 */
static loff_t mmfdev_llseek(struct file *file, loff_t offset, int whence)
{
	struct mmfdev_device *mdev = mmfdev_of(file);
	loff_t maxsize = (loff_t)mdev->nr_regions << MMFDEV_REGION_SHIFT;

	return generic_file_llseek_size(file, offset, whence, maxsize,
					mdev->regions[0].size);
}

static int mmfdev_fsync(struct file *file, loff_t start, loff_t end,
			int datasync)
{
	struct mmfdev_device *mdev = mmfdev_of(file);
	unsigned int i;
	int ret = 0;

	down_read(&mdev->lock);
	if (mdev->dead)
		ret = -ENODEV;
	for (i = 0; !ret && i < mdev->nr_regions; i++) {
		struct mmfdev_region *region = &mdev->regions[i];

		if (region->ops && region->ops->sync)
			ret = region->ops->sync(region);
	}
	up_read(&mdev->lock);
	return ret;
}

/*
 * Read the caller's argsz, refuse one shorter than @minsz, and never touch
 * a byte past it.
 */
static int mmfdev_get_argsz(void __user *arg, u32 minsz, u32 *argsz)
{
	if (get_user(*argsz, (u32 __user *)arg))
		return -EFAULT;
	return *argsz < minsz ? -EINVAL : 0;
}

static long mmfdev_ioctl_device_info(struct mmfdev_device *mdev,
				     void __user *arg)
{
	struct mmfdev_device_info info = { };
	u32 argsz;
	int ret;

	ret = mmfdev_get_argsz(arg, offsetofend(typeof(info), name), &argsz);
	if (ret)
		return ret;

	info.argsz = sizeof(info);
	info.api_version = MMFDEV_API_VERSION;
	info.num_regions = mdev->nr_regions;
	info.page_size = PAGE_SIZE;
	info.num_events = mdev->nr_events;
	strscpy(info.name, mdev->name, sizeof(info.name));

	if (copy_to_user(arg, &info, min_t(u32, argsz, sizeof(info))))
		return -EFAULT;
	return 0;
}

static int mmfdev_fill_region_info(struct mmfdev_device *mdev, u32 index,
				   struct mmfdev_region_info *info)
{
	struct mmfdev_region *region;
	unsigned int mode;

	region = mmfdev_region_get(mdev, index);
	if (!region)
		return -EINVAL;

	info->index = index;
	info->flags = region->flags;
	info->kind = region->kind;
	info->size = region->size;
	info->offset = (u64)index << MMFDEV_REGION_SHIFT;
	info->cache_modes = region->cache_modes;
	info->cache_default = region->cache_default;
	strscpy(info->name, region->name, sizeof(info->name));
	for (mode = 0; mode < MMFDEV_CACHE_NR; mode++) {
		info->cache_offset[mode] = MMFDEV_OFFSET_INVALID;
		if (mode && region->flags & MMFDEV_REGION_FLAG_MMAP &&
		    region->cache_modes & MMFDEV_CACHE_BIT(mode))
			info->cache_offset[mode] = info->offset |
				(u64)mode << MMFDEV_MODE_SHIFT;
	}
	return 0;
}

static long mmfdev_ioctl_region_info(struct mmfdev_device *mdev,
				     void __user *arg)
{
	struct mmfdev_region_info info = { };
	u32 __user *uindex = arg + offsetof(typeof(info), index);
	u32 argsz, index;
	int ret;

	ret = mmfdev_get_argsz(arg, offsetofend(typeof(info), cache_offset),
			       &argsz);
	if (ret)
		return ret;
	if (get_user(index, uindex))
		return -EFAULT;

	down_read(&mdev->lock);
	ret = mdev->dead ? -ENODEV : mmfdev_fill_region_info(mdev, index, &info);
	up_read(&mdev->lock);
	if (ret)
		return ret;

	info.argsz = sizeof(info);
	if (copy_to_user(arg, &info, min_t(u32, argsz, sizeof(info))))
		return -EFAULT;
	return 0;
}

/*
 * Is @vma a mapping of @mdev?  Either ours, with our vm_ops on a file of
 * this device, or one a region kind handed to a file of its own.
 */
static bool mmfdev_vma_belongs(struct mmfdev_device *mdev,
			       struct vm_area_struct *vma)
{
	struct mmfdev_region *region;
	bool ret;

	if (!vma->vm_file)
		return false;
	if (vma->vm_ops == &mmfdev_vm_ops)
		return vma->vm_file->f_mapping == mdev->inode->i_mapping;

	down_read(&mdev->lock);
	/* A foreign VMA's tag is garbage: the region's check decides. */
	region = mdev->dead ? NULL :
		 mmfdev_region_get(mdev, MMFDEV_VMA_INDEX(vma));
	ret = region && region->ops->owns_vma &&
	      region->ops->owns_vma(region, vma);
	up_read(&mdev->lock);
	return ret;
}

static long mmfdev_ioctl_mapping_info(struct mmfdev_device *mdev,
				      void __user *arg)
{
	struct mmfdev_mapping_info info = { };
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma;
	u32 argsz;
	int ret;

	ret = mmfdev_get_argsz(arg, offsetofend(typeof(info), cache_mode),
			       &argsz);
	if (ret)
		return ret;
	if (copy_from_user(&info, arg, offsetofend(typeof(info), addr)))
		return -EFAULT;
	if (!mm)
		return -EINVAL;

	mmap_read_lock(mm);
	vma = vma_lookup(mm, info.addr);
	if (!vma || !mmfdev_vma_belongs(mdev, vma)) {
		mmap_read_unlock(mm);
		return -EINVAL;
	}
	info.start = vma->vm_start;
	info.length = vma->vm_end - vma->vm_start;
	info.offset = (u64)(vma->vm_pgoff & (MMFDEV_WINDOW_PAGES - 1)) <<
		      PAGE_SHIFT;
	info.index = MMFDEV_VMA_INDEX(vma);
	info.cache_mode = MMFDEV_VMA_MODE(vma);
	mmap_read_unlock(mm);

	info.argsz = sizeof(info);
	info.flags = 0;
	if (copy_to_user(arg, &info, min_t(u32, argsz, sizeof(info))))
		return -EFAULT;
	return 0;
}

/* The handlers take mdev->lock themselves, and never around a user copy. */
static long mmfdev_ioctl(struct file *file, unsigned int cmd,
			 unsigned long arg)
{
	struct mmfdev_device *mdev = mmfdev_of(file);
	void __user *argp = (void __user *)arg;

	if (READ_ONCE(mdev->dead))
		return -ENODEV;

	switch (cmd) {
	case MMFDEV_IOC_DEVICE_INFO:
		return mmfdev_ioctl_device_info(mdev, argp);
	case MMFDEV_IOC_REGION_INFO:
		return mmfdev_ioctl_region_info(mdev, argp);
	case MMFDEV_IOC_MAPPING_INFO:
		return mmfdev_ioctl_mapping_info(mdev, argp);
	default:
		return mmfdev_events_ioctl(file->private_data, file, cmd, argp);
	}
}

/* POLLIN: events this file has not looked at; POLLHUP: device gone. */
static __poll_t mmfdev_poll(struct file *file, poll_table *wait)
{
	return mmfdev_events_poll(file->private_data, file, wait);
}

static const struct file_operations mmfdev_fops = {
	.owner = THIS_MODULE,
	.open = mmfdev_open,
	.release = mmfdev_release,
	.mmap = mmfdev_mmap,
	.read = mmfdev_read,
	.write = mmfdev_write,
	.llseek = mmfdev_llseek,
	/* Align big mappings so that huge entries can map them. */
	.get_unmapped_area = thp_get_unmapped_area,
	.fsync = mmfdev_fsync,
	.unlocked_ioctl = mmfdev_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.poll = mmfdev_poll,
};

static const char *const mmfdev_kind_names[] = {
	[MMFDEV_REGION_KIND_NONE] = "none",
	[MMFDEV_REGION_KIND_RAM] = "ram",
	[MMFDEV_REGION_KIND_MMIO] = "mmio",
	[MMFDEV_REGION_KIND_RESERVED] = "reserved",
	[MMFDEV_REGION_KIND_IOPORT] = "ioport",
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
	struct mmfdev_device *mdev = container_of(misc, struct mmfdev_device,
						  misc);
	unsigned int i;
	int len = 0;

	down_read(&mdev->lock);
	for (i = 0; i < mdev->nr_regions && !mdev->dead; i++) {
		struct mmfdev_region *r = &mdev->regions[i];

		len += sysfs_emit_at(buf, len, "%u %s %s 0x%llx 0x%llx 0x%x 0x%x %u\n",
				     i, r->name, mmfdev_kind_names[r->kind],
				     r->size, (u64)i << MMFDEV_REGION_SHIFT,
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

	return mmfdev_events_show(container_of(misc, struct mmfdev_device,
					       misc), buf);
}
static DEVICE_ATTR_RO(events);

static struct attribute *mmfdev_attrs[] = {
	&dev_attr_regions.attr,
	&dev_attr_events.attr,
	NULL
};
ATTRIBUTE_GROUPS(mmfdev);

/**
 * mmfdev_device_register() - create the device's node
 * @mdev:	a device whose region table is filled in
 *
 * Return: 0 or a negative errno from misc_register().
 */
int mmfdev_device_register(struct mmfdev_device *mdev)
{
	int ret;

	/* Glue without interrupts still gets its doorbells. */
	if (!mdev->events) {
		ret = mmfdev_events_alloc(mdev, 0);
		if (ret)
			return ret;
	}
	mdev->misc.minor = MISC_DYNAMIC_MINOR;
	mdev->misc.name = mdev->name;
	mdev->misc.fops = &mmfdev_fops;
	mdev->misc.mode = 0600;
	mdev->misc.groups = mmfdev_groups;
	return misc_register(&mdev->misc);
}

/**
 * mmfdev_device_unregister() - revoke everything and remove the node
 * @mdev:	a registered device
 *
 * When this returns, no user mapping points at the device's memory any
 * more, the regions have given back their resources, every event waiter
 * has been woken to return -ENODEV, no line is unmasked any more, and
 * calls on files that are still open fail with -ENODEV.  The bus glue may
 * then let the memory go and free its interrupts (holding a reference
 * from mmfdev_device_get() until it has).
 */
void mmfdev_device_unregister(struct mmfdev_device *mdev)
{
	misc_deregister(&mdev->misc);

	down_write(&mdev->lock);
	mdev->dead = true;
	unmap_mapping_range(mdev->inode->i_mapping, 0, 0, 1);
	mmfdev_regions_release(mdev, false);
	up_write(&mdev->lock);
	/* Every waiter sees dead and returns -ENODEV. */
	wake_up_all(&mdev->event_wq);

	mmfdev_device_put(mdev);
}
