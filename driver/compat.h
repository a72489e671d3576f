/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Every difference between the kernel versions mmfdev builds against lives
 * here, and nowhere else.
 */
#ifndef _MMFD_COMPAT_H
#define _MMFD_COMPAT_H

#include <linux/eventfd.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/pci.h>
#include <linux/platform_device.h>
#include <linux/shmem_fs.h>
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
#define MMFD_PLATFORM_REMOVE	remove_new
#else
#define MMFD_PLATFORM_REMOVE	remove
#endif

/*
 * Run another file's mmap on a VMA handed over to it (vma_set_file()):
 * 6.17 renamed call_mmap() to vfs_mmap().
 */
static inline int mmfd_file_mmap(struct file *file,
				 struct vm_area_struct *vma)
{
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 17, 0)
	return call_mmap(file, vma);
#else
	return vfs_mmap(file, vma);
#endif
}

/*
 * An unlinked shmem file on @mnt, with no commitment charged up front:
 * 7.0 passes the VMA flags as a vma_flags_t.
 */
static inline struct file *mmfd_shmem_file_setup(struct vfsmount *mnt,
						 const char *name,
						 loff_t size)
{
#if LINUX_VERSION_CODE < KERNEL_VERSION(7, 0, 0)
	return shmem_file_setup_with_mnt(mnt, name, size, VM_NORESERVE);
#else
	return shmem_file_setup_with_mnt(mnt, name, size,
					 mk_vma_flags(VMA_NORESERVE_BIT));
#endif
}

/*
 * Huge PFN mappings: since 6.12, huge_fault takes an order and PFN maps
 * get special PMD entries where the architecture supports them; before,
 * device memory is mapped page by page.  6.17 dropped pfn_t.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0) && \
	IS_ENABLED(CONFIG_ARCH_SUPPORTS_PMD_PFNMAP)
#define MMFD_HUGE_PFNMAP	1
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 17, 0)
#include <linux/pfn_t.h>
#endif

static inline vm_fault_t mmfd_insert_pfn_pmd(struct vm_fault *vmf,
					     unsigned long pfn, bool write)
{
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 17, 0)
	return vmf_insert_pfn_pmd(vmf, __pfn_to_pfn_t(pfn, PFN_DEV), write);
#else
	return vmf_insert_pfn_pmd(vmf, pfn, write);
#endif
}
#endif

/* 6.8 made eventfd_signal() always add one. */
static inline void mmfd_eventfd_signal(struct eventfd_ctx *ctx)
{
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 8, 0)
	eventfd_signal(ctx, 1);
#else
	eventfd_signal(ctx);
#endif
}

/* 6.8 renamed PCI_IRQ_LEGACY to PCI_IRQ_INTX, then dropped the old name. */
#ifndef PCI_IRQ_INTX
#define PCI_IRQ_INTX	PCI_IRQ_LEGACY
#endif

/*
 * The dma-buf symbols live in the DMA_BUF namespace; 6.13 made the
 * namespace of MODULE_IMPORT_NS() a string.
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 13, 0)
#define MMFD_IMPORT_NS_DMA_BUF	MODULE_IMPORT_NS(DMA_BUF)
#else
#define MMFD_IMPORT_NS_DMA_BUF	MODULE_IMPORT_NS("DMA_BUF")
#endif

/*
 * Tell dynamic importers to unmap a dma-buf (its reservation lock held):
 * 7.0 renamed dma_buf_move_notify() to dma_buf_invalidate_mappings().
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(7, 0, 0)
#define mmfd_dma_buf_move_notify(dmabuf)	dma_buf_move_notify(dmabuf)
#else
#define mmfd_dma_buf_move_notify(dmabuf)	dma_buf_invalidate_mappings(dmabuf)
#endif

#endif /* _MMFD_COMPAT_H */
