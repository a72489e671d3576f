// SPDX-License-Identifier: GPL-2.0-only
/*
 * mmfdev core: the character device, its file operations and the region
 * table.  Nothing here knows what kind of memory a region is.
 *
 * The path of a mapping: mmap() -> mmfdev_mmap() -> region lookup by the
 * offset window -> region->ops->mmap() -> page tables.
 */
#include <linux/compat.h>
#include <linux/fs.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "compat.h"
#include "mmfdev.h"

/* Pages per region window. */
#define MMFDEV_WINDOW_PAGES	(1UL << (MMFDEV_REGION_SHIFT - PAGE_SHIFT))

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

static void mmfdev_device_release(struct kref *ref)
{
	struct mmfdev_device *mdev = container_of(ref, struct mmfdev_device,
						  ref);
	unsigned int i;

	for (i = 0; i < mdev->nr_regions; i++) {
		struct mmfdev_region *region = &mdev->regions[i];

		if (region->ops && region->ops->release)
			region->ops->release(region);
	}
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

	kref_init(&mdev->ref);
	mdev->nr_regions = nr_regions;
	strscpy(mdev->name, name, sizeof(mdev->name));
	return mdev;
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

	kref_get(&mdev->ref);
	file->private_data = mdev;
	return 0;
}

static int mmfdev_release(struct inode *inode, struct file *file)
{
	mmfdev_device_put(file->private_data);
	return 0;
}

static int mmfdev_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct mmfdev_device *mdev = file->private_data;
	unsigned long pgoff = vma->vm_pgoff & (MMFDEV_WINDOW_PAGES - 1);
	struct mmfdev_region *region;

	/* Device memory is shared by definition; a private COW copy is not. */
	if (!(vma->vm_flags & VM_MAYSHARE))
		return -EINVAL;

	region = mmfdev_region_get(mdev, vma->vm_pgoff /
				   MMFDEV_WINDOW_PAGES);
	if (!region || !mmfdev_pages_inside(region, pgoff, vma_pages(vma)))
		return -ENXIO;
	if (!(region->flags & MMFDEV_REGION_FLAG_MMAP))
		return -ENODEV;

	/*
	 * do_mmap() already drops VM_MAYWRITE from a shared mapping of a file
	 * not open for writing; say so here too, so that no later mprotect()
	 * can make such a mapping writable whatever the core does.
	 */
	if (!(file->f_mode & FMODE_WRITE))
		vm_flags_clear(vma, VM_MAYWRITE);
	vm_flags_set(vma, VM_DONTEXPAND | VM_DONTDUMP);

	return region->ops->mmap(region, vma, pgoff);
}

static ssize_t mmfdev_read(struct file *file, char __user *buf, size_t count,
			   loff_t *ppos)
{
	struct mmfdev_device *mdev = file->private_data;
	struct mmfdev_region *region;
	ssize_t ret;
	u64 rel;

	region = mmfdev_region_at(mdev, *ppos, &rel);
	if (!region)
		return -ENXIO;
	if (!(region->flags & MMFDEV_REGION_FLAG_READ))
		return -EPERM;
	if (rel >= region->size || !count)
		return 0;

	count = min_t(u64, count, region->size - rel);
	ret = region->ops->read(region, buf, count, rel);
	if (ret > 0)
		*ppos += ret;
	return ret;
}

static ssize_t mmfdev_write(struct file *file, const char __user *buf,
			    size_t count, loff_t *ppos)
{
	struct mmfdev_device *mdev = file->private_data;
	struct mmfdev_region *region;
	ssize_t ret;
	u64 rel;

	region = mmfdev_region_at(mdev, *ppos, &rel);
	if (!region)
		return -ENXIO;
	if (!(region->flags & MMFDEV_REGION_FLAG_WRITE))
		return -EPERM;
	if (!count)
		return 0;
	if (rel >= region->size)
		return -ENOSPC;

	count = min_t(u64, count, region->size - rel);
	ret = region->ops->write(region, buf, count, rel);
	if (ret > 0)
		*ppos += ret;
	return ret;
}

