/* tests/test_http.c — HTTP/1.1 persistent connections against SEMANTICS.md
 * S34–S37, and the request arrivals of [app] pattern = http in a World.
 *
 * Each case builds a Sim, a PacketPool, an HttpClient and an HttpServer,
 * and real TcpConns joined by a fake wire: a segment reaches the other end
 * one fixed one-way delay D = 10 ms later (RTT = 20 ms), unless its
 * direction is cut or, with drop_fin, it carries a FIN (a NAT or a loss
 * eating the server's FIN, S37).  The fixture plays the World: the client
 * asks it for connections (HttpClientOps.open: client 10.0.0.2, ports
 * 40000, 40001, ...), a pure SYN to port 443 creates and accepts a server
 * socket, and a segment for no socket, or a CLOSED one, is answered with
 * packet_new_rst_reply (S18).  Sockets live until teardown.
 *
 * Timing used by every hand computation (service time S = 10 ms):
 *  - a request on a new connection opened at t: SYN t, SYN-ACK at the
 *    client t + 2D, request written at connect () leaves then and is
 *    complete at the server at t + 3D, response written at t + 3D + S and
 *    complete at the client at t + 4D + S: latency 50 ms;
 *  - a request on a pooled connection at t: at the server t + D, response
 *    written t + D + S, at the client t + 2D + S: latency 30 ms;
 *  - K_s runs from the response write (server side), so a connection that
 *    took its request at t on a new connection is closed by the server at
 *    t + 40 ms + K_s, on a pooled one at t + 20 ms + K_s.
 * Only simulated time is used.
 *
 * The arrival cases (/http/S33/arrivals-*, /http/S36/arrivals-*) run whole
 * Worlds (models/world_http.c) from scenario text, with their own timing
 * given there; bad [app] arrivals keys are files in tests/data/bad-model/
 * checked by test_world.c's table of bad model keys.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "sim/sim.h"
#include "sim/rng.h"
#include "sim/scenario.h"
#include "models/packet.h"
#include "models/tcp.h"
#include "models/http.h"
#include "models/world.h"
#include "tests/fixture_world.h"

#define CLIENT      0
#define SERVER      1
#define CLIENT_IP   0x0A000002u      /* 10.0.0.2 */
#define SERVER_IP   0xC6336401u      /* 198.51.100.1 */
#define SERVER_PORT 443
#define D           SIM_MS (10)

/* t seconds + ms milliseconds */
#define T(s, ms)    (SIM_S (s) + SIM_MS (ms))

typedef struct {
  TcpConn tcp;                 /* first: Ep * == TcpConn * */
  int     side;
  FlowKey key;                 /* as this end sends */
} Ep;

typedef struct {
  SimTime t;
  int     from;
  guint8  flags;
  guint32 len;
} Rec;

typedef struct {
  SimTime  t;
  TcpConn *c;
  guint32  k;
  guint    max;
  gboolean closes;
} Resp;

typedef struct {
  Sim          *sim;
  PacketPool   *pool;
  TcpConfig     tcfg[2];
  TcpOps        ops;
  TcpEnv        env[2];        /* tcfg[side], ops, pool */
  HttpConfig    hcfg;
  HttpClientOps cops;
  HttpServerOps sops;
  HttpClient   *client;
  HttpServer   *server;
  GPtrArray    *eps;           /* Ep *, in creation order, owned */
  guint16       next_port;
  gboolean      cut[2];        /* what side i sends vanishes */
  gboolean      drop_fin[2];   /* side i's FINs vanish */
  GArray       *log;           /* Rec: every segment sent */
  GArray       *done;          /* HttpRequestInfo, in completion order */
  GArray       *resp;          /* Resp, every response written */
} Fixture;

typedef struct {
  Fixture *f;
  int      to;
  Packet  *p;
} Delivery;

/* ---- the fake world -------------------------------------------------- */

static Ep *
ep_lookup (Fixture *f, int side, FlowKey key)
{
  for (guint i = 0; i < f->eps->len; i++)
    {
      Ep *ep = g_ptr_array_index (f->eps, i);

      if (ep->side == side && flow_key_equal (&ep->key, &key))
        return ep;
    }
  return NULL;
}

static Ep *
ep_new (Fixture *f, int side, FlowKey key, guint32 iss)
{
  Ep *ep = g_new0 (Ep, 1);

  ep->side = side;
  ep->key = key;
  tcp_conn_init (&ep->tcp, &f->env[side], key, iss);
  g_ptr_array_add (f->eps, ep);
  return ep;
}

static void
delivery_free (void *data)
{
  Delivery *d = data;

  packet_free (d->f->pool, d->p);
  g_free (d);
}

static void wire_send (Fixture *f, int from, Packet *p);

static void
wire_deliver (Sim *sim, void *data)
{
  Delivery *d = data;
  Fixture *f = d->f;
  Packet *p = g_steal_pointer (&d->p);
  FlowKey key = flow_key_reverse (p->key);
  Ep *ep = ep_lookup (f, d->to, key);
  Packet *rst;

  if (ep == NULL && d->to == SERVER && key.src_port == SERVER_PORT
      && (p->flags & (TCP_SYN | TCP_ACK | TCP_RST)) == TCP_SYN)
    {
      ep = ep_new (f, SERVER, key, 5000000u);
      tcp_conn_accept (&ep->tcp, p);
      packet_free (f->pool, p);
      http_server_accept (f->server, &ep->tcp);
      return;
    }
  if (ep != NULL && tcp_conn_state (&ep->tcp) != TCP_CLOSED)
    {
      tcp_conn_receive (&ep->tcp, p);
      return;
    }
  /* No socket for this 4-tuple: the host's stack answers (S18). */
  rst = packet_new_rst_reply (f->pool, p);
  packet_free (f->pool, p);
  if (rst != NULL)
    wire_send (f, d->to, rst);
}

