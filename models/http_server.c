/* models/http_server.c — the HTTP/1.1 server side of persistent
 * connections (SEMANTICS.md S33–S35; see http.h).
 *
 * Per accepted connection the server waits for request_bytes, spends
 * service_time, writes response_bytes, and then either closes (the M-th
 * response carries Connection: close: nginx keepalive_requests, S35) or
 * waits at most K_s for the first byte of the next request and closes
 * with a FIN when none came (S34, nginx keepalive_timeout).  Only request
 * bytes stop that wait: TCP keep-alive probes carry no payload, never reach
 * the application (tcp.h on_recv) and so never reset K_s.  K_s starts when
 * the response is written to the socket, as in nginx (the keep-alive
 * handler is installed once the response is handed to the kernel), not
 * when the client acknowledges it.  A client that closes is answered with
 * a close.  Left out: nginx's lingering close and client_header_timeout,
 * keepalive_time (total connection age), pipelined requests beyond
 * counting their bytes in order.
 */
#include "config.h"

#include <glib.h>

#include "models/http.h"

typedef enum {
  SC_WAIT = 0,                 /* idle, K_s armed (S34) */
  SC_READING,                  /* part of a request arrived */
  SC_SERVICE,                  /* request complete, timer = service time */
  SC_CLOSING,                  /* the client closed: our close, now */
} SConnState;

typedef struct {
  HttpServer *srv;
  TcpConn    *tcp;             /* owned by the owner */
  SimTimer    timer;           /* WAIT: K_s; SERVICE: response; CLOSING: close */
  guint64     rx;              /* request bytes received, not yet served */
  guint32     k;               /* requests completed on this connection */
  guint8      state;           /* SConnState */
} SConn;

struct _HttpServer {
  Sim                 *sim;
  const HttpConfig    *cfg;
  const HttpServerOps *ops;    /* may be NULL */
  void                *owner;
  GHashTable          *conns;  /* TcpConn * -> SConn * (owned); lookups
                                * only, never iterated where order shows */
  HttpServerStats      stats;
};

static SimTime
server_now (const HttpServer *srv)
{
  return sim_now (srv->sim);
}

static void
sconn_free (void *data)
{
  SConn *sc = data;

  sim_timer_stop (&sc->timer);
  g_free (sc);
}

static void
sconn_forget (SConn *sc)
{
  g_hash_table_remove (sc->srv->conns, sc->tcp);      /* frees sc */
}

static void
sconn_close (SConn *sc)
{
  TcpConn *tcp = sc->tcp;
  HttpServer *srv = sc->srv;

  sconn_forget (sc);
  if (srv->ops && srv->ops->on_close)
    srv->ops->on_close (srv->owner, srv, tcp);
  tcp_conn_close (tcp);
}

/* Waits for the next request: K_s from now (S34). */
static void
sconn_wait (SConn *sc)
{
  sc->state = SC_WAIT;
  if (sc->srv->cfg->server_keepalive_timeout > 0)
    sim_timer_start (&sc->timer,
                     server_now (sc->srv) + sc->srv->cfg->server_keepalive_timeout);
}

/* Starts serving if a whole request has arrived. */
static void
sconn_maybe_serve (SConn *sc)
{
  HttpServer *srv = sc->srv;

  if (sc->rx < srv->cfg->request_bytes)
    return;
  sc->rx -= srv->cfg->request_bytes;
  sc->k++;
  srv->stats.requests++;
  sc->state = SC_SERVICE;
  sim_timer_start (&sc->timer, server_now (srv) + srv->cfg->service_time);
}

static void
sconn_respond (SConn *sc)
{
  HttpServer *srv = sc->srv;
  gboolean closes = http_response_closes (srv->cfg, sc->k);

  if (tcp_conn_send (sc->tcp, srv->cfg->response_bytes) == TCP_ERR_PIPE)
    {
      sconn_forget (sc);       /* dead without a callback: nothing to say */
      return;
    }
  srv->stats.responses++;
  if (srv->ops != NULL && srv->ops->on_response != NULL)
    srv->ops->on_response (srv->owner, srv, sc->tcp, sc->k,
                           http_response_max (srv->cfg, sc->k), closes);
  if (closes)
    {
      /* S35: FIN right behind the response (queued after it in TCP). */
      srv->stats.closed_max++;
      sconn_close (sc);
      return;
    }
  if (sc->rx > 0)
    {
      sc->state = SC_READING;
      sconn_maybe_serve (sc);
      return;
    }
  sconn_wait (sc);
}

