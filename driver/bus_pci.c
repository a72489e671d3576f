// SPDX-License-Identifier: GPL-2.0-only
/*
 * mmfdev PCI glue: bind to the PCI devices the user names and expose each
 * BAR as a region, numbered as the BARs are (region i is BAR i; BARs a
 * device does not implement are listed as empty regions so that the
 * numbers still match).  Memory BARs are MMIO regions; I/O BARs are listed
 * but cannot be mapped.
 *
 * Devices are named by the "pci_ids" module parameter or, at any time,
 * through /sys/bus/pci/drivers/mmfdev/new_id.  Each bound device gets the
 * node /dev/mmfdev-pci-DDDD:BB:DD.F.
 *
 * Its interrupts become its first event lines: up to 8 MSI-X or MSI
 * vectors, else INTx, in that order of preference (the "pci_irq"
 * parameter narrows the choice).  INTx is level-triggered and shared: the
 * handler masks it at the device (the command register's INTx disable,
 * as vfio-pci and uio_pci_generic do) when the device says the interrupt
 * is its own, and userspace unmasks it once it has quieted the device.
 * A device that cannot mask INTx that way gets no INTx line.
 *
 * After the BARs come "pci_dma_buffers" free slots for DMA buffers (see
 * dma.c), for the device's DMA mask: the PCI core's default (32 bits)
 * unless "pci_dma_bits" sets another.  A device gets bus mastering when
 * it has a buffer (or MSIs, which are writes too), loses it when it is
 * quiesced (see dma.c; not while files use its MSIs, but at their last
 * close), and is reset when it leaves mmfdev with buffers it may still
 * write, where the function can be reset.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/dma-mapping.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/pci.h>
#include <linux/string.h>

#include "compat.h"
#include "internal.h"

static char *pci_ids;
module_param(pci_ids, charp, 0444);
MODULE_PARM_DESC(pci_ids,
		 "PCI devices to bind, as vendor:device[,vendor:device...] in hex; more through /sys/bus/pci/drivers/mmfdev/new_id");

static char *pci_irq = "msix,msi,intx";
module_param(pci_irq, charp, 0444);
MODULE_PARM_DESC(pci_irq,
		 "Interrupt types PCI devices may use, preferred in the order msix, msi, intx: a list of them, or none (default msix,msi,intx)");

static unsigned int pci_dma_buffers = 4;
module_param(pci_dma_buffers, uint, 0444);
MODULE_PARM_DESC(pci_dma_buffers,
		 "DMA buffers each PCI device may have at once, 0 to 10 (default 4)");

static char *pci_dma_alloc;
module_param(pci_dma_alloc, charp, 0444);
MODULE_PARM_DESC(pci_dma_alloc,
		 "DMA buffers to make for each PCI device when it is bound, kept until it is unbound: kind:size[,kind:size...], kind coherent, streaming or contiguous, size with K, M or G");

static unsigned int pci_dma_bits;
module_param(pci_dma_bits, uint, 0444);
MODULE_PARM_DESC(pci_dma_bits,
		 "Address bits PCI devices can reach by DMA, 8 to 64 (default: the PCI core's, 32)");

#define MMFD_PCI_MAX_VECTORS	8

/* PCI_IRQ_* flags allowed by pci_irq, set at load. */
static unsigned int pci_irq_flags;

static int mmfd_pci_parse_irq(void)
{
	char *list, *cur, *p;
	int ret = 0;

	pci_irq_flags = 0;
	if (!pci_irq || !strcmp(pci_irq, "none"))
		return 0;
	list = kstrdup(pci_irq, GFP_KERNEL);
	if (!list)
		return -ENOMEM;
	cur = list;
	while ((p = strsep(&cur, ","))) {
		if (!strcmp(p, "msix")) {
			pci_irq_flags |= PCI_IRQ_MSIX;
		} else if (!strcmp(p, "msi")) {
			pci_irq_flags |= PCI_IRQ_MSI;
		} else if (!strcmp(p, "intx")) {
			pci_irq_flags |= PCI_IRQ_INTX;
		} else {
			pr_err("pci_irq: '%s' is not msix, msi, intx or none\n",
			       p);
			ret = -EINVAL;
			break;
		}
	}
	kfree(list);
	return ret;
}

