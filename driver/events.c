// SPDX-License-Identifier: GPL-2.0-only
/*
 * mmfdev event lines: a device's interrupts and doorbells, delivered to
 * userspace as counts, never as merged wakeups.
 *
 * Each line counts every event and keeps the time of the latest, under
 * its own spinlock (interrupt handlers fire lines).  Each open file keeps,
 * per line, the count it last looked at; a line is pending for a file
 * while the two differ.  Every event wakes the device's one wait queue;
 * waiters re-check their own lines.  An eventfd bound to a line is
 * signalled once per event.
 *
 * The bus glue owns the interrupts: it sets up its lines with
 * mmfd_event_init() before registering the device and fires them from
 * its handlers with mmfd_event_fire().  A level-triggered line is masked
 * by the glue's handler and unmasked through the line's ops when
 * userspace asks.  On removal mmfd_device_remove() unregisters the device
 * (which wakes every waiter with -ENODEV and stops unmasking), frees the
 * interrupts, then drops the glue's reference: a handler never sees a
 * freed line.
 *
 * Doorbells come after the hardware lines; every device has the number
 * the "doorbells" parameter says.
 */
#include <linux/eventfd.h>
#include <linux/file.h>
#include <linux/interrupt.h>
#include <linux/ktime.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/wait.h>

#include "compat.h"
#include "internal.h"

static unsigned int doorbells = 4;
module_param(doorbells, uint, 0444);
MODULE_PARM_DESC(doorbells,
		 "Software doorbells of every device, after its interrupts (default 4, at most 32)");

#define MMFD_MAX_DOORBELLS	32

/**
 * mmfd_events_alloc() - give @mdev its event lines
 * @mdev:	a device that is not registered yet
 * @nr_hw:	lines the bus glue will set up with mmfd_event_init()
 *
 * The doorbells follow, at @nr_hw and up.
 *
 * Return: 0, -EINVAL (too many lines) or -ENOMEM.
 */
int mmfd_events_alloc(struct mmfd_device *mdev, unsigned int nr_hw)
{
	unsigned int nr_bells = min(doorbells, MMFD_MAX_DOORBELLS), i;

	if (nr_hw + nr_bells > MMFDEV_MAX_EVENTS)
		return -EINVAL;
	if (!(nr_hw + nr_bells))
		return 0;
	mdev->events = kcalloc(nr_hw + nr_bells, sizeof(*mdev->events),
			       GFP_KERNEL);
	if (!mdev->events)
		return -ENOMEM;
	mdev->nr_events = nr_hw + nr_bells;
	for (i = 0; i < mdev->nr_events; i++) {
		struct mmfd_event *ev = &mdev->events[i];

		spin_lock_init(&ev->lock);
		ev->mdev = mdev;
		ev->index = i;
	}
	for (i = 0; i < nr_bells; i++) {
		char name[MMFDEV_NAME_MAX];

		snprintf(name, sizeof(name), "doorbell%u", i);
		mmfd_event_init(&mdev->events[nr_hw + i],
				MMFDEV_EVENT_KIND_DOORBELL,
				MMFDEV_EVENT_TRIGGER_EDGE, name, NULL, NULL);
		mdev->events[nr_hw + i].flags = MMFDEV_EVENT_FLAG_RING;
	}
	return 0;
}

/**
 * mmfd_event_init() - describe one line before the device is registered
 * @ev:		&mdev->events[i]
 * @kind:	MMFDEV_EVENT_KIND_*
 * @trigger:	MMFDEV_EVENT_TRIGGER_*
 * @name:	line name
 * @ops:	how to unmask a level-triggered line; NULL for others
 * @priv:	the glue's data for @ops
 */
void mmfd_event_init(struct mmfd_event *ev, u32 kind, u32 trigger,
		     const char *name, const struct mmfd_event_ops *ops,
		     void *priv)
{
	ev->kind = kind;
	ev->trigger = trigger;
	ev->ops = ops;
	ev->priv = priv;
	ev->flags = ops && ops->unmask ? MMFDEV_EVENT_FLAG_UNMASK : 0;
	strscpy(ev->name, name, sizeof(ev->name));
}

/**
 * mmfd_event_fire() - count one event of a line and wake its waiters
 * @ev:		the line
 * @masked:	the caller masked the line (level trigger): it stays masked
 *		until userspace unmasks it
 *
 * Any context, hard interrupts included.
 */
