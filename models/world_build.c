/* models/world_build.c — builds a World from a WorldConfig, opens its
 * flows, injects the faults and runs it.
 *
 * Flows open at the times `open` asks for, through one world timer walking
 * the flows in open order, so no event per flow is pending before its
 * time.  Faults are fire-and-forget events.  Teardown order matters and is
 * explained in world_free().
 */
#include "config.h"

#include <string.h>

#include <glib.h>

#include "sim/mem.h"
#include "models/defaults.h"
#include "models/world_private.h"

/* ------------------------------------------------------------- opening */

static void
world_open_flow (World *w, Flow *f)
{
  if (w->http)
    {
      world_http_open_flow (w, f);
      return;
    }
  f->flags |= FLOW_OPENED | FLOW_SOCK_C;
  world_trace (w, world_flow_index (w, f), "client", "connect()");
  tcp_conn_connect (&f->conn[WORLD_CLIENT]);
}

static inline Flow *
world_open_nth (World *w, guint64 k)
{
  return &w->flows[w->open_order != NULL ? w->open_order[k] : k];
}

/* Opens every flow due now, then waits for the next open time. */
static void
world_on_open (SimTimer *t, void *data)
{
  World *w = data;
  SimTime now = sim_now (w->sim);

  while (w->open_next < w->n_flows)
    {
      Flow *f = world_open_nth (w, w->open_next);

      if (f->opened_at > now)
        {
          sim_timer_start (&w->open_timer, f->opened_at);
          return;
        }
      w->open_next++;
      world_open_flow (w, f);
    }
  /* Every flow is open: the order is not needed any more (4 bytes per
   * flow, given back before the table and the sockets reach their peak). */
  g_clear_pointer (&w->open_order, g_free);
}

static int
world_cmp_open (const void *a, const void *b, void *data)
{
  const Flow *flows = data;
  guint32 x = *(const guint32 *) a, y = *(const guint32 *) b;

  if (flows[x].opened_at != flows[y].opened_at)
    return flows[x].opened_at < flows[y].opened_at ? -1 : 1;
  return x < y ? -1 : x > y;
}

/* Open times per `open`, drawn in flow order from "scenario:open". */
static void
world_plan_opens (World *w, const SimRng *open_rng)
{
  SimRng rng = *open_rng;
  SimTime t = 0;

  for (guint64 i = 0; i < w->n_flows; i++)
    {
      Flow *f = &w->flows[i];

      switch (w->cfg.open_kind)
        {
        case WORLD_OPEN_UNIFORM:
          f->opened_at = sim_rng_time_between (&rng, w->cfg.open_a, w->cfg.open_b);
          break;
        case WORLD_OPEN_POISSON:
          {
            double gap = sim_rng_exponential (&rng, 1e9 / w->cfg.open_rate);

            /* Saturate: a flow due after the end simply never opens. */
            if (gap >= (double) (WORLD_MAX_DURATION - t))
              t = WORLD_MAX_DURATION;
            else
              t += (SimTime) (gap + 0.5);
            f->opened_at = t;
          }
          break;
        case WORLD_OPEN_AT:
        default:
          f->opened_at = w->cfg.open_a;
          break;
        }
    }
  if (w->cfg.open_kind == WORLD_OPEN_UNIFORM && w->n_flows > 1)
    {
      w->open_order = g_new (guint32, w->n_flows);
      for (guint64 i = 0; i < w->n_flows; i++)
        w->open_order[i] = (guint32) i;
      g_qsort_with_data (w->open_order, w->n_flows, sizeof (guint32),
                         world_cmp_open, w->flows);
    }
}

/* ------------------------------------------------------------- faults */

static void
world_on_server_restart (Sim *sim, void *data)
{
  World *w = data;
  SimTime now = sim_now (sim);

  /* S32: every socket vanishes at once, silently; later segments find no
   * socket and draw the RST of S18. */
  if (w->http)
    {
      world_http_server_restart (w, now);
      world_trace (w, w->trace_flow, "server", "host restarts: all TCP state lost");
      return;
    }
  for (guint64 i = 0; i < w->n_flows; i++)
    {
      Flow *f = &w->flows[i];

      if (!(f->flags & FLOW_SOCK_S))
        continue;
      tcp_conn_clear (&f->conn[WORLD_SERVER]);
      f->flags &= ~FLOW_SOCK_S;
      app_stop (w->app, &f->conn[WORLD_SERVER]);
      world_side_ends (w, f, WORLD_SERVER, WORLD_CLOSED, WORLD_CAUSE_RESTART, now);
    }
  flow_table_remove_all (&w->server_demux);
  world_trace (w, w->trace_flow, "server", "host restarts: all TCP state lost");
}

static void
world_on_nat_reboot (Sim *sim, void *data)
{
  World *w = data;

  /* With a path every box reboots at once (one power cut). */
  world_trace (w, w->trace_flow, "nat", "reboots: mapping table wiped");
  for (guint b = 0; b < w->n_boxes; b++)
    nat_reboot (w->boxes[b].nat);
}

