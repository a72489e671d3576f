// SPDX-License-Identifier: GPL-2.0-only
/*
 * mmfdev core: a device's DMA buffers.  The bus glue names the device
 * that will reach them and the region slots they may fill
 * (mmfd_dma_setup()); userspace allocates, frees, describes and syncs
 * them with the MMFDEV_IOC_DMA_* ioctls; region_dma.c is the memory.
 *
 * Nothing is freed while the device may still write it.  A freed buffer
 * leaves its slot at once (its mappings are revoked).  Behind an IOMMU
 * its memory goes at once too, the unmapping being what keeps the device
 * out.  Otherwise the memory is parked until the device is quiesced: the
 * glue turns bus mastering off when the device's last buffer is freed
 * (unless open files use its MSIs, which need it), when its last file is
 * closed (which frees every buffer, as vfio-pci resets a device its user
 * let go), and when it leaves its bus (and resets it then, where it
 * can).  A later open, or a new buffer, lets it master the bus again.
 *
 * Each device may hold dma_quota_mb of buffers' memory, parked buffers
 * and the memory that only dma-bufs hold included,
 * and as many buffers as it has slots (pci_dma_buffers for PCI devices).
 * The bus glue may also make buffers at probe time
 * (mmfd_dma_alloc_spec()), which last as long as the device.
 */
#include <linux/dma-map-ops.h>
#include <linux/dma-mapping.h>
#include <linux/fcntl.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "compat.h"
#include "internal.h"

static unsigned int dma_quota_mb = 64;
module_param(dma_quota_mb, uint, 0444);
MODULE_PARM_DESC(dma_quota_mb,
		 "MiB of DMA buffers each device may hold at once (default 64)");

/**
 * mmfd_dma_setup() - give a device DMA buffers
 * @mdev:	a device not registered yet
 * @dev:	the device that will reach the buffers, with its DMA mask set
 * @ops:	the glue's operations, or NULL
 * @first:	the first free region slot; every slot from it on is one
 *
 * Return: 0 or -ENOMEM.
 */
int mmfd_dma_setup(struct mmfd_device *mdev, struct device *dev,
		   const struct mmfd_bus_ops *ops, unsigned int first)
{
	unsigned int i;

	mdev->dma_used = kzalloc(sizeof(*mdev->dma_used), GFP_KERNEL);
	if (!mdev->dma_used)
		return -ENOMEM;
	refcount_set(&mdev->dma_used->ref, 1);
	mdev->dma_dev = dev;
	mdev->bus_ops = ops;
	mdev->dma_first = first;
	mdev->dma_quota = (u64)dma_quota_mb << 20;
	for (i = first; i < mdev->nr_regions; i++)
		mmfd_region_dma_slot_init(&mdev->regions[i], i - first);
	return 0;
}

/* Bytes of DMA memory the device's buffers hold now. */
static u64 mmfd_dma_bytes(struct mmfd_device *mdev)
{
	return atomic64_read(&mdev->dma_used->bytes);
}

static const char *const mmfd_dma_kind_names[] = {
	[MMFDEV_DMA_KIND_COHERENT] = "coherent",
	[MMFDEV_DMA_KIND_STREAMING] = "streaming",
	[MMFDEV_DMA_KIND_CONTIGUOUS] = "contiguous",
};

/* Allocate a buffer into the first free slot; under mdev->lock. */
static int mmfd_dma_alloc_slot(struct mmfd_device *mdev, u32 kind, u64 size,
			       unsigned int *index)
{
	unsigned int i;
	u64 used;
	int ret;

	for (i = mdev->dma_first; i < mdev->nr_regions; i++)
		if (mmfd_region_is_dma_slot(&mdev->regions[i]))
			break;
	used = mmfd_dma_bytes(mdev);
	if (i == mdev->nr_regions || used > mdev->dma_quota ||
	    size > mdev->dma_quota - used)
		return -ENOSPC;
	ret = mmfd_region_dma_init(&mdev->regions[i], mdev->dma_dev, kind,
				   size, mdev->dma_used);
	if (ret)
		return ret;
	mdev->dma_live++;
	if (!mdev->dma_active && mdev->bus_ops && mdev->bus_ops->dma_start)
		mdev->bus_ops->dma_start(mdev);
	mdev->dma_active = true;
	*index = i;
	return 0;
}

