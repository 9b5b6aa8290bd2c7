// SPDX-License-Identifier: Apache-2.0
#include "loader.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "scap.skel.h"
#include "scap_driver.h"

/*
 * Tail-called exit handlers are named <syscall>_x (driver/programs/); they
 * run from the sys_exit dispatcher and are never attached themselves.
 */
static int is_exit_handler(const struct bpf_program *prog)
{
	const char *name = bpf_program__name(prog);
	size_t len = strlen(name);
	return len > 2 && strcmp(name + len - 2, "_x") == 0;
}

/*
 * SCAP_RING_CPUS=N gives rings to CPUs 0..N-1 only, as on a host where the
 * others are offline: tests check that the events of a CPU without a ring
 * are counted as drops.
 */
#define RING_CPUS_ENV "SCAP_RING_CPUS"

/*
 * Set, the instructions the kernel's verifier went through for each
 * program are printed once loaded ("verifier: NAME N"): the tests keep
 * them under a budget, since a change that makes the verifier follow paths
 * twice shows there long before it hits a limit (a few did: loading took
 * 3.7 s instead of 0.9).
 */
#define VERIFIER_STATS_ENV "SCAP_CAPTURE_VERIFIER_STATS"

static void print_verifier_stats(struct bpf_object *obj)
{
	struct bpf_program *prog;
	bpf_object__for_each_program(prog, obj) {
		int fd = bpf_program__fd(prog);
		if (fd < 0)
			continue;
		struct bpf_prog_info info;
		uint32_t len = sizeof(info);
		memset(&info, 0, sizeof(info));
		if (bpf_obj_get_info_by_fd(fd, &info, &len) == 0)
			fprintf(stderr, "verifier: %s %u\n", bpf_program__name(prog), info.verified_insns);
	}
}

/*
 * How many rings to make: CPUs 0 to the highest online one. Hypervisors
 * often declare far more possible CPUs than are online (0-127 with 4
 * online), and a ring each (8 MiB by default) would pin that much kernel
 * memory for CPUs that run nothing. A CPU brought online after the start
 * has no ring: its events are counted as drops, as libs' modern_bpf does
 * when it allocates for online CPUs only. `possible` when the online list
 * cannot be read.
 */
static int ring_cpus(int possible)
{
	const char *env = getenv(RING_CPUS_ENV);
	if (env && *env) {
		long n = strtol(env, NULL, 10);
		return n >= 1 && n <= possible ? (int)n : possible;
	}
	FILE *f = fopen("/sys/devices/system/cpu/online", "re");
	if (!f)
		return possible;
	/* A list of ranges such as "0-3,8,10-11\n": the last number is the highest. */
	char line[4096];
	int highest = -1;
	if (fgets(line, sizeof(line), f)) {
		for (char *p = line; *p;) {
			if (*p >= '0' && *p <= '9') {
				long v = strtol(p, &p, 10);
				if (v > highest && v < possible)
					highest = (int)v;
			} else {
				p++;
			}
		}
	}
	fclose(f);
	return highest >= 0 ? highest + 1 : possible;
}

struct loader *loader__start(const struct loader_opts *opts)
{
	struct loader *ld = calloc(1, sizeof(*ld));
	struct scap *skel = ld ? scap__open() : NULL;
	int err;
	if (!skel) {
		fprintf(stderr, "scap-capture: cannot open the driver: %s\n", strerror(errno));
		free(ld);
		return NULL;
	}
	ld->skel = skel;
	skel->rodata->snaplen = opts->snaplen;
	skel->rodata->target_tgid = opts->target_tgid;
	skel->rodata->own_tgid = (uint32_t)getpid();
	skel->rodata->boot_ts_epoch_ns = opts->boot_ts_epoch_ns;
	if (opts->target_comm)
		strncpy((char *)skel->rodata->target_comm, opts->target_comm, sizeof(skel->rodata->target_comm) - 1);
	if (opts->syscall_wanted) {
		skel->rodata->filter_syscalls = true;
		memcpy((void *)skel->rodata->syscall_wanted, opts->syscall_wanted, sizeof(skel->rodata->syscall_wanted));
	}

