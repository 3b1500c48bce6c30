/* models/world_http.c — [app] pattern = http in a World (SEMANTICS.md
 * S33-S37, models/http.h).
 *
 * Every flow owns an HttpClient on its own client host; one HttpServer
 * serves every connection that reaches the server.  A flow issues its
 * first request when it opens, then by [app] arrivals (models/app.h):
 *  - periodic: one every `interval`;
 *  - poisson:  exponential gaps of mean `interval`, one draw per request
 *              from the World's "app:poisson" stream when that request
 *              fires, so the draws follow the (time, seq) event order and
 *              a seed gives the same bytes; nothing else draws from it;
 *  - bursts:   every `interval` a burst of `burst_size` requests, issued
 *              `burst_spacing` apart; with spacing 0 all in one event, one
 *              http_client_request after another, so the pool opens
 *              connections up to client_pool_max and queues the rest
 *              (FIFO, models/http.c).  A burst ends before the next one
 *              starts (world_config.c), so one timer per flow serves both.
 * The next request's timer is armed before the request is issued, as the
 * periodic schedule always did (same seq order, same bytes).
 * The client opens connections through HttpClientOps.open: each
 * is a heap-allocated WorldHttpConn with a new ephemeral port (the flow's
 * first port, then draws from "client:ports" after every flow's first),
 * kept in a hash table keyed by its 4-tuple; a pure SYN to the listening
 * port that finds no socket creates a server socket the HttpServer
 * accepts.  A socket is freed once TCP has closed it and HTTP has let go
 * of it (on_closed; http.h allows it from then on), unless it is still its
 * flow's last connection on that side, whose outcome the oracle reads:
 * that one goes when a newer connection replaces it, or with the World.
 * Its probes are added to the flow's count first.  So a day of HTTP
 * holds only the sockets still open or in TIME_WAIT, not every socket
 * ever opened.
 *
 * Outcomes: the flow's Flow record describes its last connection.  A new
 * client connection resets both sides' outcome; the server side of a flow
 * is the last socket accepted for it.  Callbacks of older connections go
 * to HTTP only.  client_port follows the last connection, so the NAT's
 * reports (world_flow_at) and the end-of-run oracle see that one.
 */
#include "config.h"

#include <string.h>

#include <glib.h>

#include "models/defaults.h"
#include "models/world_private.h"

static inline WorldHttpConn *
hconn_of (TcpConn *c)
{
  return (WorldHttpConn *) c;          /* conn is the first member */
}

static inline gboolean
hconn_is_last (World *w, WorldHttpConn *h)
{
  return w->hflows[h->flow].last[h->side] == h;
}

static GHashTable *
hconn_demux (World *w, int side)
{
  return side == WORLD_CLIENT ? w->http_client_demux : w->http_server_demux;
}

static void
hconn_count_probe_answer (World *w, const TcpConn *c, const Packet *p)
{
  if (p->len == 0 && p->flags == TCP_ACK && p->seq == c->rcv_nxt - 1
      && tcp_conn_is_open (c))
    w->probe_answers++;
}

/* ------------------------------------------------------------ TcpOps */

static void
hconn_output (void *owner, TcpConn *c, Packet *p)
{
  World *w = owner;
  WorldHttpConn *h = hconn_of (c);

  p->flow = h->flow;
  if (world_tracing (w, h->flow) && p->len == 0 && p->flags == TCP_ACK
      && p->seq == c->snd_una - 1)
    world_trace (w, h->flow, h->side == WORLD_CLIENT ? "client" : "server",
                 "sends keep-alive probe %u", tcp_conn_probes_sent (c) + 1);
  if (h->side == WORLD_CLIENT)
    link_send (w->lan, LINK_SIDE_A, p);
  else
    link_send (w->wan, LINK_SIDE_B, p);
}

static void
hconn_on_connected (void *owner, TcpConn *c)
{
  World *w = owner;
  WorldHttpConn *h = hconn_of (c);

  if (h->side == WORLD_CLIENT && hconn_is_last (w, h))
    w->flows[h->flow].flags |= FLOW_CONNECTED;
  world_trace (w, h->flow, h->side == WORLD_CLIENT ? "client" : "server", "connected");
}

