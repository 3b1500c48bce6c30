/* models/world_config.c — a scenario's keys into a WorldConfig.
 *
 * Every key DESIGN.md lists for [scenario] [client] [server] [app] [nat]
 * [link.lan] [link.wan] [faults] is read here through the scenario
 * reader's typed getters, so each bad value gets the reader's one-line
 * "FILE:LINE: [group] key: problem (expected ...)" message, and every key
 * no getter asked for is then an error with a "did you mean" hint.  The
 * few values with their own syntax (open, wan_down) and the checks that
 * involve two keys are done here in the same message form.  Ranges are the
 * kernel's where it has one (keepidle/keepintvl <= 32767 s, keepcnt
 * 1..127, rto_max <= 120 s) and otherwise what keeps the arithmetic sane.
 *
 * `profile = ID` in [client] [server] [nat] [http] is merged by
 * sim_profile_apply() before the group's keys are read, so a profile's
 * values go through exactly the same checks as the scenario's own lines
 * (and keys the scenario writes, --set or sweeps win over the profile).
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <glib.h>

#include "sim/profile.h"

#include "models/defaults.h"
#include "models/ktimer.h"
#include "models/world.h"

#define OPEN_EXPECTED "expected 0s, a duration, uniform A B or poisson RATE_PER_S"
#define OUTAGE_EXPECTED "expected START for LENGTH, e.g. 30m for 10s"

static const char *const nat_mode_names[] = { "napt", "dynamic", "static", "none", NULL };
static const char *const port_mode_names[] = { "preserve", "sequential", "random", NULL };
static const char *const on_expiry_names[] = { "silent", "rst", "fin", "probe", NULL };
static const char *const unsol_names[] = { "drop", "rst", NULL };
static const char *const invalid_names[] = { "drop", "forward", "rst", NULL };
static const char *const refresh_names[] = { "any", "outbound", "data", NULL };

void
world_config_init_defaults (WorldConfig *cfg)
{
  g_return_if_fail (cfg != NULL);

  memset (cfg, 0, sizeof *cfg);
  cfg->name = g_strdup ("default");
  cfg->duration = WORLD_DEFAULT_DURATION;
  cfg->seed = WORLD_DEFAULT_SEED;
  cfg->flows = WORLD_DEFAULT_FLOWS;
  cfg->open_kind = WORLD_OPEN_AT;
  cfg->open_a = cfg->open_b = 0;
  cfg->open_rate = 1.0;
  tcp_config_init_defaults (&cfg->client);
  tcp_config_init_defaults (&cfg->server);
  app_config_init_defaults (&cfg->app);
  http_config_init_defaults (&cfg->http);
  nat_config_init_defaults (&cfg->nat);
  cfg->nat.public_ip = WORLD_PUBLIC_IP;
  cfg->lan = (LinkConfig) { .delay = LINK_DEFAULT_LAN_DELAY };
  cfg->wan = (LinkConfig) { .delay = LINK_DEFAULT_WAN_DELAY };
  cfg->server_restart = SIM_TIME_NEVER;
  cfg->nat_reboot = SIM_TIME_NEVER;
  cfg->wan_down_at = SIM_TIME_NEVER;
  cfg->wan_down_for = 0;
}

void
world_config_clear (WorldConfig *cfg)
{
  if (cfg == NULL)
    return;
  g_clear_pointer (&cfg->name, g_free);
}

/* Splits @raw at blanks into non-empty words (transfer full). */
static char **
split_words (const char *raw)
{
  g_auto(GStrv) parts = g_strsplit_set (raw, " \t", -1);
  GPtrArray *words = g_ptr_array_new ();

  for (guint i = 0; parts[i] != NULL; i++)
    if (*parts[i] != '\0')
      g_ptr_array_add (words, g_strdup (parts[i]));
  g_ptr_array_add (words, NULL);
  return (char **) g_ptr_array_free (words, FALSE);
}

