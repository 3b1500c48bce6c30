/* models/http.h — HTTP/1.1 persistent connections over TcpConn
 * (SEMANTICS.md S33–S37, RFC 9112 §9.3 and §9.5, RFC 9110 §9.2.2).
 *
 * Modelled: an HTTP/1.1 server side per accepted connection with nginx's
 * rules (idle timeout K_s after each response, a budget of M requests with
 * `Keep-Alive: max=M-k+1` and `Connection: close` on the M-th response, a
 * service time per request), and a client with a pool of persistent
 * connections in the style of Go's net/http Transport (most recently used
 * idle connection first, at most client_pool_max connections, FIFO queue
 * beyond it, idle timeout K_c, pooled sockets watched for FIN and RST, one
 * retry of an idempotent request on a new connection when a reused one
 * fails before any response byte).
 * Messages are byte counts: the server knows a request is complete when
 * request_bytes have arrived, the client knows a response is complete when
 * response_bytes have.  Headers are not carried; what a header would say is
 * a pure function of the shared HttpConfig and the response number k, so
 * both ends compute it (http_response_max, http_response_closes).
 * Left out: pipelining (one request at a time per connection), HTTP/1.0,
 * HTTP/2 and 3, request timeouts in the client (a request on a
 * black-holed connection waits for TCP's own ETIMEDOUT, S37), nginx's
 * client_header_timeout and lingering close, Apache's M+1 rule (set M one
 * higher, S35), non-idempotent requests (every request may be retried).
 *
 * Ownership: the owner (the World, or a test) owns every TcpConn.  The
 * client asks for a new connection through HttpClientOps.open and starts it
 * with tcp_conn_connect; the owner routes the TcpOps callbacks of each
 * connection to http_client_* or http_server_* and may free a TcpConn once
 * it has passed on_closed to HTTP.  HTTP never frees a TcpConn.  Reactions
 * to TCP callbacks (writes, closes, dispatching queued requests) run from
 * HTTP's own SimTimers at the same instant, never inside the callback, so
 * TCP is not re-entered (as in app.c).
 */
#pragma once

#include <glib.h>
#include "sim/sim.h"
#include "sim/scenario.h"
#include "models/packet.h"
#include "models/tcp.h"
#include "models/latency.h"

G_BEGIN_DECLS

/* [http] keys plus the message sizes of [app].  Shared by client and
 * server of a World, borrowed, never copied by HTTP objects. */
typedef struct {
  SimTime  server_keepalive_timeout;  /* K_s; 0 = keep-alive off: every
                                       * response carries Connection: close */
  guint32  server_keepalive_max;      /* M; 0 = no request limit */
  SimTime  client_pool_idle_timeout;  /* K_c; 0 = no limit (Go: 0 = none) */
  guint32  client_pool_max;           /* connections per client, >= 1 */
  gboolean retry_idempotent;          /* S37 one retry on a new connection */
  SimTime  service_time;              /* server time per request, >= 0 */
  guint32  request_bytes;             /* [app] request_bytes, >= 1 */
  guint32  response_bytes;            /* [app] response_bytes, >= 1 */
} HttpConfig;

/* DESIGN.md's [http] example values (5 s, 100, 90 s, 1, off, 10 ms) and
 * the [app] message defaults. */
void     http_config_init_defaults (HttpConfig *cfg);
/* Reads the [http] keys over the values in @cfg (not the [app] sizes: the
 * World copies those).  FALSE with the scenario reader's one-line error. */
gboolean http_config_load          (HttpConfig *cfg, SimScenario *sc,
                                    GError **error);

/* Keep-Alive `max` value of response @k (k >= 1) on one connection: M-k+1
 * (100, 99, ... for M = 100, S35); 0 when M = 0 (no max advertised). */
guint    http_response_max         (const HttpConfig *cfg, guint32 k);
/* TRUE if response @k carries Connection: close, after which the server
 * closes: k = M (nginx keepalive_requests, S35), or K_s = 0. */
gboolean http_response_closes      (const HttpConfig *cfg, guint32 k);

/* ---- client ---------------------------------------------------------- */

typedef struct _HttpClient HttpClient;

/* Per-request outcome (S37). */
typedef enum {
  HTTP_OK = 0,        /* answered on the first attempt */
  HTTP_RETRIED,       /* first attempt failed, the retry was answered */
  HTTP_FAILED,        /* reset, timeout, or closed before the response */
} HttpOutcome;

typedef struct {
  guint64     id;            /* 0, 1, ... in issue order */
  HttpOutcome outcome;
  SimTime     issued_at;     /* http_client_request */
  SimTime     first_sent_at; /* first write to a socket; SIM_TIME_NEVER if
                              * it never got one (open refused) */
  SimTime     done_at;       /* response complete, or the failure */
  SimTime     latency;       /* done_at - first_sent_at; ok/retried only */
  TcpConn    *conn;          /* connection of the last attempt (may be
                              * gone after the callback returns), or NULL */
  TcpErr      err;           /* failed: TCP error of the last attempt
                              * (TCP_ERR_NONE for end of file) */
  gboolean    reused;        /* the last attempt went on a reused conn */
} HttpRequestInfo;

typedef struct {
  /* A new TCP connection from this client to the server: allocated,
   * tcp_conn_init'ed and wired by the owner (demux, output), still CLOSED;
   * HTTP calls tcp_conn_connect on it.  NULL if none can be had (e.g. no
   * local port): the request then fails.  Required. */
  TcpConn *(*open)    (void *owner, HttpClient *client);
  /* A request finished (ok, retried or failed).  @info is valid during the
   * call only.  May be NULL. */
  void     (*on_done) (void *owner, HttpClient *client,
                       const HttpRequestInfo *info);
  /* The client is about to close @c itself (K_c expired, Connection:
   * close, or after end of file): the instant its application "closed"
   * (SEMANTICS §6).  May be NULL. */
  void     (*on_close) (void *owner, HttpClient *client, TcpConn *c);
} HttpClientOps;

