// SPDX-License-Identifier: LGPL-2.1-or-later
/* mmfctl load-module and unload-module, through libkmod (KMOD=1). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <libkmod.h>

#include "mmfctl.h"

/* Our own messages say what failed; libkmod's would repeat it. */
static void kmod_quiet(void *data, int priority, const char *file, int line,
		       const char *fn, const char *format, va_list args)
{
}

/*
 * @config: read modprobe.d (options, blacklist), as modprobe does; else
 * none, as insmod does for a .ko file.
 */
static struct kmod_ctx *kmod_open(bool config)
{
	const char *null_config = NULL;
	struct kmod_ctx *ctx = kmod_new(NULL, config ? NULL : &null_config);

	if (!ctx)
		die_sys(-ENOMEM, "libkmod");
	kmod_set_log_fn(ctx, kmod_quiet, NULL);
	return ctx;
}

static int cmd_load_module(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "module", required_argument, NULL, 'm' },
		{ NULL, 0, NULL, 0 }
	};
	const char *path = NULL;
	struct kmod_module *mod;
	struct kmod_ctx *ctx;
	char *params = NULL;
	size_t len = 0;
	int c, i, ret;

	while ((c = next_opt(argc, argv, "hm:", opts)) != -1)
		path = optarg;
	for (i = optind; i < argc; i++) {
		size_t n = strlen(argv[i]);
		char *p;

		if (!n || strchr(argv[i], ' ') || argv[i][0] == '=')
			die_usage("bad module parameter '%s'", argv[i]);
		p = realloc(params, len + n + 2);
		if (!p)
			die_sys(-ENOMEM, "load-module");
		params = p;
		if (len)
			params[len++] = ' ';
		memcpy(params + len, argv[i], n + 1);
		len += n;
	}

	ctx = kmod_open(!path);
	if (path) {
		ret = kmod_module_new_from_path(ctx, path, &mod);
		if (ret)
			die_sys(ret, "%s", path);
		ret = kmod_module_insert_module(mod, 0, params ? params : "");
	} else {
		path = MODULE_NAME;
		ret = kmod_module_new_from_name(ctx, MODULE_NAME, &mod);
		if (ret)
			die_sys(ret, "%s", path);
		ret = kmod_module_probe_insert_module(mod,
			KMOD_PROBE_FAIL_ON_LOADED, params, NULL, NULL, NULL);
	}
	if (ret < 0)
		die_sys(ret, "%s%s%s", path, params ? " " : "",
			params ? params : "");
	kmod_module_unref(mod);
	kmod_unref(ctx);
	free(params);
	return 0;
}

static int cmd_unload_module(int argc, char **argv)
{
	struct kmod_module *mod;
	struct kmod_ctx *ctx;
	int ret;

	no_options(argc, argv);
	want_args(argc, 0, 0);
	ctx = kmod_open(false);
	ret = kmod_module_new_from_name(ctx, MODULE_NAME, &mod);
	if (!ret)
		ret = kmod_module_remove_module(mod, 0);
	if (ret < 0)
		die_sys(ret, "%s", MODULE_NAME);
	kmod_module_unref(mod);
	kmod_unref(ctx);
	return 0;
}

const struct command module_commands[] = {
	{ "load-module", cmd_load_module, "[--module FILE] [PARAM=VALUE...]",
	  "Load the mmfdev module with parameters, through libkmod",
	  "Without --module, the installed module, as modprobe finds it;\n"
	  "with it, that .ko file.  Parameters as for modprobe, e.g.\n"
	  "size=16M pci_ids=1234:11e8 (see mmfdev(4)).  A loaded module\n"
	  "is an EEXIST error.\n",
	  "  -m, --module FILE     load this .ko file\n" },
	{ "unload-module", cmd_unload_module, "",
	  "Unload the mmfdev module",
	  "It fails while a process has a node open or mapped.\n", NULL },
	{ NULL, NULL, NULL, NULL, NULL, NULL }
};
