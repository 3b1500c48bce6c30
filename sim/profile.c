/* sim/profile.c — finding, reading and merging named profiles.
 *
 * A profile file is read with the scenario reader itself, so it gets the
 * same syntax, the same line numbers and the same one-line errors as a
 * scenario.  Its [values] are merged key by key through
 * sim_scenario_set_from_profile(), which leaves keys the scenario sets
 * alone; each merged key keeps the profile file's "FILE:LINE", so the
 * loader's later complaints (bad value, unknown key) point into the
 * profile.  Comments are re-read from the raw text only for `natkeep
 * profiles --long`: they carry the sources, which the reader throws away.
 */
#include "config.h"

#include <string.h>
#include <glib.h>
#include "sim/profile.h"

static const char *const status_names[] = { "primary", "secondary", NULL };

char **
sim_profile_dirs (void)
{
  GPtrArray *dirs = g_ptr_array_new ();
  const char *env = g_getenv ("NATKEEP_PROFILE_DIR");

  if (env != NULL)
    {
      g_auto(GStrv) parts = g_strsplit (env, G_SEARCHPATH_SEPARATOR_S, -1);

      for (guint i = 0; parts[i] != NULL; i++)
        if (*parts[i] != '\0')
          g_ptr_array_add (dirs, g_strdup (parts[i]));
    }
  g_ptr_array_add (dirs, g_strdup (NATKEEP_SRCDIR "/scenarios/profiles"));
  g_ptr_array_add (dirs, g_strdup (NATKEEP_DATADIR "/profiles"));
  g_ptr_array_add (dirs, NULL);
  return (char **) g_ptr_array_free (dirs, FALSE);
}

/* A plain file-name stem: no '/', no "..", so an id never leaves its
 * directory. */
static gboolean
id_is_plain (const char *id)
{
  if (*id == '\0' || *id == '.')
    return FALSE;
  for (const char *p = id; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '.' && *p != '_' && *p != '-')
      return FALSE;
  return TRUE;
}

char *
sim_profile_find (const char *id)
{
  g_auto(GStrv) dirs = NULL;
  g_autofree char *file = NULL;

  g_return_val_if_fail (id != NULL, NULL);
  if (!id_is_plain (id))
    return NULL;
  dirs = sim_profile_dirs ();
  file = g_strconcat (id, ".ini", NULL);
  for (guint i = 0; dirs[i] != NULL; i++)
    {
      g_autofree char *path = g_build_filename (dirs[i], file, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        return g_steal_pointer (&path);
    }
  return NULL;
}

static int
compare_strings (const void *a, const void *b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

char **
sim_profile_list_ids (void)
{
  g_auto(GStrv) dirs = sim_profile_dirs ();
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal,
                                                      g_free, NULL);
  GPtrArray *ids = g_ptr_array_new ();

  for (guint i = 0; dirs[i] != NULL; i++)
    {
      g_autoptr(GDir) dir = g_dir_open (dirs[i], 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *id = NULL;

          if (!g_str_has_suffix (name, ".ini") || strlen (name) <= 4)
            continue;
          id = g_strndup (name, strlen (name) - 4);
          if (!id_is_plain (id) || g_hash_table_contains (seen, id))
            continue;
          g_ptr_array_add (ids, g_strdup (id));
          g_hash_table_add (seen, g_steal_pointer (&id));
        }
    }
  g_ptr_array_sort (ids, compare_strings);
  g_ptr_array_add (ids, NULL);
  return (char **) g_ptr_array_free (ids, FALSE);
}

static void
profile_value_free (gpointer data)
{
  SimProfileValue *v = data;

  g_free (v->key);
  g_free (v->value);
  g_free (v->where);
  g_free (v->comment);
  g_free (v);
}

void
sim_profile_free (SimProfile *profile)
{
  if (profile == NULL)
    return;
  g_free (profile->id);
  g_free (profile->path);
  g_strfreev (profile->applies_to);
  g_free (profile->source);
  g_free (profile->summary);
  if (profile->values != NULL)
    g_ptr_array_unref (profile->values);
  g_free (profile);
}

static SimProfileValue *
profile_value_lookup (SimProfile *p, const char *key)
{
  for (guint i = 0; i < p->values->len; i++)
    {
      SimProfileValue *v = g_ptr_array_index (p->values, i);

      if (strcmp (v->key, key) == 0)
        return v;
    }
  return NULL;
}

static void
append_comment (SimProfileValue *v, const char *text)
{
  char *joined;

  text += strspn (text, "#; \t");
  if (*text == '\0')
    return;
  joined = *v->comment == '\0' ? g_strdup (text)
                               : g_strconcat (v->comment, " ", text, NULL);
  g_free (v->comment);
  v->comment = joined;
}

/* The reader drops comments; here they are the citation, so take each
 * [values] line's comment and the indented comment lines right below it. */
static void
collect_comments (SimProfile *p, const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  SimProfileValue *last = NULL;
  gboolean in_values = FALSE;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *raw = lines[i];
      g_autofree char *line = g_strstrip (g_strdup (raw));
      char *eq, *c;

      if (*line == '[')
        {
          in_values = g_str_has_prefix (line, "[values]");
          last = NULL;
          continue;
        }
      if (!in_values || *line == '\0')
        {
          last = NULL;
          continue;
        }
      if (*line == '#' || *line == ';')
        {
          if (last != NULL && g_ascii_isspace (*raw))
            append_comment (last, line);
          else
            last = NULL;
          continue;
        }
      if ((eq = strchr (line, '=')) == NULL)
        continue;
      *eq = '\0';
      last = profile_value_lookup (p, g_strstrip (line));
      if (last == NULL)
        continue;
      for (c = eq + 1; *c != '\0'; c++)
        if ((*c == '#' || *c == ';') && g_ascii_isspace (c[-1]))
          {
            append_comment (last, g_strstrip (c));
            break;
          }
    }
}