/* Counters of one client (a flow).  requests = ok + retried_ok + failed +
 * requests still queued or in flight.  `retried` counts resends, so a
 * retried request that fails again is in both retried and failed. */
typedef struct {
  guint64 requests;            /* http_client_request calls */
  guint64 ok;                  /* answered, first attempt or retry */
  guint64 failed;
  guint64 retried;
  guint64 connections_opened;  /* HttpClientOps.open calls that gave one */
  guint64 pool_discards;       /* idle pooled conns dropped on FIN/RST (S36) */
  guint64 idle_closes;         /* idle pooled conns closed after K_c (S36) */
} HttpClientStats;

/* A client with an empty pool.  @cfg and @ops are borrowed and must
 * outlive it.  Segments come from the TcpEnv of the connections that
 * HttpClientOps.open gives.  (transfer full) */
HttpClient *http_client_new       (Sim *sim, const HttpConfig *cfg,
                                   const HttpClientOps *ops, void *owner);
/* Stops HTTP's timers and forgets requests and connections; touches no
 * TcpConn (the owner frees them).  NULL is fine. */
void        http_client_free      (HttpClient *client);

/* The application issues one request now.  It goes out at once on the
 * most recently used idle pooled connection, else on a new connection
 * (open, connect, request written at once: TCP sends it when ESTABLISHED),
 * else, with client_pool_max connections busy, waits in a FIFO queue. */
void        http_client_request   (HttpClient *client);

/* TcpOps of a connection this client opened, routed by the owner.  A
 * connection HTTP no longer tracks (it closed it) is ignored. */
void        http_client_recv      (HttpClient *client, TcpConn *c, guint32 bytes);
void        http_client_eof       (HttpClient *client, TcpConn *c);
void        http_client_error     (HttpClient *client, TcpConn *c, TcpErr err);
/* After this HTTP keeps no pointer to @c: the owner may free it. */
void        http_client_closed    (HttpClient *client, TcpConn *c);
/* The owner destroys @c without callbacks (host restart): like an error
 * with TCP_ERR_RESET for a request in flight, and @c is forgotten. */
void        http_client_forget    (HttpClient *client, TcpConn *c);

const HttpClientStats *http_client_stats (const HttpClient *client);
/* Latencies of answered requests, exact (models/latency.h: each distinct
 * value once with its count, or every sample when they hardly repeat). */
const Latencies *http_client_latencies (const HttpClient *client);
/* Idle pooled connections now, and all connections HTTP tracks. */
guint       http_client_n_idle    (const HttpClient *client);
guint       http_client_n_conns   (const HttpClient *client);

/* Nearest-rank percentile of @n latencies: the value of rank
 * ceil (@percent·n/100) (1-based, integer arithmetic) after sorting @v in
 * place; @percent in 1..100.  SIM_TIME_NEVER when n = 0.  Exact: no
 * bucketing, so p50 of {30, 50, 70} ms is 50 ms.  O(n log n). */
SimTime     http_latency_percentile (SimTime *v, guint n, guint percent);

/* The nearest-rank percentile of this client's latencies (flows.tsv
 * latency_p50, latency_p99): latency_percentile. */
SimTime     http_client_percentile (const HttpClient *client, guint percent);

/* ---- server ---------------------------------------------------------- */

typedef struct _HttpServer HttpServer;

typedef struct {
  /* Response @k (1-based, per connection) was written on @c, advertising
   * Keep-Alive max=@max (0: none) or, when @closes, Connection: close.
   * For traces and tests.  May be NULL. */
  void (*on_response) (void *owner, HttpServer *srv, TcpConn *c, guint32 k,
                       guint max, gboolean closes);
  /* The server is about to close @c itself (K_s expired, M-th response, or
   * after end of file).  May be NULL. */
  void (*on_close) (void *owner, HttpServer *srv, TcpConn *c);
} HttpServerOps;

typedef struct {
  guint64 requests;            /* complete requests received */
  guint64 responses;           /* responses written */
  guint64 closed_idle;         /* closed after K_s without a request (S34) */
  guint64 closed_max;          /* closed after the M-th response (S35) */
  guint64 closed_eof;          /* closed because the client closed */
} HttpServerStats;

/* The server application: serves every connection the owner hands it.
 * @cfg and @ops (may be NULL) borrowed.  (transfer full) */
HttpServer *http_server_new       (Sim *sim, const HttpConfig *cfg,
                                   const HttpServerOps *ops, void *owner);
void        http_server_free      (HttpServer *srv);

/* @c was just accepted (tcp_conn_accept): starts serving it.  The idle
 * timer K_s runs from here until the first request byte (nginx would use
 * client_header_timeout; our client writes at once, so it never fires). */
void        http_server_accept    (HttpServer *srv, TcpConn *c);
/* TcpOps of a served connection, routed by the owner. */
void        http_server_recv      (HttpServer *srv, TcpConn *c, guint32 bytes);
void        http_server_eof       (HttpServer *srv, TcpConn *c);
void        http_server_error     (HttpServer *srv, TcpConn *c, TcpErr err);
/* After this HTTP keeps no pointer to @c. */
void        http_server_closed    (HttpServer *srv, TcpConn *c);
/* The owner wipes @c without callbacks (server restart, S32). */
void        http_server_forget    (HttpServer *srv, TcpConn *c);

const HttpServerStats *http_server_stats (const HttpServer *srv);
/* Connections being served now. */
guint       http_server_n_conns   (const HttpServer *srv);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HttpClient, http_client_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HttpServer, http_server_free)

G_END_DECLS