static void
world_on_wan_down (Sim *sim, void *data)
{
  World *w = data;

  world_trace (w, w->trace_flow, "wan", "link goes down");
  link_set_up (w->wan, FALSE);
}

static void
world_on_wan_up (Sim *sim, void *data)
{
  World *w = data;

  world_trace (w, w->trace_flow, "wan", "link comes up");
  link_set_up (w->wan, TRUE);
}

/* --------------------------------------------------------------- boxes */

/* The single [nat] box "nat" between lan and wan, or the path's boxes in
 * series: lan, box 1, a zero-delay lossless link, box 2, ..., wan.  Each
 * box draws its random ports from "nat:NAME:ports". */
static void
world_build_boxes (World *w, guint64 seed, guint64 point, guint64 rep)
{
  static const LinkConfig direct = { .delay = 0 };

  w->n_boxes = w->cfg.n_boxes > 0 ? w->cfg.n_boxes : 1;
  w->boxes = g_new0 (WorldBox, w->n_boxes);
  for (guint i = 0; i < w->n_boxes; i++)
    {
      WorldBox *b = &w->boxes[i];
      const char *name = w->cfg.n_boxes > 0 ? w->cfg.box_name[i] : "nat";
      const NatConfig *nc = w->cfg.n_boxes > 0 ? &w->cfg.box[i] : &w->cfg.nat;
      g_autofree char *stream = g_strdup_printf ("nat:%s:ports", name);
      SimRng ports;

      b->world = w;
      b->index = i;
      b->in = i == 0 ? w->lan : w->boxes[i - 1].out;
      if (i + 1 < w->n_boxes)
        {
          g_autofree char *lname = g_strdup_printf ("%s-%s", name, w->cfg.box_name[i + 1]);
          g_autofree char *lstream = g_strdup_printf ("link:%s:loss", lname);
          SimRng loss;

          sim_rng_init (&loss, seed, point, rep, lstream);
          b->out = link_new (w->sim, w->pool, lname, &direct, &loss);
        }
      else
        b->out = w->wan;
      if (i > 0)
        b->inside = g_hash_table_new (g_direct_hash, g_direct_equal);
      sim_rng_init (&ports, seed, point, rep, stream);
      b->nat = nat_new (w->sim, w->pool, name, nc, &ports, &world_nat_ops, b);
      link_attach (b->in, LINK_SIDE_B, world_nat_inside_receive, b);
      link_attach (b->out, LINK_SIDE_A, world_nat_outside_receive, b);
      link_attach_prefetch (b->in, LINK_SIDE_B, world_nat_inside_prefetch);
      link_attach_prefetch (b->out, LINK_SIDE_A, world_nat_outside_prefetch);
    }
}

static void
world_free_boxes (World *w)
{
  for (guint i = 0; i < w->n_boxes; i++)
    nat_free (w->boxes[i].nat);
  for (guint i = 0; i + 1 < w->n_boxes; i++)
    link_free (w->boxes[i].out);
}

/* --------------------------------------------------------------- life */