static void
wire_send (Fixture *f, int from, Packet *p)
{
  Rec r = { sim_now (f->sim), from, p->flags, p->len };
  Delivery *d;

  g_array_append_val (f->log, r);
  if (f->cut[from] || (f->drop_fin[from] && (p->flags & TCP_FIN)))
    {
      packet_free (f->pool, p);
      return;
    }
  d = g_new0 (Delivery, 1);
  d->f = f;
  d->to = 1 - from;
  d->p = p;
  sim_schedule (f->sim, sim_now (f->sim) + D, wire_deliver, d, delivery_free);
}

static void
f_output (void *owner, TcpConn *c, Packet *p)
{
  wire_send (owner, ((Ep *) c)->side, p);
}

static void
f_on_recv (void *owner, TcpConn *c, guint32 bytes)
{
  Fixture *f = owner;

  if (((Ep *) c)->side == CLIENT)
    http_client_recv (f->client, c, bytes);
  else
    http_server_recv (f->server, c, bytes);
}

static void
f_on_eof (void *owner, TcpConn *c)
{
  Fixture *f = owner;

  if (((Ep *) c)->side == CLIENT)
    http_client_eof (f->client, c);
  else
    http_server_eof (f->server, c);
}

static void
f_on_error (void *owner, TcpConn *c, TcpErr err, TcpCause cause,
            const Packet *rst)
{
  Fixture *f = owner;

  if (((Ep *) c)->side == CLIENT)
    http_client_error (f->client, c, err);
  else
    http_server_error (f->server, c, err);
}

static void
f_on_closed (void *owner, TcpConn *c)
{
  Fixture *f = owner;

  if (((Ep *) c)->side == CLIENT)
    http_client_closed (f->client, c);
  else
    http_server_closed (f->server, c);
}

static TcpConn *
f_open (void *owner, HttpClient *client)
{
  Fixture *f = owner;
  FlowKey key = { CLIENT_IP, SERVER_IP, f->next_port++, SERVER_PORT };

  return &ep_new (f, CLIENT, key, 1000u)->tcp;
}

static void
f_on_done (void *owner, HttpClient *client, const HttpRequestInfo *info)
{
  Fixture *f = owner;

  g_array_append_val (f->done, *info);
}

static void
f_on_response (void *owner, HttpServer *srv, TcpConn *c, guint32 k,
               guint max, gboolean closes)
{
  Fixture *f = owner;
  Resp r = { sim_now (f->sim), c, k, max, closes };

  g_array_append_val (f->resp, r);
}

static void
f_setup (Fixture *f, gconstpointer data)
{
  f->sim = sim_new (SIM_SCHED_HEAP, NULL);
  g_assert_nonnull (f->sim);
  f->pool = packet_pool_new ();
  tcp_config_init_defaults (&f->tcfg[CLIENT]);
  tcp_config_init_defaults (&f->tcfg[SERVER]);
  f->ops = (TcpOps) {
    .output = f_output, .on_recv = f_on_recv, .on_eof = f_on_eof,
    .on_error = f_on_error, .on_closed = f_on_closed,
  };
  tcp_env_init (&f->env[CLIENT], f->sim, &f->tcfg[CLIENT], &f->ops, f->pool, f);
  tcp_env_init (&f->env[SERVER], f->sim, &f->tcfg[SERVER], &f->ops, f->pool, f);
  /* 5 s, 100, 90 s, pool 1, no retry, 10 ms, 100/100 bytes */
  http_config_init_defaults (&f->hcfg);
  f->cops = (HttpClientOps) { .open = f_open, .on_done = f_on_done };
  f->sops = (HttpServerOps) { .on_response = f_on_response };
  f->client = http_client_new (f->sim, &f->hcfg, &f->cops, f);
  f->server = http_server_new (f->sim, &f->hcfg, &f->sops, f);
  f->eps = g_ptr_array_new_with_free_func (g_free);
  f->next_port = 40000;
  f->log = g_array_new (FALSE, FALSE, sizeof (Rec));
  f->done = g_array_new (FALSE, FALSE, sizeof (HttpRequestInfo));
  f->resp = g_array_new (FALSE, FALSE, sizeof (Resp));
}

static void
f_teardown (Fixture *f, gconstpointer data)
{
  http_client_free (f->client);
  http_server_free (f->server);
  for (guint i = 0; i < f->eps->len; i++)
    tcp_conn_clear (g_ptr_array_index (f->eps, i));
  sim_free (f->sim);               /* frees the packets still on the wire */
  g_assert_cmpuint (packet_pool_live (f->pool), ==, 0);
  packet_pool_free (f->pool);
  g_ptr_array_free (f->eps, TRUE);
  g_array_unref (f->log);
  g_array_unref (f->done);
  g_array_unref (f->resp);
}

static void
request_cb (Sim *sim, void *data)
{
  Fixture *f = data;

  http_client_request (f->client);
}

/* The application issues @n requests at start, start + every, ... */
static void
f_requests (Fixture *f, guint n, SimTime start, SimTime every)
{
  for (guint i = 0; i < n; i++)
    sim_schedule (f->sim, start + i * every, request_cb, f, NULL);
}

static const HttpRequestInfo *
f_done (Fixture *f, guint64 id)
{
  for (guint i = 0; i < f->done->len; i++)
    {
      const HttpRequestInfo *info = &g_array_index (f->done, HttpRequestInfo, i);

      if (info->id == id)
        return info;
    }
  g_assert_not_reached ();
}

static TcpConn *
f_client_conn (Fixture *f, guint n)
{
  guint seen = 0;

  for (guint i = 0; i < f->eps->len; i++)
    {
      Ep *ep = g_ptr_array_index (f->eps, i);

      if (ep->side == CLIENT && seen++ == n)
        return &ep->tcp;
    }
  g_assert_not_reached ();
}

/* The @n-th (from 0) FIN sent by @from; SIM_TIME_NEVER if none. */
static SimTime
f_nth_fin (Fixture *f, int from, guint n)
{
  for (guint i = 0; i < f->log->len; i++)
    {
      const Rec *r = &g_array_index (f->log, Rec, i);

      if (r->from == from && (r->flags & TCP_FIN) && n-- == 0)
        return r->t;
    }
  return SIM_TIME_NEVER;
}