/* [scenario] open = 0s | DURATION | uniform A B | poisson RATE */
static gboolean
load_open (WorldConfig *cfg, SimScenario *sc, GError **error)
{
  const char *raw = sim_scenario_get_raw (sc, "scenario", "open");
  g_auto(GStrv) w = NULL;
  guint n;

  if (raw == NULL)
    return TRUE;
  w = split_words (raw);
  n = g_strv_length (w);
  if (n == 1 && sim_time_parse (w[0], &cfg->open_a) == SIM_TIME_OK)
    {
      cfg->open_kind = WORLD_OPEN_AT;
      cfg->open_b = cfg->open_a;
      return TRUE;
    }
  if (n == 3 && strcmp (w[0], "uniform") == 0)
    {
      SimTimeError ea = sim_time_parse (w[1], &cfg->open_a);
      SimTimeError eb = sim_time_parse (w[2], &cfg->open_b);

      if (ea != SIM_TIME_OK || eb != SIM_TIME_OK)
        {
          sim_scenario_error (sc, error, NATKEEP_SCENARIO_ERROR_INVALID_VALUE,
                              "scenario", "open", "bad duration \"%s\" in \"%s\": %s "
                              "(expected uniform A B with durations A <= B)",
                              ea != SIM_TIME_OK ? w[1] : w[2], raw,
                              sim_time_error_string (ea != SIM_TIME_OK ? ea : eb));
          return FALSE;
        }
      if (cfg->open_b < cfg->open_a)
        {
          sim_scenario_error (sc, error, NATKEEP_SCENARIO_ERROR_INVALID_VALUE,
                              "scenario", "open", "uniform %s %s ends before it starts "
                              "(expected uniform A B with A <= B)", w[1], w[2]);
          return FALSE;
        }
      cfg->open_kind = WORLD_OPEN_UNIFORM;
      return TRUE;
    }
  if (n == 2 && strcmp (w[0], "poisson") == 0)
    {
      char *end = NULL;
      double rate = 0;

      if (strspn (w[1], "0123456789+-.eE") == strlen (w[1]))
        rate = g_ascii_strtod (w[1], &end);
      if (end == NULL || end == w[1] || *end != '\0' || !isfinite (rate))
        {
          sim_scenario_error (sc, error, NATKEEP_SCENARIO_ERROR_INVALID_VALUE,
                              "scenario", "open", "bad rate \"%s\" (expected poisson "
                              "RATE_PER_S with a number > 0)", w[1]);
          return FALSE;
        }
      if (!(rate > 0))
        {
          sim_scenario_error (sc, error, NATKEEP_SCENARIO_ERROR_OUT_OF_RANGE,
                              "scenario", "open", "poisson rate %s is out of range "
                              "(expected a number of flows per second > 0)", w[1]);
          return FALSE;
        }
      cfg->open_kind = WORLD_OPEN_POISSON;
      cfg->open_rate = rate;
      return TRUE;
    }
  sim_scenario_error (sc, error, NATKEEP_SCENARIO_ERROR_INVALID_VALUE, "scenario",
                      "open", "bad value \"%s\" (" OPEN_EXPECTED ")", raw);
  return FALSE;
}

static gboolean
load_scenario (WorldConfig *cfg, SimScenario *sc, GError **error)
{
  gint64 seed = cfg->seed, flows = cfg->flows;
  char *name = NULL;

  if (!sim_scenario_get_string (sc, "scenario", "name", &name, error))
    return FALSE;
  if (name != NULL)
    {
      g_free (cfg->name);
      cfg->name = name;
    }
  else
    {
      /* A results directory needs a name: the file's, without ".ini". */
      g_autofree char *base = g_path_get_basename (sim_scenario_path (sc));

      if (g_str_has_suffix (base, ".ini") && strlen (base) > 4)
        base[strlen (base) - 4] = '\0';
      g_free (cfg->name);
      cfg->name = g_steal_pointer (&base);
    }
  if (!sim_scenario_get_duration (sc, "scenario", "duration", SIM_NS (1),
                                  WORLD_MAX_DURATION, &cfg->duration, error)
      || !sim_scenario_get_int (sc, "scenario", "seed", 0, G_MAXINT64, &seed, error)
      || !sim_scenario_get_int (sc, "scenario", "flows", 1, WORLD_MAX_FLOWS, &flows,
                                error)
      || !load_open (cfg, sc, error))
    return FALSE;
  cfg->seed = seed;
  cfg->flows = flows;
  return TRUE;
}