static void
hconn_on_recv (void *owner, TcpConn *c, guint32 bytes)
{
  World *w = owner;
  WorldHttpConn *h = hconn_of (c);

  if (h->side == WORLD_CLIENT)
    http_client_recv (w->hflows[h->flow].client, c, bytes);
  else
    http_server_recv (w->http_server, c, bytes);
}

static void
hconn_on_eof (void *owner, TcpConn *c)
{
  World *w = owner;
  WorldHttpConn *h = hconn_of (c);

  if (hconn_is_last (w, h))
    world_side_ends (w, &w->flows[h->flow], h->side, WORLD_CLOSED, WORLD_CAUSE_FIN,
                     sim_now (w->sim));
  if (h->side == WORLD_CLIENT)
    http_client_eof (w->hflows[h->flow].client, c);
  else
    http_server_eof (w->http_server, c);
}

static void
hconn_on_error (void *owner, TcpConn *c, TcpErr err, TcpCause cause, const Packet *rst)
{
  World *w = owner;
  WorldHttpConn *h = hconn_of (c);
  Flow *f = &w->flows[h->flow];

  if (hconn_is_last (w, h))
    {
      WorldOutcome o = err == TCP_ERR_RESET ? WORLD_RESET : WORLD_TIMEOUT;

      if (h->side == WORLD_CLIENT && !(f->flags & FLOW_CONNECTED)
          && (f->flags & FLOW_REFUSED))
        o = WORLD_REFUSED;
      world_side_ends (w, f, h->side, o, world_cause_of_error (cause, rst),
                       sim_now (w->sim));
    }
  if (h->side == WORLD_CLIENT)
    http_client_error (w->hflows[h->flow].client, c, err);
  else
    http_server_error (w->http_server, c, err);
}

/* Frees @h, which HTTP no longer tracks and which is not its flow's last
 * connection on its side. */
static void
hconn_release (World *w, WorldHttpConn *h)
{
  g_assert (h->closed && !h->in_demux && !hconn_is_last (w, h));
  w->hflows[h->flow].probes[h->side] += tcp_conn_probes_sent (&h->conn);
  if (h->prev != NULL)
    h->prev->next = h->next;
  else
    w->http_first = h->next;
  if (h->next != NULL)
    h->next->prev = h->prev;
  else
    w->http_last = h->prev;
  tcp_conn_clear (&h->conn);
  g_free (h);
}

/* @h (maybe NULL) just stopped being its flow's last connection. */
static void
hconn_superseded (World *w, WorldHttpConn *h)
{
  if (h != NULL && h->closed)
    hconn_release (w, h);
}

static void
hconn_on_closed (void *owner, TcpConn *c)
{
  World *w = owner;
  WorldHttpConn *h = hconn_of (c);
  Flow *f = &w->flows[h->flow];

  if (h->in_demux)
    {
      g_hash_table_remove (hconn_demux (w, h->side), tcp_conn_key (c));
      h->in_demux = FALSE;
    }
  if (hconn_is_last (w, h))
    {
      f->flags &= ~(h->side == WORLD_CLIENT ? FLOW_SOCK_C : FLOW_SOCK_S);
      /* HTTP closed this side itself (K_s, M, K_c, or after end of file):
       * an orderly close, which no eof or error callback reports. */
      world_side_ends (w, f, h->side, WORLD_CLOSED, WORLD_CAUSE_FIN, sim_now (w->sim));
    }
  if (h->side == WORLD_CLIENT)
    http_client_closed (w->hflows[h->flow].client, c);
  else
    http_server_closed (w->http_server, c);
  h->closed = TRUE;
  if (!hconn_is_last (w, h))
    hconn_release (w, h);
}

static const TcpOps hconn_ops = {
  .output = hconn_output, .on_connected = hconn_on_connected,
  .on_recv = hconn_on_recv, .on_eof = hconn_on_eof,
  .on_error = hconn_on_error, .on_closed = hconn_on_closed,
};