static SimTime
f_percentile (Fixture *f, guint percent)
{
  return http_client_percentile (f->client, percent);
}

#define ADD(path, fn) \
  g_test_add (path, Fixture, NULL, f_setup, fn, f_teardown)

/* ---- pure functions -------------------------------------------------- */

static void
test_header_values (void)
{
  HttpConfig cfg;

  http_config_init_defaults (&cfg);
  g_assert_cmpint (cfg.server_keepalive_timeout, ==, SIM_S (5));
  g_assert_cmpuint (cfg.server_keepalive_max, ==, 100);
  g_assert_cmpint (cfg.client_pool_idle_timeout, ==, SIM_S (90));
  g_assert_cmpuint (cfg.client_pool_max, ==, 1);
  g_assert_false (cfg.retry_idempotent);
  g_assert_cmpint (cfg.service_time, ==, SIM_MS (10));
  /* S35, M = 100: max = M - k + 1; close on k = M only. */
  g_assert_cmpuint (http_response_max (&cfg, 1), ==, 100);
  g_assert_cmpuint (http_response_max (&cfg, 2), ==, 99);
  g_assert_cmpuint (http_response_max (&cfg, 100), ==, 1);
  g_assert_false (http_response_closes (&cfg, 99));
  g_assert_true (http_response_closes (&cfg, 100));
  /* M = 0: no limit, no max advertised. */
  cfg.server_keepalive_max = 0;
  g_assert_cmpuint (http_response_max (&cfg, 1), ==, 0);
  g_assert_false (http_response_closes (&cfg, 1000000));
  /* K_s = 0 (nginx keepalive_timeout 0): keep-alive off. */
  cfg.server_keepalive_timeout = 0;
  g_assert_true (http_response_closes (&cfg, 1));
}

static void
test_percentile (void)
{
  SimTime three[] = { SIM_MS (50), SIM_MS (30), SIM_MS (70) };
  SimTime four[] = { 4, 3, 2, 1 };
  SimTime hundred[100];

  /* nearest rank: p50 of 3 = rank ceil (1.5) = 2; p99 = rank 3 */
  g_assert_cmpint (http_latency_percentile (three, 3, 50), ==, SIM_MS (50));
  g_assert_cmpint (http_latency_percentile (three, 3, 99), ==, SIM_MS (70));
  /* p50 of 4 = rank 2 */
  g_assert_cmpint (http_latency_percentile (four, 4, 50), ==, 2);
  g_assert_cmpint (http_latency_percentile (four, 0, 50), ==, SIM_TIME_NEVER);
  /* 1..100: p99 = rank 99 exactly (integer arithmetic, no 0.99·100 drift) */
  for (guint i = 0; i < 100; i++)
    hundred[i] = 100 - i;
  g_assert_cmpint (http_latency_percentile (hundred, 100, 99), ==, 99);
  g_assert_cmpint (http_latency_percentile (hundred, 100, 100), ==, 100);
}

/* ---- S35 ------------------------------------------------------------- */

/* Issue case (1): M = 100 at 1 request/s, R = 250 at t = 0 .. 249 s.
 * Connection 1 serves requests 1-100, its 100th response carries
 * Connection: close; connection 2 serves 101-200, connection 3 201-250:
 * ceil (250/100) = 3 connections. */
static void
test_s35_reconnect_every_m (Fixture *f, gconstpointer data)
{
  const HttpClientStats *st = http_client_stats (f->client);
  const HttpServerStats *ss = http_server_stats (f->server);

  f_requests (f, 250, 0, SIM_S (1));
  sim_run_until (f->sim, SIM_S (250));
  g_assert_cmpuint (st->requests, ==, 250);
  g_assert_cmpuint (st->ok, ==, 250);
  g_assert_cmpuint (st->failed, ==, 0);
  g_assert_cmpuint (st->retried, ==, 0);
  g_assert_cmpuint (st->connections_opened, ==, 3);
  g_assert_cmpuint (ss->requests, ==, 250);
  g_assert_cmpuint (ss->closed_max, ==, 2);   /* after requests 100, 200 */
  g_assert_cmpuint (ss->closed_idle, ==, 0);  /* 1 s gaps < K_s = 5 s */
  /* Requests 0, 100, 200 (ids) open a connection: 50 ms; the other 247
   * reuse one: 30 ms.  p50 = 30 ms; p99 = rank ceil (247.5) = 248 of
   * 247 × 30 ms then 3 × 50 ms = 50 ms. */
  g_assert_cmpint (f_done (f, 0)->latency, ==, SIM_MS (50));
  g_assert_cmpint (f_done (f, 99)->latency, ==, SIM_MS (30));
  g_assert_cmpint (f_done (f, 100)->latency, ==, SIM_MS (50));
  g_assert_false (f_done (f, 100)->reused);
  g_assert_cmpint (f_done (f, 200)->latency, ==, SIM_MS (50));
  g_assert_cmpint (f_percentile (f, 50), ==, SIM_MS (30));
  g_assert_cmpint (f_percentile (f, 99), ==, SIM_MS (50));
  /* Request 100 (id 99) is sent at 99 s; the server writes its response
   * and closes at 99.020; the FIN waits for the response's ACK (one
   * segment in flight) at 99.040.  The client closes on Connection:
   * close when the response is complete, at 99.030. */
  g_assert_cmpint (f_nth_fin (f, SERVER, 0), ==, T (99, 40));
  g_assert_cmpint (f_nth_fin (f, CLIENT, 0), ==, T (99, 30));
  g_assert_cmpuint (http_client_n_conns (f->client), ==, 1);
}

/* Issue case (5): S35 header values 100, 99, ..., 1 with Connection:
 * close on the 100th, then 100 again on the next connection. */
