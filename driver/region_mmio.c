// SPDX-License-Identifier: GPL-2.0-only
/*
 * mmfdev MMIO regions (registers, PCI BARs), a region kind; and the
 * mmfd_phys_* operations that it shares with the reserved-memory kind
 * (region_reserved.c), both being physical ranges.
 *
 * Physical regions may go away with their bus, so user mappings are filled
 * one page per fault (see core.c); the core checks that the device is
 * still there first.
 *
 * MMIO is reached through sized accesses only: pread()/pwrite() do one
 * readb/w/l/q or writeb/w/l/q; a region smaller than a page, or not
 * page-aligned, is never mapped, since a mapping covers whole pages and
 * would expose whatever registers share them.
 *
 * An MMIO range is requested (and refused if a driver holds it), unless
 * the user opted in to share it with its owner: then it is never
 * requested, whether or not a driver holds it now, so that a driver that
 * probes later still gets it; it is only mapped, and flagged
 * MMFDEV_REGION_FLAG_SHARED.  Sharing never reaches System RAM.
 * region_mmio_owner.c names that owner in the log.
 */
#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "compat.h"
#include "internal.h"

static bool phys_mappable(phys_addr_t phys, u64 size)
{
	return PAGE_ALIGNED(phys) && PAGE_ALIGNED(size) && size;
}

/* The region's mmap operation: pages come at fault time. */
int mmfd_phys_mmap(struct mmfd_region *region, struct vm_area_struct *vma,
		   unsigned long pgoff)
{
	vm_flags_set(vma, VM_IO | VM_PFNMAP);
	return 0;
}

/*
 * Pages filled per fault: the faulting one and those after it in the VMA,
 * so that a sweep over a BAR takes a fault per 16 pages, not per page.
 */
#define MMFD_FAULT_AROUND	16

vm_fault_t mmfd_phys_fault(struct mmfd_region *region, struct vm_fault *vmf,
			   unsigned long pgoff)
{
	struct vm_area_struct *vma = vmf->vma;
	struct mmfd_phys *p = region->priv;
	unsigned long addr = vmf->address & PAGE_MASK;
	unsigned long pfn = PHYS_PFN(p->phys) + pgoff;
	vm_fault_t ret;
	int i;

	ret = vmf_insert_pfn_prot(vma, addr, pfn, vma->vm_page_prot);
	if (ret != VM_FAULT_NOPAGE)
		return ret;

	/* The rest is a bonus: stop at the first page that will not go in. */
	for (i = 1; i < MMFD_FAULT_AROUND; i++) {
		addr += PAGE_SIZE;
		if (addr >= vma->vm_end ||
		    vmf_insert_pfn_prot(vma, addr, pfn + i, vma->vm_page_prot) !=
		    VM_FAULT_NOPAGE)
			break;
	}
	return VM_FAULT_NOPAGE;
}

#ifdef MMFD_HUGE_PFNMAP
/* One PMD entry, when the physical address is PMD-aligned too. */
vm_fault_t mmfd_phys_huge_fault(struct mmfd_region *region,
				struct vm_fault *vmf, unsigned long pgoff)
{
	struct mmfd_phys *p = region->priv;
	unsigned long pfn = PHYS_PFN(p->phys) + pgoff;

	if (!IS_ALIGNED(pfn, PMD_SIZE >> PAGE_SHIFT))
		return VM_FAULT_FALLBACK;
	return mmfd_insert_pfn_pmd(vmf, pfn,
				   vmf->flags & FAULT_FLAG_WRITE);
}
#endif

/* Unmap the range and give it back if we requested it. */
void mmfd_phys_release(struct mmfd_region *region)
{
	struct mmfd_phys *p = region->priv;

	if (p->io)
		iounmap(p->io);
	if (p->mem)
		memunmap(p->mem);
	if (p->claimed)
		release_mem_region(p->phys, region->size);
	kfree(p);
	region->priv = NULL;
}

static int mmio_read(struct mmfd_region *region, void *buf, size_t len,
		     u64 off)
{
	struct mmfd_phys *p = region->priv;
	void __iomem *addr = p->io + off;

	switch (len) {
	case 1:
		*(u8 *)buf = readb(addr);
		break;
	case 2:
		*(u16 *)buf = readw(addr);
		break;
	case 4:
		*(u32 *)buf = readl(addr);
		break;
#ifdef CONFIG_64BIT
	case 8:
		*(u64 *)buf = readq(addr);
		break;
#endif
	}
	return 0;
}

