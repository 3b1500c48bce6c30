/* models/http.c — [http] configuration and the HTTP/1.1 client pool
 * (SEMANTICS.md S36, S37; see http.h).
 *
 * The client behaves like Go's net/http Transport with one host: idle
 * connections sit in a most-recently-used-first list, a request takes the
 * first idle one or opens a new connection while fewer than
 * client_pool_max exist, and waits in a FIFO queue otherwise.  An idle
 * connection is closed after K_c (IdleConnTimeout) and dropped as soon as a
 * FIN or RST arrives on it (Go's background read on idle connections).  A
 * request that fails on a reused connection before any response byte is
 * resent once on a new connection when retry_idempotent is on (Go's
 * shouldRetryRequest: reused, replayable, nothing read).  Attempts on a
 * fresh connection are never retried: the race of S37 needs reuse.
 * Latency runs from the first write of the request to a socket to the last
 * response byte; a request on a new connection is written at connect()
 * (TCP sends it when ESTABLISHED), so the handshake counts, time queued
 * for a pool slot does not.
 */
#include "config.h"

#include <glib.h>

#include "models/defaults.h"
#include "models/http.h"

/* ---- configuration --------------------------------------------------- */

void
http_config_init_defaults (HttpConfig *cfg)
{
  g_return_if_fail (cfg != NULL);

  /* models/defaults.h: DESIGN.md [http] example values. */
  cfg->server_keepalive_timeout = HTTP_DEFAULT_SERVER_KEEPALIVE_TIMEOUT;
  cfg->server_keepalive_max = HTTP_DEFAULT_SERVER_KEEPALIVE_MAX;
  cfg->client_pool_idle_timeout = HTTP_DEFAULT_CLIENT_POOL_IDLE_TIMEOUT;
  cfg->client_pool_max = HTTP_DEFAULT_CLIENT_POOL_MAX;
  cfg->retry_idempotent = HTTP_DEFAULT_RETRY_IDEMPOTENT;
  cfg->service_time = HTTP_DEFAULT_SERVICE_TIME;
  cfg->request_bytes = APP_DEFAULT_REQUEST_BYTES;
  cfg->response_bytes = APP_DEFAULT_RESPONSE_BYTES;
}

gboolean
http_config_load (HttpConfig *cfg, SimScenario *sc, GError **error)
{
  gint64 max = cfg->server_keepalive_max, pool = cfg->client_pool_max;
  gboolean retry = cfg->retry_idempotent;

  if (!sim_scenario_get_duration (sc, "http", "server_keepalive_timeout", 0,
                                  WORLD_MAX_DURATION,
                                  &cfg->server_keepalive_timeout, error)
      || !sim_scenario_get_int (sc, "http", "server_keepalive_max", 1, G_MAXINT32,
                                &max, error)
      || !sim_scenario_get_duration (sc, "http", "client_pool_idle_timeout", 0,
                                     WORLD_MAX_DURATION,
                                     &cfg->client_pool_idle_timeout, error)
      || !sim_scenario_get_int (sc, "http", "client_pool_max", 1, G_MAXINT32, &pool,
                                error)
      || !sim_scenario_get_bool (sc, "http", "retry_idempotent", &retry, error)
      || !sim_scenario_get_duration (sc, "http", "service_time", 0,
                                     WORLD_MAX_DURATION, &cfg->service_time, error))
    return FALSE;
  cfg->server_keepalive_max = max;
  cfg->client_pool_max = pool;
  cfg->retry_idempotent = retry;
  return TRUE;
}

guint
http_response_max (const HttpConfig *cfg, guint32 k)
{
  g_return_val_if_fail (cfg != NULL && k >= 1, 0);

  if (cfg->server_keepalive_max == 0 || k > cfg->server_keepalive_max)
    return 0;
  return cfg->server_keepalive_max - k + 1;
}

gboolean
http_response_closes (const HttpConfig *cfg, guint32 k)
{
  g_return_val_if_fail (cfg != NULL && k >= 1, TRUE);

  /* nginx: keepalive_timeout 0 disables keep-alive; keepalive_requests M
   * closes after the M-th request (S35). */
  return cfg->server_keepalive_timeout == 0
      || (cfg->server_keepalive_max > 0 && k >= cfg->server_keepalive_max);
}

SimTime
http_latency_percentile (SimTime *v, guint n, guint percent)
{
  g_return_val_if_fail (percent >= 1 && percent <= 100, SIM_TIME_NEVER);
  if (n == 0)
    return SIM_TIME_NEVER;
  g_return_val_if_fail (v != NULL, SIM_TIME_NEVER);
  latency_sort_times (v, n);
  return v[latency_rank (percent, n) - 1];
}