static void
test_s35_max_header (Fixture *f, gconstpointer data)
{
  const Resp *r;

  f_requests (f, 102, 0, SIM_S (1));
  sim_run_until (f->sim, SIM_S (102));
  g_assert_cmpuint (f->resp->len, ==, 102);
  for (guint k = 1; k <= 100; k++)
    {
      r = &g_array_index (f->resp, Resp, k - 1);
      g_assert_cmpuint (r->k, ==, k);
      g_assert_cmpuint (r->max, ==, 100 - k + 1);     /* 100, 99, ..., 1 */
      g_assert_true (r->closes == (k == 100));
      g_assert_true (r->c == g_array_index (f->resp, Resp, 0).c);
    }
  /* The first response is written at 3D + S = 40 ms (new connection),
   * the second at 1 s + D + S = 1.020 s (pooled). */
  g_assert_cmpint (g_array_index (f->resp, Resp, 0).t, ==, SIM_MS (40));
  g_assert_cmpint (g_array_index (f->resp, Resp, 1).t, ==, T (1, 20));
  r = &g_array_index (f->resp, Resp, 100);
  g_assert_true (r->c != g_array_index (f->resp, Resp, 0).c);
  g_assert_cmpuint (r->k, ==, 1);
  g_assert_cmpuint (r->max, ==, 100);
  g_assert_false (r->closes);
  g_assert_cmpuint (g_array_index (f->resp, Resp, 101).max, ==, 99);
}

/* ---- S34 ------------------------------------------------------------- */

/* Issue case (2): K_s = 5 s, requests every 7 s (R = 10 at 0, 7, ...,
 * 63 s).  The server closes each connection at t + 40 ms + 5 s; its FIN
 * reaches the client at t + 5.050 s, and the watching client drops the
 * pooled socket (S36), so every request opens a connection and none
 * fails. */
static void
test_s34_idle_close_watched (Fixture *f, gconstpointer data)
{
  const HttpClientStats *st = http_client_stats (f->client);
  const HttpServerStats *ss = http_server_stats (f->server);

  f_requests (f, 10, 0, SIM_S (7));
  sim_run_until (f->sim, SIM_S (70));
  g_assert_cmpuint (st->connections_opened, ==, 10);
  g_assert_cmpuint (st->ok, ==, 10);
  g_assert_cmpuint (st->failed, ==, 0);
  g_assert_cmpuint (st->pool_discards, ==, 10);   /* last one at 68.050 */
  g_assert_cmpuint (st->idle_closes, ==, 0);
  g_assert_cmpuint (ss->closed_idle, ==, 10);
  g_assert_cmpint (f_nth_fin (f, SERVER, 0), ==, T (5, 40));
  /* The client answers the FIN with its own at once: 5.050. */
  g_assert_cmpint (f_nth_fin (f, CLIENT, 0), ==, T (5, 50));
  g_assert_cmpint (f_nth_fin (f, SERVER, 1), ==, T (12, 40));
  for (guint64 id = 0; id < 10; id++)
    {
      g_assert_cmpint (f_done (f, id)->outcome, ==, HTTP_OK);
      g_assert_cmpint (f_done (f, id)->latency, ==, SIM_MS (50));
      g_assert_false (f_done (f, id)->reused);
    }
  g_assert_cmpuint (http_client_n_conns (f->client), ==, 0);
  g_assert_cmpuint (http_server_n_conns (f->server), ==, 0);
}

/* Issue case (6): TCP keep-alive probes carry no request and do not
 * reset K_s.  The client probes every 1 s (keepidle = keepintvl = 1 s)
 * after its last receive at 50 ms; the server still closes at
 * 40 ms + 5 s = 5.040 s, having answered 4 probes by then. */
static void
test_s34_probes_do_not_reset (Fixture *f, gconstpointer data)
{
  guint probes = 0;

  f->tcfg[CLIENT].keepalive = TRUE;
  f->tcfg[CLIENT].keepidle = SIM_S (1);
  f->tcfg[CLIENT].keepintvl = SIM_S (1);
  f_requests (f, 1, 0, 0);
  sim_run_until (f->sim, SIM_S (6));
  g_assert_cmpint (f_nth_fin (f, SERVER, 0), ==, T (5, 40));
  for (guint i = 0; i < f->log->len; i++)
    {
      const Rec *r = &g_array_index (f->log, Rec, i);

      /* bare ACKs from the client after the response was ACKed (50 ms)
       * and before the server's FIN: keep-alive probes */
      if (r->from == CLIENT && r->t > SIM_MS (50) && r->t < T (5, 40)
          && r->len == 0 && r->flags == TCP_ACK)
        probes++;
    }
  g_assert_cmpuint (probes, >=, 4);
  g_assert_cmpuint (tcp_conn_probes_sent (f_client_conn (f, 0)), >=, 4);
  g_assert_cmpuint (http_server_stats (f->server)->closed_idle, ==, 1);
  g_assert_cmpuint (http_client_stats (f->client)->pool_discards, ==, 1);
}

/* ---- S36 ------------------------------------------------------------- */

/* K_c = 2 s < K_s = 5 s: the client closes its idle connection 2 s after
 * the response completed (50 ms), at 2.050 s; a request at 3 s opens a
 * new one.  The server closes on the client's FIN (arrives 2.060). */
static void
test_s36_client_idle_timeout (Fixture *f, gconstpointer data)
{
  const HttpClientStats *st = http_client_stats (f->client);

  f->hcfg.client_pool_idle_timeout = SIM_S (2);
  f_requests (f, 2, 0, SIM_S (3));
  sim_run_until (f->sim, SIM_S (4));
  g_assert_cmpint (f_nth_fin (f, CLIENT, 0), ==, T (2, 50));
  g_assert_cmpint (f_nth_fin (f, SERVER, 0), ==, T (2, 60));
  g_assert_cmpuint (st->idle_closes, ==, 1);
  g_assert_cmpuint (st->connections_opened, ==, 2);
  g_assert_cmpuint (st->failed, ==, 0);
  g_assert_cmpuint (http_server_stats (f->server)->closed_eof, ==, 1);
  g_assert_cmpint (f_done (f, 1)->latency, ==, SIM_MS (50));
}

