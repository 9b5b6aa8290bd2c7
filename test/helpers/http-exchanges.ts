// A synthetic capture of HTTP exchanges, for scap httplog against sysdig's
// httplog: nginx's worker 1310 of single_ipv6_conn reads requests and
// writes responses on its IPv4 (fd 8), IPv6 (fd 9) and unix (fd 3)
// sockets, in old enter/exit layouts (legacy-events.ts), at set times so
// that latencies are some milliseconds.

import { NGINX, read, write } from './legacy-events.js';
import type { SyntheticEvent } from './sinsp-raw.js';

const T0 = 1534527343000000000;
const ms = (n: number): number => T0 + n * 1_000_000;

export const HTTP_EXCHANGES_EVENTS: readonly SyntheticEvent[] = [
  // A request with a Host header, a response with a body length.
  ...read(NGINX, 8, 'GET /index.html HTTP/1.1\r\nHost: example.com\r\nUser-Agent: t\r\n\r\n', ms(1)),
  ...write(NGINX, 8, 'HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n<html>', undefined, ms(38)),
  // No Host; a response without Content-Length (size 0).
  ...read(NGINX, 9, 'POST /api/v1/items?x=1 HTTP/1.1\r\n\r\n{}', ms(40)),
  // Another socket's request, answered first: transactions are per process and fd.
  ...read(NGINX, 3, 'DELETE /sock HTTP/1.0\r\nHost: localhost\r\n\r\n', ms(41)),
  ...write(NGINX, 3, 'HTTP/1.0 204 No Content\r\n\r\n', undefined, ms(42.5)),
  ...write(NGINX, 9, 'HTTP/1.0 404 Not Found\r\n\r\n', undefined, ms(1040.999)),
  // Pipelined: the second request is read before the first response and is lost.
  ...read(NGINX, 8, 'GET /a HTTP/1.1\r\nHost: h:8080\r\n\r\n', ms(2000)),
  ...read(NGINX, 8, 'GET /b HTTP/1.1\r\nHost: h:8080\r\n\r\n', ms(2001)),
  ...write(NGINX, 8, 'HTTP/1.1 301 Moved Permanently\r\nContent-Length: 0\r\nLocation: /c\r\n\r\n', undefined, ms(2002)),
  // The client side: the request written, the response read; a lower-case
  // content-length is none to the chisel.
  ...write(NGINX, 9, 'PUT /upload HTTP/1.1\r\nHost: up.example\r\n\r\n', undefined, ms(3000)),
  ...read(NGINX, 9, 'HTTP/2 201 Created\r\ncontent-length: 5\r\n\r\nhello', ms(3003)),
  // Not requests: a lower-case method, a body, bytes before the method.
  ...read(NGINX, 8, 'get /lower HTTP/1.1\r\n\r\n', ms(4000)),
  ...read(NGINX, 8, '\x16\x03\x01GET /tls HTTP/1.1\r\n\r\n', ms(4001)),
  // A response before any request: nothing.
  ...write(NGINX, 8, 'HTTP/1.1 500 Internal Server Error\r\n\r\n', undefined, ms(4002)),
  // A request left open at the end.
  ...read(NGINX, 9, 'HEAD /never HTTP/1.1\r\nHost: example.org\r\n\r\n', ms(5000)),
];
