/* models/app.c — request patterns on top of TcpConn (see app.h).
 *
 * The App holds no per-flow memory: each side's state is an AppSide
 * embedded in its owner's flow record, and pending actions are the owner's
 * fire-and-forget events (AppOps.schedule), at most one request chain per
 * side.  Request times depend only on the connect time, the pattern and,
 * for poisson, on draws from one stream taken in event order, so a run is
 * reproducible.
 */
#include "config.h"

#include <glib.h>

#include "models/defaults.h"
#include "models/app.h"

enum {
  APP_SIDE_STOPPED   = 1 << 0,   /* socket dead or gone: never write again */
  APP_SIDE_CHAIN     = 1 << 1,   /* a request event is pending */
  APP_SIDE_ANSWERING = 1 << 2,   /* an answer event is pending */
  APP_SIDE_CLOSED    = 1 << 3,   /* the app closed its socket */
};

struct _App {
  const AppConfig *cfg;
  Sim             *sim;
  SimRng           rng;          /* "app:poisson" */
  const AppOps    *ops;
  void            *owner;
};

static const char *const pattern_names[] = {
  "idle", "request-after", "periodic", "poisson", "http", NULL
};
static const char *const sender_names[] = { "client", "server", "both", NULL };
static const char *const arrivals_names[] = { "periodic", "poisson", "bursts", NULL };

void
app_config_init_defaults (AppConfig *cfg)
{
  g_return_if_fail (cfg != NULL);

  cfg->pattern = APP_IDLE;
  cfg->after = APP_DEFAULT_AFTER;
  cfg->interval = APP_DEFAULT_INTERVAL;
  cfg->sender = APP_SENDER_CLIENT;
  cfg->request_bytes = APP_DEFAULT_REQUEST_BYTES;
  cfg->response_bytes = APP_DEFAULT_RESPONSE_BYTES;
  cfg->arrivals = APP_DEFAULT_ARRIVALS;
  cfg->burst_size = APP_DEFAULT_BURST_SIZE;
  cfg->burst_spacing = APP_DEFAULT_BURST_SPACING;
}

gboolean
app_config_load (AppConfig *cfg, SimScenario *sc, GError **error)
{
  gint64 req = cfg->request_bytes, resp = cfg->response_bytes;
  gint64 burst = cfg->burst_size;
  int pattern = cfg->pattern, sender = cfg->sender, arrivals = cfg->arrivals;

  if (!sim_scenario_get_enum (sc, "app", "pattern", pattern_names, &pattern, error))
    return FALSE;
  if (!sim_scenario_get_duration (sc, "app", "after", 0, WORLD_MAX_DURATION,
                                  &cfg->after, error)
      || !sim_scenario_get_duration (sc, "app", "interval", SIM_NS (1),
                                     WORLD_MAX_DURATION, &cfg->interval, error)
      || !sim_scenario_get_enum (sc, "app", "sender", sender_names, &sender, error)
      || !sim_scenario_get_int (sc, "app", "request_bytes", 1, APP_MAX_MESSAGE_BYTES,
                                &req, error)
      || !sim_scenario_get_int (sc, "app", "response_bytes", 0, APP_MAX_MESSAGE_BYTES,
                                &resp, error)
      || !sim_scenario_get_enum (sc, "app", "arrivals", arrivals_names, &arrivals,
                                 error)
      || !sim_scenario_get_int (sc, "app", "burst_size", 1, APP_MAX_BURST_SIZE, &burst,
                                error)
      || !sim_scenario_get_duration (sc, "app", "burst_spacing", 0, WORLD_MAX_DURATION,
                                     &cfg->burst_spacing, error))
    return FALSE;
  cfg->pattern = pattern;
  cfg->sender = sender;
  cfg->request_bytes = req;
  cfg->response_bytes = resp;
  cfg->arrivals = arrivals;
  cfg->burst_size = burst;
  return TRUE;
}

gboolean
app_config_sends (const AppConfig *cfg, gboolean server)
{
  if (cfg->pattern == APP_IDLE)
    return FALSE;
  return cfg->sender == APP_SENDER_BOTH
      || cfg->sender == (server ? APP_SENDER_SERVER : APP_SENDER_CLIENT);
}

const char *
app_pattern_name (AppPattern p)
{
  g_return_val_if_fail (p <= APP_HTTP, "?");
  return pattern_names[p];
}

const char *
app_arrivals_name (AppArrivals a)
{
  g_return_val_if_fail (a <= APP_ARRIVALS_BURSTS, "?");
  return arrivals_names[a];
}

App *
app_new (const AppConfig *cfg, Sim *sim, const SimRng *rng, const AppOps *ops,
         void *owner)
{
  App *app;

  g_return_val_if_fail (cfg != NULL && sim != NULL, NULL);
  g_return_val_if_fail (rng != NULL && ops != NULL && ops->side != NULL
                        && ops->schedule != NULL, NULL);

  app = g_new0 (App, 1);
  app->cfg = cfg;
  app->sim = sim;
  app->rng = *rng;
  app->ops = ops;
  app->owner = owner;
  return app;
}