/* Pool of 2, three requests at t = 0: two connections open, the third
 * waits for the first free one.  Both responses arrive at 50 ms, A's
 * first; B is then the most recently used and takes the third request
 * at 50 ms (latency from its first write: 30 ms).  A fourth request at
 * 1 s again takes B (returned at 80 ms, after A at 50 ms). */
static void
test_s36_pool_mru_and_queue (Fixture *f, gconstpointer data)
{
  const HttpClientStats *st = http_client_stats (f->client);

  f->hcfg.client_pool_max = 2;
  f_requests (f, 3, 0, 0);
  f_requests (f, 1, SIM_S (1), 0);
  sim_run_until (f->sim, SIM_S (2));
  g_assert_cmpuint (st->connections_opened, ==, 2);
  g_assert_cmpuint (st->ok, ==, 4);
  g_assert_true (f_done (f, 0)->conn == f_client_conn (f, 0));
  g_assert_true (f_done (f, 1)->conn == f_client_conn (f, 1));
  g_assert_true (f_done (f, 2)->conn == f_client_conn (f, 1));
  g_assert_cmpint (f_done (f, 2)->issued_at, ==, 0);
  g_assert_cmpint (f_done (f, 2)->first_sent_at, ==, SIM_MS (50));
  g_assert_cmpint (f_done (f, 2)->done_at, ==, SIM_MS (80));
  g_assert_cmpint (f_done (f, 2)->latency, ==, SIM_MS (30));
  g_assert_true (f_done (f, 3)->conn == f_client_conn (f, 1));
  g_assert_cmpuint (http_client_n_idle (f->client), ==, 2);
}

/* ---- S37 ------------------------------------------------------------- */

/* Issue case (3): K_s = 5 s < K_c = 90 s, a request every 6 s (R = 10 at
 * 0, 6, ..., 54 s), and every FIN of the server is lost (a NAT eating it,
 * S37), so the client keeps the closed connection pooled.  Request i
 * (from 0) on a new connection at 6i is answered; the server closes at
 * 6i + 5.040; request i+1 at 6i + 6 reuses the connection, reaches the
 * orphaned server socket at +10 ms, whose stack answers RST (S18): the
 * client sees ECONNRESET at 6(i+1) + 20 ms and the request fails.  The
 * connection is gone, so request i+2 opens a new one: even ids succeed,
 * odd ids fail: 5 ok, 5 failed, 5 connections. */
static void
test_s37_stale_race_fails (Fixture *f, gconstpointer data)
{
  const HttpClientStats *st = http_client_stats (f->client);
  const HttpRequestInfo *info;

  f->drop_fin[SERVER] = TRUE;
  f_requests (f, 10, 0, SIM_S (6));
  sim_run_until (f->sim, SIM_S (60));
  g_assert_cmpuint (st->requests, ==, 10);
  g_assert_cmpuint (st->ok, ==, 5);
  g_assert_cmpuint (st->failed, ==, 5);
  g_assert_cmpuint (st->retried, ==, 0);
  g_assert_cmpuint (st->connections_opened, ==, 5);
  g_assert_cmpuint (st->pool_discards, ==, 0);   /* no FIN ever came */
  for (guint64 id = 0; id < 10; id++)
    {
      info = f_done (f, id);
      if (id % 2 == 0)
        {
          g_assert_cmpint (info->outcome, ==, HTTP_OK);
          g_assert_cmpint (info->latency, ==, SIM_MS (50));
          continue;
        }
      g_assert_cmpint (info->outcome, ==, HTTP_FAILED);
      g_assert_cmpint (info->err, ==, TCP_ERR_RESET);
      g_assert_true (info->reused);
      g_assert_cmpint (info->first_sent_at, ==, SIM_S (6 * id));
      g_assert_cmpint (info->done_at, ==, SIM_S (6 * id) + 2 * D);
    }
}

/* Issue case (4): the same with retry_idempotent = on.  Request 1 goes
 * out at 6 s on the stale connection, RST at 6.020 (1 RTT); the retry
 * opens a connection at 6.020 (SYN-ACK at 6.040: 1 RTT), the request is
 * at the server at 6.050, answered at 6.060 after S, complete at 6.070
 * (1 RTT + S): latency 20 + 20 + 20 + 10 = 70 ms.  The retried connection
 * is closed by the server at 6.060 + 5 s before the next request at 12 s,
 * so every request after the first is retried: 9 retries, 0 failed,
 * 1 + 9 = 10 connections, latencies 50 ms once and 70 ms nine times
 * (p50 = rank 5 = 70 ms). */
static void
test_s37_retry_idempotent (Fixture *f, gconstpointer data)
{
  const HttpClientStats *st = http_client_stats (f->client);
  const HttpRequestInfo *info;

  f->drop_fin[SERVER] = TRUE;
  f->hcfg.retry_idempotent = TRUE;
  f_requests (f, 10, 0, SIM_S (6));
  sim_run_until (f->sim, SIM_S (60));
  g_assert_cmpuint (st->ok, ==, 10);
  g_assert_cmpuint (st->failed, ==, 0);
  g_assert_cmpuint (st->retried, ==, 9);
  g_assert_cmpuint (st->connections_opened, ==, 10);
  info = f_done (f, 0);
  g_assert_cmpint (info->outcome, ==, HTTP_OK);
  g_assert_cmpint (info->latency, ==, SIM_MS (50));
  info = f_done (f, 1);
  g_assert_cmpint (info->outcome, ==, HTTP_RETRIED);
  g_assert_cmpint (info->first_sent_at, ==, SIM_S (6));
  g_assert_cmpint (info->done_at, ==, T (6, 70));
  g_assert_cmpint (info->latency, ==, 2 * D + 2 * D + 2 * D + SIM_MS (10));
  g_assert_false (info->reused);     /* the retry's connection was new */
  for (guint64 id = 1; id < 10; id++)
    {
      g_assert_cmpint (f_done (f, id)->outcome, ==, HTTP_RETRIED);
      g_assert_cmpint (f_done (f, id)->latency, ==, SIM_MS (70));
    }
  g_assert_cmpint (f_percentile (f, 50), ==, SIM_MS (70));
}

