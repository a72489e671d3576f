// SPDX-License-Identifier: GPL-2.0-only
/*
 * mmfdev default device, bus glue with no bus: /dev/mmfdev, created at
 * load, with one zero-filled RAM region whose size is the "size" module
 * parameter.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/sizes.h>

#include "internal.h"

static unsigned long long ram_size = SZ_4M;

static int ram_size_set(const char *val, const struct kernel_param *kp)
{
	unsigned long long size;
	char *end;

	size = memparse(val, &end);
	if (end == val || (*end && *end != '\n'))
		return -EINVAL;
	*(unsigned long long *)kp->arg = size;
	return 0;
}

static int ram_size_get(char *buffer, const struct kernel_param *kp)
{
	return sysfs_emit(buffer, "%llu\n", *(unsigned long long *)kp->arg);
}

static const struct kernel_param_ops ram_size_ops = {
	.set = ram_size_set,
	.get = ram_size_get,
};

module_param_cb(size, &ram_size_ops, &ram_size, 0444);
MODULE_PARM_DESC(size,
		 "Size of /dev/mmfdev's RAM region in bytes; K, M and G suffixes work; rounded up to the page size; at most half of RAM (default 4M)");

static struct mmfd_device *default_dev;

/* The largest RAM region we agree to allocate: half of RAM, at most 64 GiB. */
static u64 ram_size_limit(void)
{
	u64 half = ((u64)totalram_pages() << PAGE_SHIFT) / 2;

	return min_t(u64, half, MMFD_REGION_MAX_SIZE);
}

/* Create /dev/mmfdev; called once at module load. */
int mmfd_bus_ram_init(void)
{
	u64 limit = ram_size_limit();
	int ret;

	if (!ram_size || ram_size > limit) {
		pr_err("size=%llu is out of range: use 1 to %llu bytes\n",
		       ram_size, limit);
		return -EINVAL;
	}
	ram_size = PAGE_ALIGN(ram_size);

	default_dev = mmfd_device_alloc("mmfdev", 1);
	if (IS_ERR(default_dev))
		return PTR_ERR(default_dev);

	ret = mmfd_region_ram_init(&default_dev->regions[0], "ram", ram_size);
	if (ret)
		goto remove_device;

	ret = mmfd_device_register(default_dev);
	if (ret)
		goto remove_device;

	return 0;

remove_device:
	mmfd_device_remove(default_dev);
	return ret;
}

void mmfd_bus_ram_exit(void)
{
	mmfd_device_remove(default_dev);
}