static irqreturn_t mmfd_pci_msi_irq(int irq, void *data)
{
	mmfd_event_fire(data, false);
	return IRQ_HANDLED;
}

static irqreturn_t mmfd_pci_intx_irq(int irq, void *data)
{
	struct mmfd_event *ev = data;

	/* Ours only if the device asserts it; then masked at the device. */
	if (!pci_check_and_mask_intx(ev->priv))
		return IRQ_NONE;
	mmfd_event_fire(ev, true);
	return IRQ_HANDLED;
}

static int mmfd_pci_intx_unmask(struct mmfd_event *ev)
{
	/* Still asserted: it stays masked, and that is a new event. */
	return pci_check_and_unmask_intx(ev->priv) ? 0 : 1;
}

static const struct mmfd_event_ops mmfd_pci_intx_ops = {
	.unmask = mmfd_pci_intx_unmask,
};

/* Vectors, as many as the device has and pci_irq allows; 0 if none. */
static int mmfd_pci_alloc_vectors(struct pci_dev *pdev)
{
	unsigned int flags = pci_irq_flags;
	int nvec;

	/* INTx only where it can be masked at the device. */
	if (flags & PCI_IRQ_INTX && (!pdev->irq || !pci_intx_mask_supported(pdev)))
		flags &= ~PCI_IRQ_INTX;
	if (!flags)
		return 0;
	nvec = pci_alloc_irq_vectors(pdev, 1, MMFD_PCI_MAX_VECTORS, flags);
	return nvec > 0 ? nvec : 0;
}

static int mmfd_pci_setup_events(struct pci_dev *pdev,
				 struct mmfd_device *mdev, int nvec)
{
	bool intx = !pdev->msix_enabled && !pdev->msi_enabled;
	const char *kind = pdev->msix_enabled ? "msix" : "msi";
	int i, ret;

	ret = mmfd_events_alloc(mdev, nvec);
	if (ret)
		return ret;
	if (!intx)
		pci_set_master(pdev);

	for (i = 0; i < nvec; i++) {
		struct mmfd_event *ev = &mdev->events[i];
		char name[MMFDEV_NAME_MAX];

		if (intx) {
			mmfd_event_init(ev, MMFDEV_EVENT_KIND_INTX,
					MMFDEV_EVENT_TRIGGER_LEVEL, "intx",
					&mmfd_pci_intx_ops, pdev);
			ret = mmfd_event_request_irq(ev, pdev->irq,
						     mmfd_pci_intx_irq,
						     IRQF_SHARED);
		} else {
			snprintf(name, sizeof(name), "%s%d", kind, i);
			mmfd_event_init(ev, pdev->msix_enabled ?
					MMFDEV_EVENT_KIND_MSIX :
					MMFDEV_EVENT_KIND_MSI,
					MMFDEV_EVENT_TRIGGER_EDGE, name, NULL,
					NULL);
			ret = mmfd_event_request_irq(ev,
						     pci_irq_vector(pdev, i),
						     mmfd_pci_msi_irq, 0);
		}
		if (ret)
			return ret;
	}
	return 0;
}

static void mmfd_pci_dma_start(struct mmfd_device *mdev)
{
	pci_set_master(to_pci_dev(mdev->dma_dev));
}

/*
 * No DMA from now on: bus mastering off, and when the device leaves us,
 * a reset where the function has one (its config space is put back, but
 * for bus mastering).  While files use its MSIs, which need bus
 * mastering, the device is left alone until the last one is closed.
 */
