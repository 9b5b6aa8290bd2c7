// SPDX-License-Identifier: Apache-2.0
/*
 * scap-capture: records a scap capture with the scapkit eBPF driver.
 *
 *   scap-capture -w FILE [-n COUNT] [-M SECONDS] [-s SNAPLEN] [--pid PID] [--comm NAME]
 *                [--syscalls LIST] [--sched-switch] [--page-faults] [--signals]
 *                [-z | --compress gzip|zstd|none] [-C MB] [-G SECS] [-W N] [--stats] [--overwrite]
 *
 * Lifecycle: parse args -> signals -> open the output (0600) -> load and
 * attach the driver -> write the /proc state -> poll the per-CPU rings,
 * one event block per record in timestamp order -> stop on a signal, the
 * count, the duration or a write error -> one cleanup path that leaves a
 * valid file.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>
#include <bpf/libbpf.h>

#include "codec.h"
#include "gen/events.h"
#include "loader.h"
#include "output.h"
#include "proc_scan.h"
#include "rings.h"
#include "scap_driver.h"
#include "writer.h"

static struct env {
	const char *output;
	uint64_t max_events;
	double max_seconds;
	uint32_t snaplen;
	uint32_t pid;
	const char *comm;
	/* NULL unless --syscalls: SCAP_SYSCALL_TABLE_SIZE flags. */
	uint8_t *syscall_wanted;
	enum codec_kind compression;
	uint64_t rotate_bytes;
	double rotate_seconds;
	uint32_t max_files;
	/* 0: SCAP_DEFAULT_RING_BYTES. */
	uint32_t ring_bytes;
	/* LOADER_* bits of --sched-switch, --page-faults, --signals. */
	unsigned kernel_events;
	bool stats;
	bool overwrite;
	bool verbose;
} env = { .snaplen = SCAP_DEFAULT_SNAPLEN };

/* Set by a stop signal or at the -M deadline: what the rings hold then was recorded in time, and is kept. */
static volatile sig_atomic_t exiting;

struct consumer {
	struct output *out;
	uint64_t events;
	uint64_t max_events;
	int err;
	/* 0, or the CLOCK_MONOTONIC second after which a poll returns (see on_record). */
	double stop_at;
	uint32_t since_clock;
};

/* on_record's answer when its time is up: rings__consume stops and returns it. */
#define POLL_TIME_UP (-EAGAIN)
/* How long one poll may keep consuming, so signals, -M, rotation and --stats are seen under load. */
#define POLL_BUDGET_S 0.2
/* How long the last pass over the rings may take after a stop signal. */
#define FINAL_DRAIN_S 2.0

static const char usage[] =
	"usage: scap-capture -w FILE [options]\n"
	"  -w, --write FILE      output capture (created 0600; refuses an existing file;\n"
	"                        later rotated names replace what is there, as sysdig)\n"
	"  -n, --count N         stop after N events (N >= 1)\n"
	"  -M, --duration SECS   stop after SECS seconds (a decimal number)\n"
	"  -s, --snaplen BYTES   bytes of I/O buffers to keep (default 80, max 16384)\n"
	"  -p, --pid PID         capture only PID and its descendants\n"
	"      --comm NAME       capture only threads named NAME and their descendants\n"
	"                        (with --pid: either)\n"
	"      --syscalls LIST   capture only these syscalls (comma-separated names;\n"
	"                        procexit is always kept)\n"
	"      --sched-switch    also record context switches (switch events)\n"
	"      --page-faults     also record page faults (page_fault events)\n"
	"      --signals         also record signal deliveries (signaldeliver events)\n"
	"  -z, --compress[=KIND] gzip (the default of -z), zstd or none\n"
	"  -C, --rotate-mb MB    start a new file when this one reaches MB megabytes\n"
	"  -G, --rotate-secs S   start a new file every S seconds\n"
	"  -W, --max-files N     with -C/-G keep at most N files (names wrap around)\n"
	"                        rotated files are FILE0, FILE1... (padded to N's digits);\n"
	"                        with -G and a '%' in FILE, strftime(FILE) at each start\n"
	"      --ring-bytes N    each CPU's ring: a power of two from 65536 to 1073741824\n"
	"                        (default 8388608)\n"
	"      --stats           print events, drops and bytes every second\n"
	"      --overwrite       replace FILE if it exists (once the driver is loaded;\n"
	"                        a device or pipe is written to, never truncated)\n"
	"  -v, --verbose         print libbpf messages\n"
	"      --version         print the version of scap-capture, its event layouts and libbpf\n";