static gboolean
load_tcp (TcpConfig *t, SimScenario *sc, const char *g, GError **error)
{
  gint64 keepcnt = t->keepcnt, retries2 = t->retries2, syn_retries = t->syn_retries;
  gint64 hz = t->timer_hz;
  char lo[64], hi[64];

  if (!sim_profile_apply (sc, g, error)
      || !sim_scenario_get_bool (sc, g, "keepalive", &t->keepalive, error)
      || !sim_scenario_get_duration (sc, g, "keepidle", SIM_S (1), TCP_MAX_KEEPIDLE,
                                     &t->keepidle, error)
      || !sim_scenario_get_duration (sc, g, "keepintvl", SIM_S (1), TCP_MAX_KEEPINTVL,
                                     &t->keepintvl, error)
      || !sim_scenario_get_int (sc, g, "keepcnt", 1, TCP_MAX_KEEPCNT, &keepcnt, error)
      /* TCP_USER_TIMEOUT is an unsigned int of milliseconds */
      || !sim_scenario_get_duration (sc, g, "user_timeout", 0, SIM_MS (G_MAXINT32),
                                     &t->user_timeout, error)
      || !sim_scenario_get_int (sc, g, "retries2", 0, 255, &retries2, error)
      || !sim_scenario_get_duration (sc, g, "rto_min", SIM_MS (1), TCP_DEFAULT_RTO_MAX,
                                     &t->rto_min, error)
      /* tcp_rto_max_ms accepts 1000..120000 */
      || !sim_scenario_get_duration (sc, g, "rto_max", SIM_S (1), TCP_DEFAULT_RTO_MAX,
                                     &t->rto_max, error)
      || !sim_scenario_get_int (sc, g, "syn_retries", 1, 127, &syn_retries, error)
      /* SEMANTICS.md §7; Linux CONFIG_HZ is 100 to 1000 */
      || !sim_scenario_get_int (sc, g, "timer_hz", 0, 1000, &hz, error))
    return FALSE;
  if (!ktimer_hz_valid ((guint) hz))
    {
      sim_scenario_error (sc, error, NATKEEP_SCENARIO_ERROR_INVALID_VALUE, g, "timer_hz",
                          "a jiffy of 1/%" G_GINT64_FORMAT " s is not a whole number of ns "
                          "(expected 0 for ideal timers, or an HZ that divides 10^9, "
                          "such as 100, 250 or 1000)", hz);
      return FALSE;
    }
  t->keepcnt = keepcnt;
  t->retries2 = retries2;
  t->syn_retries = syn_retries;
  t->timer_hz = (guint) hz;
  if (t->rto_min > t->rto_max)
    {
      const char *key = sim_scenario_has_key (sc, g, "rto_max") ? "rto_max" : "rto_min";

      sim_scenario_error (sc, error, NATKEEP_SCENARIO_ERROR_INVALID_VALUE, g, key,
                          "rto_min %s is above rto_max %s (expected rto_min <= rto_max)",
                          sim_time_format (t->rto_min, lo, sizeof lo),
                          sim_time_format (t->rto_max, hi, sizeof hi));
      return FALSE;
    }
  return TRUE;
}

static gboolean
load_nat (NatConfig *n, SimScenario *sc, const char *g, GError **error)
{
  int mode = n->mode, port_mode = n->port_mode, on_expiry = n->on_expiry;
  int unsol = n->unsolicited_inbound, invalid = n->invalid, refresh = n->refresh;
  gint64 public_ips = n->public_ips, max_mappings = n->max_mappings;

  if (!sim_profile_apply (sc, g, error)
      || !sim_scenario_get_enum (sc, g, "mode", nat_mode_names, &mode, error)
      || !sim_scenario_get_duration (sc, g, "established_timeout", SIM_NS (1),
                                     WORLD_MAX_DURATION, &n->established_timeout, error)
      || !sim_scenario_get_duration (sc, g, "transitory_timeout", SIM_NS (1),
                                     WORLD_MAX_DURATION, &n->transitory_timeout, error)
      || !sim_scenario_get_bool (sc, g, "loose", &n->loose, error)
      || !sim_scenario_get_enum (sc, g, "port_mode", port_mode_names, &port_mode,
                                 error)
      || !sim_scenario_get_port_range (sc, g, "ports", &n->port_lo, &n->port_hi,
                                       error)
      || !sim_scenario_get_int (sc, g, "public_ips", 1, 65536, &public_ips, error)
      || !sim_scenario_get_int (sc, g, "max_mappings", 0, G_MAXINT64, &max_mappings,
                                error)
      || !sim_scenario_get_enum (sc, g, "on_expiry", on_expiry_names, &on_expiry,
                                 error)
      || !sim_scenario_get_enum (sc, g, "unsolicited_inbound", unsol_names, &unsol,
                                 error)
      || !sim_scenario_get_enum (sc, g, "invalid", invalid_names, &invalid, error)
      || !sim_scenario_get_enum (sc, g, "refresh", refresh_names, &refresh, error))
    return FALSE;
  n->mode = mode;
  n->port_mode = port_mode;
  n->on_expiry = on_expiry;
  n->unsolicited_inbound = unsol;
  n->invalid = invalid;
  n->refresh = refresh;
  n->public_ips = public_ips;
  n->max_mappings = max_mappings;
  return TRUE;
}