static gboolean
require_string (SimScenario *sc, const char *key, char **out, GError **error)
{
  if (!sim_scenario_get_string (sc, "profile", key, out, error))
    return FALSE;
  if (*out == NULL)
    {
      sim_scenario_error (sc, error, NATKEEP_SCENARIO_ERROR_MISSING_KEY, "profile", key,
                          "missing key (expected id, applies_to, status, source "
                          "and summary)");
      return FALSE;
    }
  return TRUE;
}

SimProfile *
sim_profile_load (const char *path, GError **error)
{
  g_autoptr(SimProfile) p = g_new0 (SimProfile, 1);
  g_autoptr(SimScenario) sc = NULL;
  g_autoptr(GPtrArray) keys = NULL;
  g_autoptr(GError) io = NULL;
  g_autofree char *text = NULL;
  g_autofree char *base = NULL;
  g_autofree char *status = NULL;
  gsize len = 0;
  int st;

  g_return_val_if_fail (path != NULL, NULL);
  if (!g_file_get_contents (path, &text, &len, &io))
    {
      g_set_error (error, NATKEEP_SCENARIO_ERROR, NATKEEP_SCENARIO_ERROR_FAILED,
                   "%s", io->message);
      return NULL;
    }
  if ((sc = sim_scenario_load_data (path, text, len, error)) == NULL)
    return NULL;
  p->path = g_strdup (path);
  p->values = g_ptr_array_new_with_free_func (profile_value_free);
  if (!sim_scenario_has_group (sc, "profile"))
    {
      g_set_error (error, NATKEEP_SCENARIO_ERROR, NATKEEP_SCENARIO_ERROR_MISSING_KEY,
                   "%s: [profile]: missing group (expected [profile] with id, "
                   "applies_to, status, source, summary)", path);
      return NULL;
    }
  if (!require_string (sc, "id", &p->id, error)
      || !require_string (sc, "status", &status, error)
      || !require_string (sc, "source", &p->source, error)
      || !require_string (sc, "summary", &p->summary, error)
      || !sim_scenario_get_list (sc, "profile", "applies_to", &p->applies_to, error))
    return NULL;
  if (p->applies_to == NULL)
    {
      sim_scenario_error (sc, error, NATKEEP_SCENARIO_ERROR_MISSING_KEY, "profile",
                          "applies_to", "missing key (expected the groups the "
                          "profile may be used in, e.g. client, server)");
      return NULL;
    }
  st = 0;
  if (!sim_scenario_get_enum (sc, "profile", "status", status_names, &st, error))
    return NULL;
  p->secondary = st == 1;
  base = g_path_get_basename (path);
  if (g_str_has_suffix (base, ".ini"))
    base[strlen (base) - 4] = '\0';
  if (strcmp (base, p->id) != 0)
    {
      sim_scenario_error (sc, error, NATKEEP_SCENARIO_ERROR_INVALID_VALUE, "profile",
                          "id", "id \"%s\" differs from the file name (expected "
                          "\"%s\")", p->id, base);
      return NULL;
    }
  keys = sim_scenario_keys (sc, "values");
  for (guint i = 0; i < keys->len; i++)
    {
      const char *key = g_ptr_array_index (keys, i);
      SimProfileValue *v;

      if (strcmp (key, "profile") == 0)
        {
          sim_scenario_error (sc, error, NATKEEP_SCENARIO_ERROR_INVALID_VALUE, "values",
                              "profile", "profiles do not nest (expected scenario "
                              "keys only)");
          return NULL;
        }
      v = g_new0 (SimProfileValue, 1);
      v->key = g_strdup (key);
      v->value = g_strdup (sim_scenario_get_raw (sc, "values", key));
      v->where = sim_scenario_where (sc, "values", key);
      v->comment = g_strdup ("");
      g_ptr_array_add (p->values, v);
    }
  sim_scenario_declare_group (sc, "values");
  if (!sim_scenario_check_unknown (sc, error))
    return NULL;
  collect_comments (p, text);
  return g_steal_pointer (&p);
}

