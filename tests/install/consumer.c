/* tests/install/consumer.c — a program outside the tree using the installed
 * library exactly as a user would: one #include, flags from
 * `pkg-config --cflags --libs natkeep`, nothing else.
 *
 * The scenario (inline, no file) is chosen so the answer is known by hand:
 * 7 idle connections behind a NAT that forgets a mapping after 60 s of
 * silence and does not pick up mid-stream packets (loose = off).  The
 * client's first keep-alive probe, at 120 s, finds no mapping and is
 * dropped, as are the probes at 130 s and 140 s; with keepcnt = 3 the
 * client gives up at 150 s.  So all 7 flows end as "timeout", none alive,
 * 3 probes each (21), and the NAT held 7 mappings at its peak.
 *
 * Prints "timeout=7 alive=0 probes=21 peak=7 version=X.Y.Z".
 */
#include <stdio.h>
#include <natkeep/natkeep.h>

static const char scenario[] =
  "[scenario]\n"
  "name = consumer\n"
  "duration = 10m\n"
  "flows = 7\n"
  "[client]\n"
  "keepalive = on\n"
  "keepidle = 120s\n"
  "keepintvl = 10s\n"
  "keepcnt = 3\n"
  "[app]\n"
  "pattern = idle\n"
  "[nat]\n"
  "established_timeout = 60s\n"
  "loose = off\n";

int
main (void)
{
  GError *error = NULL;
  SimScenario *sc;
  WorldConfig cfg;
  WorldPointResult r;
  World *w;
  Sim *sim;

  sc = sim_scenario_load_data ("consumer.ini", scenario, -1, &error);
  world_config_init_defaults (&cfg);
  if (sc == NULL || !world_config_load (&cfg, sc, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return 2;
    }
  sim = sim_new (SIM_SCHED_WHEEL, &error);
  if (sim == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  w = world_new (&cfg, sim, cfg.seed, 0, 0);
  world_run (w);
  world_point_result (w, &r);
  printf ("timeout=%" G_GUINT64_FORMAT " alive=%" G_GUINT64_FORMAT
          " probes=%" G_GUINT64_FORMAT " peak=%" G_GUINT64_FORMAT " version=%s\n",
          r.count[WORLD_TIMEOUT], r.count[WORLD_ALIVE], r.probes[WORLD_CLIENT],
          r.nat_peak_mappings, NATKEEP_VERSION_STRING);
  world_free (w);
  world_config_clear (&cfg);
  sim_scenario_free (sc);
  return 0;
}
