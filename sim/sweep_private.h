/* sim/sweep_private.h — shared by sweep.c and sweep_values.c only. */
#pragma once

#include <glib.h>
#include "sim/scenario.h"

G_BEGIN_DECLS

/* Sets @error to "WHERE: [sweep] KEY: message" in NATKEEP_SCENARIO_ERROR,
 * WHERE being the line of @key in [sweep]. */
void     sim_sweep_error        (SimScenario *sc, GError **error, int code,
                                 const char *key, const char *fmt, ...)
                                 G_GNUC_PRINTF (5, 6);

/* Appends the values of [sweep] @key = @raw to @values (char *, freed by
 * the array's own free func) in sweep order: a range when @raw contains
 * "..", else a comma list.  FALSE with @error set, @values then holding
 * any partial output for the caller to drop.  Cost: O(values). */
gboolean sim_sweep_parse_values (SimScenario *sc, const char *key, const char *raw,
                                 GPtrArray *values, GError **error);

G_END_DECLS