/**
 * mmfd_dma_alloc_spec() - a buffer made at probe time
 * @mdev:	a device set up by mmfd_dma_setup(), not registered yet
 * @spec:	"KIND:SIZE", KIND coherent, streaming or contiguous, SIZE in
 *		bytes with an optional K, M or G, a multiple of the page size
 *
 * Such a buffer lasts as long as the device: the last close does not
 * free it, and MMFDEV_IOC_DMA_FREE refuses it with EBUSY.
 *
 * Return: 0, -EINVAL (a bad @spec), or what allocating gives.
 */
int mmfd_dma_alloc_spec(struct mmfd_device *mdev, const char *spec)
{
	const char *colon = strchr(spec, ':');
	unsigned int index, kind;
	char *end;
	u64 size;
	int ret;

	if (!colon)
		return -EINVAL;
	for (kind = MMFDEV_DMA_KIND_COHERENT;
	     kind <= MMFDEV_DMA_KIND_CONTIGUOUS; kind++)
		if (strlen(mmfd_dma_kind_names[kind]) == colon - spec &&
		    !strncmp(spec, mmfd_dma_kind_names[kind], colon - spec))
			break;
	size = memparse(colon + 1, &end);
	if (kind > MMFDEV_DMA_KIND_CONTIGUOUS || *end || !size ||
	    !PAGE_ALIGNED(size) || size > MMFD_REGION_MAX_SIZE)
		return -EINVAL;

	down_write(&mdev->lock);
	ret = mmfd_dma_alloc_slot(mdev, kind, size, &index);
	if (!ret)
		__set_bit(index, mdev->dma_fixed);
	up_write(&mdev->lock);
	return ret;
}

/* Revoke every user mapping of region @index, in every cache mode. */
static void mmfd_dma_zap(struct mmfd_device *mdev, unsigned int index)
{
	unsigned int mode;

	for (mode = 0; mode < MMFDEV_CACHE_NR; mode++)
		unmap_mapping_range(mdev->inode->i_mapping,
				    mmfd_index_to_offset(index, mode),
				    MMFD_REGION_MAX_SIZE, 1);
}

/*
 * Stop the device's DMA, then free the parked buffers, which it can no
 * longer reach.  Behind an IOMMU, unmapping a buffer is what stops the
 * device from reaching it: nothing to wait for.  A device whose glue
 * cannot stop it (device tree) gets no better.  Under mdev->lock for
 * writing.
 */
static void mmfd_dma_quiesce(struct mmfd_device *mdev, enum mmfd_quiesce why)
{
	const struct mmfd_bus_ops *ops = mdev->bus_ops;

	if (mdev->dma_active && ops && ops->quiesce &&
	    (why != MMFD_QUIESCE_IDLE ||
	     !mmfd_dma_iommu_translates(mdev->dma_dev))) {
		if (ops->quiesce(mdev, why))
			return;
		mdev->dma_active = false;
		mdev->dma_quiesced = true;
	}
	mmfd_dma_reap(&mdev->dma_parked);
}

/* Take the buffer of slot @index away; under mdev->lock for writing. */
static void mmfd_dma_free_slot(struct mmfd_device *mdev, unsigned int index)
{
	mmfd_dma_zap(mdev, index);
	mmfd_region_dma_park(&mdev->regions[index], &mdev->dma_parked,
			     index - mdev->dma_first);
	mdev->dma_live--;
}