/* S37's safe setting: K_c = 4 s < K_s − RTT = 4.980 s, with the same
 * lost FINs and 6 s gaps: the client closes each idle connection at
 * t + 4.050, before the server's K_s (t + 5.040), so no request meets a
 * stale connection: 10 ok, 10 connections, 10 idle closes. */
static void
test_s37_safe_kc_below_ks (Fixture *f, gconstpointer data)
{
  const HttpClientStats *st = http_client_stats (f->client);

  f->drop_fin[SERVER] = TRUE;
  f->hcfg.client_pool_idle_timeout = SIM_S (4);
  f_requests (f, 10, 0, SIM_S (6));
  sim_run_until (f->sim, SIM_S (60));
  g_assert_cmpuint (st->ok, ==, 10);
  g_assert_cmpuint (st->failed, ==, 0);
  g_assert_cmpuint (st->connections_opened, ==, 10);
  g_assert_cmpuint (st->idle_closes, ==, 10);
  g_assert_cmpint (f_nth_fin (f, CLIENT, 0), ==, T (4, 50));
  g_assert_cmpuint (http_server_stats (f->server)->closed_idle, ==, 0);
  g_assert_cmpuint (http_server_stats (f->server)->closed_eof, ==, 10);
}

/* S37, the FIN in flight: the server closes the pooled connection at
 * 40 ms + 5 s = 5.040 s, its FIN reaches the client at 5.050, and the
 * application writes a request at 5.045, so it leaves on the
 * connection the client still holds.  The FIN arrives first: end of file
 * before any response byte, the request fails at 5.050 (the orphaned
 * server socket then answers the request with RST, S18, unseen by the
 * application).  With retry_idempotent on it is resent at 5.050 on a new
 * connection: done at 5.050 + 50 ms, latency 5.100 − 5.045 = 55 ms. */
static void
test_s37_fin_in_flight (Fixture *f, gconstpointer data)
{
  const HttpRequestInfo *info;

  if (data != NULL)
    f->hcfg.retry_idempotent = TRUE;
  f_requests (f, 1, 0, 0);
  f_requests (f, 1, T (5, 45), 0);
  sim_run_until (f->sim, SIM_S (6));
  g_assert_cmpint (f_nth_fin (f, SERVER, 0), ==, T (5, 40));
  info = f_done (f, 1);
  g_assert_cmpint (info->first_sent_at, ==, T (5, 45));
  if (data == NULL)
    {
      g_assert_cmpint (info->outcome, ==, HTTP_FAILED);
      g_assert_cmpint (info->err, ==, TCP_ERR_NONE);     /* end of file */
      g_assert_true (info->reused);
      g_assert_cmpint (info->done_at, ==, T (5, 50));
      g_assert_cmpuint (http_client_stats (f->client)->failed, ==, 1);
      g_assert_cmpuint (http_client_stats (f->client)->connections_opened, ==, 1);
      return;
    }
  g_assert_cmpint (info->outcome, ==, HTTP_RETRIED);
  g_assert_cmpint (info->done_at, ==, T (5, 100));
  g_assert_cmpint (info->latency, ==, SIM_MS (55));
  g_assert_cmpuint (http_client_stats (f->client)->failed, ==, 0);
  g_assert_cmpuint (http_client_stats (f->client)->retried, ==, 1);
  g_assert_cmpuint (http_client_stats (f->client)->connections_opened, ==, 2);
}

/* A failure on a fresh connection is not retried (Go's rule: only reused
 * connections race).  The server side is cut entirely and the client's
 * SYN gets no answer: connect fails after syn_retries = 1 at
 * 1 s + 2 s = 3 s (tcp.h: rto_initial·(2^(n+1) − 1)). */
static void
test_s37_fresh_failure_not_retried (Fixture *f, gconstpointer data)
{
  const HttpClientStats *st = http_client_stats (f->client);

  f->hcfg.retry_idempotent = TRUE;
  f->tcfg[CLIENT].syn_retries = 1;
  f->cut[CLIENT] = TRUE;
  f_requests (f, 1, 0, 0);
  sim_run_until (f->sim, SIM_S (10));
  g_assert_cmpuint (st->failed, ==, 1);
  g_assert_cmpuint (st->retried, ==, 0);
  g_assert_cmpuint (st->connections_opened, ==, 1);
  g_assert_cmpint (f_done (f, 0)->err, ==, TCP_ERR_TIMEDOUT);
  g_assert_cmpint (f_done (f, 0)->done_at, ==, SIM_S (3));
}

/* ---- [app] arrivals in a World (models/world_http.c) ----------------- */

/* One flow opened at 0 through no NAT, lan 1 ms and wan 20 ms one way:
 * RTT 42 ms, service S = 10 ms.  A request issued on a new connection at
 * t is answered at t + 94 ms (handshake 42, request 21, S, response 21);
 * one issued on a pooled connection at t + 52 ms (21 + S + 21).  The
 * server writes a new connection's first response at t + 73 ms.
 * @app and @http are the [app] and [http] lines. */
static World *
arrivals_world (const char *app, const char *http, SimTime duration, guint64 seed,
                FILE *trace)
{
  g_autofree char *ini = g_strdup_printf (
    "[scenario]\nduration = %" G_GINT64_FORMAT "ms\nflows = 1\nopen = 0s\n"
    "[client]\nkeepalive = off\n[server]\nkeepalive = off\n"
    "[app]\npattern = http\n%s\n[http]\n%s\n"
    "[nat]\nmode = none\n[link.lan]\ndelay = 1ms\n[link.wan]\ndelay = 20ms\n",
    duration / SIM_MS (1), app, http);

  return fixture_world_run (ini, SIM_SCHED_HEAP, seed, trace);
}

