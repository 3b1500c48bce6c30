/* models/world.h — one simulated network built from a scenario, and what
 * became of every connection in it.
 *
 * Topology (one point of a scenario):
 *
 *   client hosts --[link.lan]-- NAT box --[link.wan]-- server host
 *   10.0.0.2 + i                203.0.113.1+       198.51.100.1:443
 *
 * With [app] pattern = http, flow i is instead one HTTP client on that
 * host, opening a new connection (new ephemeral port) whenever its pool
 * needs one (models/world_http.c).
 *
 * Flow i is one TCP connection from its own client host 10.0.0.(2 + i)
 * (ephemeral port drawn from "client:ports" in 32768..60999, Linux's
 * ip_local_port_range) to the server; the server side is created by the
 * SYN that reaches the listening port.  A segment for a 4-tuple without a
 * socket is answered with RST (S18).  [nat] mode = none still runs the box
 * as a stateful firewall without translation (nat.h).
 *
 * Outcomes (SEMANTICS.md §6), per flow and per side:
 *  - timeout / reset / closed come from the socket's own callbacks
 *    (learned_at = that instant);
 *  - refused: a SYN of the flow was refused by the NAT (table full, no
 *    port) and the client never connected;
 *  - a server whose host restarted (S32) loses its socket: `closed` at the
 *    restart instant (its process went away; nothing reached the peer);
 *  - alive / stale are decided at the end of the run by an oracle that
 *    injects nothing: a side is alive iff its socket is open (ESTABLISHED
 *    or CLOSE_WAIT) and a segment it sent now would reach the peer's open
 *    socket for the same 4-tuple.  Client: both links up, the NAT mapping
 *    for its 4-tuple is live with the public address the server socket
 *    knows, or there is none and a loose pickup would get that same port
 *    (nat_pickup_port); and the server socket is open.  Server: both links
 *    up, that mapping is live with that public port, and the client socket
 *    is open.  Any other socket still in a synchronised or handshake state
 *    is stale ("still retransmitting into a black hole" included).
 * broken_at (per flow): the first instant the path stopped working because
 * of the middlebox while either side still had its socket: a mapping
 * expired (last_seen + T) or was wiped (reboot), a loose pickup gave a
 * different public port, or a SYN was refused.  Link outages are not
 * middlebox breaks and leave it unset.
 *
 * Point-level counts: a flow counts as alive iff both sides are alive;
 * otherwise under the client's outcome when the client is not alive, else
 * under the server's.  Flows whose open time falls after the end of the
 * run (poisson arrivals) are in `flows` but in no outcome column.
 *
 * keepalive_bytes = 40 bytes (IPv4 + TCP headers, no options) for every
 * keep-alive probe an endpoint sent and for every duplicate ACK an
 * endpoint sent to answer a probe that reached its socket (S4).  Each is
 * counted once, where it was sent, not once per hop.
 *
 * Ownership: the World owns its Sim (passed to world_new) and every link,
 * the NAT, the App and the flow array; world_free frees the Sim before the
 * packet pool, since packets in flight belong to the pool.
 */
#pragma once

#include <stdio.h>
#include <glib.h>
#include "sim/sim.h"
#include "sim/scenario.h"
#include "models/packet.h"
#include "models/link.h"
#include "models/tcp.h"
#include "models/nat.h"
#include "models/app.h"
#include "models/http.h"
#include "models/pcap.h"

G_BEGIN_DECLS

typedef enum {
  WORLD_OPEN_AT = 0,     /* every flow at open_a ("0s", or any duration) */
  WORLD_OPEN_UNIFORM,    /* independent uniform times in [open_a, open_b] */
  WORLD_OPEN_POISSON,    /* Poisson arrivals, open_rate per second, from 0 */
} WorldOpenKind;

#define WORLD_MAX_BOXES    8     /* [scenario] path: at most this many boxes */
#define WORLD_BOX_NAME_MAX 32    /* a box name's length + 1 */

