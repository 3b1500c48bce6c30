/* cli/check.c — `natkeep check`: validate a scenario without running it.
 *
 *   natkeep check SCENARIO.ini [--set GROUP.KEY=VALUE]...
 *   natkeep check --list-keys
 *
 * The scenario goes through exactly what `run` and `sweep` do before they
 * simulate: the reader, --set, the [sweep] expansion, profiles and the
 * model loader with its unknown-key check, once for every sweep point (a
 * swept value or a swept profile can be bad at one point only).  On
 * success it prints "FILE: ok" and the sweep size with the first points;
 * on bad input the one-line error, exit 2.  Cost: one scenario copy and
 * load per point, which is microseconds, so even large sweeps check fast.
 *
 * --list-keys (for tests and scripts) prints every "group key" the loader
 * accepts, one per line, sorted: it loads an empty scenario and lists the
 * keys the getters asked for, so the list cannot drift from the code.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "sim/scenario.h"
#include "sim/sweep.h"
#include "models/world.h"
#include "cli/cli.h"

/* Points listed after "ok"; the rest are summed up in one line. */
#define CHECK_SHOW_POINTS 5

static int G_GNUC_PRINTF (1, 2)
bad_usage (const char *fmt, ...)
{
  g_autofree char *msg = NULL;
  va_list ap;

  va_start (ap, fmt);
  msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  fprintf (stderr, "natkeep check: %s (try natkeep check --help)\n", msg);
  return CLI_BAD_INPUT;
}

static int
list_keys (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SimScenario) sc = sim_scenario_load_data ("(empty)", "", 0, &error);
  g_autoptr(GPtrArray) keys = NULL;
  WorldConfig cfg;
  gboolean ok;

  g_assert_no_error (error);
  world_config_init_defaults (&cfg);
  ok = world_config_load (&cfg, sc, &error);
  world_config_clear (&cfg);
  if (!ok)
    {
      /* The defaults themselves failed: our bug, but say so plainly. */
      fprintf (stderr, "natkeep check: the empty scenario does not load: %s\n",
               error->message);
      return CLI_FAILED;
    }
  keys = sim_scenario_known_keys (sc);
  for (guint i = 0; i < keys->len; i++)
    printf ("%s\n", (const char *) g_ptr_array_index (keys, i));
  return CLI_OK;
}

static gboolean
apply_sets (SimScenario *sc, char **sets, GError **error)
{
  for (guint i = 0; sets != NULL && sets[i] != NULL; i++)
    if (!sim_scenario_set_override (sc, sets[i], error))
      return FALSE;
  return TRUE;
}

/* As `sweep` does: a --set of a swept key would be overwritten at every
 * point, which is never what the user meant. */
static gboolean
check_sets_not_swept (const SimSweep *sweep, char **sets, GError **error)
{
  for (guint i = 0; sets != NULL && sets[i] != NULL; i++)
    {
      g_autofree char *key = g_strndup (sets[i], strcspn (sets[i], "="));

      g_strstrip (key);
      for (guint k = 0; k < sim_sweep_n_keys (sweep); k++)
        if (strcmp (key, sim_sweep_key (sweep, k)) == 0)
          {
            g_set_error (error, NATKEEP_SCENARIO_ERROR, NATKEEP_SCENARIO_ERROR_PARSE,
                         "--set %s: key is swept in [sweep] (remove it from "
                         "[sweep] or from --set)", key);
            return FALSE;
          }
    }
  return TRUE;
}

/* Loads every point as `sweep` would; FALSE with the first point's error. */
static gboolean
check_points (const SimSweep *sweep, const SimScenario *base, GError **error)
{
  guint64 n = sim_sweep_points (sweep);

  for (guint64 p = 0; p < n; p++)
    {
      g_autoptr(SimScenario) sc = sim_sweep_apply (sweep, base, p);
      WorldConfig cfg;
      gboolean ok;

      world_config_init_defaults (&cfg);
      ok = world_config_load (&cfg, sc, error);
      world_config_clear (&cfg);
      if (!ok)
        return FALSE;
    }
  return TRUE;
}

int
cli_check (int argc, char **argv)
{
  g_auto(GStrv) sets = NULL;
  gboolean want_keys = FALSE;
  GOptionEntry entries[] = {
    { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &sets,
      "Override a scenario key (repeatable)", "GROUP.KEY=VALUE" },
    { "list-keys", 0, 0, G_OPTION_ARG_NONE, &want_keys,
      "Print every accepted \"group key\" and exit (for tests and scripts)", NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GOptionContext) ctx =
    g_option_context_new ("SCENARIO.ini - validate only; print the expanded sweep size");
  g_autoptr(GError) error = NULL;
  g_autoptr(SimScenario) sc = NULL;
  g_autoptr(SimSweep) sweep = NULL;
  g_autofree char *text = NULL;

  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    return bad_usage ("%s", error->message);
  if (want_keys)
    return argc == 1 ? list_keys () : bad_usage ("--list-keys takes no scenario");
  if (argc != 2)
    return bad_usage ("%s", argc < 2 ? "expected a scenario file"
                                     : "expected exactly one scenario file");

  /* --set goes in before [sweep] is read, so --set sweep.repeat=1 works. */
  if ((sc = sim_scenario_load (argv[1], &error)) == NULL
      || !apply_sets (sc, sets, &error)
      || (sweep = sim_sweep_new (sc, &error)) == NULL
      || !check_sets_not_swept (sweep, sets, &error)
      || !check_points (sweep, sc, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return CLI_BAD_INPUT;
    }
  text = sim_sweep_describe (sweep, CHECK_SHOW_POINTS);
  printf ("%s: ok\n%s", argv[1], text);
  return CLI_OK;
}
