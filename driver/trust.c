// SPDX-License-Identifier: GPL-2.0-only
/*
 * Who may open a node, and when: the trust boundaries of doc/security.md.
 *
 * The bus glue says, before it registers a node, how far whoever opens it
 * reaches (enum mmfd_reach) and which kernel lockdown reason covers it.
 * The reach is in sysfs ("reach", for the udev rule that decides the
 * node's group) and in MMFDEV_IOC_DEVICE_INFO's flags.  A node that
 * reaches all of memory needs CAP_SYS_RAWIO to open, as /dev/mem and
 * VFIO's no-IOMMU mode do, unless the administrator says otherwise
 * (rawio_cap=N).  Under kernel lockdown, a node that lockdown covers
 * cannot be opened: raw physical ranges and shared ranges (as /dev/mem),
 * and devices that no IOMMU isolates (as PCI sysfs resources).  Files
 * opened before lockdown keep working, as /dev/mem's do.
 */
#include <linux/capability.h>
#include <linux/moduleparam.h>
#include <linux/printk.h>
#include <linux/security.h>
#include <linux/sysfs.h>

#include "compat.h"
#include "internal.h"

static bool rawio_cap = true;
module_param(rawio_cap, bool, 0444);
MODULE_PARM_DESC(rawio_cap,
		 "Opening a node that reaches all of memory needs CAP_SYS_RAWIO (default Y; N leaves it to the node's file permissions, see mmfdev(4))");

static const char *const mmfd_reach_names[] = {
	[MMFD_REACH_CONTAINED] = "contained",
	[MMFD_REACH_ISOLATED] = "isolated",
	[MMFD_REACH_ALL] = "all-memory",
};

/**
 * mmfd_trust_set() - say how far a node reaches, before it is registered
 * @mdev:	the device
 * @reach:	what whoever opens it can reach
 * @lockdown:	the lockdown reason that refuses it, or LOCKDOWN_NONE
 * @why:	for the log line of a refusal: what the node exposes
 */
void mmfd_trust_set(struct mmfd_device *mdev, enum mmfd_reach reach,
		    enum lockdown_reason lockdown, const char *why)
{
	mdev->reach = reach;
	mdev->lockdown = lockdown;
	mdev->lockdown_why = why;
}

/**
 * mmfd_trust_open() - may the caller open @mdev now?
 * @mdev:	the device
 *
 * Return: 0, or -EPERM: the node reaches all of memory and the caller
 * lacks CAP_SYS_RAWIO, or the kernel is locked down against what the
 * node exposes (with one log line that says so).
 */
int mmfd_trust_open(struct mmfd_device *mdev)
{
	int ret;

	if (mdev->reach == MMFD_REACH_ALL && rawio_cap &&
	    !capable(CAP_SYS_RAWIO))
		return -EPERM;
	if (mdev->lockdown == LOCKDOWN_NONE)
		return 0;
	ret = security_locked_down(mdev->lockdown);
	if (ret)
		pr_notice_ratelimited("%s: open refused under kernel lockdown: %s\n",
				      mdev->name, mdev->lockdown_why);
	return ret;
}

/* The trust facts of MMFDEV_IOC_DEVICE_INFO. */
void mmfd_trust_fill_device_info(struct mmfd_device *mdev,
				 struct mmfdev_device_info *info)
{
	if (mdev->reach == MMFD_REACH_ISOLATED)
		info->flags |= MMFDEV_DEVICE_FLAG_IOMMU;
	else if (mdev->reach == MMFD_REACH_ALL)
		info->flags |= MMFDEV_DEVICE_FLAG_ALL_MEMORY;
}

/* /sys/class/misc/<node>/reach: contained, isolated or all-memory. */
ssize_t mmfd_trust_show(struct mmfd_device *mdev, char *buf)
{
	return sysfs_emit(buf, "%s\n", mmfd_reach_names[mdev->reach]);
}
