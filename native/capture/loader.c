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

struct scap *loader__start(const struct loader_opts *opts)
{
	struct scap *skel = scap__open();
	int err;
	if (!skel) {
		fprintf(stderr, "scap-capture: cannot open the driver: %s\n", strerror(errno));
		return NULL;
	}
	skel->rodata->snaplen = opts->snaplen;
	skel->rodata->target_tgid = opts->target_tgid;
	skel->rodata->own_tgid = (uint32_t)getpid();
	skel->rodata->boot_ts_epoch_ns = opts->boot_ts_epoch_ns;

	int ncpus = libbpf_num_possible_cpus();
	if (ncpus <= 0) {
		fprintf(stderr, "scap-capture: cannot count CPUs: %s\n", strerror(-ncpus));
		goto fail;
	}
	if ((err = bpf_map__set_max_entries(skel->maps.aux_maps, (uint32_t)ncpus)) ||
	    (err = bpf_map__set_max_entries(skel->maps.events, opts->ring_bytes))) {
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
	if ((err = scap__attach(skel))) {
		fprintf(stderr, "scap-capture: cannot attach the driver: %s\n", strerror(-err));
		goto fail;
	}
	return skel;
fail:
	scap__destroy(skel);
	return NULL;
}

int loader__ring_fd(struct scap *skel)
{
	return bpf_map__fd(skel->maps.events);
}

uint64_t loader__drops(struct scap *skel)
{
	int ncpus = libbpf_num_possible_cpus();
	if (ncpus <= 0)
		return 0;
	uint64_t *values = calloc((size_t)ncpus, sizeof(uint64_t));
	uint32_t zero = 0;
	uint64_t total = 0;
	if (values && bpf_map_lookup_elem(bpf_map__fd(skel->maps.drops), &zero, values) == 0)
		for (int i = 0; i < ncpus; i++)
			total += values[i];
	free(values);
	return total;
}

void loader__detach(struct scap *skel)
{
	scap__detach(skel);
}

void loader__stop(struct scap *skel)
{
	scap__destroy(skel);
}
