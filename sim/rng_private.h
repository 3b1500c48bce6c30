/* sim/rng_private.h — the building blocks of sim/rng.c, for its tests.
 *
 * Exposed only so tests/test_rng.c can check them against published
 * reference vectors; models use sim/rng.h.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Advances the SplitMix64 state @state and returns its next output
 * (Steele, Lea and Flood 2014; Vigna's splitmix64.c). */
guint64 sim_rng_splitmix64_next (guint64 *state);

/* 64-bit FNV-1a of the NUL-terminated string @s. */
guint64 sim_rng_fnv1a64 (const char *s);

G_END_DECLS
