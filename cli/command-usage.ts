// What each command is called and what it does, apart from its code: the
// top-level help and the list of commands need only these, so `scap --help`
// and a mistyped command do not load every command's modules.

export const COMMAND_USAGE = {
  info: {
    command: 'info <file>',
    describe: 'Summarise a capture: format, machine, blocks, events by type, time span, state',
  },
  read: {
    command: 'read <file>',
    describe: 'Print the events of a capture (plain, gzip or zstd; - for stdin)',
  },
  convert: {
    command: 'convert <file>',
    describe: 'Rewrite a capture as scap (plain, .gz or .zst), optionally upgrading old event layouts',
  },
  cut: {
    command: 'cut <file>',
    describe: 'Write a slice of a capture (time window, event types, threads, filter) that keeps its process and fd names',
  },
  merge: {
    command: 'merge <files..>',
    describe: 'Merge captures by timestamp (hosts of one incident, rotated pieces), state blocks combined',
  },
  fields: {
    command: 'fields [match]',
    describe: 'List the fields of -p, -j and -f (sysdig -l), optionally only those whose name or description contains MATCH',
  },
  events: {
    command: 'events [match]',
    describe: 'List the event types and their parameters (sysdig -L): the names of evt.type and evt.arg.NAME, optionally only events whose name contains MATCH',
  },
  ptree: {
    command: 'ptree <file>',
    describe: 'Print the process tree of a capture: who started what, exec chains, exits',
  },
  lsof: {
    command: 'lsof <file>',
    describe: "List every thread's open files and sockets at a point of a capture (sysdig's lsof chisel): its start, a time, or its end",
  },
  netstat: {
    command: 'netstat <file>',
    describe: "List the IP sockets of every thread at a point of a capture (sysdig's netstat chisel): server and client ends, LISTEN or ESTABLISHED",
  },
  ps: {
    command: 'ps <file>',
    describe: "List the threads at a point of a capture with their user, memory and fd limit (sysdig's ps chisel)",
  },
  'echo-fds': {
    command: 'echo-fds <file>',
    describe: "Print the data each read and write moved, call by call, under a header naming the file or connection and the process (sysdig's echo_fds chisel)",
  },
  stdin: {
    command: 'stdin <file>',
    describe: "Print what processes read from their standard input, call by call (sysdig's stdin chisel)",
  },
  stdout: {
    command: 'stdout <file>',
    describe: "Print what processes wrote to their standard output, call by call (sysdig's stdout chisel)",
  },
  stderr: {
    command: 'stderr <file>',
    describe: "Print what processes wrote to their standard error, call by call (sysdig's stderr chisel)",
  },
  httplog: {
    command: 'httplog <file>',
    describe: "Print a line per HTTP request and its response: time, direction, method, URL, status, latency, size (sysdig's httplog chisel)",
  },
  httptop: {
    command: 'httptop <file>',
    describe: "Rank the HTTP requests of a capture by method and URL: calls, mean latency or bytes (sysdig's httptop chisel)",
  },
  iobytes: {
    command: 'iobytes <file>',
    describe: "Print the bytes read and written per second of the capture, on every fd, files or IP sockets (sysdig's iobytes, iobytes_file and iobytes_net chisels)",
  },
  'proc-exec-time': {
    command: 'proc-exec-time <file>',
    describe: "List the processes that ended, with how long they ran, coloured by run time (sysdig's proc_exec_time chisel)",
  },
  'spy-file': {
    command: 'spy-file <file>',
    describe: "Print each read and write of a file with its time, process, size and data (sysdig's spy_file chisel)",
  },
  'spy-logs': {
    command: 'spy-logs <file>',
    describe: "Print what processes wrote to log files, line by line, after the process and file (sysdig's spy_logs chisel)",
  },
  'spy-users': {
    command: 'spy-users <file>',
    describe: "List the programs users start from shells and the directories shells move to, indented under their shell (sysdig's spy_users chisel)",
  },
  stats: {
    command: 'stats <file> [tables..]',
    describe: "Top processes, files, connections and system calls of a capture, as sysdig's top* chisels print them",
  },
  export: {
    command: 'export <file>',
    describe: 'Write a capture as a table: Parquet, Arrow IPC file, Arrow IPC stream on stdout, or a partitioned Parquet dataset',
  },
  capture: {
    command: 'capture',
    describe: 'Record a live capture with the scapkit eBPF driver (root; runs build/scap-capture)',
  },
  live: {
    command: 'live',
    describe: 'Capture syscalls of the running system (root; eBPF) and print them, or write them with -w',
  },
} as const;

/** A command's name. */
export type CommandName = keyof typeof COMMAND_USAGE;