typedef struct {
  char         *name;            /* [scenario] name (owned) */
  SimTime       duration;
  guint64       seed;
  guint64       flows;
  WorldOpenKind open_kind;
  SimTime       open_a, open_b;
  double        open_rate;       /* flows per second, > 0 */
  TcpConfig     client, server;
  AppConfig     app;
  HttpConfig    http;            /* [http]; used when app.pattern = http */
  NatConfig     nat;
  LinkConfig    lan, wan;        /* [link.*] delay, loss, rate_bps */
  SimTime       server_restart;  /* [faults]; SIM_TIME_NEVER = none */
  SimTime       nat_reboot;
  SimTime       wan_down_at, wan_down_for;
  /* [scenario] path = A, B, ...: boxes in series, clients' side first,
   * each read from [nat.NAME] (then @nat is unused).  0 = no path: the
   * single [nat] box.  Fixed arrays, so the struct copies by value. */
  guint         n_boxes;
  char          box_name[WORLD_MAX_BOXES][WORLD_BOX_NAME_MAX];
  NatConfig     box[WORLD_MAX_BOXES];
} WorldConfig;

/* Defaults from models/defaults.h; name = "default". */
void     world_config_init_defaults (WorldConfig *cfg);
void     world_config_clear (WorldConfig *cfg);
/* Reads every key of [scenario] [client] [server] [app] [nat] [link.lan]
 * [link.wan] [faults] [http] (DESIGN.md; extras: [client]/[server] rto_max
 * and syn_retries, [link.*] rate_bps), declares [sweep] as read elsewhere,
 * then rejects unknown keys.  @cfg must hold defaults.  The
 * default name is the scenario file's base name without ".ini".  On FALSE
 * @error holds one line "FILE:LINE: [group] key: problem (expected ...)"
 * and @cfg may be partly changed (clear it). */
gboolean world_config_load (WorldConfig *cfg, SimScenario *sc, GError **error);

typedef enum {
  WORLD_NONE = 0,        /* no outcome yet (internal), or flow never opened */
  WORLD_ALIVE, WORLD_TIMEOUT, WORLD_RESET, WORLD_CLOSED, WORLD_STALE, WORLD_REFUSED,
  WORLD_N_OUTCOMES
} WorldOutcome;

/* Why the path broke (broken_at), for summaries and traces. */
typedef enum {
  WORLD_BREAK_NONE = 0, WORLD_BREAK_EXPIRY, WORLD_BREAK_REBOOT,
  WORLD_BREAK_PICKUP_PORT, WORLD_BREAK_REFUSED
} WorldBreak;

enum { WORLD_CLIENT = 0, WORLD_SERVER = 1 };

typedef struct {
  SimTime      opened_at;        /* SIM_TIME_NEVER: not opened before the end */
  SimTime      broken_at;        /* SIM_TIME_NEVER: unset */
  WorldBreak   broken_by;
  WorldOutcome outcome[2];       /* [WORLD_CLIENT], [WORLD_SERVER] */
  SimTime      learned_at[2];    /* SIM_TIME_NEVER: unset */
  const char  *cause[2];         /* "keepalive", "rto", "rst-peer", ... or NULL */
  guint32      probes[2];
  guint16      public_port;      /* as the server saw the client; 0 = never */
  const char  *broken_box;       /* [scenario] path: the box whose break set
                                    broken_at; NULL without a path or break */
  /* pattern = http only (zero otherwise): HttpClientStats of the flow and
   * its latency percentiles (SIM_TIME_NEVER: none answered).  With http,
   * outcome, learned_at, cause and public_port are those of the flow's
   * last connection; probes count every connection of the flow. */
  guint64      requests, failed, retried, connections_opened;
  SimTime      latency_p50, latency_p99;
} WorldFlowResult;

typedef struct {
  guint64 flows;
  guint64 count[WORLD_N_OUTCOMES];   /* point-level rule above */
  guint64 probes[2];
  guint64 keepalive_bytes;
  guint64 nat_peak_mappings;
  guint64 events;
  /* pattern = http only: sums over flows, percentiles over every answered
   * request of the point (SIM_TIME_NEVER: none). */
  guint64 requests, failed, retried, connections_opened;
  SimTime latency_p50, latency_p99;
} WorldPointResult;

