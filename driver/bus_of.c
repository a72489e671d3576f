// SPDX-License-Identifier: GPL-2.0-only
/*
 * mmfdev device-tree glue: a node compatible with "mmfdev,device" becomes
 * the device /dev/mmfdev-<platform device name> (for a node mmfdev@9030000
 * at the root: /dev/mmfdev-9030000.mmfdev), with these regions, in order:
 *
 *  - one MMIO region per "reg" entry, named by "reg-names" (else "regN");
 *  - one reserved-memory region per "memory-region" phandle, named by
 *    "memory-region-names" (else the reserved-memory node's name), but
 *    for a "shared-dma-pool", which is where the node's coherent DMA
 *    buffers come from instead;
 *
 *  - "mmfdev,dma-buffers" free slots for DMA buffers (see dma.c), whose
 *    addresses follow the node's dma-ranges and IOMMU: the device reaches
 *    what its bus's dma-ranges cover, or "mmfdev,dma-bits" bits if the
 *    node narrows it, and the buffers "mmfdev,dma-alloc" lists
 *    ("coherent:64K", ...) made at probe time, kept until the node goes;
 *
 * and one event line per "interrupts" entry (irq0, irq1, ...) before the
 * doorbells.  A level-triggered interrupt is masked at the interrupt
 * controller when it fires, until userspace unmasks the line.
 *
 * The "reg" windows are requested, and the node does not probe if a
 * driver holds one, unless the node has the boolean property
 * "mmfdev,shared": then they are shared with their owner (see
 * region_mmio.c), each with one line in the log that names it.
 *
 * The binding is documented in dts/mmfdev.yaml; dts/ also has an overlay
 * for the Raspberry Pi 5.
 */
#include <linux/dma-mapping.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/mod_devicetable.h>
#include <linux/module.h>
#include <linux/of.h>
#include <linux/of_reserved_mem.h>
#include <linux/platform_device.h>
#include <linux/string.h>

#include "compat.h"
#include "internal.h"

static int mmfd_of_add_reg(struct platform_device *pdev,
			   struct mmfd_region *region, unsigned int i,
			   bool shared)
{
	struct resource *res;
	const char *name;
	char buf[MMFDEV_NAME_MAX];
	int ret;

	res = platform_get_resource(pdev, IORESOURCE_MEM, i);
	if (!res)
		return -EINVAL;
	if (of_property_read_string_index(pdev->dev.of_node, "reg-names", i,
					  &name)) {
		snprintf(buf, sizeof(buf), "reg%u", i);
		name = buf;
	}
	ret = mmfd_region_mmio_init(region, name, res->start,
				    resource_size(res),
				    shared ? MMFD_CLAIM_SHARE :
					     MMFD_CLAIM_OWN);
	if (!ret && shared)
		mmfd_mmio_owner_report(&pdev->dev, name, res->start,
				       resource_size(res));
	return ret;
}

/* Is memory-region @i of @np a DMA pool for the node's buffers? */
static bool mmfd_of_rmem_is_pool(struct device_node *np, unsigned int i)
{
	struct device_node *rnp = of_parse_phandle(np, "memory-region", i);
	bool pool = rnp && of_device_is_compatible(rnp, "shared-dma-pool");

	of_node_put(rnp);
	return pool;
}

static int mmfd_of_add_rmem(struct platform_device *pdev,
			    struct mmfd_region *region, unsigned int i)
{
	struct device_node *np = pdev->dev.of_node, *rnp;
	struct reserved_mem *rmem;
	const char *name;

	rnp = of_parse_phandle(np, "memory-region", i);
	if (!rnp)
		return -EINVAL;
	rmem = of_reserved_mem_lookup(rnp);
	if (!rmem) {
		of_node_put(rnp);
		return -EINVAL;
	}
	if (of_property_read_string_index(np, "memory-region-names", i, &name))
		name = rnp->name;
	of_node_put(rnp);
	return mmfd_region_reserved_init(region, name, rmem->base,
					 rmem->size);
}

static irqreturn_t mmfd_of_edge_irq(int irq, void *data)
{
	mmfd_event_fire(data, false);
	return IRQ_HANDLED;
}

/* A level line stays masked at the controller until userspace unmasks. */
static irqreturn_t mmfd_of_level_irq(int irq, void *data)
{
	disable_irq_nosync(irq);
	mmfd_event_fire(data, true);
	return IRQ_HANDLED;
}

static int mmfd_of_unmask(struct mmfd_event *ev)
{
	enable_irq(ev->irq);
	return 0;
}

static const struct mmfd_event_ops mmfd_of_level_ops = {
	.unmask = mmfd_of_unmask,
};

/* One event line per "interrupts" entry, named irq0, irq1, ... */
static int mmfd_of_setup_events(struct platform_device *pdev,
				struct mmfd_device *mdev)
{
	int nr, i, ret;