/* ---- client ---------------------------------------------------------- */

typedef struct {
  guint64 id;
  SimTime issued_at;
  SimTime first_sent_at;       /* SIM_TIME_NEVER until written */
  guint8  attempts;            /* writes to a socket so far */
  gboolean retry;              /* the next attempt must open a connection */
} HttpRequest;

typedef enum {
  CC_BUSY = 0,                 /* a request is out (or queued in TCP) */
  CC_IDLE,                     /* in the pool */
  CC_CLOSING,                  /* out of the pool, close pending (timer) */
} CConnState;

typedef struct {
  HttpClient  *client;
  TcpConn     *tcp;            /* owned by the owner */
  SimTimer     timer;          /* IDLE: K_c expiry; CLOSING: the close, now */
  HttpRequest *req;            /* BUSY: the request out on it */
  guint32      rx;             /* BUSY: response bytes so far */
  guint32      responses;      /* complete responses on this connection */
  gboolean     reused;         /* BUSY: req went out after a response */
  guint8       state;          /* CConnState */
} CConn;

struct _HttpClient {
  Sim                 *sim;
  const HttpConfig    *cfg;
  const HttpClientOps *ops;
  void                *owner;
  SimTimer             kick;   /* dispatches the queue, armed for "now" */
  GPtrArray           *conns;  /* CConn *, every tracked one, owned */
  GQueue               idle;   /* CConn *, most recently used first */
  GQueue               queue;  /* HttpRequest *, FIFO; retries go first */
  guint                n_live; /* tracked and not CLOSING: counts
                                * against client_pool_max */
  Latencies            latencies;  /* answered requests */
  HttpClientStats      stats;
  guint64              next_id;
};

static void client_dispatch (HttpClient *client);

static SimTime
client_now (const HttpClient *client)
{
  return sim_now (client->sim);
}

static CConn *
cconn_lookup (HttpClient *client, TcpConn *c)
{
  for (guint i = 0; i < client->conns->len; i++)
    {
      CConn *cc = g_ptr_array_index (client->conns, i);

      if (cc->tcp == c)
        return cc;
    }
  return NULL;
}

/* Takes @cc out of the pool accounting (idle list, live count). */
static void
cconn_unpool (CConn *cc)
{
  HttpClient *client = cc->client;

  sim_timer_stop (&cc->timer);
  if (cc->state == CC_IDLE)
    g_queue_remove (&client->idle, cc);
  if (cc->state != CC_CLOSING)
    client->n_live--;
}

/* Forgets @cc: HTTP keeps no pointer to its TcpConn afterwards. */
static void
cconn_forget (CConn *cc)
{
  HttpClient *client = cc->client;

  cconn_unpool (cc);
  g_assert (cc->req == NULL);
  g_ptr_array_remove (client->conns, cc);
  g_free (cc);
}

/* Closes @cc from a timer or an application call (not a TCP callback). */
static void
cconn_close_now (CConn *cc)
{
  TcpConn *tcp = cc->tcp;
  HttpClient *client = cc->client;

  cconn_forget (cc);
  if (client->ops->on_close)
    client->ops->on_close (client->owner, client, tcp);
  tcp_conn_close (tcp);
}

/* Same from inside a TCP callback: leave the pool now, close at once but
 * from our own timer so TCP is not re-entered. */
static void
cconn_close_later (CConn *cc)
{
  cconn_unpool (cc);
  cc->state = CC_CLOSING;
  sim_timer_start (&cc->timer, client_now (cc->client));
}

static void
cconn_on_timer (SimTimer *timer, void *data)
{
  CConn *cc = data;

  if (cc->state == CC_IDLE)
    cc->client->stats.idle_closes++;     /* S36: K_c elapsed, client FIN */
  cconn_close_now (cc);
}

static void
client_kick_later (HttpClient *client)
{
  if (!sim_timer_is_armed (&client->kick) && client->queue.length > 0)
    sim_timer_start (&client->kick, client_now (client));
}

static void
client_on_kick (SimTimer *timer, void *data)
{
  client_dispatch (data);
}

