/* sim/profile.h — named profiles: sets of scenario keys with their sources.
 *
 * A profile is an INI file ID.ini with a [profile] group (id, applies_to,
 * status primary|secondary, source, summary) and a [values] group of
 * scenario keys.  Writing `profile = ID` in a scenario group merges the
 * profile's values into that group, except keys the group already has
 * (the scenario's own lines, --set, sweep values): explicit wins.  A
 * merged value keeps its profile location "DIR/ID.ini:LINE", so a bad or
 * unknown key in a profile is reported at the profile line that holds it.
 *
 * Profiles are looked up by id in, first to last: each directory of
 * $NATKEEP_PROFILE_DIR (':'-separated), the source tree's
 * scenarios/profiles (so an uninstalled build finds them), and the
 * installed DATADIR/natkeep/profiles.  The first file found wins.
 *
 * The engine does not know what the keys mean: whether a value is valid is
 * for the loader that reads the group afterwards (models/world_config.c).
 * Nothing is cached, so there is no shared state: each call reads the file.
 */
#pragma once

#include <glib.h>
#include "sim/scenario.h"

G_BEGIN_DECLS

typedef struct {
  char *key;
  char *value;
  char *where;      /* "FILE:LINE" */
  char *comment;    /* the '#' comment on the line and its indented
                     * continuation lines, joined by spaces; "" if none */
} SimProfileValue;

typedef struct {
  char      *id;
  char      *path;
  char     **applies_to;   /* group names, NULL-terminated */
  gboolean   secondary;    /* status = secondary: seen only in a secondary source */
  char      *source;
  char      *summary;
  GPtrArray *values;       /* SimProfileValue *, file order (owned) */
} SimProfile;

/* The search path, first to last (transfer full). */
char       **sim_profile_dirs     (void);
/* Path of profile @id in the search path, or NULL when there is none or
 * @id is not a plain name (letters, digits, '.', '_', '-', not starting
 * with '.').  (transfer full) */
char        *sim_profile_find     (const char *id);
/* Ids of every profile in the search path, sorted, each once.
 * (transfer full, NULL-terminated) */
char       **sim_profile_list_ids (void);

/* Reads and checks a profile file: [profile] keys all present (MISSING_KEY
 * at the group header otherwise), id equal to the file name without
 * ".ini", status primary or secondary, no `profile` key in [values] (they
 * do not nest), no other groups or keys.  Errors name the profile file's
 * line.  (transfer full) */
SimProfile  *sim_profile_load     (const char *path, GError **error);
void         sim_profile_free     (SimProfile *profile);
/* TRUE when @group ("nat", or "nat.cpe" for a box of a chain) is one of
 * the groups @profile applies to. */
gboolean     sim_profile_applies_to (const SimProfile *profile, const char *group);

/* Merges the profile named by @group's `profile` key (if any) into @group
 * of @sc, first dropping keys a previous merge left (so a swept or --set
 * profile replaces the file's).  Errors, all at the `profile` line:
 * unknown id (INVALID_VALUE, with a did-you-mean among existing ids), a
 * profile for other groups (INVALID_VALUE), a malformed profile file
 * (its own code, message "profile "ID" is malformed: FILE:LINE: ...").
 * Marks `profile` known in @group.  Cost: reads one file. */
gboolean     sim_profile_apply    (SimScenario *sc, const char *group, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SimProfile, sim_profile_free)

G_END_DECLS