World *
world_new (const WorldConfig *cfg, Sim *sim, guint64 seed, guint64 point, guint64 rep)
{
  World *w;
  SimRng ports, open, app, lan_loss, wan_loss;

  g_return_val_if_fail (cfg != NULL && sim != NULL, NULL);
  g_return_val_if_fail (sim_now (sim) == 0, NULL);
  g_return_val_if_fail (cfg->flows >= 1 && cfg->flows <= WORLD_MAX_FLOWS, NULL);

  w = g_new0 (World, 1);
  w->cfg = *cfg;
  w->cfg.name = g_strdup (cfg->name);
  w->sim = sim;
  w->pool = packet_pool_new ();
  tcp_env_init (&w->tcp_env[WORLD_CLIENT], sim, &w->cfg.client, &world_client_ops, w->pool, w);
  tcp_env_init (&w->tcp_env[WORLD_SERVER], sim, &w->cfg.server, &world_server_ops, w->pool, w);
  w->n_flows = cfg->flows;

  sim_rng_init (&ports, seed, point, rep, "client:ports");
  sim_rng_init (&w->iss_rng, seed, point, rep, "tcp:iss");
  sim_rng_init (&open, seed, point, rep, "scenario:open");
  sim_rng_init (&app, seed, point, rep, "app:poisson");
  sim_rng_init (&lan_loss, seed, point, rep, "link:lan:loss");
  sim_rng_init (&wan_loss, seed, point, rep, "link:wan:loss");

  w->lan = link_new (sim, w->pool, "lan", &w->cfg.lan, &lan_loss);
  w->wan = link_new (sim, w->pool, "wan", &w->cfg.wan, &wan_loss);
  world_build_boxes (w, seed, point, rep);
  w->app = app_new (&w->cfg.app, sim, &app, &world_app_ops, w);
  link_attach (w->lan, LINK_SIDE_A, world_client_receive, w);
  link_attach (w->wan, LINK_SIDE_B, world_server_receive, w);
  link_attach_prefetch (w->lan, LINK_SIDE_A, world_host_prefetch);
  link_attach_prefetch (w->wan, LINK_SIDE_B, world_host_prefetch);
  flow_table_init (&w->server_demux);

  /* Zeroed memory is a valid idle Flow except for the times. */
  w->flows = sim_mem_alloc0 (w->n_flows, sizeof (Flow));
  for (guint64 i = 0; i < w->n_flows; i++)
    {
      Flow *f = &w->flows[i];
      FlowKey key;

      f->broken_at = SIM_TIME_NEVER;
      f->learned_at[0] = f->learned_at[1] = SIM_TIME_NEVER;
      for (guint b = 0; b < WORLD_HINTED_BOXES; b++)
        f->nat_hint[b] = NAT_HINT_NONE;
      f->client_port = WORLD_EPHEMERAL_PORT_LO
        + sim_rng_below (&ports, WORLD_EPHEMERAL_PORT_HI - WORLD_EPHEMERAL_PORT_LO + 1);
      key = world_client_key (w, f);
      tcp_conn_init (&f->conn[WORLD_CLIENT], &w->tcp_env[WORLD_CLIENT], key,
                     (guint32) sim_rng_next_u64 (&w->iss_rng));
      f->conn[WORLD_CLIENT].user = NAT_HINT_NONE;
      f->conn[WORLD_SERVER].user = NAT_HINT_NONE;
      app_side_init (&f->app[WORLD_CLIENT], FALSE);
      app_side_init (&f->app[WORLD_SERVER], TRUE);
    }
  if (cfg->app.pattern == APP_HTTP)
    world_http_new (w, &ports, &app);
  world_plan_opens (w, &open);

  sim_timer_init (&w->open_timer, sim, world_on_open, w);
  sim_timer_start (&w->open_timer, world_open_nth (w, 0)->opened_at);
  if (cfg->server_restart != SIM_TIME_NEVER)
    sim_schedule (sim, cfg->server_restart, world_on_server_restart, w, NULL);
  if (cfg->nat_reboot != SIM_TIME_NEVER)
    sim_schedule (sim, cfg->nat_reboot, world_on_nat_reboot, w, NULL);
  if (cfg->wan_down_at != SIM_TIME_NEVER)
    {
      sim_schedule (sim, cfg->wan_down_at, world_on_wan_down, w, NULL);
      sim_schedule (sim, cfg->wan_down_at + cfg->wan_down_for, world_on_wan_up, w, NULL);
    }
  return w;
}

void
world_free (World *w)
{
  if (w == NULL)
    return;
  /* Whatever has a timer in the Sim goes first (sockets, the open timer,
   * the NAT's box timer); then the links, whose packets in flight return
   * to the pool; then the Sim, which frees the remaining one-shots; the
   * pool last of all. */
  world_http_free (w);
  for (guint64 i = 0; i < w->n_flows; i++)
    {
      tcp_conn_clear (&w->flows[i].conn[WORLD_CLIENT]);
      if (w->flows[i].flags & FLOW_SOCK_S)
        tcp_conn_clear (&w->flows[i].conn[WORLD_SERVER]);
    }
  sim_timer_stop (&w->open_timer);
  world_free_boxes (w);
  link_free (w->wan);
  link_free (w->lan);
  sim_free (w->sim);
  app_free (w->app);
  flow_table_clear (&w->server_demux);
  g_free (w->open_order);
  sim_mem_free (w->flows, w->n_flows, sizeof (Flow));
  for (guint i = 0; i < w->n_boxes; i++)
    if (w->boxes[i].inside != NULL)
      g_hash_table_destroy (w->boxes[i].inside);
  g_free (w->boxes);
  packet_pool_free (w->pool);
  world_config_clear (&w->cfg);
  g_free (w);
}

Sim *
world_sim (World *w)
{
  return w->sim;
}

const WorldConfig *
world_config (const World *w)
{
  return &w->cfg;
}

guint64
world_n_flows (const World *w)
{
  return w->n_flows;
}

/* The link taps feed the trace and the captures only: a run with neither
 * has none, which spares every packet a call. */
static void
world_update_taps (World *w)
{
  gboolean on = w->trace != NULL || w->pcap_lan != NULL || w->pcap_wan != NULL;

  link_set_tap (w->lan, on ? world_on_tap : NULL, on ? w : NULL);
  link_set_tap (w->wan, on ? world_on_tap : NULL, on ? w : NULL);
}

void
world_set_trace (World *w, FILE *out, guint32 flow)
{
  w->trace = out;
  w->trace_flow = flow;
  world_update_taps (w);
}

void
world_set_pcap (World *w, PcapWriter *lan, PcapWriter *wan)
{
  w->pcap_lan = lan;
  w->pcap_wan = wan;
  world_update_taps (w);
}

void
world_run (World *w)
{
  g_return_if_fail (!w->decided);

  sim_run_until (w->sim, w->cfg.duration);
  world_decide (w);
  w->decided = TRUE;
}
