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
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/pci.h>
#include <linux/string.h>

#include "mmfdev.h"

static char *pci_ids;
module_param(pci_ids, charp, 0444);
MODULE_PARM_DESC(pci_ids,
		 "PCI devices to bind, as vendor:device[,vendor:device...] in hex; more through /sys/bus/pci/drivers/mmfdev/new_id");

static int mmfdev_pci_probe(struct pci_dev *pdev,
			    const struct pci_device_id *id)
{
	struct mmfdev_device *mdev;
	char name[MMFDEV_NAME_MAX];
	int bar, ret;

	ret = pci_enable_device(pdev);
	if (ret)
		return ret;
	ret = pci_request_regions(pdev, "mmfdev");
	if (ret)
		goto disable_device;

	snprintf(name, sizeof(name), "mmfdev-pci-%s", pci_name(pdev));
	mdev = mmfdev_device_alloc(name, PCI_STD_NUM_BARS);
	if (IS_ERR(mdev)) {
		ret = PTR_ERR(mdev);
		goto release_regions;
	}

	for (bar = 0; bar < PCI_STD_NUM_BARS; bar++) {
		struct mmfdev_region *region = &mdev->regions[bar];
		u64 len = pci_resource_len(pdev, bar);
		char rname[8];

		snprintf(rname, sizeof(rname), "bar%d", bar);
		if (len && pci_resource_flags(pdev, bar) & IORESOURCE_MEM) {
			ret = mmfdev_mmio_region_init(region, rname,
						      pci_resource_start(pdev, bar),
						      len, MMFDEV_CLAIM_HELD);
			if (ret)
				goto put_device;
		} else if (len) {
			mmfdev_ioport_region_init(region, rname, len);
		} else {
			mmfdev_empty_region_init(region, rname);
		}
	}

	ret = mmfdev_device_register(mdev);
	if (ret)
		goto put_device;

	pci_set_drvdata(pdev, mdev);
	dev_info(&pdev->dev, "exposed as /dev/%s\n", name);
	return 0;

put_device:
	mmfdev_device_put(mdev);
release_regions:
	pci_release_regions(pdev);
disable_device:
	pci_disable_device(pdev);
	return ret;
}

static void mmfdev_pci_remove(struct pci_dev *pdev)
{
	/* Revokes every mapping before the BARs are given back. */
	mmfdev_device_unregister(pci_get_drvdata(pdev));
	pci_release_regions(pdev);
	pci_disable_device(pdev);
}

static struct pci_driver mmfdev_pci_driver = {
	.name = "mmfdev",
	.probe = mmfdev_pci_probe,
	.remove = mmfdev_pci_remove,
};

/* Add each vendor:device of the pci_ids parameter as a dynamic ID. */
static int mmfdev_pci_add_ids(void)
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
		ret = pci_add_dynid(&mmfdev_pci_driver, vendor, device,
				    PCI_ANY_ID, PCI_ANY_ID, 0, 0, 0);
	}
	kfree(ids);
	return ret;
}

int mmfdev_pci_init(void)
{
	int ret;

	ret = pci_register_driver(&mmfdev_pci_driver);
	if (ret)
		return ret;
	ret = mmfdev_pci_add_ids();
	if (ret)
		pci_unregister_driver(&mmfdev_pci_driver);
	return ret;
}

void mmfdev_pci_exit(void)
{
	pci_unregister_driver(&mmfdev_pci_driver);
}