/* [scenario] path = A, B, ...: names of [nat.NAME] groups, clients' side
 * first.  Without a path the single [nat] is read; with one, [nat] is an
 * error (which box would it be?) and every [nat.NAME] must be on the path
 * (any other is left unread, so check_unknown reports it). */
static gboolean
load_path (WorldConfig *cfg, SimScenario *sc, GError **error)
{
  const char *raw = sim_scenario_get_raw (sc, "scenario", "path");
  g_auto(GStrv) items = NULL;
  g_autoptr(GPtrArray) groups = NULL;
  g_autoptr(GPtrArray) boxes = g_ptr_array_new ();
  guint n;

  if (raw == NULL)
    return load_nat (&cfg->nat, sc, "nat", error);
  if (sim_scenario_has_group (sc, "nat"))
    {
      sim_scenario_error (sc, error, NATKEEP_SCENARIO_ERROR_INVALID_VALUE, "scenario",
                          "path", "[nat] cannot be used with a path (expected one "
                          "[nat.NAME] group per box, and no [nat])");
      return FALSE;
    }
  groups = sim_scenario_groups (sc);
  for (guint i = 0; i < groups->len; i++)
    if (g_str_has_prefix (g_ptr_array_index (groups, i), "nat."))
      g_ptr_array_add (boxes, (char *) g_ptr_array_index (groups, i) + 4);
  items = g_strsplit (raw, ",", -1);
  n = g_strv_length (items);
  if (n > WORLD_MAX_BOXES)
    {
      sim_scenario_error (sc, error, NATKEEP_SCENARIO_ERROR_OUT_OF_RANGE, "scenario",
                          "path", "%u boxes (expected 1 - %d box names)", n,
                          WORLD_MAX_BOXES);
      return FALSE;
    }
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *group = NULL;
      char *name = g_strstrip (items[i]);

      if (*name == '\0')
        {
          sim_scenario_error (sc, error, NATKEEP_SCENARIO_ERROR_INVALID_VALUE,
                              "scenario", "path", "empty item %u in \"%s\" (expected "
                              "box names separated by commas)", i + 1, raw);
          return FALSE;
        }
      for (guint k = 0; k < i; k++)
        if (strcmp (cfg->box_name[k], name) == 0)
          {
            sim_scenario_error (sc, error, NATKEEP_SCENARIO_ERROR_INVALID_VALUE,
                                "scenario", "path", "box \"%s\" is listed twice "
                                "(expected each box once: a path has no cycles)", name);
            return FALSE;
          }
      group = g_strconcat ("nat.", name, NULL);
      if (!sim_scenario_has_group (sc, group))
        {
          const char *hint = sim_scenario_hint (name, (const char *const *) boxes->pdata,
                                                boxes->len);
          g_autofree char *dym = hint != NULL
            ? g_strdup_printf ("; did you mean \"%s\"?", hint) : g_strdup ("");

          sim_scenario_error (sc, error, NATKEEP_SCENARIO_ERROR_INVALID_VALUE,
                              "scenario", "path", "unknown box \"%s\" (expected a "
                              "[nat.NAME] group for every name%s)", name, dym);
          return FALSE;
        }
      if (strlen (name) >= WORLD_BOX_NAME_MAX)
        {
          sim_scenario_error (sc, error, NATKEEP_SCENARIO_ERROR_OUT_OF_RANGE,
                              "scenario", "path", "box name \"%s\" is too long "
                              "(expected at most %d characters)", name,
                              WORLD_BOX_NAME_MAX - 1);
          return FALSE;
        }
      g_strlcpy (cfg->box_name[i], name, WORLD_BOX_NAME_MAX);
      /* Public addresses: the last box has the world's (the server sees
       * it), inner box i has 100.(64 + i).0.1 and up (RFC 6598 shared
       * space, one /16 each); a static inner box maps the previous box's
       * public addresses. */
      nat_config_init_defaults (&cfg->box[i]);
      cfg->box[i].public_ip = i + 1 == n ? WORLD_PUBLIC_IP
                              : WORLD_SHARED_IP + ((guint32) i << 16);
      if (i > 0)
        cfg->box[i].inside_base = cfg->box[i - 1].public_ip;
      if (!load_nat (&cfg->box[i], sc, group, error))
        return FALSE;
    }
  cfg->n_boxes = n;
  return TRUE;
}