static int mmio_write(struct mmfd_region *region, const void *buf,
		      size_t len, u64 off)
{
	struct mmfd_phys *p = region->priv;
	void __iomem *addr = p->io + off;

	switch (len) {
	case 1:
		writeb(*(const u8 *)buf, addr);
		break;
	case 2:
		writew(*(const u16 *)buf, addr);
		break;
	case 4:
		writel(*(const u32 *)buf, addr);
		break;
#ifdef CONFIG_64BIT
	case 8:
		writeq(*(const u64 *)buf, addr);
		break;
#endif
	}
	return 0;
}

static int mmio_sync(struct mmfd_region *region)
{
	/* Posted writes from mappings and pwrite() leave the CPU in order. */
	wmb();
	return 0;
}

static const struct mmfd_region_ops mmio_ops = {
	MMFD_PHYS_REGION_OPS,
	.read = mmio_read,
	.write = mmio_write,
	.sync = mmio_sync,
};

/*
 * Write-combining through a fault-time mapping needs a platform that takes
 * the cache attribute from the page table.  x86 takes it from the memory
 * type the kernel's own mapping registered (PAT), which is uncached for
 * MMIO, so it would quietly give UC: do not offer WC there.
 */
static u32 mmio_cache_modes(void)
{
	u32 modes = MMFDEV_CACHE_BIT(MMFDEV_CACHE_UC);

	if (!IS_ENABLED(CONFIG_X86))
		modes |= MMFDEV_CACHE_BIT(MMFDEV_CACHE_WC);
	return modes;
}

/* What a physical kind fills in after its own fields: size, name, MMAP. */
void mmfd_phys_region_fill(struct mmfd_region *region, const char *name,
			   u64 size, struct mmfd_phys *p)
{
	region->size = size;
	region->priv = p;
	strscpy(region->name, name, sizeof(region->name));
	if (phys_mappable(p->phys, size))
		region->flags |= MMFDEV_REGION_FLAG_MMAP;
}

/**
 * mmfd_region_mmio_init() - make @region a window on device registers
 * @region:	an unused slot of a device's region table
 * @name:	region name
 * @phys:	physical address
 * @size:	size in bytes; a sub-page or unaligned window is not mappable
 * @claim:	MMFD_CLAIM_OWN to request the range (and fail if someone
 *		has it), MMFD_CLAIM_HELD when the bus glue already holds it
 *		(PCI), MMFD_CLAIM_SHARE to map it without requesting it
 *
 * Return: 0, -EINVAL (bad size, or a shared range over System RAM), -EBUSY
 * (someone else owns the range) or -ENOMEM.
 */
int mmfd_region_mmio_init(struct mmfd_region *region, const char *name,
			  phys_addr_t phys, u64 size,
			  enum mmfd_claim claim)
{
	struct mmfd_phys *p;
	int ret;

	if (!size || size > MMFD_REGION_MAX_SIZE)
		return -EINVAL;

	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	p->phys = phys;

	switch (claim) {
	case MMFD_CLAIM_OWN:
		ret = -EBUSY;
		if (!request_mem_region(phys, size, "mmfdev"))
			goto free_phys;
		p->claimed = true;
		break;
	case MMFD_CLAIM_SHARE:
		/* No request keeps the kernel off its own memory: refuse it. */
		ret = -EINVAL;
		if (region_intersects(phys, size, IORESOURCE_SYSTEM_RAM,
				      IORES_DESC_NONE) != REGION_DISJOINT)
			goto free_phys;
		break;
	case MMFD_CLAIM_HELD:
		break;
	}

	ret = -ENOMEM;
	p->io = ioremap(phys, size);
	if (!p->io)
		goto release_resource;

	region->ops = &mmio_ops;
	region->kind = MMFDEV_REGION_KIND_MMIO;
	region->flags = MMFDEV_REGION_FLAG_READ | MMFDEV_REGION_FLAG_WRITE |
			MMFDEV_REGION_FLAG_SIZED;
	region->cache_modes = mmio_cache_modes();
	region->cache_default = MMFDEV_CACHE_UC;
	if (claim == MMFD_CLAIM_SHARE)
		region->flags |= MMFDEV_REGION_FLAG_SHARED;
	mmfd_phys_region_fill(region, name, size, p);
	return 0;

release_resource:
	if (p->claimed)
		release_mem_region(phys, size);
free_phys:
	kfree(p);
	return ret;
}