static long mmfd_dma_ioctl_alloc(struct mmfd_device *mdev, struct file *file,
				 void __user *arg)
{
	struct mmfdev_dma_alloc req = { };
	int ret;

	ret = mmfd_argsz_in(arg, &req, sizeof(req), sizeof(req));
	if (ret)
		return ret;
	if (!(file->f_mode & FMODE_WRITE))
		return -EBADF;
	if (req.flags || !req.size || !PAGE_ALIGNED(req.size))
		return -EINVAL;
	if (req.kind < MMFDEV_DMA_KIND_COHERENT ||
	    req.kind > MMFDEV_DMA_KIND_CONTIGUOUS)
		return -EINVAL;
	if (req.size > MMFD_REGION_MAX_SIZE)
		return -E2BIG;

	down_write(&mdev->lock);
	ret = -ENODEV;
	if (mdev->dead)
		goto unlock;
	ret = -EOPNOTSUPP;
	if (!mdev->dma_dev)
		goto unlock;
	ret = mmfd_dma_alloc_slot(mdev, req.kind, req.size, &req.index);
unlock:
	up_write(&mdev->lock);
	if (ret)
		return ret;
	return mmfd_argsz_out(arg, &req, sizeof(req));
}

static long mmfd_dma_ioctl_free(struct mmfd_device *mdev, struct file *file,
				void __user *arg)
{
	struct mmfdev_dma_free req = { };
	int ret;

	ret = mmfd_argsz_in(arg, &req, sizeof(req), sizeof(req));
	if (ret)
		return ret;
	if (!(file->f_mode & FMODE_WRITE))
		return -EBADF;

	down_write(&mdev->lock);
	ret = -ENODEV;
	if (mdev->dead)
		goto unlock;
	ret = -EINVAL;
	if (req.index >= mdev->nr_regions ||
	    !mmfd_region_is_dma(&mdev->regions[req.index]))
		goto unlock;
	ret = -EBUSY;
	if (test_bit(req.index, mdev->dma_fixed))
		goto unlock;
	mmfd_dma_free_slot(mdev, req.index);
	if (!mdev->dma_live || mmfd_dma_iommu_translates(mdev->dma_dev))
		mmfd_dma_quiesce(mdev, MMFD_QUIESCE_IDLE);
	ret = 0;
unlock:
	up_write(&mdev->lock);
	if (ret)
		return ret;
	return mmfd_argsz_out(arg, &req, sizeof(req));
}

/* The DMA buffer at @index, under mdev->lock; NULL if it is none. */
static struct mmfd_region *mmfd_dma_region(struct mmfd_device *mdev,
					   u32 index)
{
	if (mdev->dead || index >= mdev->nr_regions ||
	    !mmfd_region_is_dma(&mdev->regions[index]))
		return NULL;
	return &mdev->regions[index];
}

static long mmfd_dma_ioctl_info(struct mmfd_device *mdev, void __user *arg)
{
	struct mmfdev_dma_segment *segs = NULL;
	struct mmfdev_dma_info info = { };
	struct mmfd_region *region;
	u32 room, n;
	int ret;

	ret = mmfd_argsz_in(arg, &info, offsetofend(typeof(info), index),
			    sizeof(info));
	if (ret)
		return ret;
	room = (info.argsz - sizeof(info)) / sizeof(*segs);

	down_read(&mdev->lock);
	region = mmfd_dma_region(mdev, info.index);
	ret = mdev->dead ? -ENODEV : -EINVAL;
	if (!region)
		goto unlock;
	/* As many as there are, at most as many as the caller has room for. */
	mmfd_region_dma_info(region, &info, NULL, 0);
	n = min(room, info.num_segments);
	ret = -ENOMEM;
	if (n) {
		segs = kvcalloc(n, sizeof(*segs), GFP_KERNEL);
		if (!segs)
			goto unlock;
		mmfd_region_dma_info(region, &info, segs, n);
	}
	ret = 0;
unlock:
	up_read(&mdev->lock);
	if (ret)
		return ret;

	if (n && copy_to_user(arg + sizeof(info), segs, n * sizeof(*segs)))
		ret = -EFAULT;
	kvfree(segs);
	if (ret)
		return ret;
	/* The size that holds every segment, which the caller may lack. */
	info.argsz = sizeof(info) + info.num_segments * sizeof(*segs);
	return copy_to_user(arg, &info, sizeof(info)) ? -EFAULT : 0;
}

