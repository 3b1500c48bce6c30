/* models/app.h — the applications on both ends of a flow ([app] keys).
 *
 * An application only decides when to write and how much; TCP decides
 * everything else.  Patterns (DESIGN.md [app]):
 *  - idle:          never sends after the handshake (S11 territory);
 *  - request-after: one request `after` after its own side connected;
 *  - periodic:      one request every `interval`, the first `interval`
 *                   after connect;
 *  - poisson:       requests with exponential gaps of mean `interval`,
 *                   drawn from one RNG stream per World ("app:poisson"),
 *                   so the draws follow the (deterministic) event order;
 *  - http:          HTTP/1.1 keep-alive (models/http.h, [http]); the World
 *                   runs it, not the App (models/world_http.c), with
 *                   `request_bytes` and `response_bytes`.  Each flow's
 *                   client issues requests by `arrivals`, always starting
 *                   when the flow opens:
 *                     periodic: one every `interval`;
 *                     poisson:  exponential gaps of mean `interval`, drawn
 *                               from the World's "app:poisson" stream in
 *                               event order;
 *                     bursts:   every `interval`, `burst_size` requests
 *                               `burst_spacing` apart (0: all at the same
 *                               instant, so the pool opens up to
 *                               client_pool_max connections and queues the
 *                               rest, models/http.h).
 *                   arrivals, burst_size and burst_spacing shape HTTP
 *                   requests only: set with another pattern, or burst_*
 *                   with arrivals other than bursts, they are an error
 *                   (world_config.c), never silently ignored.
 * `sender` says which side sends requests; with one sender the other side
 * answers every complete request of `request_bytes` with `response_bytes`
 * (when > 0).  With `sender = both` both sides send on their own schedules
 * and nobody answers: bytes on a stream carry no message boundaries, so a
 * side could not tell a request from a response.
 *
 * An application notices a dead socket the way a real one does: at its
 * next write, which fails with EPIPE (tcp_conn_send returns TCP_ERR_PIPE);
 * it then stops.  On end of file it closes its socket, as a program whose
 * read() returns 0 does.  App actions taken in reaction to TCP callbacks
 * (answer, close) run as separate events at the same instant, so TCP is
 * never re-entered from its own callbacks.
 */
#pragma once

#include <glib.h>
#include "sim/sim.h"
#include "sim/rng.h"
#include "sim/scenario.h"
#include "models/packet.h"
#include "models/tcp.h"

G_BEGIN_DECLS

typedef enum {
  APP_IDLE = 0, APP_REQUEST_AFTER, APP_PERIODIC, APP_POISSON, APP_HTTP
} AppPattern;

typedef enum { APP_SENDER_CLIENT = 0, APP_SENDER_SERVER, APP_SENDER_BOTH } AppSender;

/* pattern = http: when a flow's client issues requests (see above). */
typedef enum {
  APP_ARRIVALS_PERIODIC = 0, APP_ARRIVALS_POISSON, APP_ARRIVALS_BURSTS
} AppArrivals;

/* [app] arrivals default: periodic keeps the requests of scenarios
 * written before the key existed (burst defaults: models/defaults.h). */
#define APP_DEFAULT_ARRIVALS       APP_ARRIVALS_PERIODIC

typedef struct {
  AppPattern pattern;
  SimTime    after;            /* request-after: idle time after connect */
  SimTime    interval;         /* periodic: period; poisson: mean gap; > 0 */
  AppSender  sender;
  guint32    request_bytes;    /* >= 1 */
  guint32    response_bytes;   /* 0 = no answer */
  AppArrivals arrivals;        /* http only */
  guint32    burst_size;       /* bursts: requests per burst, 1..10000 */
  SimTime    burst_spacing;    /* bursts: gap inside a burst, >= 0, and
                                * (burst_size - 1) * burst_spacing < interval */
} AppConfig;

/* Defaults from models/defaults.h: idle, client sends, 100/100 bytes. */
void     app_config_init_defaults (AppConfig *cfg);
/* Reads [app] (pattern, after, interval, sender, request_bytes,
 * response_bytes, arrivals, burst_size, burst_spacing) over the values in
 * @cfg, whatever the pattern, so every key is listed and typo-checked.
 * FALSE with the scenario reader's one-line error on a bad value; checks
 * across keys are world_config.c's. */
gboolean app_config_load   (AppConfig *cfg, SimScenario *sc, GError **error);
/* TRUE if the server (resp. client) side sends requests. */
gboolean app_config_sends  (const AppConfig *cfg, gboolean server);

/* Per-side application state, embedded in the owner's flow record. */
typedef struct {
  guint32 rx_pending;          /* request bytes received, not yet answered */
  guint16 requests;            /* requests written (saturates) */
  guint8  flags;               /* private APP_SIDE_* bits */
  guint8  server;              /* this side is the server */
} AppSide;

typedef struct _App App;

/* What a scheduled app event does when it fires (app_fire). */
typedef enum { APP_ACT_REQUEST = 0, APP_ACT_ANSWER, APP_ACT_CLOSE } AppAction;

typedef struct {
  /* The AppSide that belongs to socket @c (the owner embeds both). */
  AppSide *(*side)    (void *owner, TcpConn *c);
  /* Run app_fire (app, c, action) at @when (>= now).  The owner keeps the
   * event (it alone can find the App again from @c). */
  void     (*schedule) (void *owner, TcpConn *c, SimTime when, AppAction action);
  /* A write on @c failed with EPIPE: the app spoke into a dead socket. */
  void     (*on_pipe) (void *owner, TcpConn *c, SimTime at);
  /* A request of @bytes was written on @c (for traces; may be NULL). */
  void     (*on_send) (void *owner, TcpConn *c, guint32 bytes, gboolean response);
} AppOps;

/* One App drives every flow of a World.  @cfg is borrowed and must outlive
 * the App; @rng seeds the "app:poisson" stream (copied).  (transfer full) */
App     *app_new       (const AppConfig *cfg, Sim *sim, const SimRng *rng,
                        const AppOps *ops, void *owner);
/* Pending app events belong to the owner's Sim and must not fire
 * afterwards: free the Sim first (World does). */
void     app_free      (App *app);

/* Resets @s for a new socket on side @server. */
void     app_side_init (AppSide *s, gboolean server);
/* Socket @c just connected: starts this side's request schedule. */
void     app_connected (App *app, TcpConn *c);
/* @bytes of payload arrived on @c: answers complete requests. */
void     app_received  (App *app, TcpConn *c, guint32 bytes);
/* End of file on @c: the app closes its socket. */
void     app_eof       (App *app, TcpConn *c);
/* The socket died (error) or vanished (host restart): stop this side. */
void     app_stop      (App *app, TcpConn *c);
/* A scheduled event fired (see AppOps.schedule). */
void     app_fire      (App *app, TcpConn *c, AppAction action);

const char *app_pattern_name  (AppPattern p);
const char *app_arrivals_name (AppArrivals a);

G_END_DECLS
