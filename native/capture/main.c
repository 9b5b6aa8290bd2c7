// SPDX-License-Identifier: Apache-2.0
/*
 * scap-capture: records a scap capture with the scapkit eBPF driver.
 *
 *   scap-capture -w FILE [-n COUNT] [-M SECONDS] [-s SNAPLEN] [--pid PID] [--overwrite]
 *
 * Lifecycle: parse args -> signals -> open the output (0600) -> load and
 * attach the driver -> write the /proc state -> poll the ring, one event
 * block per record -> stop on a signal, the count, the duration or a write
 * error -> one cleanup path that leaves a valid file.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/libbpf.h>

#include "loader.h"
#include "proc_scan.h"
#include "scap_driver.h"
#include "writer.h"

static struct env {
	const char *output;
	uint64_t max_events;
	double max_seconds;
	uint32_t snaplen;
	uint32_t pid;
	bool overwrite;
	bool verbose;
} env = { .snaplen = SCAP_DEFAULT_SNAPLEN };

static volatile sig_atomic_t exiting;

struct consumer {
	struct writer *w;
	uint64_t events;
	uint64_t max_events;
	int err;
};

static const char usage[] =
	"usage: scap-capture -w FILE [options]\n"
	"  -w, --write FILE      output capture (created 0600; refuses an existing file)\n"
	"  -n, --count N         stop after N events\n"
	"  -M, --duration SECS   stop after SECS seconds\n"
	"  -s, --snaplen BYTES   bytes of I/O buffers to keep (default 80, max 16384)\n"
	"  -p, --pid PID         capture only PID and its descendants\n"
	"      --overwrite       replace FILE if it exists\n"
	"  -v, --verbose         print libbpf messages\n";

static int parse_args(int argc, char **argv)
{
	static const struct option opts[] = {
		{"write", required_argument, NULL, 'w'}, {"count", required_argument, NULL, 'n'},
		{"duration", required_argument, NULL, 'M'}, {"snaplen", required_argument, NULL, 's'},
		{"pid", required_argument, NULL, 'p'}, {"overwrite", no_argument, NULL, 'O'},
		{"verbose", no_argument, NULL, 'v'}, {"help", no_argument, NULL, 'h'}, {0},
	};
	int c;
	char *end;
	while ((c = getopt_long(argc, argv, "w:n:M:s:p:vh", opts, NULL)) != -1) {
		errno = 0;
		switch (c) {
		case 'w': env.output = optarg; break;
		case 'n': env.max_events = strtoull(optarg, &end, 10); if (*end || errno) goto bad; break;
		case 'M': env.max_seconds = strtod(optarg, &end); if (*end || env.max_seconds <= 0) goto bad; break;
		case 's': {
			unsigned long v = strtoul(optarg, &end, 10);
			if (*end || errno || v > SCAP_MAX_SNAPLEN) goto bad;
			env.snaplen = (uint32_t)v;
			break;
		}
		case 'p': {
			unsigned long v = strtoul(optarg, &end, 10);
			if (*end || errno || v == 0 || v > UINT32_MAX) goto bad;
			env.pid = (uint32_t)v;
			break;
		}
		case 'O': env.overwrite = true; break;
		case 'v': env.verbose = true; break;
		case 'h': fputs(usage, stdout); exit(0);
		default: fputs(usage, stderr); return -1;
		}
	}
	if (!env.output || optind != argc) {
		fputs(usage, stderr);
		return -1;
	}
	return 0;
bad:
	fprintf(stderr, "scap-capture: bad value for -%c: '%s'\n%s", c, optarg, usage);
	return -1;
}

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list args)
{
	if (level == LIBBPF_DEBUG && !env.verbose)
		return 0;
	return vfprintf(stderr, fmt, args);
}

static void on_signal(int sig)
{
	(void)sig;
	exiting = 1;
}

/* Each ring record is an EV_V2 block body (u16 cpu + event): written as is. */
static int on_record(void *ctx, void *data, size_t size)
{
	struct consumer *c = ctx;
	if (c->max_events && c->events >= c->max_events)
		return 0;
	int err = writer__append_block(c->w, BLOCK_EVENT_V2, data, size);
	if (err) {
		c->err = err;
		return err;
	}
	c->events++;
	return 0;
}