static long mmfd_dma_ioctl_sync(struct mmfd_device *mdev, void __user *arg)
{
	struct mmfdev_dma_sync req = { };
	struct mmfd_region *region;
	int ret;

	ret = mmfd_argsz_in(arg, &req, sizeof(req), sizeof(req));
	if (ret)
		return ret;
	if (req.reserved)
		return -EINVAL;

	down_read(&mdev->lock);
	region = mmfd_dma_region(mdev, req.index);
	if (region)
		ret = mmfd_region_dma_sync(region, req.flags, req.offset,
					   req.length);
	else
		ret = mdev->dead ? -ENODEV : -EINVAL;
	up_read(&mdev->lock);
	if (ret)
		return ret;
	return mmfd_argsz_out(arg, &req, sizeof(req));
}

static long mmfd_dma_ioctl_export(struct mmfd_device *mdev,
				  struct file *file, void __user *arg)
{
	struct mmfdev_dma_export req = { };
	struct mmfd_region *region;
	u64 len;
	int ret;

	ret = mmfd_argsz_in(arg, &req, sizeof(req), sizeof(req));
	if (ret)
		return ret;
	if (req.flags & ~(O_CLOEXEC | O_RDWR))
		return -EINVAL;
	if (req.flags & O_RDWR && !(file->f_mode & FMODE_WRITE))
		return -EBADF;

	down_read(&mdev->lock);
	region = mmfd_dma_region(mdev, req.index);
	ret = mdev->dead ? -ENODEV : -EINVAL;
	if (!region || req.offset >= region->size)
		goto unlock;
	len = req.length ? req.length : region->size - req.offset;
	if (!PAGE_ALIGNED(req.offset) || !PAGE_ALIGNED(len) ||
	    len > region->size - req.offset)
		goto unlock;
	ret = mmfd_dmabuf_export(region, req.offset, len, req.flags);
unlock:
	up_read(&mdev->lock);
	if (ret < 0)
		return ret;
	req.fd = ret;
	return mmfd_argsz_out(arg, &req, sizeof(req));
}

/**
 * mmfd_dma_ioctl() - the MMFDEV_IOC_DMA_* ioctls
 * @mdev:	the file's device
 * @file:	the file
 * @cmd:	one of them
 * @arg:	its argument
 *
 * Return: what the ioctl returns; -ENOTTY for another @cmd.
 */
long mmfd_dma_ioctl(struct mmfd_device *mdev, struct file *file,
		    unsigned int cmd, void __user *arg)
{
	switch (cmd) {
	case MMFDEV_IOC_DMA_ALLOC:
		return mmfd_dma_ioctl_alloc(mdev, file, arg);
	case MMFDEV_IOC_DMA_FREE:
		return mmfd_dma_ioctl_free(mdev, file, arg);
	case MMFDEV_IOC_DMA_INFO:
		return mmfd_dma_ioctl_info(mdev, arg);
	case MMFDEV_IOC_DMA_SYNC:
		return mmfd_dma_ioctl_sync(mdev, arg);
	case MMFDEV_IOC_DMA_EXPORT:
		return mmfd_dma_ioctl_export(mdev, file, arg);
	default:
		return -ENOTTY;
	}
}

/* The DMA facts of MMFDEV_IOC_DEVICE_INFO; under mdev->lock. */
void mmfd_dma_fill_device_info(struct mmfd_device *mdev,
			       struct mmfdev_device_info *info)
{
	struct device *dev = mdev->dma_dev;

