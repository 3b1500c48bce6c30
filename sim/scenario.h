/* sim/scenario.h — INI scenario files with line numbers.
 *
 * GKeyFile keeps no line numbers and lets a repeated key win silently, so
 * this reader parses the text itself into groups and keys, each with the
 * line it came from.  Typed getters validate values and report problems as
 *   FILE:LINE: [group] key: problem (expected ...)
 * A missing key reads as the caller's default.  Every getter call also
 * records the key as known for its group; sim_scenario_check_unknown() then
 * reports the first key (in file order) that no getter asked for, with a
 * "did you mean" hint by edit distance, so the set of accepted keys is
 * exactly what the models read.
 *
 * Syntax: "[group]" headers (names: letters, digits, '.', '_', '-'),
 * "key = value" lines (key names: the same characters), '#' or ';' starting
 * a comment at the start of a line or after whitespace ("a#b" is a value);
 * blank lines; LF or CRLF line ends; UTF-8 only (a leading BOM is skipped,
 * a NUL byte is an error).  Values are trimmed and never empty ("key =" is
 * INVALID_VALUE); there is no quoting.  A key or group given twice is
 * DUPLICATE_KEY.
 *
 * Getters mark keys, so even reading mutates a SimScenario: it is not
 * thread-safe, and each thread reads its own sim_scenario_copy().  There is
 * no global state, so different scenarios may be used in parallel.
 */
#pragma once

#include <glib.h>
#include "sim/time.h"

G_BEGIN_DECLS

#define NATKEEP_SCENARIO_ERROR (natkeep_scenario_error_quark ())
GQuark natkeep_scenario_error_quark (void);

typedef enum {
  NATKEEP_SCENARIO_ERROR_PARSE,          /* not INI: bad header, no '=', bad UTF-8 */
  NATKEEP_SCENARIO_ERROR_MISSING_KEY,
  NATKEEP_SCENARIO_ERROR_UNKNOWN_KEY,    /* also unknown group */
  NATKEEP_SCENARIO_ERROR_DUPLICATE_KEY,  /* also duplicate group */
  NATKEEP_SCENARIO_ERROR_INVALID_VALUE,
  NATKEEP_SCENARIO_ERROR_OUT_OF_RANGE,
  NATKEEP_SCENARIO_ERROR_FAILED,         /* I/O */
} NatkeepScenarioError;

typedef struct _SimScenario SimScenario;

/* Reads and parses @path.  The file name in messages is @path as given. */
SimScenario *sim_scenario_load      (const char *path, GError **error);
/* Same from memory; @name stands for the file name in messages. */
SimScenario *sim_scenario_load_data (const char *name, const char *text,
                                     gssize len, GError **error);
void         sim_scenario_free      (SimScenario *sc);
/* A deep copy (sweep points each get their own), including the known-key
 * marks made so far; the copy's marks then evolve separately. */
SimScenario *sim_scenario_copy      (const SimScenario *sc);

const char  *sim_scenario_path      (const SimScenario *sc);

/* --set GROUP.KEY=VALUE: replaces or adds a value.  The key's location in
 * messages becomes "--set GROUP.KEY".  GROUP may itself contain dots
 * ("link.wan.delay=5ms" sets [link.wan] delay): the last dot splits. */
gboolean     sim_scenario_set_override (SimScenario *sc, const char *assignment,
                                        GError **error);
/* Programmatic set, with @where as the location used in messages (NULL:
 * "--set GROUP.KEY").  Creates the group if absent.  A replaced key keeps
 * its place in file order; a new one comes after everything before it. */
void         sim_scenario_set       (SimScenario *sc, const char *group,
                                     const char *key, const char *value,
                                     const char *where);

/* Profile merge (sim/profile.h does the file side).  Sets @key in @group
 * to @value with location @where (the profile file's "FILE:LINE") unless
 * the key is already there from the scenario, --set or a sweep, which win.
 * A key that came from a profile before is replaced.  Creates the group if
 * absent.  Returns TRUE when the value was stored. */
gboolean     sim_scenario_set_from_profile (SimScenario *sc, const char *group,
                                            const char *key, const char *value,
                                            const char *where);
/* Removes every key of @group that a profile set (so that a profile can be
 * merged again after `profile` changed, e.g. in a sweep copy). */
void         sim_scenario_drop_profile_keys (SimScenario *sc, const char *group);

gboolean     sim_scenario_has_group (const SimScenario *sc, const char *group);
gboolean     sim_scenario_has_key   (const SimScenario *sc, const char *group,
                                     const char *key);
/* Groups in file order (transfer container: free the array, not strings). */
GPtrArray   *sim_scenario_groups    (const SimScenario *sc);
/* Keys of @group in file order (transfer container). */
GPtrArray   *sim_scenario_keys      (const SimScenario *sc, const char *group);
/* Raw value (trimmed, comment removed) or NULL; marks the key known. */
const char  *sim_scenario_get_raw   (SimScenario *sc, const char *group,
                                     const char *key);
/* "FILE:LINE" or "--set g.k" for a key, "FILE:LINE" of the group header for
 * a missing key or @key NULL, FILE alone when the group is absent too
 * (transfer full). */