static WorldHttpConn *
hconn_new (World *w, guint32 flow, int side, FlowKey key)
{
  WorldHttpConn *h = g_new0 (WorldHttpConn, 1);

  h->flow = flow;
  h->side = (guint8) side;
  tcp_conn_init (&h->conn, &w->http_env[side], key,
                 (guint32) sim_rng_next_u64 (&w->iss_rng));
  h->prev = w->http_last;
  if (w->http_last != NULL)
    w->http_last->next = h;
  else
    w->http_first = h;
  w->http_last = h;
  g_hash_table_insert (hconn_demux (w, side), (gpointer) tcp_conn_key (&h->conn), h);
  h->in_demux = TRUE;
  return h;
}

/* ------------------------------------------------------------ client */

static void
world_side_reset (Flow *f, int side)
{
  f->outcome[side] = WORLD_NONE;
  f->cause[side] = WORLD_CAUSE_NONE;
  f->learned_at[side] = SIM_TIME_NEVER;
}

/* HttpClientOps.open: a new connection of the flow, from a port no socket
 * of its host uses. */
static TcpConn *
world_http_open (void *owner, HttpClient *client)
{
  WorldHttpFlow *hf = owner;
  World *w = hf->world;
  guint64 i = (guint64) (hf - w->hflows);
  Flow *f = &w->flows[i];
  WorldHttpConn *h;
  FlowKey key = world_client_key (w, f);
  guint tries = 0;

  /* The first connection takes the flow's drawn port, later ones draw. */
  if (hf->last[WORLD_CLIENT] != NULL)
    do
      {
        if (tries++ >= 1000)
          return NULL;
        key.src_port = WORLD_EPHEMERAL_PORT_LO
          + sim_rng_below (&w->http_ports,
                           WORLD_EPHEMERAL_PORT_HI - WORLD_EPHEMERAL_PORT_LO + 1);
      }
    while (g_hash_table_contains (w->http_client_demux, &key));
  h = hconn_new (w, (guint32) i, WORLD_CLIENT, key);
  f->client_port = key.src_port;
  WorldHttpConn *old_c = hf->last[WORLD_CLIENT], *old_s = hf->last[WORLD_SERVER];
  hf->last[WORLD_CLIENT] = h;
  hf->last[WORLD_SERVER] = NULL;
  hconn_superseded (w, old_c);
  hconn_superseded (w, old_s);
  world_side_reset (f, WORLD_CLIENT);
  world_side_reset (f, WORLD_SERVER);
  f->flags = (f->flags & ~(FLOW_CONNECTED | FLOW_SEEN | FLOW_SOCK_S | FLOW_REFUSED))
             | FLOW_OPENED | FLOW_SOCK_C;
  world_trace (w, i, "client", "connect() from port %u", key.src_port);
  return &h->conn;
}

static void
world_http_on_done (void *owner, HttpClient *client, const HttpRequestInfo *info)
{
  static const char *const names[] = { "ok", "retried", "failed" };
  WorldHttpFlow *hf = owner;
  World *w = hf->world;

  world_trace (w, (guint64) (hf - w->hflows), "app", "request %" G_GUINT64_FORMAT " %s%s",
               info->id, names[info->outcome],
               info->reused ? " (reused connection)" : "");
}

/* HTTP closes a connection itself: for the flow's last connection that
 * side's outcome is `closed`, learned at this instant (§6: "this side
 * closed"), not when TIME_WAIT or LAST_ACK later ends — a connection
 * closed just before the end of the run would otherwise look stale. */
static void
world_http_side_closes (World *w, TcpConn *c)
{
  WorldHttpConn *h = hconn_of (c);

  if (hconn_is_last (w, h))
    world_side_ends (w, &w->flows[h->flow], h->side, WORLD_CLOSED, WORLD_CAUSE_FIN,
                     sim_now (w->sim));
}

static void
world_http_client_on_close (void *owner, HttpClient *client, TcpConn *c)
{
  WorldHttpFlow *hf = owner;

  world_http_side_closes (hf->world, c);
}