	nr = platform_irq_count(pdev);
	if (nr < 0)
		return nr;
	ret = mmfd_events_alloc(mdev, nr);
	if (ret)
		return ret;
	for (i = 0; i < nr; i++) {
		struct mmfd_event *ev = &mdev->events[i];
		char name[MMFDEV_NAME_MAX];
		bool level;
		int irq;

		irq = platform_get_irq(pdev, i);
		if (irq < 0)
			return irq;
		level = irq_get_trigger_type(irq) & IRQ_TYPE_LEVEL_MASK;
		snprintf(name, sizeof(name), "irq%d", i);
		mmfd_event_init(ev, MMFDEV_EVENT_KIND_IRQ,
				level ? MMFDEV_EVENT_TRIGGER_LEVEL :
					MMFDEV_EVENT_TRIGGER_EDGE,
				name, level ? &mmfd_of_level_ops : NULL,
				NULL);
		ret = mmfd_event_request_irq(ev, irq, level ?
					     mmfd_of_level_irq :
					     mmfd_of_edge_irq, 0);
		if (ret)
			return ret;
	}
	return 0;
}

/* DMA slots the node asks for, its mask narrowed as it says. */
static int mmfd_of_dma_slots(struct platform_device *pdev, unsigned int used)
{
	struct device_node *np = pdev->dev.of_node;
	u32 slots = 0, bits;
	int ret;

	of_property_read_u32(np, "mmfdev,dma-buffers", &slots);
	if (!slots)
		return 0;
	if (slots > MMFD_MAX_REGIONS - used)
		return dev_err_probe(&pdev->dev, -EINVAL,
				     "mmfdev,dma-buffers: at most %u here\n",
				     MMFD_MAX_REGIONS - used);
	/* As far as the bus's dma-ranges reach (bus_dma_limit), by default. */
	ret = dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(64));
	if (ret)
		return dev_err_probe(&pdev->dev, ret, "DMA mask\n");
	if (!of_property_read_u32(np, "mmfdev,dma-bits", &bits)) {
		if (bits < 8 || bits > 64)
			return dev_err_probe(&pdev->dev, -EINVAL,
					     "mmfdev,dma-bits: 8 to 64\n");
		ret = dma_set_mask_and_coherent(&pdev->dev,
						min(dma_get_mask(&pdev->dev),
						    DMA_BIT_MASK(bits)));
		if (ret)
			return dev_err_probe(&pdev->dev, ret,
					     "mmfdev,dma-bits\n");
	}
	return slots;
}

/*
 * The node's memory-regions: "shared-dma-pool" ones become the pool its
 * coherent DMA buffers come from (at most one: the kernel gives a device
 * one pool); the others are regions.  Returns how many are regions, or a
 * negative errno.
 */
static int mmfd_of_count_rmem(struct platform_device *pdev, bool *pool)
{
	struct device_node *np = pdev->dev.of_node;
	int nr, i, regions = 0, ret;

	*pool = false;
	nr = of_count_phandle_with_args(np, "memory-region", NULL);
	for (i = 0; i < nr; i++) {
		if (!mmfd_of_rmem_is_pool(np, i)) {
			regions++;
			continue;
		}
		if (*pool) {
			of_reserved_mem_device_release(&pdev->dev);
			return dev_err_probe(&pdev->dev, -EINVAL,
					     "one shared-dma-pool at most\n");
		}
		ret = of_reserved_mem_device_init_by_idx(&pdev->dev, np, i);
		if (ret)
			return dev_err_probe(&pdev->dev, ret,
					     "memory-region %d\n", i);
		*pool = true;
	}
	return regions;
}

/* The buffers "mmfdev,dma-alloc" asks for, made before the node appears. */
static int mmfd_of_dma_alloc(struct platform_device *pdev,
			     struct mmfd_device *mdev)
{
	struct device_node *np = pdev->dev.of_node;
	const char *spec;
	int i, nr, ret;

	nr = of_property_count_strings(np, "mmfdev,dma-alloc");
	if (nr > 0 && !mdev->dma_dev)
		return dev_err_probe(&pdev->dev, -EINVAL,
				     "mmfdev,dma-alloc needs mmfdev,dma-buffers\n");
	for (i = 0; i < nr; i++) {
		of_property_read_string_index(np, "mmfdev,dma-alloc", i, &spec);
		ret = mmfd_dma_alloc_spec(mdev, spec);
		if (ret)
			return dev_err_probe(&pdev->dev, ret,
					     "mmfdev,dma-alloc '%s'\n", spec);
	}
	return 0;
}

/*
 * A node that does DMA (it has DMA buffers, or says "mmfdev,bus-master")
 * reaches what its IOMMU lets it, or all of memory without one.  One that
 * does not reaches its registers and memory, which lockdown still refuses
 * where another driver holds them ("mmfdev,shared").
 */
