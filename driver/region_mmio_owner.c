// SPDX-License-Identifier: GPL-2.0-only
/*
 * mmfdev shared ranges: say in the kernel log which driver holds a range
 * that mmfdev maps without requesting it.
 *
 * The resource tree knows which part of the range is busy, but its names
 * may only be read under resource_lock, which the kernel keeps to itself:
 * a name read without it can be freed under us when its driver lets go.
 * So the tree is asked only what walk_iomem_res_desc() copies out under
 * that lock (where the first busy part is, no name), and the name comes
 * from the device model: the owner is the bound device, on the platform,
 * AMBA or PCI bus, whose own memory resource holds that busy part most
 * tightly.
 *
 * bus_for_each_dev() holds a reference on each device it visits, so the
 * device, its resources and its name stay.  Its driver is read under
 * device_trylock(): while the lock is held the driver cannot be unbound,
 * so neither it nor its module (and so its name) can go away.  A device
 * whose lock is taken is probing or unbinding, and is passed over rather
 * than waited for, so there is no lock order against our own probe, which
 * holds our device's lock.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/amba/bus.h>
#include <linux/device.h>
#include <linux/ioport.h>
#include <linux/limits.h>
#include <linux/minmax.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/platform_device.h>
#include <linux/string.h>

#include "internal.h"

struct mmfd_owner {
	struct device *self;	/* the device that shares: never the owner */
	u64 last;		/* last byte of the range looked at */
	bool busy;		/* some driver holds part of the range ... */
	u64 held_start;		/* ... at least this part */
	u64 held_end;
	bool named;		/* a bound device holds that part ... */
	u64 best;		/* ... in a resource of this size - 1 */
	char driver[MMFDEV_NAME_MAX];
	char device[2 * MMFDEV_NAME_MAX];
};

/* walk_iomem_res_desc() callback: keep the first busy part of the range. */
static int owner_busy(struct resource *res, void *arg)
{
	struct mmfd_owner *o = arg;

	/* The walk looks one byte past the range: see owner_find(). */
	if (res->start > o->last)
		return 0;
	o->busy = true;
	o->held_start = res->start;
	o->held_end = min_t(u64, res->end, o->last);
	return 1;
}

/* Is @res a memory resource of @dev holding the busy part, and tighter? */
static void owner_consider(struct mmfd_owner *o, struct device *dev,
			   const struct resource *res)
{
	const struct device_driver *drv;
	u64 span;

	if (dev == o->self || resource_type(res) != IORESOURCE_MEM ||
	    res->start > o->held_start || res->end < o->held_end)
		return;
	span = res->end - res->start;
	if (o->named && span >= o->best)
		return;
	if (!device_trylock(dev))
		return;
	drv = dev->driver;
	/* Another mmfdev device that shares the range is not its owner. */
	if (drv && drv->owner != THIS_MODULE) {
		strscpy(o->driver, drv->name, sizeof(o->driver));
		strscpy(o->device, dev_name(dev), sizeof(o->device));
		o->best = span;
		o->named = true;
	}
	device_unlock(dev);
}

static int owner_platform_dev(struct device *dev, void *arg)
{
	struct platform_device *pdev = to_platform_device(dev);
	unsigned int i;

	for (i = 0; i < pdev->num_resources; i++)
		owner_consider(arg, dev, &pdev->resource[i]);
	return 0;
}

static int owner_amba_dev(struct device *dev, void *arg)
{
	owner_consider(arg, dev, &to_amba_device(dev)->res);
	return 0;
}

static int owner_pci_dev(struct device *dev, void *arg)
{
	struct pci_dev *pdev = to_pci_dev(dev);
	int bar;

	for (bar = 0; bar < PCI_STD_NUM_BARS; bar++)
		owner_consider(arg, dev, &pdev->resource[bar]);
	return 0;
}

static void owner_find(struct mmfd_owner *o, u64 start)
{
	/*
	 * The walk wants start < end: look one byte further (a one-byte
	 * range has start == last), and owner_busy() ignores that byte.
	 */
	u64 end = o->last < U64_MAX ? o->last + 1 : o->last;

	walk_iomem_res_desc(IORES_DESC_NONE, IORESOURCE_MEM | IORESOURCE_BUSY,
			    start, end, o, owner_busy);
	if (!o->busy)
		return;

	bus_for_each_dev(&platform_bus_type, NULL, o, owner_platform_dev);
	if (IS_ENABLED(CONFIG_ARM_AMBA))
		bus_for_each_dev(&amba_bustype, NULL, o, owner_amba_dev);
	if (IS_ENABLED(CONFIG_PCI))
		bus_for_each_dev(&pci_bus_type, NULL, o, owner_pci_dev);
}

/**
 * mmfd_mmio_owner_report() - log the one line that says a range is shared
 * @dev:	the device that shares it, for the log's prefix and so as
 *		not to name it its own owner; NULL for the phys parameter
 * @name:	region name
 * @phys:	physical address
 * @size:	size in bytes, not 0, with @phys + @size - 1 not wrapping
 *
 * The line names the driver (and the device) that holds the first busy
 * part of the range, says "owner unknown" when something holds it that
 * is not a bound device mmfdev can find (e.g. an arch timer), or says
 * that no driver holds it now.
 */
void mmfd_mmio_owner_report(struct device *dev, const char *name,
			    phys_addr_t phys, u64 size)
{
	struct resource range = DEFINE_RES_MEM(phys, size);
	struct mmfd_owner o = {
		.self = dev,
		.last = (u64)phys + (size - 1),
	};
	char how[3 * MMFDEV_NAME_MAX + 32];

	owner_find(&o, phys);
	if (!o.busy)
		strscpy(how, "(no driver holds it now)", sizeof(how));
	else if (o.named)
		snprintf(how, sizeof(how), "with its owner \"%s\" (%s)",
			 o.driver, o.device);
	else
		strscpy(how, "with its owner (owner unknown)", sizeof(how));

	if (dev)
		dev_info(dev, "%s: sharing %pR %s\n", name, &range, how);
	else
		pr_info("%s: sharing %pR %s\n", name, &range, how);
}