static void
world_http_server_on_close (void *owner, HttpServer *srv, TcpConn *c)
{
  world_http_side_closes (owner, c);
}

static const HttpClientOps world_http_client_ops = {
  .open = world_http_open, .on_done = world_http_on_done,
  .on_close = world_http_client_on_close,
};

static const HttpServerOps world_http_server_ops = {
  .on_close = world_http_server_on_close,
};

/* Arms the flow's next request @gap from now; a gap beyond the end of
 * time (a poisson draw far in the tail) means no next request. */
static void
world_http_next (World *w, WorldHttpFlow *hf, SimTime gap)
{
  SimTime now = sim_now (w->sim);

  if (gap <= SIM_TIME_NEVER - now)
    sim_timer_start (&hf->req_timer, now + gap);
}

/* The request(s) due now, and the timer for the next ([app] arrivals). */
static void
world_http_on_request (SimTimer *t, void *data)
{
  WorldHttpFlow *hf = data;
  World *w = hf->world;
  const AppConfig *app = &w->cfg.app;

  switch (app->arrivals)
    {
    case APP_ARRIVALS_PERIODIC:
      world_http_next (w, hf, app->interval);
      http_client_request (hf->client);
      break;

    case APP_ARRIVALS_POISSON:
      world_http_next (w, hf, sim_rng_exp_time (&w->http_rng, app->interval));
      http_client_request (hf->client);
      break;

    case APP_ARRIVALS_BURSTS:
      if (app->burst_spacing == 0)
        {
          world_http_next (w, hf, app->interval);
          for (guint32 k = 0; k < app->burst_size; k++)
            http_client_request (hf->client);
          break;
        }
      /* burst_sent requests of this burst went out before this one,
       * burst_spacing apart: next comes the burst's following request or,
       * after its last, the next burst, interval after this one began. */
      if (++hf->burst_sent < app->burst_size)
        world_http_next (w, hf, app->burst_spacing);
      else
        {
          world_http_next (w, hf, app->interval
                                  - (SimTime) (app->burst_size - 1) * app->burst_spacing);
          hf->burst_sent = 0;
        }
      http_client_request (hf->client);
      break;

    default:
      g_assert_not_reached ();
    }
}

void
world_http_open_flow (World *w, Flow *f)
{
  WorldHttpFlow *hf = &w->hflows[world_flow_index (w, f)];

  f->flags |= FLOW_OPENED;
  world_http_on_request (&hf->req_timer, hf);
}

/* ------------------------------------------------------------ server */

static gboolean
world_http_accept (World *w, Packet *p)
{
  WorldHttpConn *h;
  Flow *f;
  WorldHttpFlow *hf;

  if (p->key.dst_port != WORLD_SERVER_PORT
      || (p->flags & (TCP_SYN | TCP_ACK | TCP_RST | TCP_FIN)) != TCP_SYN
      || p->flow >= w->n_flows)
    return FALSE;
  f = &w->flows[p->flow];
  hf = &w->hflows[p->flow];
  h = hconn_new (w, p->flow, WORLD_SERVER, flow_key_reverse (p->key));
  /* The flow's newest server socket is its last connection's side. */
  WorldHttpConn *old = hf->last[WORLD_SERVER];
  hf->last[WORLD_SERVER] = h;
  hconn_superseded (w, old);
  f->flags |= FLOW_SEEN | FLOW_SOCK_S;
  world_side_reset (f, WORLD_SERVER);
  if (world_tracing (w, p->flow))
    world_trace_packet (w, "server", "accepts", p);
  tcp_conn_accept (&h->conn, p);
  http_server_accept (w->http_server, &h->conn);
  packet_free (w->pool, p);
  return TRUE;
}

gboolean
world_http_server_receive (World *w, Packet *p)
{
  FlowKey rkey = flow_key_reverse (p->key);
  WorldHttpConn *h = g_hash_table_lookup (w->http_server_demux, &rkey);

  if (h == NULL)
    return world_http_accept (w, p);
  if (world_tracing (w, p->flow))
    world_trace_packet (w, "server", "recv", p);
  hconn_count_probe_answer (w, &h->conn, p);
  tcp_conn_receive (&h->conn, p);
  return TRUE;
}