static int mmfd_pci_quiesce(struct mmfd_device *mdev, enum mmfd_quiesce why)
{
	struct pci_dev *pdev = to_pci_dev(mdev->dma_dev);

	if (why == MMFD_QUIESCE_IDLE && (pdev->msi_enabled || pdev->msix_enabled))
		return -EBUSY;
	pci_clear_master(pdev);
	if (why != MMFD_QUIESCE_REMOVE)
		return 0;
	pci_save_state(pdev);
	if (!__pci_reset_function_locked(pdev))
		pci_dbg(pdev, "reset before its DMA buffers are freed\n");
	pci_restore_state(pdev);
	pci_clear_master(pdev);
	return 0;
}

/* The buffers pci_dma_alloc asks for, made before the node appears. */
static int mmfd_pci_dma_alloc(struct pci_dev *pdev, struct mmfd_device *mdev)
{
	char *list, *cur, *spec;
	int ret = 0;

	if (!pci_dma_alloc || !*pci_dma_alloc)
		return 0;
	if (!mdev->dma_dev) {
		pci_err(pdev, "pci_dma_alloc: this device has no DMA slots\n");
		return -EINVAL;
	}
	list = kstrdup(pci_dma_alloc, GFP_KERNEL);
	if (!list)
		return -ENOMEM;
	cur = list;
	while (!ret && (spec = strsep(&cur, ","))) {
		ret = mmfd_dma_alloc_spec(mdev, spec);
		if (ret)
			pci_err(pdev, "pci_dma_alloc: '%s': %d\n", spec, ret);
	}
	kfree(list);
	return ret;
}

static const struct mmfd_bus_ops mmfd_pci_bus_ops = {
	.dma_start = mmfd_pci_dma_start,
	.quiesce = mmfd_pci_quiesce,
};

static int mmfd_pci_probe(struct pci_dev *pdev,
			  const struct pci_device_id *id)
{
	struct mmfd_device *mdev;
	char name[MMFDEV_NAME_MAX];
	int bar, ret, nvec = 0;
	unsigned int dma_slots;

	ret = pci_enable_device(pdev);
	if (ret)
		return ret;
	ret = pci_request_regions(pdev, "mmfdev");
	if (ret)
		goto disable_device;

	/* A mask this kernel cannot serve: the BARs still work, no DMA. */
	dma_slots = pci_dma_buffers;
	if (pci_dma_bits && dma_set_mask_and_coherent(&pdev->dev,
						      DMA_BIT_MASK(pci_dma_bits))) {
		pci_warn(pdev, "no DMA buffers: this kernel cannot serve a %u-bit DMA mask\n",
			 pci_dma_bits);
		dma_slots = 0;
	}

	snprintf(name, sizeof(name), "mmfdev-pci-%s", pci_name(pdev));
	mdev = mmfd_device_alloc(name, PCI_STD_NUM_BARS + dma_slots);
	if (IS_ERR(mdev)) {
		ret = PTR_ERR(mdev);
		goto release_regions;
	}
	if (dma_slots) {
		ret = mmfd_dma_setup(mdev, &pdev->dev, &mmfd_pci_bus_ops,
				     PCI_STD_NUM_BARS);
		if (ret)
			goto remove_device;
	}
	ret = mmfd_pci_dma_alloc(pdev, mdev);
	if (ret)
		goto remove_device;

	for (bar = 0; bar < PCI_STD_NUM_BARS; bar++) {
		struct mmfd_region *region = &mdev->regions[bar];
		u64 len = pci_resource_len(pdev, bar);
		char rname[8];

		snprintf(rname, sizeof(rname), "bar%d", bar);
		if (len && pci_resource_flags(pdev, bar) & IORESOURCE_MEM) {
			ret = mmfd_region_mmio_init(region, rname,
						    pci_resource_start(pdev, bar),
						    len, MMFD_CLAIM_HELD);
			if (ret)
				goto remove_device;
		} else if (len) {
			mmfd_region_ioport_init(region, rname, len);
		} else {
			mmfd_region_empty_init(region, rname);
		}
	}

	nvec = mmfd_pci_alloc_vectors(pdev);
	ret = mmfd_pci_setup_events(pdev, mdev, nvec);
	if (ret)
		goto remove_device;
	/*
	 * Any function can be made to master the bus through its BARs:
	 * only an IOMMU keeps it from the rest of memory.
	 */
	if (mmfd_dma_iommu_translates(&pdev->dev))
		mmfd_trust_set(mdev, MMFD_REACH_ISOLATED, LOCKDOWN_NONE, NULL);
	else
		mmfd_trust_set(mdev, MMFD_REACH_ALL, LOCKDOWN_PCI_ACCESS,
			       "the BARs of a PCI device that no IOMMU isolates");

	ret = mmfd_device_register(mdev);
	if (ret)
		goto remove_device;

	pci_set_drvdata(pdev, mdev);
	dev_info(&pdev->dev, "exposed as /dev/%s, %u event lines\n", name,
		 mdev->nr_events);
	return 0;

remove_device:
	mmfd_device_remove(mdev);
	if (nvec)
		pci_free_irq_vectors(pdev);
release_regions:
	pci_release_regions(pdev);
disable_device:
	pci_disable_device(pdev);
	return ret;
}