	if (!dev || mdev->dead)
		return;
	info->flags |= MMFDEV_DEVICE_FLAG_DMA;
	if (mmfd_dma_iommu_translates(dev))
		info->flags |= MMFDEV_DEVICE_FLAG_IOMMU;
	if (dev_is_dma_coherent(dev))
		info->flags |= MMFDEV_DEVICE_FLAG_DMA_COHERENT;
	info->dma_mask = mmfd_dma_reach(dev);
	info->dma_quota = mdev->dma_quota;
	info->dma_used = mmfd_dma_bytes(mdev);
}

/* A file opens @mdev: a quiesced device may master the bus again. */
void mmfd_dma_open(struct mmfd_device *mdev)
{
	down_write(&mdev->lock);
	mdev->nr_open++;
	if (!mdev->dead && mdev->dma_quiesced) {
		mdev->dma_quiesced = false;
		if (mdev->bus_ops && mdev->bus_ops->dma_start)
			mdev->bus_ops->dma_start(mdev);
	}
	up_write(&mdev->lock);
}

/* A file of @mdev is closed; the last one frees every buffer. */
void mmfd_dma_last_close(struct mmfd_device *mdev)
{
	unsigned int i;

	down_write(&mdev->lock);
	if (!--mdev->nr_open && !mdev->dead && mdev->dma_dev) {
		for (i = mdev->dma_first; i < mdev->nr_regions; i++)
			if (mmfd_region_is_dma(&mdev->regions[i]) &&
			    !test_bit(i, mdev->dma_fixed))
				mmfd_dma_free_slot(mdev, i);
		mmfd_dma_quiesce(mdev, MMFD_QUIESCE_CLOSED);
	}
	up_write(&mdev->lock);
}

/*
 * The device leaves its bus; under mdev->lock for writing, its mappings
 * revoked.  Quiesce (and reset) it, free the parked buffers; the core
 * then releases those still in slots.
 */
void mmfd_dma_unregister(struct mmfd_device *mdev)
{
	mmfd_dma_quiesce(mdev, MMFD_QUIESCE_REMOVE);
}

/*
 * /sys/class/misc/<node>/dma: the device's DMA facts, then its buffers:
 *	mask 0x... quota BYTES used BYTES iommu 0|1 coherent 0|1
 *	index kind size bus_addr segments flags
 * (size in bytes; bus_addr of the first byte; flags MMFDEV_DMA_INFO_*).
 * Empty for a device without DMA buffers.
 */
ssize_t mmfd_dma_show(struct mmfd_device *mdev, char *buf)
{
	struct mmfdev_device_info dinfo = { };
	unsigned int i;
	int len = 0;

	down_read(&mdev->lock);
	mmfd_dma_fill_device_info(mdev, &dinfo);
	if (!(dinfo.flags & MMFDEV_DEVICE_FLAG_DMA))
		goto unlock;
	len = sysfs_emit(buf, "mask 0x%llx quota %llu used %llu iommu %d coherent %d\n",
			 dinfo.dma_mask, dinfo.dma_quota, dinfo.dma_used,
			 !!(dinfo.flags & MMFDEV_DEVICE_FLAG_IOMMU),
			 !!(dinfo.flags & MMFDEV_DEVICE_FLAG_DMA_COHERENT));
	for (i = mdev->dma_first; i < mdev->nr_regions; i++) {
		struct mmfdev_dma_info info = { };

		if (!mmfd_region_is_dma(&mdev->regions[i]))
			continue;
		mmfd_region_dma_info(&mdev->regions[i], &info, NULL, 0);
		len += sysfs_emit_at(buf, len, "%u %s %llu 0x%llx %u 0x%x\n",
				     i, mmfd_dma_kind_names[info.kind],
				     info.size, info.bus_addr,
				     info.num_segments, info.flags);
	}
unlock:
	up_read(&mdev->lock);
	return len;
}
