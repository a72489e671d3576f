/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Helpers shared by the mmfdev kselftests: region info and loading or
 * unloading the module through libkmod.
 */
#ifndef MMFDEV_TEST_COMMON_H
#define MMFDEV_TEST_COMMON_H

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <syslog.h>
#include <unistd.h>

#include <linux/mmfdev.h>
#ifndef MMFDEV_TEST_NO_KMOD
#include <libkmod.h>
#endif

#define MODULE_NAME "mmfdev"

static inline int region_info(int fd, unsigned int index,
			      struct mmfdev_region_info *info)
{
	memset(info, 0, sizeof(*info));
	info->argsz = sizeof(*info);
	info->index = index;
	return ioctl(fd, MMFDEV_IOC_REGION_INFO, info);
}

#ifdef MMFDEV_TEST_NO_KMOD
/* Built without libkmod (e.g. the static 32-bit suite): no module tests. */
static inline int module_remove(void)
{
	return -ENOSYS;
}

static inline int module_insert(const char *options)
{
	return -ENOSYS;
}

static inline const char *module_cannot_reload(void)
{
	return "built without libkmod";
}
#else
static inline struct kmod_ctx *kmod_ctx_new(void)
{
	const char *null_config = NULL;
	struct kmod_ctx *ctx = kmod_new(NULL, &null_config);

	/* Refusals are expected here; the test reports them, not libkmod. */
	if (ctx)
		kmod_set_log_priority(ctx, LOG_CRIT);
	return ctx;
}

static inline int module_remove(void)
{
	struct kmod_ctx *ctx = kmod_ctx_new();
	struct kmod_module *mod;
	int ret;

	if (!ctx)
		return -ENOMEM;
	ret = kmod_module_new_from_name(ctx, MODULE_NAME, &mod);
	if (!ret) {
		ret = kmod_module_remove_module(mod, 0);
		kmod_module_unref(mod);
	}
	kmod_unref(ctx);
	return ret;
}

static inline int module_insert(const char *options)
{
	const char *path = getenv("MMFDEV_MODULE");
	struct kmod_ctx *ctx = kmod_ctx_new();
	struct kmod_module *mod;
	int ret;

	if (!ctx)
		return -ENOMEM;
	if (path)
		ret = kmod_module_new_from_path(ctx, path, &mod);
	else
		ret = kmod_module_new_from_name(ctx, MODULE_NAME, &mod);
	if (!ret) {
		if (path)
			ret = kmod_module_insert_module(mod, 0, options);
		else
			ret = kmod_module_probe_insert_module(mod, 0, options,
							      NULL, NULL, NULL);
		kmod_module_unref(mod);
	}
	kmod_unref(ctx);
	return ret;
}

/* Can this run unload and load the module again? NULL if so. */
static inline const char *module_cannot_reload(void)
{
	struct kmod_ctx *ctx;
	struct kmod_module *mod;
	const char *why = NULL;

	if (geteuid())
		return "needs root";
	if (access("/sys/module/" MODULE_NAME "/refcnt", F_OK))
		return "mmfdev is not a loaded module";
	if (getenv("MMFDEV_MODULE"))
		return NULL;

	ctx = kmod_ctx_new();
	if (!ctx)
		return "no libkmod context";
	if (kmod_module_new_from_name(ctx, MODULE_NAME, &mod))
		why = "libkmod does not know mmfdev";
	else if (!kmod_module_get_path(mod))
		why = "mmfdev.ko is not installed; set MMFDEV_MODULE";
	if (!why)
		kmod_module_unref(mod);
	kmod_unref(ctx);
	return why;
}

#endif /* MMFDEV_TEST_NO_KMOD */

/* The options the module was loaded with, for putting it back. */
static inline const char *module_default_options(void)
{
	const char *opts = getenv("MMFDEV_MODULE_OPTIONS");

	return opts ? opts : "";
}


#endif /* MMFDEV_TEST_COMMON_H */