static void
request_finish (HttpClient *client, HttpRequest *req, HttpOutcome outcome,
                TcpConn *tcp, TcpErr err, gboolean reused)
{
  HttpRequestInfo info = {
    .id = req->id, .outcome = outcome, .issued_at = req->issued_at,
    .first_sent_at = req->first_sent_at, .done_at = client_now (client),
    .latency = SIM_TIME_NEVER, .conn = tcp, .err = err, .reused = reused,
  };

  if (outcome == HTTP_FAILED)
    client->stats.failed++;
  else
    {
      info.latency = info.done_at - req->first_sent_at;
      client->stats.ok++;
      latency_add (&client->latencies, info.latency);
    }
  if (client->ops->on_done != NULL)
    client->ops->on_done (client->owner, client, &info);
  g_free (req);
}

/* The request out on @cc failed with @err (TCP_ERR_NONE: end of file).
 * S37: retried once on a new connection if allowed, else failed. */
static void
cconn_attempt_failed (CConn *cc, TcpErr err)
{
  HttpClient *client = cc->client;
  HttpRequest *req = g_steal_pointer (&cc->req);

  if (client->cfg->retry_idempotent && cc->reused && cc->rx == 0
      && req->attempts == 1)
    {
      client->stats.retried++;
      req->retry = TRUE;
      g_queue_push_head (&client->queue, req);
      client_kick_later (client);
      return;
    }
  request_finish (client, req, HTTP_FAILED, cc->tcp, err, cc->reused);
}

/* Writes @req on @cc (BUSY).  FALSE if the socket turned out dead. */
static gboolean
cconn_send (CConn *cc, HttpRequest *req)
{
  HttpClient *client = cc->client;

  cc->state = CC_BUSY;
  cc->req = req;
  cc->rx = 0;
  cc->reused = cc->responses > 0;
  if (req->first_sent_at == SIM_TIME_NEVER)
    req->first_sent_at = client_now (client);
  req->attempts++;
  if (tcp_conn_send (cc->tcp, client->cfg->request_bytes) == TCP_ERR_PIPE)
    {
      /* Died without telling us (cannot happen with tcp.c's callbacks,
       * but an EPIPE is what the application would see). */
      cconn_attempt_failed (cc, TCP_ERR_PIPE);
      cconn_forget (cc);
      return FALSE;
    }
  return TRUE;
}

static CConn *
cconn_open (HttpClient *client)
{
  TcpConn *tcp = client->ops->open (client->owner, client);
  CConn *cc;

  if (tcp == NULL)
    return NULL;
  client->stats.connections_opened++;
  cc = g_new0 (CConn, 1);
  cc->client = client;
  cc->tcp = tcp;
  cc->state = CC_BUSY;
  sim_timer_init (&cc->timer, client->sim, cconn_on_timer, cc);
  g_ptr_array_add (client->conns, cc);
  client->n_live++;
  tcp_conn_connect (tcp);
  return cc;
}

/* Hands queued requests to connections while any can take one. */
static void
client_dispatch (HttpClient *client)
{
  HttpRequest *req;

  while ((req = g_queue_peek_head (&client->queue)) != NULL)
    {
      CConn *cc = NULL;

      if (!req->retry && client->idle.length > 0)
        {
          cc = g_queue_pop_head (&client->idle);     /* most recent first */
          sim_timer_stop (&cc->timer);
        }
      else
        {
          /* A retry must not wait behind idle connections that fill the
           * pool (they are likely stale too): evict the least recent. */
          if (req->retry && client->n_live >= client->cfg->client_pool_max
              && client->idle.length > 0)
            cconn_close_now (g_queue_peek_tail (&client->idle));
          if (client->n_live >= client->cfg->client_pool_max)
            return;                /* wait for a response or a close */
          cc = cconn_open (client);
          if (cc == NULL)
            {
              g_queue_pop_head (&client->queue);
              request_finish (client, req, HTTP_FAILED, NULL, TCP_ERR_NONE,
                              FALSE);
              continue;
            }
        }
      g_queue_pop_head (&client->queue);
      cconn_send (cc, req);
    }
}

HttpClient *
http_client_new (Sim *sim, const HttpConfig *cfg, const HttpClientOps *ops,
                 void *owner)
{
  HttpClient *client;

  g_return_val_if_fail (sim != NULL && cfg != NULL, NULL);
  g_return_val_if_fail (ops != NULL && ops->open != NULL, NULL);
  g_return_val_if_fail (cfg->client_pool_max >= 1, NULL);
  g_return_val_if_fail (cfg->request_bytes >= 1 && cfg->response_bytes >= 1, NULL);

  client = g_new0 (HttpClient, 1);
  client->sim = sim;
  client->cfg = cfg;
  client->ops = ops;
  client->owner = owner;
  sim_timer_init (&client->kick, sim, client_on_kick, client);
  client->conns = g_ptr_array_new ();
  g_queue_init (&client->idle);
  g_queue_init (&client->queue);
  latency_init (&client->latencies);
  return client;
}