void
app_free (App *app)
{
  g_free (app);
}

void
app_side_init (AppSide *s, gboolean server)
{
  /* A request chain still pending from an earlier socket on this side
   * (host restart, then a new SYN) carries on with the new socket rather
   * than run twice. */
  guint8 chain = s->flags & APP_SIDE_CHAIN;

  s->rx_pending = 0;
  s->requests = 0;
  s->flags = chain;
  s->server = server;
}

/* Delay from one request (or the connect) to the next; SIM_TIME_NEVER when
 * the pattern has no next one. */
static SimTime
app_next_gap (App *app, gboolean first)
{
  const AppConfig *cfg = app->cfg;

  switch (cfg->pattern)
    {
    case APP_REQUEST_AFTER:
      return first ? cfg->after : SIM_TIME_NEVER;
    case APP_PERIODIC:
      return cfg->interval;
    case APP_POISSON:
      return sim_rng_exp_time (&app->rng, cfg->interval);
    case APP_IDLE:
    case APP_HTTP:
    default:
      return SIM_TIME_NEVER;
    }
}

/* Schedules the next request of @c's chain @gap from now, if any. */
static void
app_chain (App *app, TcpConn *c, AppSide *s, SimTime gap)
{
  SimTime now = sim_now (app->sim);

  if (gap == SIM_TIME_NEVER || gap > SIM_TIME_NEVER - now)
    {
      s->flags &= ~APP_SIDE_CHAIN;
      return;
    }
  s->flags |= APP_SIDE_CHAIN;
  app->ops->schedule (app->owner, c, now + gap, APP_ACT_REQUEST);
}

void
app_connected (App *app, TcpConn *c)
{
  AppSide *s = app->ops->side (app->owner, c);

  if (!app_config_sends (app->cfg, s->server) || (s->flags & APP_SIDE_CHAIN))
    return;
  app_chain (app, c, s, app_next_gap (app, TRUE));
}

/* Writes @bytes; FALSE (and the side stops) when the socket is dead. */
static gboolean
app_write (App *app, TcpConn *c, AppSide *s, guint32 bytes, gboolean response)
{
  if (tcp_conn_send (c, bytes) == TCP_ERR_PIPE)
    {
      /* EPIPE (S7, S17): this is the moment the app finds its socket
       * dead, if no error reached it before. */
      s->flags |= APP_SIDE_STOPPED;
      if (app->ops->on_pipe != NULL)
        app->ops->on_pipe (app->owner, c, sim_now (app->sim));
      return FALSE;
    }
  if (app->ops->on_send != NULL)
    app->ops->on_send (app->owner, c, bytes, response);
  return TRUE;
}

void
app_received (App *app, TcpConn *c, guint32 bytes)
{
  AppSide *s = app->ops->side (app->owner, c);
  const AppConfig *cfg = app->cfg;

  /* Only a pure responder answers: see app.h on sender = both. */
  if (cfg->response_bytes == 0 || app_config_sends (cfg, s->server)
      || !app_config_sends (cfg, !s->server))
    return;
  s->rx_pending = MIN ((guint64) s->rx_pending + bytes, G_MAXUINT32);
  if (s->rx_pending >= cfg->request_bytes && !(s->flags & APP_SIDE_ANSWERING))
    {
      s->flags |= APP_SIDE_ANSWERING;
      app->ops->schedule (app->owner, c, sim_now (app->sim), APP_ACT_ANSWER);
    }
}

void
app_eof (App *app, TcpConn *c)
{
  app->ops->schedule (app->owner, c, sim_now (app->sim), APP_ACT_CLOSE);
}

void
app_stop (App *app, TcpConn *c)
{
  AppSide *s = app->ops->side (app->owner, c);

  s->flags |= APP_SIDE_STOPPED;
}

void
app_fire (App *app, TcpConn *c, AppAction action)
{
  AppSide *s = app->ops->side (app->owner, c);
  const AppConfig *cfg = app->cfg;
  gboolean dead = (s->flags & (APP_SIDE_STOPPED | APP_SIDE_CLOSED)) != 0;

  switch (action)
    {
    case APP_ACT_REQUEST:
      s->flags &= ~APP_SIDE_CHAIN;
      if (dead)
        return;
      if (!app_write (app, c, s, cfg->request_bytes, FALSE))
        return;
      if (s->requests < G_MAXUINT16)
        s->requests++;
      app_chain (app, c, s, app_next_gap (app, FALSE));
      break;

    case APP_ACT_ANSWER:
      s->flags &= ~APP_SIDE_ANSWERING;
      if (dead)
        return;
      /* One write per complete request: a write is one segment, and a
       * segment must fit an IPv4 datagram. */
      while (s->rx_pending >= cfg->request_bytes)
        {
          s->rx_pending -= cfg->request_bytes;
          if (!app_write (app, c, s, cfg->response_bytes, TRUE))
            return;
        }
      break;

    case APP_ACT_CLOSE:
      if (dead)
        return;
      s->flags |= APP_SIDE_CLOSED;
      tcp_conn_close (c);
      break;

    default:
      g_assert_not_reached ();
    }
}
