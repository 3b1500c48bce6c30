/* tests/fixture_world.h — a whole World from scenario text, for the tests
 * that run one (test_world.c, test_http.c). */
#pragma once

#include <stdio.h>

#include "sim/sim.h"
#include "models/world.h"

/* Loads @ini (the scenario must be accepted), builds its World on queue
 * @kind with seed @seed_override (0: the scenario's seed), traces flow 0
 * to @trace if not NULL, and runs it to the end.  (transfer full) */
World *fixture_world_run (const char *ini, SimSchedKind kind, guint64 seed_override,
                          FILE *trace);