/*
 * SEEK_SET and SEEK_CUR reach every region window; SEEK_END is relative to
 * the end of region 0, so tools that treat the node as one file (dd, cmp,
 * hexdump) see region 0 as its contents.
 */
static loff_t mmfdev_llseek(struct file *file, loff_t offset, int whence)
{
	struct mmfdev_device *mdev = file->private_data;
	loff_t maxsize = (loff_t)mdev->nr_regions << MMFDEV_REGION_SHIFT;

	return generic_file_llseek_size(file, offset, whence, maxsize,
					mdev->regions[0].size);
}

static int mmfdev_fsync(struct file *file, loff_t start, loff_t end,
			int datasync)
{
	struct mmfdev_device *mdev = file->private_data;
	unsigned int i;
	int ret;

	for (i = 0; i < mdev->nr_regions; i++) {
		struct mmfdev_region *region = &mdev->regions[i];

		if (!region->ops || !region->ops->sync)
			continue;
		ret = region->ops->sync(region);
		if (ret)
			return ret;
	}
	return 0;
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
	strscpy(info.name, mdev->name, sizeof(info.name));

	if (copy_to_user(arg, &info, min_t(u32, argsz, sizeof(info))))
		return -EFAULT;
	return 0;
}

static long mmfdev_ioctl_region_info(struct mmfdev_device *mdev,
				     void __user *arg)
{
	struct mmfdev_region_info info = { };
	u32 __user *uindex = arg + offsetof(typeof(info), index);
	struct mmfdev_region *region;
	u32 argsz, index;
	int ret;

	ret = mmfdev_get_argsz(arg, offsetofend(typeof(info), name), &argsz);
	if (ret)
		return ret;
	if (get_user(index, uindex))
		return -EFAULT;

	region = mmfdev_region_get(mdev, index);
	if (!region)
		return -EINVAL;

	info.argsz = sizeof(info);
	info.index = index;
	info.flags = region->flags;
	info.kind = region->kind;
	info.size = region->size;
	info.offset = (u64)index << MMFDEV_REGION_SHIFT;
	info.cache_modes = region->cache_modes;
	info.cache_default = region->cache_default;
	strscpy(info.name, region->name, sizeof(info.name));

	if (copy_to_user(arg, &info, min_t(u32, argsz, sizeof(info))))
		return -EFAULT;
	return 0;
}

static long mmfdev_ioctl(struct file *file, unsigned int cmd,
			 unsigned long arg)
{
	struct mmfdev_device *mdev = file->private_data;
	void __user *argp = (void __user *)arg;

	switch (cmd) {
	case MMFDEV_IOC_DEVICE_INFO:
		return mmfdev_ioctl_device_info(mdev, argp);
	case MMFDEV_IOC_REGION_INFO:
		return mmfdev_ioctl_region_info(mdev, argp);
	default:
		return -ENOTTY;
	}
}

static const struct file_operations mmfdev_fops = {
	.owner = THIS_MODULE,
	.open = mmfdev_open,
	.release = mmfdev_release,
	.mmap = mmfdev_mmap,
	.read = mmfdev_read,
	.write = mmfdev_write,
	.llseek = mmfdev_llseek,
	.fsync = mmfdev_fsync,
	.unlocked_ioctl = mmfdev_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
};

/**
 * mmfdev_device_register() - create the device's node
 * @mdev:	a device whose region table is filled in
 *
 * Return: 0 or a negative errno from misc_register().
 */
int mmfdev_device_register(struct mmfdev_device *mdev)
{
	mdev->misc.minor = MISC_DYNAMIC_MINOR;
	mdev->misc.name = mdev->name;
	mdev->misc.fops = &mmfdev_fops;
	mdev->misc.mode = 0600;
	return misc_register(&mdev->misc);
}

/**
 * mmfdev_device_unregister() - remove the node and drop the bus reference
 * @mdev:	a registered device
 *
 * Open files keep the device, and so its regions, until they are closed.
 */
void mmfdev_device_unregister(struct mmfdev_device *mdev)
{
	misc_deregister(&mdev->misc);
	mmfdev_device_put(mdev);
}