/*
 * Marks every x86_64 syscall number of each name in `list`: a name can have
 * several numbers (the ppm_sc code they share), found through the native ->
 * ppm_sc table.
 */
static int parse_syscalls(const char *list)
{
	static const struct { const char *name; uint16_t nr; } by_name[] = SCAP_NR_BY_NAME_INIT;
	static const uint16_t to_ppm_sc[SCAP_SYSCALL_TABLE_SIZE] = SCAP_NATIVE_TO_PPM_SC_X86_64_INIT;
	char *copy = strdup(list);
	env.syscall_wanted = calloc(SCAP_SYSCALL_TABLE_SIZE, 1);
	if (!copy || !env.syscall_wanted) {
		free(copy);
		return -1;
	}
	int n = 0;
	for (char *save = NULL, *name = strtok_r(copy, ",", &save); name; name = strtok_r(NULL, ",", &save)) {
		size_t i = 0;
		while (i < sizeof(by_name) / sizeof(by_name[0]) && strcmp(by_name[i].name, name) != 0)
			i++;
		if (i == sizeof(by_name) / sizeof(by_name[0])) {
			fprintf(stderr, "scap-capture: --syscalls: unknown syscall '%s' (names as in `man 2 syscalls`, x86_64)\n", name);
			free(copy);
			return -1;
		}
		uint16_t sc = to_ppm_sc[by_name[i].nr];
		for (int nr = 0; nr < SCAP_SYSCALL_TABLE_SIZE; nr++)
			if (to_ppm_sc[nr] == sc)
				env.syscall_wanted[nr] = 1;
		n++;
	}
	free(copy);
	if (!n) {
		fputs("scap-capture: --syscalls: name at least one syscall\n", stderr);
		return -1;
	}
	return 0;
}

/*
 * A count: decimal digits only. strtoull alone takes "-5" (as 2^64 - 5),
 * leading blanks and "+"; 0 is refused by the callers that need it.
 */
static bool parse_count(const char *s, uint64_t *out)
{
	if (!*s)
		return false;
	for (const char *p = s; *p; p++)
		if (!isdigit((unsigned char)*p))
			return false;
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || *end)
		return false;
	*out = v;
	return true;
}

/*
 * A positive decimal number (seconds, megabytes): strtod alone also takes
 * hex ("0x2"), "nan" (a deadline never reached), "inf" and a sign.
 */
static bool parse_positive(const char *s, double *out)
{
	if (!isdigit((unsigned char)*s) && *s != '.')
		return false;
	if (s[strspn(s, "0123456789.eE+-")] != 0)
		return false;
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (errno || *end || !isfinite(v) || !(v > 0))
		return false;
	*out = v;
	return true;
}

/* Long-only options. */
enum {
	OPT_OVERWRITE = 256, OPT_COMM, OPT_SYSCALLS, OPT_COMPRESS, OPT_STATS, OPT_RING_BYTES,
	OPT_SCHED_SWITCH, OPT_PAGE_FAULTS, OPT_SIGNALS, OPT_VERSION,
};