static void mmfd_of_set_trust(struct platform_device *pdev,
			      struct mmfd_device *mdev, unsigned int nr_dma,
			      bool shared)
{
	bool master = nr_dma ||
		      of_property_read_bool(pdev->dev.of_node,
					    "mmfdev,bus-master");

	if (master && !mmfd_dma_iommu_translates(&pdev->dev))
		mmfd_trust_set(mdev, MMFD_REACH_ALL, LOCKDOWN_DEV_MEM,
			       "a bus master that no IOMMU isolates");
	else if (shared)
		mmfd_trust_set(mdev, master ? MMFD_REACH_ISOLATED :
			       MMFD_REACH_CONTAINED, LOCKDOWN_DEV_MEM,
			       "ranges another driver holds (mmfdev,shared)");
	else
		mmfd_trust_set(mdev, master ? MMFD_REACH_ISOLATED :
			       MMFD_REACH_CONTAINED, LOCKDOWN_NONE, NULL);
}

static int mmfd_of_probe(struct platform_device *pdev)
{
	struct device_node *np = pdev->dev.of_node;
	bool shared = of_property_read_bool(np, "mmfdev,shared");
	unsigned int nr_reg = 0, nr_rmem, nr_dma, i, r;
	struct mmfd_device *mdev;
	char name[MMFDEV_NAME_MAX];
	bool pool;
	int ret;

	while (platform_get_resource(pdev, IORESOURCE_MEM, nr_reg))
		nr_reg++;
	ret = mmfd_of_count_rmem(pdev, &pool);
	if (ret < 0)
		return ret;
	nr_rmem = ret;
	ret = mmfd_of_dma_slots(pdev, nr_reg + nr_rmem);
	if (ret < 0)
		goto release_pool;
	nr_dma = ret;

	snprintf(name, sizeof(name), "mmfdev-%s", dev_name(&pdev->dev));
	mdev = mmfd_device_alloc(name, nr_reg + nr_rmem + nr_dma);
	if (IS_ERR(mdev)) {
		ret = dev_err_probe(&pdev->dev, PTR_ERR(mdev),
				    "needs 1 to %d regions\n",
				    MMFD_MAX_REGIONS);
		goto release_pool;
	}
	if (nr_dma) {
		ret = mmfd_dma_setup(mdev, &pdev->dev, NULL, nr_reg + nr_rmem);
		if (ret)
			goto remove_device;
	}

	for (i = 0; i < nr_reg; i++) {
		ret = mmfd_of_add_reg(pdev, &mdev->regions[i], i, shared);
		if (ret) {
			dev_err(&pdev->dev, "reg %u: %d\n", i, ret);
			goto remove_device;
		}
	}
	for (i = 0, r = nr_reg; r < nr_reg + nr_rmem; i++) {
		if (mmfd_of_rmem_is_pool(np, i))
			continue;
		ret = mmfd_of_add_rmem(pdev, &mdev->regions[r++], i);
		if (ret) {
			dev_err(&pdev->dev, "memory-region %u: %d\n", i, ret);
			goto remove_device;
		}
	}

	ret = mmfd_of_dma_alloc(pdev, mdev);
	if (ret)
		goto remove_device;

	ret = mmfd_of_setup_events(pdev, mdev);
	if (ret) {
		dev_err_probe(&pdev->dev, ret, "interrupts\n");
		goto remove_device;
	}
	mmfd_of_set_trust(pdev, mdev, nr_dma, shared);

	ret = mmfd_device_register(mdev);
	if (ret)
		goto remove_device;

	platform_set_drvdata(pdev, mdev);
	dev_info(&pdev->dev, "exposed as /dev/%s, %u event lines\n", name,
		 mdev->nr_events);
	return 0;

remove_device:
	mmfd_device_remove(mdev);
release_pool:
	if (pool)
		of_reserved_mem_device_release(&pdev->dev);
	return ret;
}

static void mmfd_of_remove(struct platform_device *pdev)
{
	struct mmfd_device *mdev = platform_get_drvdata(pdev);

	/* Waiters are woken first; the handlers' lines outlive the irqs. */
	mmfd_device_remove(mdev);
	/* The pool goes after the buffers it gave (none if never assigned). */
	of_reserved_mem_device_release(&pdev->dev);
}

static const struct of_device_id mmfd_of_match[] = {
	{ .compatible = "mmfdev,device" },
	{ }
};
MODULE_DEVICE_TABLE(of, mmfd_of_match);

static struct platform_driver mmfd_platform_driver = {
	.probe = mmfd_of_probe,
	.MMFD_PLATFORM_REMOVE = mmfd_of_remove,
	.driver = {
		.name = "mmfdev",
		.of_match_table = mmfd_of_match,
	},
};

int mmfd_bus_of_init(void)
{
	return platform_driver_register(&mmfd_platform_driver);
}

void mmfd_bus_of_exit(void)
{
	platform_driver_unregister(&mmfd_platform_driver);
}
