// SPDX-License-Identifier: GPL-2.0-only
/*
 * mmfdev module init and exit: set up the core, then each bus glue (the
 * default RAM device, the "phys" parameter, device tree, PCI), and take
 * them down in the reverse order.
 */
#include <linux/init.h>
#include <linux/module.h>

#include "internal.h"

static int __init mmfd_init(void)
{
	int ret;

	ret = mmfd_core_init();
	if (ret)
		return ret;
	ret = mmfd_bus_ram_init();
	if (ret)
		goto exit_core;
	ret = mmfd_bus_param_init();
	if (ret)
		goto exit_bus_ram;
	ret = mmfd_bus_of_init();
	if (ret)
		goto exit_bus_param;
	ret = mmfd_bus_pci_init();
	if (ret)
		goto exit_bus_of;
	return 0;

exit_bus_of:
	mmfd_bus_of_exit();
exit_bus_param:
	mmfd_bus_param_exit();
exit_bus_ram:
	mmfd_bus_ram_exit();
exit_core:
	mmfd_region_ram_exit();
	mmfd_core_exit();
	return ret;
}
module_init(mmfd_init);

static void __exit mmfd_exit(void)
{
	mmfd_bus_pci_exit();
	mmfd_bus_of_exit();
	mmfd_bus_param_exit();
	mmfd_bus_ram_exit();
	mmfd_region_ram_exit();
	mmfd_core_exit();
}
module_exit(mmfd_exit);

MODULE_DESCRIPTION("Map device memory into userspace");
MODULE_AUTHOR("The mmfdev developers");
MODULE_LICENSE("GPL");