void mmfd_event_fire(struct mmfd_event *ev, bool masked)
{
	unsigned long flags;

	spin_lock_irqsave(&ev->lock, flags);
	ev->count++;
	ev->last_ns = ktime_get_ns();
	if (masked)
		ev->masked = true;
	if (ev->eventfd)
		mmfd_eventfd_signal(ev->eventfd);
	spin_unlock_irqrestore(&ev->lock, flags);
	wake_up_all(&ev->mdev->event_wq);
}

/**
 * mmfd_event_request_irq() - route interrupt @irq to line @ev
 * @ev:		the line, set up with mmfd_event_init()
 * @irq:	the interrupt
 * @handler:	the glue's handler; its data is @ev
 * @flags:	request_irq() flags
 *
 * Return: 0 or the error of request_irq().
 */
int mmfd_event_request_irq(struct mmfd_event *ev, int irq,
			   irq_handler_t handler, unsigned long flags)
{
	int ret;

	ret = request_irq(irq, handler, flags, ev->mdev->name, ev);
	if (!ret)
		ev->irq = irq;
	return ret;
}

/**
 * mmfd_events_free_irqs() - free every interrupt the lines were given
 * @mdev:	the device: unregistered, or never registered
 */
void mmfd_events_free_irqs(struct mmfd_device *mdev)
{
	unsigned int i;

	for (i = 0; i < mdev->nr_events; i++) {
		struct mmfd_event *ev = &mdev->events[i];

		if (ev->irq > 0)
			free_irq(ev->irq, ev);
		ev->irq = 0;
	}
}

/* Called when the device is freed: no handler, no file is left. */
void mmfd_events_free(struct mmfd_device *mdev)
{
	unsigned int i;

	for (i = 0; i < mdev->nr_events; i++)
		if (mdev->events[i].eventfd)
			eventfd_ctx_put(mdev->events[i].eventfd);
	kfree(mdev->events);
	mdev->events = NULL;
	mdev->nr_events = 0;
}

static void mmfd_event_read(struct mmfd_event *ev, u64 *count,
			    u64 *last_ns, bool *masked)
{
	unsigned long flags;

	spin_lock_irqsave(&ev->lock, flags);
	*count = ev->count;
	if (last_ns)
		*last_ns = ev->last_ns;
	if (masked)
		*masked = ev->masked;
	spin_unlock_irqrestore(&ev->lock, flags);
}

/* The lines of @lines with events @mf has not looked at. */
static u64 mmfd_events_pending(struct mmfd_file *mf, u64 lines)
{
	struct mmfd_device *mdev = mf->mdev;
	u64 pending = 0, count;
	unsigned int i;

	for (i = 0; i < mdev->nr_events; i++) {
		if (!(lines & BIT_ULL(i)))
			continue;
		mmfd_event_read(&mdev->events[i], &count, NULL, NULL);
		if (count != (u64)atomic64_read(&mf->seen[i]))
			pending |= BIT_ULL(i);
	}
	return pending;
}

/* poll(): POLLIN while some line is pending for this file. */
__poll_t mmfd_events_poll(struct mmfd_file *mf, struct file *file,
			  poll_table *wait)
{
	struct mmfd_device *mdev = mf->mdev;

	poll_wait(file, &mdev->event_wq, wait);
	if (READ_ONCE(mdev->dead))
		return EPOLLHUP | EPOLLERR;
	if (mdev->nr_events &&
	    mmfd_events_pending(mf, GENMASK_ULL(mdev->nr_events - 1, 0)))
		return EPOLLIN | EPOLLRDNORM;
	return 0;
}

static struct mmfd_event *mmfd_event_get(struct mmfd_device *mdev,
					 u32 index)
{
	return index < mdev->nr_events ? &mdev->events[index] : NULL;
}

static long mmfd_ioctl_event_info(struct mmfd_file *mf, void __user *arg)
{
	struct mmfdev_event_info info = { };
	u32 minsz = offsetofend(typeof(info), name);
	struct mmfd_event *ev;
	bool masked;
	u64 count;
	int ret;

	/* Only argsz and index are in: every other byte is the kernel's. */
	ret = mmfd_argsz_in(arg, &info, offsetofend(typeof(info), index),
			    minsz);
	if (ret)
		return ret;
	ev = mmfd_event_get(mf->mdev, info.index);
	if (!ev)
		return -EINVAL;
	mmfd_event_read(ev, &count, NULL, &masked);
	info.kind = ev->kind;
	info.trigger = ev->trigger;
	info.flags = ev->flags | (masked ? MMFDEV_EVENT_FLAG_MASKED : 0);
	info.reserved = 0;
	strscpy(info.name, ev->name, sizeof(info.name));
	return mmfd_argsz_out(arg, &info, sizeof(info));
}