gboolean
world_http_client_receive (World *w, Packet *p)
{
  FlowKey rkey = flow_key_reverse (p->key);
  WorldHttpConn *h = g_hash_table_lookup (w->http_client_demux, &rkey);

  if (h == NULL)
    return FALSE;
  if (world_tracing (w, p->flow))
    world_trace_packet (w, "client", "recv", p);
  hconn_count_probe_answer (w, &h->conn, p);
  tcp_conn_receive (&h->conn, p);
  return TRUE;
}

/* S32: every server socket vanishes silently. */
void
world_http_server_restart (World *w, SimTime now)
{
  WorldHttpConn *next;

  for (WorldHttpConn *h = w->http_first; h != NULL; h = next)
    {
      next = h->next;
      if (h->side != WORLD_SERVER || !h->in_demux)
        continue;
      g_hash_table_remove (w->http_server_demux, tcp_conn_key (&h->conn));
      h->in_demux = FALSE;
      tcp_conn_clear (&h->conn);
      http_server_forget (w->http_server, &h->conn);
      h->closed = TRUE;
      if (hconn_is_last (w, h))
        {
          Flow *f = &w->flows[h->flow];

          f->flags &= ~FLOW_SOCK_S;
          world_side_ends (w, f, WORLD_SERVER, WORLD_CLOSED, WORLD_CAUSE_RESTART, now);
        }
      else
        hconn_release (w, h);
    }
}

/* ------------------------------------------------------------ life */

void
world_http_new (World *w, const SimRng *ports, const SimRng *app)
{
  w->http = TRUE;
  w->http_ports = *ports;
  w->http_rng = *app;
  w->cfg.http.request_bytes = w->cfg.app.request_bytes;
  w->cfg.http.response_bytes = w->cfg.app.response_bytes;
  w->http_client_demux = g_hash_table_new (flow_key_hash, flow_key_equal);
  w->http_server_demux = g_hash_table_new (flow_key_hash, flow_key_equal);
  /* Same configuration and pool as plain flows, but HTTP's own callbacks. */
  tcp_env_init (&w->http_env[WORLD_CLIENT], w->sim, &w->cfg.client, &hconn_ops, w->pool, w);
  tcp_env_init (&w->http_env[WORLD_SERVER], w->sim, &w->cfg.server, &hconn_ops, w->pool, w);
  w->http_server = http_server_new (w->sim, &w->cfg.http, &world_http_server_ops, w);
  w->hflows = g_new0 (WorldHttpFlow, w->n_flows);
  for (guint64 i = 0; i < w->n_flows; i++)
    {
      WorldHttpFlow *hf = &w->hflows[i];

      hf->world = w;
      hf->client = http_client_new (w->sim, &w->cfg.http, &world_http_client_ops, hf);
      sim_timer_init (&hf->req_timer, w->sim, world_http_on_request, hf);
    }
}

/* Before the links and the Sim (world_free). */
void
world_http_free (World *w)
{
  if (!w->http)
    return;
  for (guint64 i = 0; i < w->n_flows; i++)
    {
      sim_timer_stop (&w->hflows[i].req_timer);
      g_clear_pointer (&w->hflows[i].client, http_client_free);
    }
  g_clear_pointer (&w->http_server, http_server_free);
  while (w->http_first != NULL)
    {
      WorldHttpConn *h = w->http_first;

      w->http_first = h->next;
      tcp_conn_clear (&h->conn);
      g_free (h);
    }
  w->http_last = NULL;
  g_hash_table_destroy (w->http_client_demux);
  g_hash_table_destroy (w->http_server_demux);
  g_clear_pointer (&w->hflows, g_free);
}

/* Probes of every connection, per flow (before the oracle). */
void
world_http_decide (World *w)
{
  for (WorldHttpConn *h = w->http_first; h != NULL; h = h->next)
    w->hflows[h->flow].probes[h->side] += tcp_conn_probes_sent (&h->conn);
}