static int parse_args(int argc, char **argv)
{
	static const struct option opts[] = {
		{"write", required_argument, NULL, 'w'}, {"count", required_argument, NULL, 'n'},
		{"duration", required_argument, NULL, 'M'}, {"snaplen", required_argument, NULL, 's'},
		{"pid", required_argument, NULL, 'p'}, {"comm", required_argument, NULL, OPT_COMM},
		{"syscalls", required_argument, NULL, OPT_SYSCALLS},
		{"sched-switch", no_argument, NULL, OPT_SCHED_SWITCH}, {"page-faults", no_argument, NULL, OPT_PAGE_FAULTS},
		{"signals", no_argument, NULL, OPT_SIGNALS},
		{"compress", required_argument, NULL, OPT_COMPRESS},
		{"rotate-mb", required_argument, NULL, 'C'}, {"rotate-secs", required_argument, NULL, 'G'},
		{"max-files", required_argument, NULL, 'W'}, {"stats", no_argument, NULL, OPT_STATS},
		{"ring-bytes", required_argument, NULL, OPT_RING_BYTES},
		{"overwrite", no_argument, NULL, OPT_OVERWRITE},
		{"verbose", no_argument, NULL, 'v'}, {"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, OPT_VERSION}, {0},
	};
	int c;
	const char *what = "", *why = "";
	while ((c = getopt_long(argc, argv, "w:n:M:s:p:zC:G:W:vh", opts, NULL)) != -1) {
		errno = 0;
		why = "";
		switch (c) {
		case 'w': env.output = optarg; break;
		case 'n':
			/* sysdig refuses 0 too: "no events" is no capture, and no limit is the default. */
			what = "-n", why = "a whole number of events, at least 1";
			if (!parse_count(optarg, &env.max_events) || env.max_events == 0) goto bad;
			break;
		case 'M':
			what = "-M", why = "seconds, a decimal number above 0";
			if (!parse_positive(optarg, &env.max_seconds)) goto bad;
			break;
		case 's': {
			_Static_assert(SCAP_MAX_SNAPLEN == 16384, "the usage and this message say 16384");
			what = "-s", why = "bytes of I/O data, 0 to 16384";
			uint64_t v;
			if (!parse_count(optarg, &v) || v > SCAP_MAX_SNAPLEN) goto bad;
			env.snaplen = (uint32_t)v;
			break;
		}
		case 'p': {
			what = "--pid";
			uint64_t v;
			if (!parse_count(optarg, &v) || v == 0 || v > UINT32_MAX) goto bad;
			env.pid = (uint32_t)v;
			break;
		}
		case OPT_COMM:
			what = "--comm";
			/* The kernel keeps TASK_COMM_LEN - 1 bytes of a name: a longer one never matches. */
			if (!*optarg || strlen(optarg) >= SCAP_COMM_LEN) goto bad;
			env.comm = optarg;
			break;
		case OPT_SYSCALLS:
			if (parse_syscalls(optarg)) return -1;
			break;
		case 'z': env.compression = CODEC_GZIP; break;
		case OPT_COMPRESS: what = "--compress"; if (codec__parse(optarg, &env.compression)) goto bad; break;
		case 'C': {
			/* Megabytes as sysdig counts them (10^6 bytes, sinsp_cycledumper); a
			 * size under a byte would turn size rotation off without a word. */
			what = "-C", why = "megabytes of 10^6 bytes, from 0.000001 to 1000000000";
			double mb;
			if (!parse_positive(optarg, &mb) || mb > 1e9 || (uint64_t)(mb * 1e6) == 0) goto bad;
			env.rotate_bytes = (uint64_t)(mb * 1e6);
			break;
		}
		case 'G':
			what = "-G", why = "seconds, a decimal number above 0";
			if (!parse_positive(optarg, &env.rotate_seconds)) goto bad;
			break;
		case 'W': {
			what = "-W";
			uint64_t v;
			if (!parse_count(optarg, &v) || v == 0 || v > 1000000) goto bad;
			env.max_files = (uint32_t)v;
			break;
		}
		case OPT_RING_BYTES: {
			what = "--ring-bytes";
			uint64_t v;
			if (!parse_count(optarg, &v) || v < (64u << 10) || v > (1u << 30) || (v & (v - 1))) goto bad;
			env.ring_bytes = (uint32_t)v;
			break;
		}
		case OPT_SCHED_SWITCH: env.kernel_events |= LOADER_SCHED_SWITCH; break;
		case OPT_PAGE_FAULTS: env.kernel_events |= LOADER_PAGE_FAULTS; break;
		case OPT_SIGNALS: env.kernel_events |= LOADER_SIGNALS; break;
		case OPT_STATS: env.stats = true; break;
		case OPT_OVERWRITE: env.overwrite = true; break;
		case 'v': env.verbose = true; break;
		case 'h': fputs(usage, stdout); exit(0);
		case OPT_VERSION:
			printf("scap-capture %s (scapkit; event layouts of falcosecurity/libs %s; libbpf %u.%u)\n",
			       SCAPKIT_VERSION, SCAP_SCHEMA_ORIGIN, libbpf_major_version(), libbpf_minor_version());
			exit(0);
		default: fputs(usage, stderr); return -1;
		}
	}
	if (!env.output || optind != argc) {
		fputs(usage, stderr);
		return -1;
	}
	if (env.max_files && !env.rotate_bytes && !(env.rotate_seconds > 0)) {
		fputs("scap-capture: -W needs -C or -G (it limits the rotated files)\n", stderr);
		return -1;
	}
	return 0;
bad:
	fprintf(stderr, "scap-capture: bad value for %s: '%s'%s%s%s\n", what, optarg, *why ? " (" : "", why, *why ? ")" : "");
	fputs(usage, stderr);
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

/*
 * Run by a wrapper (`scap capture` sets SCAP_CAPTURE_STOP_WITH_PARENT=1):
 * stop as on SIGTERM when the wrapper dies, even by SIGKILL (the OOM
 * killer, a cancelled CI job), instead of recording on with the driver
 * loaded until the disk is full. Run standalone, a parent's exit means
 * nothing (nohup, a shell that exits).
 */
static void stop_with_parent(void)
{
	const char *v = getenv("SCAP_CAPTURE_STOP_WITH_PARENT");
	if (!v || strcmp(v, "1") != 0)
		return;
	pid_t parent = getppid();
	if (prctl(PR_SET_PDEATHSIG, SIGTERM) != 0)
		return;
	/* The parent may have gone before the call: then no signal will come. */
	if (getppid() != parent)
		exiting = 1;
}

/* Each ring record is an EV_V2 block body (u16 cpu + event): written as is. */
static int on_record(void *ctx, void *data, size_t size)
{
	struct consumer *c = ctx;
	if (c->max_events && c->events >= c->max_events)
		return POLL_TIME_UP;
	unsigned files = c->out->files;
	int err = output__append_event(c->out, data, size);
	if (err) {
		c->err = err;
		return err;
	}
	c->events++;
	/*
	 * rings__consume goes on while records are there, which under load
	 * is always: look at the clock every 256 records and end the pass
	 * when its budget is spent; and after a rotation, which scans /proc
	 * (with small -C files every few records: 256 of them took 20 s, and
	 * -M or a signal waited that long). The record is consumed before
	 * we are called, so returning an error loses nothing.
	 */
	if (c->stop_at && (c->out->files != files || ++c->since_clock >= 256)) {
		c->since_clock = 0;
		if (output__now() >= c->stop_at)
			return POLL_TIME_UP;
	}
	/* Held while the state is scanned, and no room for more: wait for the scan (output__tick). */
	if (output__hold_full(c->out))
		return POLL_TIME_UP;
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

/* Once a second with --stats: totals so far and the event rate since the last line. */
struct stats_clock {
	double last_at;
	uint64_t last_events;
};

/*
 * " (drops per CPU: a b ...)", in CPU order: which CPU's ring was too small
 * or read too late. The CPUs with a ring, and any past them with drops (one
 * brought online after the start, which has no ring).
 */
static void print_drops_per_cpu(const uint64_t *per_cpu, int nrings, int ncpus)
{
	int n = nrings;
	for (int i = ncpus - 1; i >= n; i--) {
		if (per_cpu[i]) {
			n = i + 1;
			break;
		}
	}
	fputs(" (drops per CPU:", stderr);
	for (int i = 0; i < n; i++)
		fprintf(stderr, " %llu", (unsigned long long)per_cpu[i]);
	fputc(')', stderr);
}

/* The totals so far and the drops per CPU. */
static void print_stats(struct stats_clock *sc, double now, uint64_t events, struct loader *ld, const struct output *out)
{
	double dt = now - sc->last_at;
	if (dt < 1.0)
		return;
	uint64_t per_cpu[ld->ncpus];
	uint64_t drops = loader__drops(ld, per_cpu);
	fprintf(stderr, "scap-capture: stats: %llu events, %.0f events/s, %llu drops, %llu bytes written, %u files",
		(unsigned long long)events, (double)(events - sc->last_events) / dt,
		(unsigned long long)drops, (unsigned long long)output__bytes(out), out->files);
	print_drops_per_cpu(per_cpu, ld->nrings, ld->ncpus);
	fputc('\n', stderr);
	sc->last_at = now;
	sc->last_events = events;
}

int main(int argc, char **argv)
{
	struct output out = { 0 };
	struct loader *ld = NULL;
	struct rings *rings = NULL;
	struct consumer consumer = { .out = &out };
	int err = 0;

	if (parse_args(argc, argv))
		return 2;
	libbpf_set_print(libbpf_print);

	struct sigaction sa = { .sa_handler = on_signal };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	stop_with_parent();
	/* A vanished pipe reader must not kill us before the file is finished. */
	signal(SIGPIPE, SIG_IGN);

	out.base = env.output;
	out.overwrite = env.overwrite;
	out.compression = env.compression;
	out.rotate_bytes = env.rotate_bytes;
	out.rotate_seconds = env.rotate_seconds;
	out.max_files = env.max_files;
	/* Before loading the driver: an unwritable output fails fast. */
	if ((err = output__open(&out))) {
		output__close(&out);
		return 1;
	}

	struct loader_opts lo = {
		.snaplen = env.snaplen,
		.target_tgid = env.pid,
		.ring_bytes = env.ring_bytes ? env.ring_bytes : SCAP_DEFAULT_RING_BYTES,
		.boot_ts_epoch_ns = boot_ts_epoch_ns(),
		.target_comm = env.comm,
		.syscall_wanted = env.syscall_wanted,
		.kernel_events = env.kernel_events,
	};
	ld = loader__start(&lo);
	if (!ld) {
		err = -EPERM;
		/* Nothing was captured: leave no half-made file behind, and an
		 * existing one that --overwrite would have replaced as it was. */
		output__abandon(&out);
		goto cleanup;
	}
	rings = rings__new(ld->rings_fd, ld->doorbell_fd, ld->nrings, ld->ring_bytes, lo.boot_ts_epoch_ns, on_record, &consumer);
	if (!rings) {
		err = -errno;
		fprintf(stderr, "scap-capture: cannot map the ring buffers: %s\n", strerror(-err));
		goto cleanup;
	}
	consumer.max_events = env.max_events;
	/*
	 * State after attaching: whatever changes during the scan is in the
	 * events, which the loop below drains meanwhile (output.h).
	 */
	if ((err = output__begin_state(&out)))
		goto cleanup;

	/* When the state was in and the ready line printed (0: still scanning). */
	double ready_at = 0, deadline = 0;
	struct stats_clock sc = { 0 };
	while (!exiting) {
		consumer.stop_at = output__now() + POLL_BUDGET_S;
		/* The driver rings the doorbell only each time a CPU has put
		 * another wake interval of bytes in its ring (store.bpf.h), so
		 * a quiet system raises no epoll event: rings__poll also reads
		 * the rings on every timeout. */
		int n = rings__poll(rings, SCAP_POLL_MS);
		if (n == -EINTR || (n == POLL_TIME_UP && !consumer.err))
			n = 0;
		if (n < 0) {
			if (n == -EPROTO)
				fputs("scap-capture: a ring holds a record of impossible length (a driver bug); "
				      "the file ends with the last whole event before it\n", stderr);
			else if (!consumer.err)
				fprintf(stderr, "scap-capture: polling the ring buffers: %s\n", strerror(-n));
			err = consumer.err ? consumer.err : n;
			break;
		}
		if (env.max_events && consumer.events >= env.max_events)
			break;
		double now = output__now();
		if (deadline && now >= deadline) {
			exiting = 1;
			break;
		}
		if ((consumer.err = output__tick(&out, now)))
			break;
		if (!ready_at && !output__scanning(&out)) {
			/* Ready: tests and wrappers wait for this line before starting a workload. */
			fprintf(stderr, "scap-capture: capturing to %s (%u threads, %u fds in the initial state%s%s)\n",
				out.path, out.scan.threads, out.scan.fds,
				env.compression != CODEC_NONE ? ", " : "", env.compression != CODEC_NONE ? codec__name(env.compression) : "");
			ready_at = now;
			deadline = env.max_seconds > 0 ? ready_at + env.max_seconds : 0;
			sc.last_at = ready_at;
		}
		if (env.stats && ready_at)
			print_stats(&sc, now, consumer.events, ld, &out);
	}
	if (!err && !consumer.err && exiting) {
		/* Keep what is already in the rings: detached, the driver adds
		 * nothing more, so one last pass empties them, unless writing it
		 * takes longer than a user waiting for a stop should wait (full
		 * rings with small -C files rotate many times). */
		loader__detach(ld);
		/* Stopped during a scan: the state first, then the rings straight into the file. */
		if ((consumer.err = output__settle_state(&out)))
			goto cleanup;
		consumer.stop_at = output__now() + FINAL_DRAIN_S;
		int n;
		/* A pass ended by a full hold (a rotation's scan): the state in, then on. */
		while ((n = rings__consume(rings, true)) == POLL_TIME_UP && !consumer.err && output__hold_full(&out) &&
		       output__now() < consumer.stop_at)
			consumer.err = output__settle_state(&out);
		if (n == POLL_TIME_UP && !consumer.err) {
			uint64_t left = rings__left(rings);
			if (left)
				fprintf(stderr, "scap-capture: stopped writing after %.0f s of the last pass: %llu events "
					"still in the rings are not in the file\n", FINAL_DRAIN_S, (unsigned long long)left);
		}
	}
	if (consumer.err) {
		err = consumer.err;
		if (!out.reported)
			fprintf(stderr, "scap-capture: writing %s failed: %s; the file ends at the last whole block\n",
				out.path, strerror(-err));
	}

cleanup:
	rings__free(rings);
	{
		bool started = ld != NULL;
		uint64_t per_cpu[started ? ld->ncpus : 1];
		uint64_t drops = started ? loader__drops(ld, per_cpu) : 0;
		/* What the summary prints of the loader, which is gone by then. */
		int nrings = started ? ld->nrings : 0, ncpus = started ? ld->ncpus : 0;
		if (started)
			loader__stop(ld);
		int cerr = output__close(&out);
		if (cerr && !err)
			err = cerr;
		if (started) {
			/* Events that reached the files: after a write error, fewer than were read from the rings. */
			uint64_t written = output__events_written(&out);
			fprintf(stderr, "scap-capture: %llu events, %llu drops, %llu bytes written in %u file%s, peak RSS %lu KiB",
				(unsigned long long)written, (unsigned long long)drops,
				(unsigned long long)output__bytes(&out), out.files, out.files == 1 ? "" : "s",
				peak_rss_kib());
			print_drops_per_cpu(per_cpu, nrings, ncpus);
			fputc('\n', stderr);
			if (written != consumer.events)
				fprintf(stderr, "scap-capture: %llu events were read from the rings, %llu of them did not reach the file%s\n",
					(unsigned long long)consumer.events, (unsigned long long)(consumer.events - written),
					out.files == 1 ? "" : "s");
			if (written == 0 && out.files > 0)
				fprintf(stderr, "scap-capture: warning: %s holds no events (nothing was captured); "
					"libscap (sysdig, Falco) will not open such a file\n", out.path);
		}
	}
	free(env.syscall_wanted);
	return err ? 1 : 0;
}