static long mmfd_ioctl_event_status(struct mmfd_file *mf,
				    void __user *arg)
{
	struct mmfdev_event_status st = { };
	u32 minsz = offsetofend(typeof(st), timestamp_ns);
	struct mmfd_event *ev;
	u64 count, last_ns, seen;
	int ret;

	ret = mmfd_argsz_in(arg, &st, minsz, minsz);
	if (ret)
		return ret;
	ev = mmfd_event_get(mf->mdev, st.index);
	if (!ev || st.flags & ~MMFDEV_EVENT_STATUS_PEEK || st.reserved)
		return -EINVAL;
	mmfd_event_read(ev, &count, &last_ns, NULL);
	if (st.flags & MMFDEV_EVENT_STATUS_PEEK)
		seen = atomic64_read(&mf->seen[st.index]);
	else
		seen = atomic64_xchg(&mf->seen[st.index], count);
	st.count = count;
	st.new_events = count - seen;
	st.timestamp_ns = last_ns;
	return mmfd_argsz_out(arg, &st, sizeof(st));
}

/* What a waiter waits for: the device gone, or a pending line. */
static bool mmfd_wake(struct mmfd_file *mf, u64 lines, u64 *pending)
{
	if (READ_ONCE(mf->mdev->dead))
		return true;
	*pending = mmfd_events_pending(mf, lines);
	return *pending;
}

static long mmfd_ioctl_event_wait(struct mmfd_file *mf, void __user *arg)
{
	struct mmfd_device *mdev = mf->mdev;
	struct mmfdev_event_wait w = { };
	u32 minsz = offsetofend(typeof(w), pending);
	u64 all = mdev->nr_events ? GENMASK_ULL(mdev->nr_events - 1, 0) : 0;
	u64 pending = 0;
	long ret;

	ret = mmfd_argsz_in(arg, &w, minsz, minsz);
	if (ret)
		return ret;
	if (w.flags || w.lines & ~all || !all)
		return -EINVAL;
	if (!w.lines)
		w.lines = all;

	if (w.timeout_ns < 0)
		ret = wait_event_interruptible(mdev->event_wq,
					       mmfd_wake(mf, w.lines,
							 &pending));
	else if (w.timeout_ns > 0)
		ret = wait_event_interruptible_hrtimeout(mdev->event_wq,
							 mmfd_wake(mf, w.lines,
								   &pending),
							 ns_to_ktime(w.timeout_ns));
	else
		ret = mmfd_wake(mf, w.lines, &pending) ? 0 : -ETIME;

	if (READ_ONCE(mdev->dead))
		return -ENODEV;
	if (ret == -ETIME)
		return -ETIMEDOUT;
	if (ret)
		return -EINTR;
	w.pending = pending;
	return mmfd_argsz_out(arg, &w, sizeof(w));
}

static long mmfd_ioctl_event_unmask(struct mmfd_file *mf,
				    void __user *arg)
{
	struct mmfd_device *mdev = mf->mdev;
	struct mmfdev_event_line line = { };
	u32 minsz = offsetofend(typeof(line), index);
	struct mmfd_event *ev;
	unsigned long flags;
	bool was_masked;
	int ret;

	ret = mmfd_argsz_in(arg, &line, minsz, minsz);
	if (ret)
		return ret;
	ev = mmfd_event_get(mdev, line.index);
	if (!ev || !(ev->flags & MMFDEV_EVENT_FLAG_UNMASK))
		return -EINVAL;

	/* Under the device lock: the glue frees its interrupts after dead. */
	down_read(&mdev->lock);
	ret = -ENODEV;
	if (mdev->dead)
		goto unlock;
	spin_lock_irqsave(&ev->lock, flags);
	was_masked = ev->masked;
	ev->masked = false;
	spin_unlock_irqrestore(&ev->lock, flags);
	ret = 0;
	/* Only the kernel masks, once per event: unmask exactly as often. */
	if (was_masked && ev->ops->unmask(ev) > 0)
		mmfd_event_fire(ev, true);	/* still asserted */
unlock:
	up_read(&mdev->lock);
	return ret;
}