void
http_client_free (HttpClient *client)
{
  if (client == NULL)
    return;
  sim_timer_stop (&client->kick);
  for (guint i = 0; i < client->conns->len; i++)
    {
      CConn *cc = g_ptr_array_index (client->conns, i);

      sim_timer_stop (&cc->timer);
      g_free (cc->req);
      g_free (cc);
    }
  g_ptr_array_unref (client->conns);
  g_queue_clear (&client->idle);
  g_queue_clear_full (&client->queue, g_free);
  latency_clear (&client->latencies);
  g_free (client);
}

void
http_client_request (HttpClient *client)
{
  HttpRequest *req;

  g_return_if_fail (client != NULL);

  req = g_new0 (HttpRequest, 1);
  req->id = client->next_id++;
  req->issued_at = client_now (client);
  req->first_sent_at = SIM_TIME_NEVER;
  client->stats.requests++;
  g_queue_push_tail (&client->queue, req);
  client_dispatch (client);
}

void
http_client_recv (HttpClient *client, TcpConn *c, guint32 bytes)
{
  CConn *cc = cconn_lookup (client, c);
  HttpRequest *req;

  if (cc == NULL || cc->state != CC_BUSY)
    return;                    /* nobody asked: not a response */
  cc->rx = MIN ((guint64) cc->rx + bytes, G_MAXUINT32);
  if (cc->rx < client->cfg->response_bytes)
    return;

  req = g_steal_pointer (&cc->req);
  cc->responses++;
  request_finish (client, req, req->attempts > 1 ? HTTP_RETRIED : HTTP_OK,
                  c, TCP_ERR_NONE, cc->reused);
  if (http_response_closes (client->cfg, cc->responses))
    {
      /* Connection: close (S35): Go closes after reading the body. */
      cconn_close_later (cc);
      client_kick_later (client);
      return;
    }
  cc->state = CC_IDLE;
  g_queue_push_head (&client->idle, cc);
  if (client->cfg->client_pool_idle_timeout > 0)
    sim_timer_start (&cc->timer,
                     client_now (client) + client->cfg->client_pool_idle_timeout);
  client_kick_later (client);
}

void
http_client_eof (HttpClient *client, TcpConn *c)
{
  CConn *cc = cconn_lookup (client, c);

  if (cc == NULL || cc->state == CC_CLOSING)
    return;
  if (cc->state == CC_BUSY)
    cconn_attempt_failed (cc, TCP_ERR_NONE);   /* closed before response */
  else
    client->stats.pool_discards++;             /* S36: watched idle socket */
  /* read() returned 0: close our side too. */
  cconn_close_later (cc);
  client_kick_later (client);
}

void
http_client_error (HttpClient *client, TcpConn *c, TcpErr err)
{
  CConn *cc = cconn_lookup (client, c);

  if (cc == NULL)
    return;
  if (cc->state == CC_BUSY)
    cconn_attempt_failed (cc, err);
  else if (cc->state == CC_IDLE)
    client->stats.pool_discards++;
  cconn_forget (cc);
  client_kick_later (client);
}

void
http_client_closed (HttpClient *client, TcpConn *c)
{
  /* After on_error (already forgotten) or a close of ours; anything still
   * tracked died without an error report. */
  if (cconn_lookup (client, c) != NULL)
    http_client_error (client, c, tcp_conn_error (c));
}

void
http_client_forget (HttpClient *client, TcpConn *c)
{
  http_client_error (client, c, TCP_ERR_RESET);
}

const HttpClientStats *
http_client_stats (const HttpClient *client)
{
  g_return_val_if_fail (client != NULL, NULL);
  return &client->stats;
}

const Latencies *
http_client_latencies (const HttpClient *client)
{
  g_return_val_if_fail (client != NULL, NULL);
  return &client->latencies;
}

SimTime
http_client_percentile (const HttpClient *client, guint percent)
{
  g_return_val_if_fail (client != NULL, SIM_TIME_NEVER);
  return latency_percentile (&client->latencies, percent);
}

guint
http_client_n_idle (const HttpClient *client)
{
  return client->idle.length;
}

guint
http_client_n_conns (const HttpClient *client)
{
  return client->conns->len;
}
