// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * mmfdev-hello: one process writes a message into the device's RAM region
 * through its mapping; a second process maps the region on its own and
 * reads the message back, then answers through the same bytes.
 *
 * usage: mmfdev-hello [NODE] [MESSAGE]
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <mmfdev.h>

#define REPLY_AT 1024

static int map_region(const char *node, struct mmfdev **devp, char **bufp,
		      size_t *lenp)
{
	void *addr;
	int ret;

	ret = mmfdev_open(node, 0, devp);
	if (ret) {
		fprintf(stderr, "mmfdev-hello: open %s: %s\n",
			node ? node : MMFDEV_DEFAULT_PATH,
			mmfdev_strerror(ret));
		return ret;
	}
	ret = mmfdev_map(*devp, 0, 0, 0, MMFDEV_MAP_READ | MMFDEV_MAP_WRITE,
			 &addr, lenp);
	if (ret) {
		fprintf(stderr, "mmfdev-hello: map: %s\n",
			mmfdev_strerror(ret));
		mmfdev_close(*devp);
		return ret;
	}
	*bufp = addr;
	return 0;
}

static int child(const char *node)
{
	struct mmfdev *dev;
	size_t len;
	char *buf;

	if (map_region(node, &dev, &buf, &len))
		return 1;
	printf("child  %d: mapped %zu bytes of %s, read \"%s\"\n", getpid(),
	       len, mmfdev_get_name(dev), buf);
	snprintf(buf + REPLY_AT, 128, "hello back from process %d", getpid());
	mmfdev_sync(buf, len);
	mmfdev_unmap(buf, len);
	mmfdev_close(dev);
	return 0;
}

int main(int argc, char **argv)
{
	const char *node = argc > 1 ? argv[1] : NULL;
	const char *msg = argc > 2 ? argv[2] : "hello from mmfdev";
	char check[256] = "";
	struct mmfdev *dev;
	int status, ret;
	size_t len;
	char *buf;
	pid_t pid;

	if (map_region(node, &dev, &buf, &len))
		return 1;
	if (len < REPLY_AT + 128) {
		fprintf(stderr, "mmfdev-hello: region too small\n");
		return 1;
	}

	memset(buf + REPLY_AT, 0, 128);
	snprintf(buf, REPLY_AT, "%s (written by process %d)", msg, getpid());
	mmfdev_sync(buf, len);
	printf("parent %d: wrote \"%s\"\n", getpid(), buf);
	fflush(stdout);

	pid = fork();
	if (pid < 0) {
		perror("mmfdev-hello: fork");
		return 1;
	}
	if (pid == 0) {
		mmfdev_unmap(buf, len);
		mmfdev_close(dev);
		_exit(child(node));
	}
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status)) {
		fprintf(stderr, "mmfdev-hello: child failed\n");
		return 1;
	}

	ret = mmfdev_read(dev, 0, REPLY_AT, check, sizeof(check) - 1);
	if (ret < 0) {
		fprintf(stderr, "mmfdev-hello: read: %s\n",
			mmfdev_strerror(ret));
		return 1;
	}
	printf("parent %d: mapping says \"%s\"\n", getpid(), buf + REPLY_AT);
	printf("parent %d: read() says  \"%s\"\n", getpid(), check);
	ret = strcmp(check, buf + REPLY_AT) ? 1 : 0;

	mmfdev_unmap(buf, len);
	mmfdev_close(dev);
	return ret;
}