static void mmfd_pci_remove(struct pci_dev *pdev)
{
	struct mmfd_device *mdev = pci_get_drvdata(pdev);

	/*
	 * Revokes every mapping before the BARs are given back, wakes every
	 * event waiter, and frees the interrupts before their vectors go.
	 */
	mmfd_device_remove(mdev);
	pci_free_irq_vectors(pdev);
	pci_release_regions(pdev);
	pci_disable_device(pdev);
}

static struct pci_driver mmfd_pci_driver = {
	.name = "mmfdev",
	.probe = mmfd_pci_probe,
	.remove = mmfd_pci_remove,
};

/* Add each vendor:device of the pci_ids parameter as a dynamic ID. */
static int mmfd_pci_add_ids(void)
{
	char *ids, *cur, *p;
	int ret = 0;

	if (!pci_ids || !*pci_ids)
		return 0;
	ids = kstrdup(pci_ids, GFP_KERNEL);
	if (!ids)
		return -ENOMEM;

	cur = ids;
	while ((p = strsep(&cur, ",")) && !ret) {
		unsigned int vendor, device;
		char end;

		if (sscanf(p, "%x:%x%c", &vendor, &device, &end) != 2 ||
		    vendor > 0xffff || device > 0xffff) {
			pr_err("pci_ids: '%s' is not vendor:device in hex\n", p);
			ret = -EINVAL;
			break;
		}
		ret = pci_add_dynid(&mmfd_pci_driver, vendor, device,
				    PCI_ANY_ID, PCI_ANY_ID, 0, 0, 0);
	}
	kfree(ids);
	return ret;
}

int mmfd_bus_pci_init(void)
{
	int ret;

	ret = mmfd_pci_parse_irq();
	if (ret)
		return ret;
	if (pci_dma_buffers > MMFD_MAX_REGIONS - PCI_STD_NUM_BARS ||
	    (pci_dma_bits && (pci_dma_bits < 8 || pci_dma_bits > 64))) {
		pr_err("pci_dma_buffers must be 0 to %d, pci_dma_bits 8 to 64\n",
		       MMFD_MAX_REGIONS - PCI_STD_NUM_BARS);
		return -EINVAL;
	}
	ret = pci_register_driver(&mmfd_pci_driver);
	if (ret)
		return ret;
	ret = mmfd_pci_add_ids();
	if (ret)
		pci_unregister_driver(&mmfd_pci_driver);
	return ret;
}

void mmfd_bus_pci_exit(void)
{
	pci_unregister_driver(&mmfd_pci_driver);
}
