// SPDX-License-Identifier: GPL-2.0-only
/*
 * mmfdev physical regions by module parameter, for boards where the user
 * cannot change the device tree:
 *
 *	phys=NAME:ADDRESS:SIZE[:shared][,NAME:ADDRESS:SIZE[:shared]...]
 *
 * e.g. phys=regs:0xfe200000:0x4000.  They become MMIO regions of the
 * device /dev/mmfdev-phys, in the order given.  A range that overlaps
 * System RAM is refused (EINVAL), and so is one that a driver already
 * holds (EBUSY): the parameter exposes registers nobody else uses, never
 * memory the kernel owns.
 *
 * ":shared" opts in to sharing a range with the driver that holds it
 * (e.g. phys=gpio:0x1f000d0000:0xc000:shared next to the Raspberry Pi 5's
 * pinctrl driver): mmfdev then maps the range without requesting it, held
 * or not, and logs one line naming its owner.  System RAM stays refused.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ioport.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "internal.h"

/* It names hardware addresses: kernel lockdown refuses it, as /dev/mem. */
static char *phys;
module_param_hw(phys, charp, other, 0444);
MODULE_PARM_DESC(phys,
		 "MMIO regions of /dev/mmfdev-phys, as NAME:ADDRESS:SIZE[:shared][,...]; never over System RAM; \":shared\" maps a range another driver holds, without requesting it");

static struct mmfd_device *phys_dev;

/* NAME:ADDRESS:SIZE[:OPTION]; *@opt is NULL without the fourth field. */
static int phys_parse_one(char *spec, char **name, u64 *addr, u64 *size,
			  char **opt)
{
	char *a, *s, *end;

	*name = strsep(&spec, ":");
	a = strsep(&spec, ":");
	s = strsep(&spec, ":");
	*opt = spec;
	if (!**name || !a || !s)
		return -EINVAL;
	*addr = memparse(a, &end);
	if (end == a || *end)
		return -EINVAL;
	*size = memparse(s, &end);
	if (end == s || *end || !*size || *addr + *size < *addr)
		return -EINVAL;
	return 0;
}

static int phys_add_regions(char *list, unsigned int nr)
{
	unsigned int i;
	int ret;

	for (i = 0; i < nr; i++) {
		char *spec = strsep(&list, ",");
		char *name, *opt;
		u64 addr, size;
		bool shared;

		ret = phys_parse_one(spec, &name, &addr, &size, &opt);
		if (ret) {
			pr_err("phys: entry %u is not NAME:ADDRESS:SIZE[:shared]\n",
			       i);
			return ret;
		}
		if (opt && strcmp(opt, "shared")) {
			pr_err("phys: %s: the fourth field can only be \"shared\", not \"%s\"\n",
			       name, opt);
			return -EINVAL;
		}
		shared = !!opt;
		if (region_intersects(addr, size, IORESOURCE_SYSTEM_RAM,
				      IORES_DESC_NONE) != REGION_DISJOINT) {
			pr_err("phys: %s overlaps System RAM: refused\n", name);
			return -EINVAL;
		}
		ret = mmfd_region_mmio_init(&phys_dev->regions[i], name,
					    addr, size,
					    shared ? MMFD_CLAIM_SHARE :
						     MMFD_CLAIM_OWN);
		if (ret == -EBUSY) {
			pr_err("phys: %s: the range is busy (add :shared to share it with its owner)\n",
			       name);
			return ret;
		}
		if (ret) {
			pr_err("phys: %s: cannot claim the range (%d)\n", name,
			       ret);
			return ret;
		}
		if (shared)
			mmfd_mmio_owner_report(NULL, name, addr, size);
	}
	return 0;
}

int mmfd_bus_param_init(void)
{
	unsigned int nr;
	char *list;
	int ret;

	if (!phys || !*phys)
		return 0;

	nr = 1;
	for (list = phys; *list; list++)
		nr += *list == ',';

	list = kstrdup(phys, GFP_KERNEL);
	if (!list)
		return -ENOMEM;

	phys_dev = mmfd_device_alloc("mmfdev-phys", nr);
	ret = PTR_ERR_OR_ZERO(phys_dev);
	if (ret)
		goto free_list;

	ret = phys_add_regions(list, nr);
	if (ret)
		goto remove_device;
	mmfd_trust_set(phys_dev, MMFD_REACH_ALL, LOCKDOWN_DEV_MEM,
		       "raw physical ranges (phys=), as /dev/mem");

	ret = mmfd_device_register(phys_dev);
	if (ret)
		goto remove_device;
	kfree(list);
	return 0;

remove_device:
	mmfd_device_remove(phys_dev);
free_list:
	phys_dev = NULL;
	kfree(list);
	return ret;
}

void mmfd_bus_param_exit(void)
{
	if (phys_dev)
		mmfd_device_remove(phys_dev);
}
