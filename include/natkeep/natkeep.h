/* natkeep/natkeep.h — natkeep as a library: the one header a program needs.
 *
 * natkeep simulates TCP connections through NATs and firewalls with
 * keep-alive and answers, per connection, whether it survived the path and,
 * if not, who found out, when and how.  A program uses it in four steps:
 *
 *   SimScenario *sc = sim_scenario_load_data ("my.ini", text, -1, &error);
 *   WorldConfig cfg;
 *   world_config_init_defaults (&cfg);
 *   world_config_load (&cfg, sc, &error);          // validates every key
 *   World *w = world_new (&cfg, sim_new (SIM_SCHED_WHEEL, NULL), cfg.seed, 0, 0);
 *   world_run (w);
 *   WorldPointResult r;
 *   world_point_result (w, &r);                     // r.count[WORLD_ALIVE], ...
 *   world_free (w); world_config_clear (&cfg); sim_scenario_free (sc);
 *
 * Inside an ns-3 program pass sim_new (SIM_SCHED_NS3, ...) instead: the
 * World's events then go through ns3::Simulator and share its clock (see
 * docs/ns3.md and examples/ns3-keepalive.cc).
 *
 * What is here: the engine (sim/sim.h: clock, events, timers), scenarios
 * (sim/scenario.h), RNG streams (sim/rng.h), the model configurations and
 * defaults (models/tcp.h, nat.h, link.h, app.h, defaults.h) and the World
 * with its outcomes (models/world.h).  Everything else in the source tree
 * (sweeps, plots, the command line, *_private.h) is not installed and not
 * part of the API.
 *
 * The headers are C11 and compile as C++ (they use G_BEGIN_DECLS).  Build
 * flags: `pkg-config --cflags --libs natkeep`, which adds
 * -I${includedir}/natkeep so that the headers' own "sim/…" and "models/…"
 * includes resolve exactly as in the source tree.
 */
#pragma once

#include "natkeep/version.h"
#include "sim/time.h"
#include "sim/sim.h"
#include "sim/rng.h"
#include "sim/scenario.h"
#include "models/defaults.h"
#include "models/packet.h"
#include "models/link.h"
#include "models/tcp.h"
#include "models/nat.h"
#include "models/app.h"
#include "models/http.h"
#include "models/pcap.h"
#include "models/world.h"
