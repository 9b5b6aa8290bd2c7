-- DuckDB queries over `scap export` output (duckdb CLI, or @duckdb/node-api).
-- Make the tables first:
--   scap export trace.scap -o events.parquet
--   scap export trace.scap -o processes.parquet --table processes
--   scap export trace.scap -o connections.parquet --table connections
--   scap export trace.scap -o files.parquet --table files
-- Every query below is run on a bundled capture by test/convert/queries.test.ts.

-- Top processes by syscalls (procinfo and switch are not syscalls: their
-- categories are internal and scheduler).
SELECT proc_name, pid, count(*) AS syscalls
FROM 'events.parquet'
WHERE category NOT IN ('internal', 'scheduler')
GROUP BY ALL
ORDER BY syscalls DESC, pid
LIMIT 10;

-- Files a process opened (here: every process named curl), and how; add
-- AND type IN ('write', 'pwrite', 'writev', 'pwritev') for the files it wrote.
SELECT fd_name, list(DISTINCT type ORDER BY type) AS syscalls
FROM 'events.parquet'
WHERE proc_name = 'curl' AND fd_type = 'file'
GROUP BY fd_name
ORDER BY fd_name;

-- Connections by destination: the server side of each connected socket.
SELECT regexp_extract(fd_name, '->(.*)$', 1) AS destination, proc_name, count(*) AS connects
FROM 'events.parquet'
WHERE type = 'connect' AND fd_name LIKE '%->%'
GROUP BY ALL
ORDER BY connects DESC, destination;

-- Who started what: each process seen during the capture with its parent's
-- name and exit code (start is null when the clone was not captured).
SELECT c.pid, c.comm, p.comm AS parent, c.cmdline, c.exit_code
FROM 'processes.parquet' c LEFT JOIN 'processes.parquet' p ON c.ppid = p.pid
WHERE c.first_seen IS NOT NULL
ORDER BY coalesce(c.start, c.first_seen);

-- Failed syscalls by error, per process.
SELECT proc_name, errno, count(*) AS failures
FROM 'events.parquet'
WHERE errno IS NOT NULL
GROUP BY ALL
ORDER BY failures DESC
LIMIT 10;

-- Traffic by destination: bytes each way per server, from the connections
-- table (one row per socket connection; its open time and who opened it).
-- Where both ends of a TCP connection are in the capture (loopback, a host
-- talking to itself) the accepting end's row holds the same bytes the other
-- way round: it is left out, so each connection counts once, from its
-- client. (Two local UDP sockets still show from both ends.)
SELECT sip, sport, l4proto, proc_name, count(*) AS connections,
       sum(bytes_out) AS bytes_sent, sum(bytes_in) AS bytes_received
FROM 'connections.parquet'
WHERE opened_by NOT IN ('accept', 'accept4')
GROUP BY ALL
ORDER BY bytes_sent + bytes_received DESC, sip, sport;

-- What each process read and wrote, file by file, from the files table (one
-- row per open file; opened_by and flags say how it was opened).
SELECT proc_name, name, count(*) AS opens, sum(bytes_in) AS bytes_read, sum(bytes_out) AS bytes_written
FROM 'files.parquet'
GROUP BY ALL
ORDER BY bytes_written DESC, bytes_read DESC, name
LIMIT 20;