static void
sconn_on_timer (SimTimer *timer, void *data)
{
  SConn *sc = data;

  switch (sc->state)
    {
    case SC_SERVICE:
      sconn_respond (sc);
      break;
    case SC_WAIT:
      sc->srv->stats.closed_idle++;    /* S34: K_s without a request */
      sconn_close (sc);
      break;
    case SC_CLOSING:
      sc->srv->stats.closed_eof++;
      sconn_close (sc);
      break;
    default:
      g_assert_not_reached ();
    }
}

static SConn *
sconn_lookup (HttpServer *srv, TcpConn *c)
{
  return g_hash_table_lookup (srv->conns, c);
}

HttpServer *
http_server_new (Sim *sim, const HttpConfig *cfg, const HttpServerOps *ops,
                 void *owner)
{
  HttpServer *srv;

  g_return_val_if_fail (sim != NULL && cfg != NULL, NULL);
  g_return_val_if_fail (cfg->request_bytes >= 1 && cfg->response_bytes >= 1, NULL);

  srv = g_new0 (HttpServer, 1);
  srv->sim = sim;
  srv->cfg = cfg;
  srv->ops = ops;
  srv->owner = owner;
  srv->conns = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                      sconn_free);
  return srv;
}

void
http_server_free (HttpServer *srv)
{
  if (srv == NULL)
    return;
  g_hash_table_unref (srv->conns);
  g_free (srv);
}

void
http_server_accept (HttpServer *srv, TcpConn *c)
{
  SConn *sc;

  g_return_if_fail (srv != NULL && c != NULL);
  g_return_if_fail (sconn_lookup (srv, c) == NULL);

  sc = g_new0 (SConn, 1);
  sc->srv = srv;
  sc->tcp = c;
  sim_timer_init (&sc->timer, srv->sim, sconn_on_timer, sc);
  g_hash_table_insert (srv->conns, c, sc);
  sconn_wait (sc);
}

void
http_server_recv (HttpServer *srv, TcpConn *c, guint32 bytes)
{
  SConn *sc = sconn_lookup (srv, c);

  if (sc == NULL || sc->state == SC_CLOSING)
    return;
  sc->rx += bytes;
  if (sc->state == SC_SERVICE)
    return;                    /* pipelined: served after this response */
  if (sc->state == SC_WAIT)
    {
      /* The first request byte ends the keep-alive wait (S34). */
      sim_timer_stop (&sc->timer);
      sc->state = SC_READING;
    }
  sconn_maybe_serve (sc);
}

void
http_server_eof (HttpServer *srv, TcpConn *c)
{
  SConn *sc = sconn_lookup (srv, c);

  if (sc == NULL || sc->state == SC_CLOSING)
    return;
  /* The client closed: so do we, from our timer (TCP is in a callback).
   * A request still in service is abandoned. */
  sc->state = SC_CLOSING;
  sim_timer_start (&sc->timer, server_now (srv));
}

void
http_server_error (HttpServer *srv, TcpConn *c, TcpErr err)
{
  SConn *sc = sconn_lookup (srv, c);

  if (sc != NULL)
    sconn_forget (sc);
}

void
http_server_closed (HttpServer *srv, TcpConn *c)
{
  http_server_error (srv, c, tcp_conn_error (c));
}

void
http_server_forget (HttpServer *srv, TcpConn *c)
{
  http_server_error (srv, c, TCP_ERR_NONE);
}

const HttpServerStats *
http_server_stats (const HttpServer *srv)
{
  g_return_val_if_fail (srv != NULL, NULL);
  return &srv->stats;
}

guint
http_server_n_conns (const HttpServer *srv)
{
  return g_hash_table_size (srv->conns);
}