static long mmfd_ioctl_event_ring(struct mmfd_file *mf, struct file *file,
				  void __user *arg)
{
	struct mmfdev_event_line line = { };
	u32 minsz = offsetofend(typeof(line), index);
	struct mmfd_event *ev;
	int ret;

	ret = mmfd_argsz_in(arg, &line, minsz, minsz);
	if (ret)
		return ret;
	ev = mmfd_event_get(mf->mdev, line.index);
	if (!ev || !(ev->flags & MMFDEV_EVENT_FLAG_RING))
		return -EINVAL;
	if (!(file->f_mode & FMODE_WRITE))
		return -EBADF;
	if (READ_ONCE(mf->mdev->dead))
		return -ENODEV;
	mmfd_event_fire(ev, false);
	return 0;
}

static long mmfd_ioctl_event_eventfd(struct mmfd_file *mf,
				     void __user *arg)
{
	struct mmfdev_event_eventfd req = { };
	u32 minsz = offsetofend(typeof(req), flags);
	struct eventfd_ctx *ctx = NULL, *old;
	struct mmfd_event *ev;
	unsigned long flags;
	int ret;

	ret = mmfd_argsz_in(arg, &req, minsz, minsz);
	if (ret)
		return ret;
	ev = mmfd_event_get(mf->mdev, req.index);
	if (!ev || req.flags || req.fd < -1)
		return -EINVAL;
	if (req.fd >= 0) {
		ctx = eventfd_ctx_fdget(req.fd);
		if (IS_ERR(ctx))
			return PTR_ERR(ctx);
	}

	down_read(&mf->mdev->lock);
	ret = -ENODEV;
	if (!mf->mdev->dead) {
		spin_lock_irqsave(&ev->lock, flags);
		old = ev->eventfd;
		ev->eventfd = ctx;
		spin_unlock_irqrestore(&ev->lock, flags);
		ctx = old;
		ret = 0;
	}
	up_read(&mf->mdev->lock);
	if (ctx)
		eventfd_ctx_put(ctx);
	return ret;
}

/**
 * mmfd_events_ioctl() - the MMFDEV_IOC_EVENT_* ioctls
 * @mf:		the file's state
 * @file:	the file
 * @cmd:	the ioctl
 * @arg:	its argument
 *
 * Return: the ioctl's result, or -ENOTTY for a command that is not ours.
 */
long mmfd_events_ioctl(struct mmfd_file *mf, struct file *file,
		       unsigned int cmd, void __user *arg)
{
	switch (cmd) {
	case MMFDEV_IOC_EVENT_INFO:
		return mmfd_ioctl_event_info(mf, arg);
	case MMFDEV_IOC_EVENT_STATUS:
		return mmfd_ioctl_event_status(mf, arg);
	case MMFDEV_IOC_EVENT_WAIT:
		return mmfd_ioctl_event_wait(mf, arg);
	case MMFDEV_IOC_EVENT_UNMASK:
		return mmfd_ioctl_event_unmask(mf, arg);
	case MMFDEV_IOC_EVENT_RING:
		return mmfd_ioctl_event_ring(mf, file, arg);
	case MMFDEV_IOC_EVENT_EVENTFD:
		return mmfd_ioctl_event_eventfd(mf, arg);
	default:
		return -ENOTTY;
	}
}

static const char *const mmfd_event_kind_names[] = {
	[MMFDEV_EVENT_KIND_DOORBELL] = "doorbell",
	[MMFDEV_EVENT_KIND_MSIX] = "msix",
	[MMFDEV_EVENT_KIND_MSI] = "msi",
	[MMFDEV_EVENT_KIND_INTX] = "intx",
	[MMFDEV_EVENT_KIND_IRQ] = "irq",
};

/**
 * mmfd_events_show() - /sys/class/misc/<node>/events, one line a line
 * @mdev:	the device
 * @buf:	the sysfs page
 *
 *	index name kind trigger flags count
 *
 * (trigger "edge" or "level", flags as the ABI bits in hex).
 *
 * Return: bytes written.
 */
ssize_t mmfd_events_show(struct mmfd_device *mdev, char *buf)
{
	unsigned int i;
	int len = 0;

	for (i = 0; i < mdev->nr_events; i++) {
		struct mmfd_event *ev = &mdev->events[i];
		bool masked;
		u64 count;

		mmfd_event_read(ev, &count, NULL, &masked);
		len += sysfs_emit_at(buf, len, "%u %s %s %s 0x%x %llu\n", i,
				     ev->name, mmfd_event_kind_names[ev->kind],
				     ev->trigger == MMFDEV_EVENT_TRIGGER_LEVEL ?
				     "level" : "edge",
				     ev->flags |
				     (masked ? MMFDEV_EVENT_FLAG_MASKED : 0),
				     count);
	}
	return len;
}