static WorldFlowResult
arrivals_run (const char *app, const char *http, SimTime duration)
{
  g_autoptr(World) w = arrivals_world (app, http, duration, 1, NULL);
  WorldFlowResult r;

  world_flow_result (w, 0, &r);
  return r;
}

/* Runs a World with its trace of flow 0 in memory; fills @r and returns
 * the trace (transfer full). */
static char *
arrivals_traced (const char *app, const char *http, SimTime duration, guint64 seed,
                 WorldFlowResult *r)
{
  FILE *fp = tmpfile ();
  g_autoptr(World) w = NULL;
  GString *text = g_string_new (NULL);
  char buf[4096];
  size_t n;

  g_assert_nonnull (fp);
  w = arrivals_world (app, http, duration, seed, fp);
  world_flow_result (w, 0, r);
  rewind (fp);
  while ((n = fread (buf, 1, sizeof buf, fp)) > 0)
    g_string_append_len (text, buf, n);
  fclose (fp);
  return g_string_free (text, FALSE);
}

/* The times of the client's connect() lines in a trace, one per line.
 * Line by line with lengths: strstr over the rest of a 4 MB trace per
 * line is quadratic under ASan's interceptors. */
static char *
trace_connects (const char *trace)
{
  GString *out = g_string_new (NULL);

  for (const char *line = trace, *end; *line != '\0'; line = end + (*end == '\n'))
    {
      end = strchr (line, '\n');
      if (end == NULL)
        end = line + strlen (line);
      if (g_strstr_len (line, end - line, " client connect() from port ") != NULL)
        g_string_append_printf (out, "%.*s\n", (int) strcspn (line, " "), line);
    }
  return g_string_free (out, FALSE);
}

#define POISSON_APP   "arrivals = poisson\ninterval = 10s"
/* K_s = 0: every response carries Connection: close (S34), and a pool of
 * 10000 never makes a request wait, so each request opens its own
 * connection at the instant it is issued: the trace's connect() times
 * are the request times. */
#define POISSON_HTTP  "server_keepalive_timeout = 0s\nclient_pool_max = 10000"

/* The request times the spec gives for @seed: 0, then gaps drawn one by
 * one with sim_rng_exp_time (mean 10 s) from "app:poisson" of (seed,
 * point 0, rep 0), up to 10 000 s; as trace_connects prints them. */
static char *
poisson_reference (guint64 seed, guint64 *count)
{
  GString *out = g_string_new (NULL);
  SimRng rng;
  SimTime t = 0;
  char buf[32];

  sim_rng_init (&rng, seed, 0, 0, "app:poisson");
  *count = 0;
  while (t <= SIM_S (10000))
    {
      g_string_append_printf (out, "%s\n", sim_time_format_s6 (t, buf, sizeof buf));
      ++*count;
      t += sim_rng_exp_time (&rng, SIM_S (10));
    }
  return g_string_free (out, FALSE);
}

/* S33 with arrivals = poisson, mean gap 10 s, one flow for 10 000 s.  By
 * hand: one request at the open, then a Poisson process of rate 0.1/s
 * over 10 000 s: N = 1 + Poisson(1000), mean 1001, sd sqrt (1000) = 31.6;
 * mean ± 5 sd = 1001 ± 158, so 843 <= N <= 1159 (a fixed seed either
 * passes or fails for good; P(|Z| > 5) = 5.7e-7).  Every request opens a
 * connection (POISSON_HTTP), every one is answered (94 ms each).  The
 * times are the draws of the "app:poisson" stream in order; the same seed
 * gives the same trace and result, another seed other times. */
static void
test_arrivals_poisson (void)
{
  WorldFlowResult r1, r1b, r2;
  g_autofree char *trace1 = arrivals_traced (POISSON_APP, POISSON_HTTP,
                                             SIM_S (10000), 1, &r1);
  g_autofree char *trace1b = arrivals_traced (POISSON_APP, POISSON_HTTP,
                                              SIM_S (10000), 1, &r1b);
  g_autofree char *trace2 = arrivals_traced (POISSON_APP, POISSON_HTTP,
                                             SIM_S (10000), 2, &r2);
  g_autofree char *times1 = trace_connects (trace1);
  g_autofree char *times2 = trace_connects (trace2);
  guint64 n1, n2;
  g_autofree char *ref1 = poisson_reference (1, &n1);
  g_autofree char *ref2 = poisson_reference (2, &n2);

  g_assert_cmpuint (r1.requests, >=, 843);
  g_assert_cmpuint (r1.requests, <=, 1159);
  g_assert_cmpuint (r2.requests, >=, 843);
  g_assert_cmpuint (r2.requests, <=, 1159);
  g_assert_cmpuint (r1.connections_opened, ==, r1.requests);
  g_assert_cmpuint (r1.failed, ==, 0);
  g_assert_cmpint (r1.latency_p50, ==, SIM_MS (94));
  g_assert_cmpint (r1.latency_p99, ==, SIM_MS (94));
  /* drawn from "app:poisson", one gap per request, in order */
  g_assert_cmpuint (r1.requests, ==, n1);
  g_assert_cmpstr (times1, ==, ref1);
  g_assert_cmpuint (r2.requests, ==, n2);
  g_assert_cmpstr (times2, ==, ref2);
  /* same seed: same bytes; another seed: other request times */
  g_assert_cmpstr (trace1, ==, trace1b);
  g_assert_cmpuint (r1b.requests, ==, r1.requests);
  g_assert_cmpstr (times1, !=, times2);
}

#define BURSTS_APP  "arrivals = bursts\nburst_size = 4\nburst_spacing = 0s\ninterval = 60s"

/* S36 with arrivals = bursts: 4 requests at once every 60 s, bursts at
 * 0, 60, ..., 540 s: R = 10 bursts in 570 s, so 4R = 40 requests.
 * K_s = 5 s < 60 s: the server closes each connection 5 s after its last
 * response (S34), the client sees the FIN and drops it from the pool
 * (S36, Go watches idle connections), so every burst finds the pool empty.
 * With client_pool_max = 8 >= 4 the four requests each open a connection
 * (fewer than 8 live): 4 per burst, 40 in all, each answered in 94 ms. */
