/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Every difference between the kernel versions mmfdev builds against lives
 * here, and nowhere else.
 */
#ifndef _MMFDEV_COMPAT_H
#define _MMFDEV_COMPAT_H

#include <linux/mm.h>
#include <linux/platform_device.h>
#include <linux/version.h>

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 3, 0)
/* 6.3 made vm_flags read-only and added these accessors. */
static inline void vm_flags_set(struct vm_area_struct *vma, vm_flags_t flags)
{
	vma->vm_flags |= flags;
}

static inline void vm_flags_clear(struct vm_area_struct *vma,
				  vm_flags_t flags)
{
	vma->vm_flags &= ~flags;
}
#endif

/*
 * The platform driver's void remove callback: 6.11 made .remove return
 * void, and 6.13 dropped .remove_new, which had done so since 6.3.
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 11, 0)
#define MMFDEV_PLATFORM_REMOVE	remove_new
#else
#define MMFDEV_PLATFORM_REMOVE	remove
#endif

#endif /* _MMFDEV_COMPAT_H */