/* Peak resident set of this process in KiB (VmHWM), 0 when unknown. */
static unsigned long peak_rss_kib(void)
{
	FILE *f = fopen("/proc/self/status", "re");
	char line[256];
	unsigned long kib = 0;
	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "VmHWM: %lu kB", &kib) == 1)
			break;
	if (f)
		fclose(f);
	return kib;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	struct writer w = { .fd = -1 };
	struct scap *skel = NULL;
	struct ring_buffer *rb = NULL;
	struct scan_stats scan;
	struct consumer consumer = { .w = &w };
	int err = 0;

	if (parse_args(argc, argv))
		return 2;
	libbpf_set_print(libbpf_print);

	struct sigaction sa = { .sa_handler = on_signal };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);

	if ((err = writer__open(&w, env.output, env.overwrite))) {
		fprintf(stderr, "scap-capture: cannot create %s: %s%s\n", env.output, strerror(-err),
			err == -EEXIST ? " (use --overwrite to replace it)" : "");
		return 1;
	}
	if ((err = writer__section_header(&w)))
		goto cleanup;

	struct loader_opts lo = {
		.snaplen = env.snaplen,
		.target_tgid = env.pid,
		.ring_bytes = SCAP_DEFAULT_RING_BYTES,
		.boot_ts_epoch_ns = boot_ts_epoch_ns(),
	};
	skel = loader__start(&lo);
	if (!skel) {
		err = -EPERM;
		/* Nothing was captured: leave no half-made file behind. */
		unlink(env.output);
		goto cleanup;
	}
	/* State after attaching: whatever changes during the scan is in the events. */
	if ((err = proc_scan__write_state(&w, &scan)) || (err = writer__flush(&w))) {
		fprintf(stderr, "scap-capture: cannot write the initial state: %s\n", strerror(-err));
		goto cleanup;
	}
	rb = ring_buffer__new(loader__ring_fd(skel), on_record, &consumer, NULL);
	if (!rb) {
		err = -errno;
		fprintf(stderr, "scap-capture: cannot open the ring buffer: %s\n", strerror(-err));
		goto cleanup;
	}
	consumer.max_events = env.max_events;
	/* Ready: tests and wrappers wait for this line before starting a workload. */
	fprintf(stderr, "scap-capture: capturing to %s (%u threads, %u fds in the initial state)\n",
		env.output, scan.threads, scan.fds);

	double deadline = env.max_seconds > 0 ? now_s() + env.max_seconds : 0;
	while (!exiting) {
		int n = ring_buffer__poll(rb, SCAP_POLL_MS);
		/* The driver submits with BPF_RB_NO_WAKEUP until a megabyte is
		 * waiting (store.bpf.h), so a quiet system raises no epoll event:
		 * drain whatever is there on every timeout. */
		if (n == 0)
			n = ring_buffer__consume(rb);
		if (n == -EINTR)
			continue;
		if (n < 0) {
			if (!consumer.err)
				fprintf(stderr, "scap-capture: polling the ring buffer: %s\n", strerror(-n));
			err = consumer.err ? consumer.err : n;
			break;
		}
		if (env.max_events && consumer.events >= env.max_events)
			break;
		if (deadline && now_s() >= deadline)
			break;
	}
	if (!err && !consumer.err && exiting) {
		/* Keep what is already in the ring: one last non-blocking pass. */
		ring_buffer__consume(rb);
	}
	if (consumer.err) {
		err = consumer.err;
		fprintf(stderr, "scap-capture: writing %s failed: %s; the file ends at the last whole block\n",
			env.output, strerror(-err));
	}

cleanup:
	ring_buffer__free(rb);
	{
		bool started = skel != NULL;
		uint64_t drops = started ? loader__drops(skel) : 0;
		if (started)
			loader__stop(skel);
		int cerr = writer__close(&w);
		if (cerr && !err) {
			err = cerr;
			fprintf(stderr, "scap-capture: closing %s: %s\n", env.output, strerror(-cerr));
		}
		if (started)
			fprintf(stderr, "scap-capture: %llu events, %llu drops, %llu bytes written, peak RSS %lu KiB\n",
				(unsigned long long)consumer.events, (unsigned long long)drops,
				(unsigned long long)w.bytes_written, peak_rss_kib());
	}
	return err ? 1 : 0;
}