static void
test_arrivals_bursts_pool_large (void)
{
  WorldFlowResult r = arrivals_run (BURSTS_APP,
                                    "server_keepalive_timeout = 5s\nclient_pool_max = 8",
                                    SIM_S (570));

  g_assert_cmpuint (r.requests, ==, 40);
  g_assert_cmpuint (r.connections_opened, ==, 40);
  g_assert_cmpuint (r.failed, ==, 0);
  g_assert_cmpuint (r.retried, ==, 0);
  g_assert_cmpint (r.latency_p50, ==, SIM_MS (94));
  g_assert_cmpint (r.latency_p99, ==, SIM_MS (94));
}

/* The same bursts with client_pool_max = 1.  models/http.c: the first
 * request of a burst opens the one connection, the other three wait in
 * the FIFO queue; each response returns the connection to the pool and
 * the next queued request goes out on it at that instant (t + 94, 146,
 * 198 ms: reused, 52 ms each; time queued does not count as latency).
 * The last response is written at t + 229 ms, the server closes at
 * t + 5.229 s, long before the next burst: 1 connection per burst, 10 in
 * all, 40 requests, none failed.  Latencies: 10 of 94 ms, 30 of 52 ms:
 * p50 = rank 20 = 52 ms, p99 = rank ceil (39.6) = 40 = 94 ms. */
static void
test_arrivals_bursts_pool_one (void)
{
  WorldFlowResult r = arrivals_run (BURSTS_APP,
                                    "server_keepalive_timeout = 5s\nclient_pool_max = 1",
                                    SIM_S (570));

  g_assert_cmpuint (r.requests, ==, 40);
  g_assert_cmpuint (r.connections_opened, ==, 10);
  g_assert_cmpuint (r.failed, ==, 0);
  g_assert_cmpint (r.latency_p50, ==, SIM_MS (52));
  g_assert_cmpint (r.latency_p99, ==, SIM_MS (94));
}

/* S33 with burst_size 3, burst_spacing 1 s, interval 60 s: requests at
 * 0, 1, 2, then 60, 61, 62, then 120 s.  A run to D issues the requests
 * due at or before D (sim_run_until), so the count at each D is, by
 * hand: */
static void
test_arrivals_bursts_spacing (void)
{
  static const struct { gint64 ms; guint64 requests; } at[] = {
    { 500, 1 }, { 1000, 2 }, { 1500, 2 }, { 2000, 3 }, { 2500, 3 },
    { 59999, 3 }, { 60000, 4 }, { 60500, 4 }, { 61000, 5 }, { 62000, 6 },
    { 119999, 6 }, { 120000, 7 }, { 122000, 9 },
  };
  const char *app = "arrivals = bursts\nburst_size = 3\nburst_spacing = 1s\n"
                    "interval = 60s";

  for (guint i = 0; i < G_N_ELEMENTS (at); i++)
    {
      WorldFlowResult r = arrivals_run (app, "", SIM_MS (at[i].ms));

      g_test_message ("run to %" G_GINT64_FORMAT " ms", at[i].ms);
      g_assert_cmpuint (r.requests, ==, at[i].requests);
    }
}

/* bursts of one request are the periodic schedule, event for event: the
 * same flows.tsv row and trace (request at the open, then every
 * interval; the timer armed before the request in both). */
static void
test_arrivals_burst_of_one_is_periodic (void)
{
  WorldFlowResult a, b;
  const char *http = "server_keepalive_timeout = 5s";
  g_autofree char *periodic = arrivals_traced ("interval = 7s", http, SIM_S (600), 1, &a);
  g_autofree char *bursts = arrivals_traced ("interval = 7s\narrivals = bursts\n"
                                             "burst_size = 1", http, SIM_S (600), 1, &b);

  /* 0, 7, ..., 595 s: 1 + floor (600 / 7) = 86 requests */
  g_assert_cmpuint (a.requests, ==, 86);
  g_assert_cmpuint (b.requests, ==, 86);
  g_assert_cmpuint (b.connections_opened, ==, a.connections_opened);
  g_assert_cmpstr (periodic, ==, bursts);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/http/config/header-values", test_header_values);
  g_test_add_func ("/http/latency/percentile", test_percentile);
  ADD ("/http/S35/reconnect-every-m", test_s35_reconnect_every_m);
  ADD ("/http/S35/max-header", test_s35_max_header);
  ADD ("/http/S34/idle-close-watched", test_s34_idle_close_watched);
  ADD ("/http/S34/probes-do-not-reset", test_s34_probes_do_not_reset);
  ADD ("/http/S36/client-idle-timeout", test_s36_client_idle_timeout);
  ADD ("/http/S36/pool-mru-and-queue", test_s36_pool_mru_and_queue);
  ADD ("/http/S37/stale-race-fails", test_s37_stale_race_fails);
  ADD ("/http/S37/retry-idempotent", test_s37_retry_idempotent);
  ADD ("/http/S37/safe-kc-below-ks", test_s37_safe_kc_below_ks);
  ADD ("/http/S37/fin-in-flight", test_s37_fin_in_flight);
  g_test_add ("/http/S37/fin-in-flight-retried", Fixture, "retry", f_setup,
              test_s37_fin_in_flight, f_teardown);
  ADD ("/http/S37/fresh-failure-not-retried", test_s37_fresh_failure_not_retried);
  g_test_add_func ("/http/S33/arrivals-poisson", test_arrivals_poisson);
  g_test_add_func ("/http/S36/arrivals-bursts-pool-large", test_arrivals_bursts_pool_large);
  g_test_add_func ("/http/S36/arrivals-bursts-pool-one", test_arrivals_bursts_pool_one);
  g_test_add_func ("/http/S33/arrivals-bursts-spacing", test_arrivals_bursts_spacing);
  g_test_add_func ("/http/S33/arrivals-burst-of-one-is-periodic",
                   test_arrivals_burst_of_one_is_periodic);
  return g_test_run ();
}
