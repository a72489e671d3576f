// SPDX-License-Identifier: GPL-2.0-only
/*
 * mmfdev device-tree glue: a node compatible with "mmfdev,device" becomes
 * the device /dev/mmfdev-<platform device name> (for a node mmfdev@9030000
 * at the root: /dev/mmfdev-9030000.mmfdev), with these regions, in order:
 *
 *  - one MMIO region per "reg" entry, named by "reg-names" (else "regN");
 *  - one reserved-memory region per "memory-region" phandle, named by
 *    "memory-region-names" (else the reserved-memory node's name).
 *
 * The "reg" windows are requested, and the node does not probe if a
 * driver holds one, unless the node has the boolean property
 * "mmfdev,shared": then they are shared with their owner (see mmio.c),
 * each with one line in the log that names it.
 *
 * The binding is documented in dts/mmfdev.yaml; dts/ also has an overlay
 * for the Raspberry Pi 5.
 */
#include <linux/mod_devicetable.h>
#include <linux/module.h>
#include <linux/of.h>
#include <linux/of_reserved_mem.h>
#include <linux/platform_device.h>
#include <linux/string.h>

#include "compat.h"
#include "mmfdev.h"

static int mmfdev_of_add_reg(struct platform_device *pdev,
			     struct mmfdev_region *region, unsigned int i,
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
	ret = mmfdev_mmio_region_init(region, name, res->start,
				      resource_size(res),
				      shared ? MMFDEV_CLAIM_SHARE :
					       MMFDEV_CLAIM_OWN);
	if (!ret && shared)
		mmfdev_shared_report(&pdev->dev, name, res->start,
				     resource_size(res));
	return ret;
}

static int mmfdev_of_add_rmem(struct platform_device *pdev,
			      struct mmfdev_region *region, unsigned int i)
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
	return mmfdev_reserved_region_init(region, name, rmem->base,
					   rmem->size);
}

static int mmfdev_of_probe(struct platform_device *pdev)
{
	struct device_node *np = pdev->dev.of_node;
	bool shared = of_property_read_bool(np, "mmfdev,shared");
	unsigned int nr_reg = 0, nr_rmem, i;
	struct mmfdev_device *mdev;
	char name[MMFDEV_NAME_MAX];
	int ret;

	while (platform_get_resource(pdev, IORESOURCE_MEM, nr_reg))
		nr_reg++;
	ret = of_count_phandle_with_args(np, "memory-region", NULL);
	nr_rmem = ret > 0 ? ret : 0;

	snprintf(name, sizeof(name), "mmfdev-%s", dev_name(&pdev->dev));
	mdev = mmfdev_device_alloc(name, nr_reg + nr_rmem);
	if (IS_ERR(mdev))
		return dev_err_probe(&pdev->dev, PTR_ERR(mdev),
				     "needs 1 to %d regions\n",
				     MMFDEV_MAX_REGIONS);

	for (i = 0; i < nr_reg; i++) {
		ret = mmfdev_of_add_reg(pdev, &mdev->regions[i], i, shared);
		if (ret) {
			dev_err(&pdev->dev, "reg %u: %d\n", i, ret);
			goto put_device;
		}
	}
	for (i = 0; i < nr_rmem; i++) {
		ret = mmfdev_of_add_rmem(pdev, &mdev->regions[nr_reg + i], i);
		if (ret) {
			dev_err(&pdev->dev, "memory-region %u: %d\n", i, ret);
			goto put_device;
		}
	}

	ret = mmfdev_device_register(mdev);
	if (ret)
		goto put_device;

	platform_set_drvdata(pdev, mdev);
	dev_info(&pdev->dev, "exposed as /dev/%s\n", name);
	return 0;

put_device:
	mmfdev_device_put(mdev);
	return ret;
}

static void mmfdev_of_remove(struct platform_device *pdev)
{
	mmfdev_device_unregister(platform_get_drvdata(pdev));
}

static const struct of_device_id mmfdev_of_match[] = {
	{ .compatible = "mmfdev,device" },
	{ }
};
MODULE_DEVICE_TABLE(of, mmfdev_of_match);

static struct platform_driver mmfdev_platform_driver = {
	.probe = mmfdev_of_probe,
	.MMFDEV_PLATFORM_REMOVE = mmfdev_of_remove,
	.driver = {
		.name = "mmfdev",
		.of_match_table = mmfdev_of_match,
	},
};

int mmfdev_platform_init(void)
{
	return platform_driver_register(&mmfdev_platform_driver);
}

void mmfdev_platform_exit(void)
{
	platform_driver_unregister(&mmfdev_platform_driver);
}
