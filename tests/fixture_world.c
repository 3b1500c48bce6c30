/* tests/fixture_world.c — see fixture_world.h. */
#include "config.h"

#include <glib.h>

#include "sim/scenario.h"
#include "tests/fixture_world.h"

World *
fixture_world_run (const char *ini, SimSchedKind kind, guint64 seed_override, FILE *trace)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SimScenario) sc = sim_scenario_load_data ("test.ini", ini, -1, &error);
  WorldConfig cfg;
  World *w;
  Sim *sim;

  g_assert_no_error (error);
  world_config_init_defaults (&cfg);
  if (!world_config_load (&cfg, sc, &error))
    g_error ("scenario rejected: %s", error->message);
  sim = sim_new (kind, &error);
  g_assert_no_error (error);
  w = world_new (&cfg, sim, seed_override != 0 ? seed_override : cfg.seed, 0, 0);
  world_config_clear (&cfg);
  if (trace != NULL)
    world_set_trace (w, trace, 0);
  world_run (w);
  return w;
}