typedef struct _World World;

/* Builds the network for one point: @cfg is copied; @sim is taken (transfer
 * full) and must be fresh (time 0).  RNG streams come from (@seed, @point,
 * @rep, name): "client:ports", "tcp:iss", "scenario:open", "app:poisson",
 * "link:lan:loss", "link:wan:loss", "nat:nat:ports".  O(flows). */
World   *world_new      (const WorldConfig *cfg, Sim *sim, guint64 seed,
                         guint64 point, guint64 rep);
void     world_free     (World *w);
Sim     *world_sim      (World *w);

/* Optional outputs, set before world_run (both borrowed, not closed by
 * the World).  Trace: one line per event of flow @flow to @out,
 * "SECONDS WHERE WHAT" (WHERE: lan wan nat client server app).  Pcap:
 * every packet put on a link, at send time (the capture point is the
 * sender's side; packets the link then loses are included). */
void     world_set_trace (World *w, FILE *out, guint32 flow);
void     world_set_pcap  (World *w, PcapWriter *lan, PcapWriter *wan);

/* Runs to cfg->duration, then decides alive/stale for every open side. */
void     world_run      (World *w);

guint64  world_n_flows  (const World *w);
/* Results after world_run. */
void     world_flow_result  (const World *w, guint64 i, WorldFlowResult *out);
void     world_point_result (const World *w, WorldPointResult *out);
const WorldConfig *world_config (const World *w);

/* "alive", "timeout", ... ("-" for WORLD_NONE). */
const char *world_outcome_name (WorldOutcome o);
const char *world_break_name   (WorldBreak b);

/* Results files (DESIGN.md "Results").  @meta_lines: the leading "#"
 * lines without the "# " (natkeep version, scenario, seed, overrides), in
 * order.  Writes DIR/points.tsv and, if @flows, DIR/flows.tsv, each to a
 * temporary name renamed into place.  FALSE on I/O error. */
typedef struct {
  const char *const *meta_lines;   /* NULL-terminated */
  guint64            point, rep;
} WorldResultsMeta;

void     world_format_points (const World *w, const WorldResultsMeta *meta,
                              gboolean header, GString *out);
void     world_format_flows  (const World *w, const WorldResultsMeta *meta,
                              gboolean header, GString *out);
/* The pieces a sweep writes unit by unit.  points header: the "# " lines
 * (@meta_lines, NULL-terminated, may be NULL), then "point rep", each of
 * @swept_keys ("group.key", NULL-terminated, may be NULL) and the standard
 * columns.  A points row of @w as (@point, @rep) carries @swept_values (one
 * per swept key; a tab inside a value becomes a space) after rep, so with
 * no swept keys header and row equal world_format_points (). */
void     world_format_points_header (const char *const *meta_lines,
                                     const char *const *swept_keys, GString *out);
void     world_format_points_row    (const World *w, guint64 point, guint64 rep,
                                     const char *const *swept_values, GString *out);
/* The "# " lines and the flows.tsv header row. */
void     world_format_flows_header  (const char *const *meta_lines, GString *out);
/* The same headers with @http: the pattern = http columns (requests failed
 * retried connections_opened latency_p50 latency_p99) appended. */
void     world_format_points_header_full (const char *const *meta_lines,
                                          const char *const *swept_keys,
                                          gboolean http, GString *out);
void     world_format_flows_header_full  (const char *const *meta_lines,
                                          gboolean http, GString *out);
/* The same with @path: the broken_by column (scenarios with a path). */
void     world_format_flows_header_path  (const char *const *meta_lines,
                                          gboolean http, gboolean path,
                                          GString *out);
gboolean world_write_results (const World *w, const WorldResultsMeta *meta,
                              const char *dir, gboolean flows, GError **error);
/* Writes @contents to @path through a temporary file and a rename. */
gboolean world_write_file    (const char *path, const char *contents, gsize len,
                              GError **error);
/* One human line: "NAME: N flows; A alive, T timeout; broken at ...". */
char    *world_summary       (const World *w);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (World, world_free)

G_END_DECLS