gboolean
sim_profile_applies_to (const SimProfile *profile, const char *group)
{
  g_return_val_if_fail (profile != NULL && group != NULL, FALSE);
  for (guint i = 0; profile->applies_to[i] != NULL; i++)
    {
      const char *a = profile->applies_to[i];
      size_t n = strlen (a);

      /* "nat" covers the boxes of a chain, [nat.cpe], [nat.cgnat] */
      if (strncmp (group, a, n) == 0 && (group[n] == '\0' || group[n] == '.'))
        return TRUE;
    }
  return FALSE;
}

static void
unknown_profile (SimScenario *sc, const char *group, const char *id, GError **error)
{
  g_auto(GStrv) ids = sim_profile_list_ids ();
  const char *hint = sim_scenario_hint (id, (const char *const *) ids,
                                        g_strv_length (ids));
  g_autofree char *dym = hint != NULL ? g_strdup_printf ("; did you mean \"%s\"?", hint)
                                      : g_strdup ("");

  sim_scenario_error (sc, error, NATKEEP_SCENARIO_ERROR_INVALID_VALUE, group, "profile",
                      "unknown profile \"%s\" (expected a built-in id, see natkeep "
                      "profiles%s)", id, dym);
}

gboolean
sim_profile_apply (SimScenario *sc, const char *group, GError **error)
{
  g_autoptr(SimProfile) p = NULL;
  g_autoptr(GError) inner = NULL;
  g_autofree char *path = NULL;
  const char *id;

  g_return_val_if_fail (sc != NULL && group != NULL, FALSE);
  sim_scenario_drop_profile_keys (sc, group);
  if ((id = sim_scenario_get_raw (sc, group, "profile")) == NULL)
    return TRUE;
  if ((path = sim_profile_find (id)) == NULL)
    {
      unknown_profile (sc, group, id, error);
      return FALSE;
    }
  if ((p = sim_profile_load (path, &inner)) == NULL)
    {
      sim_scenario_error (sc, error, inner->code, group, "profile",
                          "profile \"%s\" is malformed: %s", id, inner->message);
      return FALSE;
    }
  if (!sim_profile_applies_to (p, group))
    {
      g_autofree char *to = g_strjoinv (", ", p->applies_to);
      g_autofree char *kind = g_strdup (group);
      char *dot = strchr (kind, '.');
      /* "an http profile": say the group names as they are read aloud */
      const char *article = strchr ("aeiouh", kind[0]) != NULL ? "an" : "a";

      if (dot != NULL)
        *dot = '\0';           /* [nat.cpe] wants a nat profile */
      sim_scenario_error (sc, error, NATKEEP_SCENARIO_ERROR_INVALID_VALUE, group,
                          "profile", "%s applies to %s (expected %s %s profile)", id,
                          to, article, kind);
      return FALSE;
    }
  for (guint i = 0; i < p->values->len; i++)
    {
      const SimProfileValue *v = g_ptr_array_index (p->values, i);

      sim_scenario_set_from_profile (sc, group, v->key, v->value, v->where);
    }
  return TRUE;
}