char        *sim_scenario_where     (const SimScenario *sc, const char *group,
                                     const char *key);

/* Marks @key known in @group without reading it (keys read elsewhere). */
void         sim_scenario_declare   (SimScenario *sc, const char *group,
                                     const char *key);
/* Marks a whole group known with all its keys (e.g. [sweep]). */
void         sim_scenario_declare_group (SimScenario *sc, const char *group);

/* Typed getters.  Absent key: *out unchanged (holds the default), TRUE.
 * Bad value: FALSE with a one-line error naming file, line, group, key,
 * and *out unchanged.  Codes: syntax INVALID_VALUE, range OUT_OF_RANGE.
 *  - duration: sim_time_parse(); 0 <= @min <= @max, @max = SIM_TIME_NEVER
 *    for no bound.  Negative ("-5s") and too large for SimTime are
 *    OUT_OF_RANGE, like values outside [@min, @max].
 *  - int: decimal with optional sign only (no 0x, 1e6, 10_000); more than
 *    64 bits is INVALID_VALUE.  G_MININT64/G_MAXINT64 mean no bound.
 *  - double: plain decimal ("0.01", "1e-3"; no nan, inf, hex), finite;
 *    +-INFINITY mean no bound.
 *  - bool: exactly on, off, true, false (no yes/no/1/0, no hint: "no" is
 *    one edit from "on").
 *  - enum: exact, case-sensitive; the message lists the choices and adds a
 *    sim_scenario_hint().
 *  - port range: reversed range INVALID_VALUE, port 0 or > 65535
 *    OUT_OF_RANGE.
 *  - list, string: *out holds NULL or a string (vector) the caller owns;
 *    a present key frees it (g_free / g_strfreev) and stores a new one. */
gboolean sim_scenario_get_duration (SimScenario *sc, const char *group, const char *key,
                                    SimTime min, SimTime max, SimTime *out, GError **error);
gboolean sim_scenario_get_int      (SimScenario *sc, const char *group, const char *key,
                                    gint64 min, gint64 max, gint64 *out, GError **error);
gboolean sim_scenario_get_double   (SimScenario *sc, const char *group, const char *key,
                                    double min, double max, double *out, GError **error);
gboolean sim_scenario_get_bool     (SimScenario *sc, const char *group, const char *key,
                                    gboolean *out, GError **error);
/* @choices: NULL-terminated; *out = index of the match. */
gboolean sim_scenario_get_enum     (SimScenario *sc, const char *group, const char *key,
                                    const char *const *choices, int *out, GError **error);
/* "LO-HI" or a single port, 1..65535, LO <= HI. */
gboolean sim_scenario_get_port_range (SimScenario *sc, const char *group, const char *key,
                                      guint16 *lo, guint16 *hi, GError **error);
/* Comma-separated, items trimmed, none empty (transfer full, NULL-terminated). */
gboolean sim_scenario_get_list     (SimScenario *sc, const char *group, const char *key,
                                    char ***out, GError **error);
gboolean sim_scenario_get_string   (SimScenario *sc, const char *group, const char *key,
                                    char **out, GError **error);

/* Builds an error about a key's value in the standard form:
 *   WHERE: [group] key: MESSAGE        (WHERE from sim_scenario_where)
 * or, with @key NULL, "WHERE: [group]: MESSAGE".  A missing required key:
 *   sim_scenario_error (sc, error, NATKEEP_SCENARIO_ERROR_MISSING_KEY,
 *                       "nat", "mode", "missing key (expected napt, ...)");
 * points at the [nat] header line. */
void     sim_scenario_error        (const SimScenario *sc, GError **error, int code,
                                    const char *group, const char *key,
                                    const char *fmt, ...) G_GNUC_PRINTF (6, 7);

/* Reports the first group or key (in file order, then --set order) that no
 * getter or declare asked for: UNKNOWN_KEY with a did-you-mean hint taken
 * from the keys asked for in that group (for a group: from the group names
 * asked for).  A group counts as known once any of its keys was asked for;
 * has_group/has_key/keys/where mark nothing.  O(keys). */
gboolean sim_scenario_check_unknown (const SimScenario *sc, GError **error);

/* Every key asked for so far (getters and declare), as "group key"
 * strings sorted bytewise; groups declared whole add nothing.  For
 * `natkeep check --list-keys`, which lists what the loader accepts.
 * (transfer full: free with g_ptr_array_unref) */
GPtrArray   *sim_scenario_known_keys    (const SimScenario *sc);

/* Levenshtein distance (bytes), for hints.  O(strlen(a) * strlen(b)). */
guint    sim_edit_distance          (const char *a, const char *b);
/* The closest of the @n @choices to @word, ignoring ASCII case (ties go to
 * the earliest), or NULL when none is within max (2, strlen (word) / 3)
 * edits or the distance is not below strlen (word).  (transfer none) */
const char *sim_scenario_hint       (const char *word, const char *const *choices,
                                     guint n);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SimScenario, sim_scenario_free)

G_END_DECLS