static gboolean
load_link (LinkConfig *l, SimScenario *sc, const char *g, GError **error)
{
  gint64 rate = l->rate_bps;

  if (!sim_scenario_get_duration (sc, g, "delay", 0, WORLD_MAX_DURATION, &l->delay, error)
      || !sim_scenario_get_double (sc, g, "loss", 0.0, 1.0, &l->loss, error)
      || !sim_scenario_get_int (sc, g, "rate_bps", 0, G_MAXINT64, &rate, error))
    return FALSE;
  l->rate_bps = rate;
  return TRUE;
}

/* A fault must fall inside the run, or the scenario does not test it. */
static gboolean
check_fault_time (WorldConfig *cfg, SimScenario *sc, const char *key, SimTime at,
                  GError **error)
{
  char a[64], d[64];

  if (at == SIM_TIME_NEVER || at < cfg->duration)
    return TRUE;
  sim_scenario_error (sc, error, NATKEEP_SCENARIO_ERROR_OUT_OF_RANGE, "faults", key,
                      "%s is not before the end of the run (expected a time below "
                      "[scenario] duration %s)", sim_time_format (at, a, sizeof a),
                      sim_time_format (cfg->duration, d, sizeof d));
  return FALSE;
}

static gboolean
load_faults (WorldConfig *cfg, SimScenario *sc, GError **error)
{
  const char *raw;

  if (!sim_scenario_get_duration (sc, "faults", "server_restart", 0, WORLD_MAX_DURATION,
                                  &cfg->server_restart, error)
      || !sim_scenario_get_duration (sc, "faults", "nat_reboot", 0, WORLD_MAX_DURATION,
                                     &cfg->nat_reboot, error))
    return FALSE;
  if ((raw = sim_scenario_get_raw (sc, "faults", "wan_down")) != NULL)
    {
      g_auto(GStrv) w = split_words (raw);

      if (g_strv_length (w) != 3 || strcmp (w[1], "for") != 0
          || sim_time_parse (w[0], &cfg->wan_down_at) != SIM_TIME_OK
          || sim_time_parse (w[2], &cfg->wan_down_for) != SIM_TIME_OK)
        {
          sim_scenario_error (sc, error, NATKEEP_SCENARIO_ERROR_INVALID_VALUE, "faults",
                              "wan_down", "bad outage \"%s\" (" OUTAGE_EXPECTED ")", raw);
          return FALSE;
        }
      if (cfg->wan_down_for <= 0)
        {
          sim_scenario_error (sc, error, NATKEEP_SCENARIO_ERROR_OUT_OF_RANGE, "faults",
                              "wan_down", "outage of %s is empty (expected a LENGTH "
                              "above 0s)", w[2]);
          return FALSE;
        }
    }
  return check_fault_time (cfg, sc, "server_restart", cfg->server_restart, error)
      && check_fault_time (cfg, sc, "nat_reboot", cfg->nat_reboot, error)
      && check_fault_time (cfg, sc, "wan_down", cfg->wan_down_at, error);
}

/* [http] (S33-S37): read on every scenario, so a typo is caught and
 * `check --list-keys` lists the keys, whatever the pattern; used only with
 * [app] pattern = http. */
static gboolean
load_http (HttpConfig *cfg, SimScenario *sc, GError **error)
{
  return sim_profile_apply (sc, "http", error)
      && http_config_load (cfg, sc, error);
}

/* [app] arrivals, burst_size, burst_spacing shape HTTP requests only
 * (world_http.c), and burst_* only bursts: written where they do nothing
 * they are an error on the first such line, not a silent no-op.  Bursts
 * must end before the next one starts, or "every interval" would not hold. */