	int ncpus = libbpf_num_possible_cpus();
	if (ncpus <= 0) {
		fprintf(stderr, "scap-capture: cannot count CPUs: %s\n", strerror(-ncpus));
		goto fail;
	}
	ld->ncpus = ncpus;
	ld->nrings = ring_cpus(ncpus);
	ld->ring_bytes = opts->ring_bytes;
	ld->drops = calloc((size_t)ncpus, sizeof(uint64_t));
	if (!ld->drops) {
		fprintf(stderr, "scap-capture: out of memory\n");
		goto fail;
	}
	/* A ring (and aux slots) per CPU up to the highest online one, found by bpf_get_smp_processor_id(). */
	skel->rodata->ring_mask = opts->ring_bytes - 1;
	/* A small ring is drained before it can fill: wake the consumer at a quarter of it at most. */
	skel->rodata->wake_bytes = opts->ring_bytes / 4 < SCAP_WAKEUP_CPU_BYTES ? opts->ring_bytes / 4 : SCAP_WAKEUP_CPU_BYTES;
	if ((err = bpf_map__set_max_entries(skel->maps.aux_maps, (uint32_t)ld->nrings * SCAP_AUX_SLOTS)) ||
	    (err = bpf_map__set_max_entries(skel->maps.rings, (uint32_t)ld->nrings)) ||
	    (err = bpf_map__set_value_size(skel->maps.rings, SCAP_RING_DATA_OFF + opts->ring_bytes + SCAP_RING_SLACK))) {
		fprintf(stderr, "scap-capture: cannot size the driver maps: %s\n", strerror(-err));
		goto fail;
	}
	bpf_program__set_autoload(skel->progs.sched_switch_e, (opts->kernel_events & LOADER_SCHED_SWITCH) != 0);
	bpf_program__set_autoload(skel->progs.page_fault_user_e, (opts->kernel_events & LOADER_PAGE_FAULTS) != 0);
	bpf_program__set_autoload(skel->progs.page_fault_kernel_e, (opts->kernel_events & LOADER_PAGE_FAULTS) != 0);
	bpf_program__set_autoload(skel->progs.signal_deliver_e, (opts->kernel_events & LOADER_SIGNALS) != 0);
	/* Descendants are followed through fork only with a target; without one the map stays a stub. */
	bool targeted = opts->target_tgid != 0 || opts->target_comm != NULL;
	bpf_program__set_autoload(skel->progs.sched_process_fork, targeted);
	if (!targeted && (err = bpf_map__set_max_entries(skel->maps.traced_tgids, 1))) {
		fprintf(stderr, "scap-capture: cannot size the driver maps: %s\n", strerror(-err));
		goto fail;
	}
	struct bpf_program *prog;
	bpf_object__for_each_program(prog, skel->obj) {
		if (is_exit_handler(prog))
			bpf_program__set_autoattach(prog, false);
	}
	if ((err = scap__load(skel))) {
		fprintf(stderr, "scap-capture: cannot load the driver: %s\n", strerror(-err));
		goto fail;
	}
	if (getenv(VERIFIER_STATS_ENV))
		print_verifier_stats(skel->obj);
	ld->rings_fd = bpf_map__fd(skel->maps.rings);
	ld->doorbell_fd = bpf_map__fd(skel->maps.doorbell);
	if ((err = scap__attach(skel))) {
		fprintf(stderr, "scap-capture: cannot attach the driver: %s\n", strerror(-err));
		goto fail;
	}
	return ld;
fail:
	loader__stop(ld);
	return NULL;
}

uint64_t loader__drops(struct loader *ld, uint64_t *per_cpu)
{
	uint32_t zero = 0;
	uint64_t total = 0;
	/* A per-CPU array reads as one value per possible CPU, the rings' numbering. */
	if (bpf_map_lookup_elem(bpf_map__fd(ld->skel->maps.drops), &zero, ld->drops) != 0)
		memset(ld->drops, 0, (size_t)ld->ncpus * sizeof(uint64_t));
	for (int i = 0; i < ld->ncpus; i++) {
		total += ld->drops[i];
		if (per_cpu)
			per_cpu[i] = ld->drops[i];
	}
	return total;
}

void loader__detach(struct loader *ld)
{
	scap__detach(ld->skel);
}

void loader__stop(struct loader *ld)
{
	if (!ld)
		return;
	scap__destroy(ld->skel);
	free(ld->drops);
	free(ld);
}
