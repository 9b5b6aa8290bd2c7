// A thread's cgroups as execve and clone replace them: sinsp takes a new
// list only when every entry is `subsystem=path` (threadinfo.cpp
// set_cgroups returns at the first entry without '=', keeping the old
// list); we took any list and then printed none. A synthetic capture on
// sshd's thread of single_ipv6_conn, against what sinsp-example printed
// (EXPECTED, libs 48dfd53); when the reference is built, it is run again.
import { EVENTS, EventType as T } from '../../scapfile/schema/events.js';
import { Rng, randomParam } from '../helpers/random-events.js';
import { itPrintsAsReference, syntheticCaptureFile } from '../helpers/sinsp-raw.js';

const FORMAT = '*%evt.num %evt.type %thread.tid %thread.cgroups';
const SSHD = 1239;
const rng = new Rng(3, 3);
const hints = { fd: () => 3, tid: () => SSHD, within53Bits: true };

/** An event of `type` with values of each parameter's type, `res` and `cgroups` as given. */
function withCgroups(type: number, res: bigint, cgroups: string): { type: number; tid: number; params: Buffer[] } {
  const params = EVENTS[type]!.params.map((p) => randomParam(rng, p, hints));
  const at = EVENTS[type]!.params.findIndex((p) => p.name === 'cgroups');
  params[0] = Buffer.alloc(8);
  params[0].writeBigInt64LE(res);
  params[at] = Buffer.from(cgroups, 'latin1');
  return { type, tid: SSHD, params };
}

const CGROUP_EVENTS = [
  // A list with an entry that is no subsystem=path: sshd keeps its own.
  withCgroups(T.SYSCALL_EXECVE_19_X, 0n, 'cpu=/a\0junk\0'),
  // A well-formed list replaces it, with sinsp's subsystem names.
  withCgroups(T.SYSCALL_EXECVE_19_X, 0n, 'cpu=/b\0perf=/p\0mem_cgroup=/m\0'),
  // The parent's side of a clone with a bad list changes nothing either.
  withCgroups(T.SYSCALL_CLONE_20_X, 7001n, '\xde\xb0\xff\0'),
];

const EXPECTED = [
  '1 execve 1239 rdma=/ freezer=/ pids=/system.slice/ssh.service net_cls=/ net_prio=/ perf_event=/ blkio=/system.slice/ssh.service hugetlb=/ devices=/system.slice/ssh.service cpu=/system.slice/ssh.service cpuacct=/system.slice/ssh.service cpuset=/ memory=/system.slice/ssh.service name=systemd=/system.slice/ssh.service',
  '2 execve 1239 cpu=/b perf_event=/p memory=/m',
  '3 clone 1239 cpu=/b perf_event=/p memory=/m',
];

const file = syntheticCaptureFile('cgroups', CGROUP_EVENTS);

itPrintsAsReference('replaces a thread\'s cgroups only with a well-formed list', file, FORMAT, EXPECTED);