static gboolean
check_arrivals (const AppConfig *app, SimScenario *sc, GError **error)
{
  static const char *const keys[] = { "arrivals", "burst_size", "burst_spacing" };
  char s[64], i[64];

  for (guint k = 0; k < G_N_ELEMENTS (keys); k++)
    {
      const char *raw = sim_scenario_get_raw (sc, "app", keys[k]);

      if (raw == NULL)
        continue;
      if (app->pattern != APP_HTTP)
        {
          sim_scenario_error (sc, error, NATKEEP_SCENARIO_ERROR_INVALID_VALUE, "app",
                              keys[k], "%s with pattern = %s (expected pattern = http, "
                              "or no %s: only HTTP requests have arrivals)", raw,
                              app_pattern_name (app->pattern), keys[k]);
          return FALSE;
        }
      if (k > 0 && app->arrivals != APP_ARRIVALS_BURSTS)
        {
          sim_scenario_error (sc, error, NATKEEP_SCENARIO_ERROR_INVALID_VALUE, "app",
                              keys[k], "%s with arrivals = %s (expected arrivals = "
                              "bursts, or no %s)", raw,
                              app_arrivals_name (app->arrivals), keys[k]);
          return FALSE;
        }
    }
  /* (burst_size - 1) * burst_spacing < interval, without overflow. */
  if (app->pattern == APP_HTTP && app->arrivals == APP_ARRIVALS_BURSTS
      && app->burst_size > 1
      && app->burst_spacing > (app->interval - 1) / (SimTime) (app->burst_size - 1))
    {
      sim_scenario_error (sc, error, NATKEEP_SCENARIO_ERROR_OUT_OF_RANGE, "app",
                          "burst_spacing", "%u requests %s apart do not end before "
                          "the next burst, interval %s later (expected (burst_size - 1) "
                          "* burst_spacing below interval)", app->burst_size,
                          sim_time_format (app->burst_spacing, s, sizeof s),
                          sim_time_format (app->interval, i, sizeof i));
      return FALSE;
    }
  return TRUE;
}

/* Checks that need several keys, after each key was checked alone. */
static gboolean
check_cross (WorldConfig *cfg, SimScenario *sc, GError **error)
{
  char a[64], d[64];

  if (cfg->open_kind != WORLD_OPEN_POISSON && cfg->open_b >= cfg->duration)
    {
      sim_scenario_error (sc, error, NATKEEP_SCENARIO_ERROR_OUT_OF_RANGE, "scenario",
                          "open", "flows would open at %s, not before the end of the "
                          "run (expected times below duration %s)",
                          sim_time_format (cfg->open_b, a, sizeof a),
                          sim_time_format (cfg->duration, d, sizeof d));
      return FALSE;
    }
  if (cfg->app.pattern == APP_HTTP && cfg->app.response_bytes == 0)
    {
      /* The client knows a response is complete by its size (http.h). */
      sim_scenario_error (sc, error, NATKEEP_SCENARIO_ERROR_OUT_OF_RANGE, "app",
                          "response_bytes", "0 with pattern = http (expected 1 - %d: "
                          "an HTTP request always has a response)",
                          APP_MAX_MESSAGE_BYTES);
      return FALSE;
    }
  if (!check_arrivals (&cfg->app, sc, error))
    return FALSE;
  if (cfg->open_kind == WORLD_OPEN_POISSON
      && (double) cfg->flows / cfg->open_rate > SIM_TIME_TO_S (cfg->duration))
    {
      /* The mean time to open them all; beyond it most runs would end with
       * flows never opened, which no outcome describes. */
      sim_scenario_error (sc, error, NATKEEP_SCENARIO_ERROR_OUT_OF_RANGE, "scenario",
                          "open", "%" G_GUINT64_FORMAT " flows at %g per second take "
                          "longer than duration %s to open (expected RATE >= flows / "
                          "duration)", cfg->flows, cfg->open_rate,
                          sim_time_format (cfg->duration, d, sizeof d));
      return FALSE;
    }
  return TRUE;
}

gboolean
world_config_load (WorldConfig *cfg, SimScenario *sc, GError **error)
{
  g_return_val_if_fail (cfg != NULL && sc != NULL, FALSE);

  /* Sweeps are expanded elsewhere (a later issue); `run` ignores them. */
  sim_scenario_declare_group (sc, "sweep");
  return load_scenario (cfg, sc, error)
      && load_tcp (&cfg->client, sc, "client", error)
      && load_tcp (&cfg->server, sc, "server", error)
      && app_config_load (&cfg->app, sc, error)
      && load_path (cfg, sc, error)
      && load_link (&cfg->lan, sc, "link.lan", error)
      && load_link (&cfg->wan, sc, "link.wan", error)
      && load_faults (cfg, sc, error)
      && load_http (&cfg->http, sc, error)
      /* A misspelt key explains more than a cross-check on its default. */
      && sim_scenario_check_unknown (sc, error)
      && check_cross (cfg, sc, error);
}
