// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libmmfdev: event lines, their counts, waits, doorbells and eventfds.
 *
 * Only the handle's public accessors are used here.  Line numbers are
 * checked against the count the device reported at open, so that a module
 * older than events (which reports none) never sees these ioctls.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/mmfdev.h>

#include "mmfdev.h"

/* The public names are the ABI's values: lib/abi.c checks them. */

struct mmfdev_event {
	struct mmfdev_event_info info;
};

/* Is @index one of @dev's lines? */
static int check_line(const struct mmfdev *dev, unsigned int index)
{
	if (!dev || index >= mmfdev_get_num_events(dev))
		return -EINVAL;
	return 0;
}

/* Ask the kernel about line @index; no caching, the kernel owns it. */
static int query_event(struct mmfdev *dev, unsigned int index,
		       struct mmfdev_event_info *info)
{
	int ret;

	ret = check_line(dev, index);
	if (ret)
		return ret;
	memset(info, 0, sizeof(*info));
	info->argsz = sizeof(*info);
	info->index = index;
	if (ioctl(mmfdev_get_fd(dev), MMFDEV_IOC_EVENT_INFO, info))
		return -errno;
	info->name[sizeof(info->name) - 1] = '\0';
	return 0;
}

MMFDEV_API int mmfdev_event_get(struct mmfdev *dev, unsigned int index,
				struct mmfdev_event **eventp)
{
	struct mmfdev_event *event;
	int ret;

	if (!dev || !eventp)
		return -EINVAL;

	event = malloc(sizeof(*event));
	if (!event)
		return -ENOMEM;

	ret = query_event(dev, index, &event->info);
	if (ret) {
		free(event);
		return ret;
	}
	*eventp = event;
	return 0;
}

MMFDEV_API int mmfdev_event_find(struct mmfdev *dev, const char *name,
				 struct mmfdev_event **eventp)
{
	struct mmfdev_event *event;
	unsigned int i, n;
	int ret;

	if (!dev || !name || !eventp)
		return -EINVAL;

	n = mmfdev_get_num_events(dev);
	for (i = 0; i < n; i++) {
		ret = mmfdev_event_get(dev, i, &event);
		if (ret)
			return ret;
		if (!strcmp(event->info.name, name)) {
			*eventp = event;
			return 0;
		}
		mmfdev_event_free(event);
	}
	return -ENOENT;
}

MMFDEV_API void mmfdev_event_free(struct mmfdev_event *event)
{
	free(event);
}

MMFDEV_API unsigned int
mmfdev_event_get_index(const struct mmfdev_event *event)
{
	return event->info.index;
}

MMFDEV_API const char *
mmfdev_event_get_name(const struct mmfdev_event *event)
{
	return event->info.name;
}

MMFDEV_API unsigned int
mmfdev_event_get_kind(const struct mmfdev_event *event)
{
	return event->info.kind;
}

MMFDEV_API unsigned int
mmfdev_event_get_trigger(const struct mmfdev_event *event)
{
	return event->info.trigger;
}

MMFDEV_API unsigned int
mmfdev_event_get_flags(const struct mmfdev_event *event)
{
	return event->info.flags;
}

MMFDEV_API int mmfdev_event_wait(struct mmfdev *dev, uint64_t lines,
				 int64_t timeout_ns, uint64_t *pendingp)
{
	struct mmfdev_event_wait arg;
	unsigned int n;

	if (!dev)
		return -EINVAL;
	n = mmfdev_get_num_events(dev);
	if (!n || (n < 64 && (lines >> n)))
		return -EINVAL;

	memset(&arg, 0, sizeof(arg));
	arg.argsz = sizeof(arg);
	arg.lines = lines;
	arg.timeout_ns = timeout_ns;
	if (ioctl(mmfdev_get_fd(dev), MMFDEV_IOC_EVENT_WAIT, &arg))
		return -errno;
	if (pendingp)
		*pendingp = arg.pending;
	return 0;
}

/* MMFDEV_IOC_EVENT_STATUS, moving the mark unless @flags says PEEK. */
static int event_status(struct mmfdev *dev, unsigned int index,
			unsigned int flags, uint64_t *countp, uint64_t *newp,
			uint64_t *timestamp_nsp)
{
	struct mmfdev_event_status status;
	int ret;

	ret = check_line(dev, index);
	if (ret)
		return ret;
	memset(&status, 0, sizeof(status));
	status.argsz = sizeof(status);
	status.index = index;
	status.flags = flags;
	if (ioctl(mmfdev_get_fd(dev), MMFDEV_IOC_EVENT_STATUS, &status))
		return -errno;
	if (countp)
		*countp = status.count;
	if (newp)
		*newp = status.new_events;
	if (timestamp_nsp)
		*timestamp_nsp = status.timestamp_ns;
	return 0;
}

MMFDEV_API int mmfdev_event_read(struct mmfdev *dev, unsigned int index,
				 uint64_t *countp, uint64_t *newp,
				 uint64_t *timestamp_nsp)
{
	return event_status(dev, index, 0, countp, newp, timestamp_nsp);
}

MMFDEV_API int mmfdev_event_peek(struct mmfdev *dev, unsigned int index,
				 uint64_t *countp, uint64_t *newp,
				 uint64_t *timestamp_nsp)
{
	return event_status(dev, index, MMFDEV_EVENT_STATUS_PEEK, countp, newp,
			    timestamp_nsp);
}

/* MMFDEV_IOC_EVENT_UNMASK or MMFDEV_IOC_EVENT_RING on line @index. */
static int line_ioctl(struct mmfdev *dev, unsigned int index,
		      unsigned long request)
{
	struct mmfdev_event_line line;
	int ret;

	ret = check_line(dev, index);
	if (ret)
		return ret;
	memset(&line, 0, sizeof(line));
	line.argsz = sizeof(line);
	line.index = index;
	if (ioctl(mmfdev_get_fd(dev), request, &line))
		return -errno;
	return 0;
}

MMFDEV_API int mmfdev_event_unmask(struct mmfdev *dev, unsigned int index)
{
	return line_ioctl(dev, index, MMFDEV_IOC_EVENT_UNMASK);
}

MMFDEV_API int mmfdev_event_ring(struct mmfdev *dev, unsigned int index)
{
	return line_ioctl(dev, index, MMFDEV_IOC_EVENT_RING);
}

static int bind_eventfd(struct mmfdev *dev, unsigned int index, int efd)
{
	struct mmfdev_event_eventfd arg;
	int ret;

	ret = check_line(dev, index);
	if (ret)
		return ret;
	memset(&arg, 0, sizeof(arg));
	arg.argsz = sizeof(arg);
	arg.index = index;
	arg.fd = efd;
	if (ioctl(mmfdev_get_fd(dev), MMFDEV_IOC_EVENT_EVENTFD, &arg))
		return -errno;
	return 0;
}

MMFDEV_API int mmfdev_event_bind_eventfd(struct mmfdev *dev,
					 unsigned int index, int efd)
{
	return bind_eventfd(dev, index, efd);
}

MMFDEV_API int mmfdev_event_eventfd(struct mmfdev *dev, unsigned int index,
				    int *efdp)
{
	int efd, ret;

	if (!efdp)
		return -EINVAL;
	ret = check_line(dev, index);
	if (ret)
		return ret;

	efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (efd < 0)
		return -errno;
	ret = bind_eventfd(dev, index, efd);
	if (ret) {
		close(efd);
		return ret;
	}
	*efdp = efd;
	return 0;
}
