/* sim/scenario.c — reads INI scenario files, keeping every line number.
 *
 * The text is checked as a whole first (no NUL byte, valid UTF-8), then
 * split into lines and indexed into groups and keys in file order, each
 * remembering "FILE:LINE" so that any later complaint about a value points
 * at the line a user has to edit.  GKeyFile is not used: it forgets line
 * numbers and lets a repeated key win silently, and both matter here.
 *
 * Values stay strings until a typed getter (scenario_value.c) reads them
 * through sim_scenario_get_raw(), which marks the key as known, so
 * sim_scenario_check_unknown() can later reject any key no model asked for.
 * Every key and group also gets a sequence number from one counter, which
 * is what "file order, then --set order" means for that check.
 *
 * A SimScenario holds all its state (marks included); nothing here is
 * global, so sweeps may read their own copies in parallel threads.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glib.h>
#include "sim/scenario.h"

G_DEFINE_QUARK (natkeep-scenario-error-quark, natkeep_scenario_error)

#define NAME_CHARS_EXPECTED "expected letters, digits, '.', '_', '-'"

typedef struct {
  char  *name;
  char  *value;     /* trimmed, comment removed, never empty */
  char  *where;     /* "FILE:LINE", or the location given to _set */
  guint  line;      /* 1-based; 0 when set from outside the file */
  guint  seq;       /* creation order over the whole scenario */
  gboolean from_profile;  /* merged from a profile: an explicit set replaces it,
                           * sim_scenario_drop_profile_keys removes it */
} ScenKey;

typedef struct {
  char       *name;
  char       *where;    /* header "FILE:LINE", or where a _set created it */
  guint       line;     /* header line; 0 when created by _set */
  guint       seq;
  GPtrArray  *keys;     /* ScenKey *, in seq order (owned) */
  GHashTable *index;    /* name -> ScenKey * (borrowed from keys) */
} ScenGroup;

struct _SimScenario {
  char       *path;      /* file name used in messages */
  GPtrArray  *groups;    /* ScenGroup *, in seq order (owned) */
  GHashTable *index;     /* name -> ScenGroup * (borrowed) */
  guint       next_seq;
  GHashTable *known;     /* group name -> set of key names asked for */
  GHashTable *declared;  /* set of group names declared whole */
};

/* ---------------------------------------------------------------- data */

static void
scen_key_free (gpointer data)
{
  ScenKey *k = data;

  g_free (k->name);
  g_free (k->value);
  g_free (k->where);
  g_free (k);
}

static void
scen_group_free (gpointer data)
{
  ScenGroup *g = data;

  g_hash_table_unref (g->index);
  g_ptr_array_unref (g->keys);
  g_free (g->name);
  g_free (g->where);
  g_free (g);
}

static GHashTable *
string_set_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

static SimScenario *
scenario_new (const char *path)
{
  SimScenario *sc = g_new0 (SimScenario, 1);

  sc->path = g_strdup (path);
  sc->groups = g_ptr_array_new_with_free_func (scen_group_free);
  sc->index = g_hash_table_new (g_str_hash, g_str_equal);
  sc->next_seq = 1;
  sc->known = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                     (GDestroyNotify) g_hash_table_unref);
  sc->declared = string_set_new ();
  return sc;
}

static ScenGroup *
scenario_add_group (SimScenario *sc, const char *name, const char *where,
                    guint line, guint seq)
{
  ScenGroup *g = g_new0 (ScenGroup, 1);

  g->name = g_strdup (name);
  g->where = g_strdup (where);
  g->line = line;
  g->seq = seq;
  g->keys = g_ptr_array_new_with_free_func (scen_key_free);
  g->index = g_hash_table_new (g_str_hash, g_str_equal);
  g_ptr_array_add (sc->groups, g);
  g_hash_table_insert (sc->index, g->name, g);
  return g;
}

static ScenKey *
group_add_key (ScenGroup *g, const char *name, const char *value,
               const char *where, guint line, guint seq)
{
  ScenKey *k = g_new0 (ScenKey, 1);

  k->name = g_strdup (name);
  k->value = g_strdup (value);
  k->where = g_strdup (where);
  k->line = line;
  k->seq = seq;
  g_ptr_array_add (g->keys, k);
  g_hash_table_insert (g->index, k->name, k);
  return k;
}

static ScenKey *
scenario_lookup (const SimScenario *sc, const char *group, const char *key)
{
  ScenGroup *g = g_hash_table_lookup (sc->index, group);

  return g != NULL ? g_hash_table_lookup (g->index, key) : NULL;
}

void
sim_scenario_free (SimScenario *sc)
{
  if (sc == NULL)
    return;
  g_hash_table_unref (sc->index);
  g_ptr_array_unref (sc->groups);
  g_hash_table_unref (sc->known);
  g_hash_table_unref (sc->declared);
  g_free (sc->path);
  g_free (sc);
}

SimScenario *
sim_scenario_copy (const SimScenario *sc)
{
  SimScenario *copy;
  GHashTableIter it;
  gpointer name, set;

  g_return_val_if_fail (sc != NULL, NULL);
  copy = scenario_new (sc->path);
  copy->next_seq = sc->next_seq;
  for (guint i = 0; i < sc->groups->len; i++)
    {
      const ScenGroup *g = g_ptr_array_index (sc->groups, i);
      ScenGroup *cg = scenario_add_group (copy, g->name, g->where, g->line, g->seq);

      for (guint j = 0; j < g->keys->len; j++)
        {
          const ScenKey *k = g_ptr_array_index (g->keys, j);
          ScenKey *ck = group_add_key (cg, k->name, k->value, k->where, k->line,
                                       k->seq);
          ck->from_profile = k->from_profile;
        }
    }
  g_hash_table_iter_init (&it, sc->known);
  while (g_hash_table_iter_next (&it, &name, &set))
    {
      GHashTable *cset = string_set_new ();
      GHashTableIter kit;
      gpointer key;

      g_hash_table_iter_init (&kit, set);
      while (g_hash_table_iter_next (&kit, &key, NULL))
        g_hash_table_add (cset, g_strdup (key));
      g_hash_table_insert (copy->known, g_strdup (name), cset);
    }
  g_hash_table_iter_init (&it, sc->declared);
  while (g_hash_table_iter_next (&it, &name, NULL))
    g_hash_table_add (copy->declared, g_strdup (name));
  return copy;
}

const char *
sim_scenario_path (const SimScenario *sc)
{
  return sc->path;
}

/* ------------------------------------------------------------- parsing */

static gboolean
is_name_char (char c)
{
  return g_ascii_isalnum (c) || c == '.' || c == '_' || c == '-';
}

/* The first byte of @name not allowed in a group or key name, or NULL. */
static const char *
name_bad_char (const char *name)
{
  for (const char *p = name; *p != '\0'; p++)
    if (!is_name_char (*p))
      return p;
  return NULL;
}

/* Names the character at @p for a message: 'x', U+0009, or 'é' (U+00E9),
 * so that invisible characters (tabs, no-break spaces) can be told apart.
 * The text was validated as UTF-8 before. */
static char *
describe_char (const char *p)
{
  gunichar c = g_utf8_get_char (p);

  if (c < 0x80)
    return g_ascii_isprint ((char) c) ? g_strdup_printf ("'%c'", (char) c)
                                      : g_strdup_printf ("U+%04X", c);
  return g_strdup_printf ("'%.*s' (U+%04X)",
                          (int) (g_utf8_next_char (p) - p), p, c);
}

static char *
trim (char *s)
{
  while (g_ascii_isspace (*s))
    s++;
  return g_strchomp (s);
}

/* Cuts a comment: '#' or ';' after whitespace.  A '#' glued to the text
 * before it ("a#b") stays part of the value. */
static void
strip_comment (char *s)
{
  for (char *p = s; *p != '\0'; p++)
    if ((*p == '#' || *p == ';') && (p == s || g_ascii_isspace (p[-1])))
      {
        *p = '\0';
        return;
      }
}

static gboolean
parse_header (SimScenario *sc, ScenGroup **group, char *s, guint line,
              GError **error)
{
  char *close = strchr (s, ']');
  char *name, *rest;
  const char *bad;
  ScenGroup *first;

  if (close == NULL)
    {
      g_set_error (error, NATKEEP_SCENARIO_ERROR, NATKEEP_SCENARIO_ERROR_PARSE,
                   "%s:%u: unterminated group header \"%s\" (expected [GROUP])",
                   sc->path, line, s);
      return FALSE;
    }
  *close = '\0';
  name = trim (s + 1);
  rest = close + 1;
  while (g_ascii_isspace (*rest))
    rest++;
  if (*name == '\0')
    {
      g_set_error (error, NATKEEP_SCENARIO_ERROR, NATKEEP_SCENARIO_ERROR_PARSE,
                   "%s:%u: empty group name (expected [GROUP])", sc->path, line);
      return FALSE;
    }
  if ((bad = name_bad_char (name)) != NULL)
    {
      g_autofree char *what = describe_char (bad);
      g_set_error (error, NATKEEP_SCENARIO_ERROR, NATKEEP_SCENARIO_ERROR_PARSE,
                   "%s:%u: bad character %s in group name \"%s\" (%s)",
                   sc->path, line, what, name, NAME_CHARS_EXPECTED);
      return FALSE;
    }
  if (*rest != '\0' && *rest != '#' && *rest != ';')
    {
      g_set_error (error, NATKEEP_SCENARIO_ERROR, NATKEEP_SCENARIO_ERROR_PARSE,
                   "%s:%u: unexpected \"%s\" after [%s] (expected a comment "
                   "starting with '#' or ';')", sc->path, line, rest, name);
      return FALSE;
    }
  if ((first = g_hash_table_lookup (sc->index, name)) != NULL)
    {
      g_set_error (error, NATKEEP_SCENARIO_ERROR, NATKEEP_SCENARIO_ERROR_DUPLICATE_KEY,
                   "%s:%u: [%s]: duplicate group (first header at line %u)",
                   sc->path, line, name, first->line);
      return FALSE;
    }
  {
    g_autofree char *where = g_strdup_printf ("%s:%u", sc->path, line);
    *group = scenario_add_group (sc, name, where, line, sc->next_seq++);
  }
  return TRUE;
}

static gboolean
parse_assignment (SimScenario *sc, ScenGroup *group, char *s, guint line,
                  GError **error)
{
  char *eq = strchr (s, '=');
  char *key, *value;
  const char *bad;
  ScenKey *first;

  if (eq == NULL)
    {
      g_set_error (error, NATKEEP_SCENARIO_ERROR, NATKEEP_SCENARIO_ERROR_PARSE,
                   "%s:%u: missing '=' in \"%s\" (expected KEY = VALUE or [GROUP])",
                   sc->path, line, s);
      return FALSE;
    }
  *eq = '\0';
  key = trim (s);
  value = trim (eq + 1);
  if (*key == '\0')
    {
      g_set_error (error, NATKEEP_SCENARIO_ERROR, NATKEEP_SCENARIO_ERROR_PARSE,
                   "%s:%u: empty key before '=' (expected KEY = VALUE)",
                   sc->path, line);
      return FALSE;
    }
  if (group == NULL)
    {
      g_set_error (error, NATKEEP_SCENARIO_ERROR, NATKEEP_SCENARIO_ERROR_PARSE,
                   "%s:%u: key \"%s\" before any group (expected a [GROUP] line first)",
                   sc->path, line, key);
      return FALSE;
    }
  if ((bad = name_bad_char (key)) != NULL)
    {
      g_autofree char *what = describe_char (bad);
      g_set_error (error, NATKEEP_SCENARIO_ERROR, NATKEEP_SCENARIO_ERROR_PARSE,
                   "%s:%u: [%s] %s: bad character %s in key name (%s)",
                   sc->path, line, group->name, key, what, NAME_CHARS_EXPECTED);
      return FALSE;
    }
  if (*value == '\0')
    {
      g_set_error (error, NATKEEP_SCENARIO_ERROR, NATKEEP_SCENARIO_ERROR_INVALID_VALUE,
                   "%s:%u: [%s] %s: empty value (expected a value after '=')",
                   sc->path, line, group->name, key);
      return FALSE;
    }
  if ((first = g_hash_table_lookup (group->index, key)) != NULL)
    {
      g_set_error (error, NATKEEP_SCENARIO_ERROR, NATKEEP_SCENARIO_ERROR_DUPLICATE_KEY,
                   "%s:%u: [%s] %s: duplicate key (first set at line %u)",
                   sc->path, line, group->name, key, first->line);
      return FALSE;
    }
  {
    g_autofree char *where = g_strdup_printf ("%s:%u", sc->path, line);
    group_add_key (group, key, value, where, line, sc->next_seq++);
  }
  return TRUE;
}

/* One line, without its '\n', in a scratch copy we may cut up. */
static gboolean
parse_line (SimScenario *sc, ScenGroup **group, char *s, guint line,
            GError **error)
{
  s = trim (s);                 /* also drops the '\r' of CRLF files */
  if (*s == '\0' || *s == '#' || *s == ';')
    return TRUE;
  strip_comment (s);
  s = g_strchomp (s);
  if (*s == '[')
    return parse_header (sc, group, s, line, error);
  return parse_assignment (sc, *group, s, line, error);
}

static guint
line_of (const char *text, const char *at)
{
  guint line = 1;

  for (const char *p = text; p < at; p++)
    if (*p == '\n')
      line++;
  return line;
}

SimScenario *
sim_scenario_load_data (const char *name, const char *text, gssize len,
                        GError **error)
{
  g_autoptr(SimScenario) sc = NULL;
  ScenGroup *group = NULL;
  const char *p, *end, *bad;
  guint line = 0;

  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (text != NULL || len == 0, NULL);
  if (len < 0)
    len = strlen (text);
  sc = scenario_new (name);
  p = text;
  end = text + len;

  /* Whole-text checks first: g_utf8_validate stops at a NUL too, so look
   * for NUL explicitly to say which of the two it is. */
  if (len > 0 && (bad = memchr (text, '\0', len)) != NULL)
    {
      g_set_error (error, NATKEEP_SCENARIO_ERROR, NATKEEP_SCENARIO_ERROR_PARSE,
                   "%s:%u: NUL byte (expected UTF-8 text)",
                   name, line_of (text, bad));
      return NULL;
    }
  if (!g_utf8_validate_len (text, len, &bad))
    {
      g_set_error (error, NATKEEP_SCENARIO_ERROR, NATKEEP_SCENARIO_ERROR_PARSE,
                   "%s:%u: invalid UTF-8 (expected UTF-8 text)",
                   name, line_of (text, bad));
      return NULL;
    }
  if (len >= 3 && memcmp (p, "\xEF\xBB\xBF", 3) == 0)
    p += 3;                     /* byte-order mark from Windows editors */

  while (p < end)
    {
      const char *nl = memchr (p, '\n', end - p);
      const char *eol = nl != NULL ? nl : end;
      g_autofree char *buf = g_strndup (p, eol - p);

      line++;
      if (!parse_line (sc, &group, buf, line, error))
        return NULL;
      p = nl != NULL ? nl + 1 : end;
    }
  return g_steal_pointer (&sc);
}

SimScenario *
sim_scenario_load (const char *path, GError **error)
{
  GString *text;
  SimScenario *sc;
  char chunk[8192];
  size_t n;
  FILE *f;

  g_return_val_if_fail (path != NULL, NULL);
  if ((f = fopen (path, "rb")) == NULL)
    {
      int errsv = errno;
      g_set_error (error, NATKEEP_SCENARIO_ERROR, NATKEEP_SCENARIO_ERROR_FAILED,
                   "%s: %s", path, g_strerror (errsv));
      return NULL;
    }
  text = g_string_new (NULL);
  while ((n = fread (chunk, 1, sizeof chunk, f)) > 0)
    g_string_append_len (text, chunk, n);
  if (ferror (f))
    {
      int errsv = errno;
      g_set_error (error, NATKEEP_SCENARIO_ERROR, NATKEEP_SCENARIO_ERROR_FAILED,
                   "%s: %s", path, g_strerror (errsv));
      fclose (f);
      g_string_free (text, TRUE);
      return NULL;
    }
  fclose (f);
  sc = sim_scenario_load_data (path, text->str, text->len, error);
  g_string_free (text, TRUE);
  return sc;
}

/* ----------------------------------------------------- setting, queries */

void
sim_scenario_set (SimScenario *sc, const char *group, const char *key,
                  const char *value, const char *where)
{
  g_autofree char *dflt = NULL;
  ScenGroup *g;
  ScenKey *k;

  g_return_if_fail (sc != NULL && group != NULL && key != NULL && value != NULL);
  if (where == NULL)
    where = dflt = g_strdup_printf ("--set %s.%s", group, key);
  if ((g = g_hash_table_lookup (sc->index, group)) == NULL)
    g = scenario_add_group (sc, group, where, 0, sc->next_seq++);
  if ((k = g_hash_table_lookup (g->index, key)) == NULL)
    {
      group_add_key (g, key, value, where, 0, sc->next_seq++);
      return;
    }
  /* Replaced in place: the key keeps its position in file order. */
  g_free (k->value);
  g_free (k->where);
  k->value = g_strdup (value);
  k->where = g_strdup (where);
  k->line = 0;
  k->from_profile = FALSE;
}

gboolean
sim_scenario_set_from_profile (SimScenario *sc, const char *group, const char *key,
                               const char *value, const char *where)
{
  ScenGroup *g;
  ScenKey *k;

  g_return_val_if_fail (sc != NULL && group != NULL && key != NULL, FALSE);
  g_return_val_if_fail (value != NULL && where != NULL, FALSE);
  if ((g = g_hash_table_lookup (sc->index, group)) == NULL)
    g = scenario_add_group (sc, group, where, 0, sc->next_seq++);
  if ((k = g_hash_table_lookup (g->index, key)) == NULL)
    k = group_add_key (g, key, value, where, 0, sc->next_seq++);
  else if (k->from_profile)
    {
      g_free (k->value);
      g_free (k->where);
      k->value = g_strdup (value);
      k->where = g_strdup (where);
    }
  else
    return FALSE;               /* written in the scenario: it wins */
  k->from_profile = TRUE;
  return TRUE;
}

void
sim_scenario_drop_profile_keys (SimScenario *sc, const char *group)
{
  ScenGroup *g;

  g_return_if_fail (sc != NULL && group != NULL);
  if ((g = g_hash_table_lookup (sc->index, group)) == NULL)
    return;
  for (guint i = g->keys->len; i-- > 0;)
    {
      ScenKey *k = g_ptr_array_index (g->keys, i);

      if (!k->from_profile)
        continue;
      g_hash_table_remove (g->index, k->name);
      g_ptr_array_remove_index (g->keys, i);   /* keeps seq order */
    }
}

gboolean
sim_scenario_set_override (SimScenario *sc, const char *assignment,
                           GError **error)
{
  const char *eq = strchr (assignment, '=');
  g_autofree char *lhs = NULL;
  g_autofree char *value = NULL;
  g_autofree char *where = NULL;
  g_autofree char *shown = NULL;
  char *group, *key, *dot;

  /* Command-line bytes: messages must stay UTF-8 like the files. */
  if (eq == NULL || !g_utf8_validate (assignment, -1, NULL))
    goto bad;
  lhs = g_strndup (assignment, eq - assignment);
  value = g_strstrip (g_strdup (eq + 1));
  group = g_strstrip (lhs);
  if ((dot = strrchr (group, '.')) == NULL)
    goto bad;
  *dot = '\0';
  key = dot + 1;
  if (*group == '\0' || *key == '\0' || *value == '\0'
      || name_bad_char (group) != NULL || name_bad_char (key) != NULL)
    goto bad;
  where = g_strdup_printf ("--set %s.%s", group, key);
  sim_scenario_set (sc, group, key, value, where);
  return TRUE;

bad:
  shown = g_utf8_make_valid (assignment, -1);
  g_set_error (error, NATKEEP_SCENARIO_ERROR, NATKEEP_SCENARIO_ERROR_PARSE,
               "--set %s: expected GROUP.KEY=VALUE", shown);
  return FALSE;
}

gboolean
sim_scenario_has_group (const SimScenario *sc, const char *group)
{
  return g_hash_table_contains (sc->index, group);
}

gboolean
sim_scenario_has_key (const SimScenario *sc, const char *group, const char *key)
{
  return scenario_lookup (sc, group, key) != NULL;
}

GPtrArray *
sim_scenario_groups (const SimScenario *sc)
{
  GPtrArray *names = g_ptr_array_new ();

  for (guint i = 0; i < sc->groups->len; i++)
    g_ptr_array_add (names, ((ScenGroup *) g_ptr_array_index (sc->groups, i))->name);
  return names;
}

GPtrArray *
sim_scenario_keys (const SimScenario *sc, const char *group)
{
  ScenGroup *g = g_hash_table_lookup (sc->index, group);
  GPtrArray *names = g_ptr_array_new ();

  for (guint i = 0; g != NULL && i < g->keys->len; i++)
    g_ptr_array_add (names, ((ScenKey *) g_ptr_array_index (g->keys, i))->name);
  return names;
}

char *
sim_scenario_where (const SimScenario *sc, const char *group, const char *key)
{
  ScenGroup *g = g_hash_table_lookup (sc->index, group);
  ScenKey *k = g != NULL && key != NULL ? g_hash_table_lookup (g->index, key) : NULL;

  if (k != NULL)
    return g_strdup (k->where);
  return g_strdup (g != NULL ? g->where : sc->path);
}

static GHashTable *
scenario_mark_group (SimScenario *sc, const char *group)
{
  GHashTable *set = g_hash_table_lookup (sc->known, group);

  if (set == NULL)
    {
      set = string_set_new ();
      g_hash_table_insert (sc->known, g_strdup (group), set);
    }
  return set;
}

/* Marks @key known in @group and returns it, or NULL when absent. */
static const ScenKey *
scenario_mark (SimScenario *sc, const char *group, const char *key)
{
  GHashTable *set = scenario_mark_group (sc, group);

  if (!g_hash_table_contains (set, key))
    g_hash_table_add (set, g_strdup (key));
  return scenario_lookup (sc, group, key);
}

void
sim_scenario_declare (SimScenario *sc, const char *group, const char *key)
{
  g_return_if_fail (sc != NULL && group != NULL && key != NULL);
  scenario_mark (sc, group, key);
}

void
sim_scenario_declare_group (SimScenario *sc, const char *group)
{
  g_return_if_fail (sc != NULL && group != NULL);
  scenario_mark_group (sc, group);
  if (!g_hash_table_contains (sc->declared, group))
    g_hash_table_add (sc->declared, g_strdup (group));
}

const char *
sim_scenario_get_raw (SimScenario *sc, const char *group, const char *key)
{
  const ScenKey *k;

  g_return_val_if_fail (sc != NULL && group != NULL && key != NULL, NULL);
  k = scenario_mark (sc, group, key);
  return k != NULL ? k->value : NULL;
}

void
sim_scenario_error (const SimScenario *sc, GError **error, int code,
                    const char *group, const char *key, const char *fmt, ...)
{
  g_autofree char *where = sim_scenario_where (sc, group, key);
  g_autofree char *msg = NULL;
  va_list ap;

  va_start (ap, fmt);
  msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  if (key != NULL)
    g_set_error (error, NATKEEP_SCENARIO_ERROR, code, "%s: [%s] %s: %s",
                 where, group, key, msg);
  else
    g_set_error (error, NATKEEP_SCENARIO_ERROR, code, "%s: [%s]: %s",
                 where, group, msg);
}

static int compare_names (const void *a, const void *b);

GPtrArray *
sim_scenario_known_keys (const SimScenario *sc)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter it, kit;
  gpointer group, set, key;

  g_return_val_if_fail (sc != NULL, out);
  g_hash_table_iter_init (&it, sc->known);
  while (g_hash_table_iter_next (&it, &group, &set))
    {
      g_hash_table_iter_init (&kit, set);
      while (g_hash_table_iter_next (&kit, &key, NULL))
        g_ptr_array_add (out, g_strdup_printf ("%s %s", (char *) group, (char *) key));
    }
  g_ptr_array_sort (out, compare_names);
  return out;
}

/* ------------------------------------------------------- unknown keys */

static int
compare_names (const void *a, const void *b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* " (did you mean "x"?)" or "" from the names in @set; sorted first, so
 * the hint does not depend on hash-table order. */
static char *
hint_from_set (const char *word, GHashTable *set)
{
  g_autofree gpointer *cands = NULL;
  const char *best;
  guint n = 0;

  if (set == NULL)
    return g_strdup ("");
  cands = g_hash_table_get_keys_as_array (set, &n);
  qsort (cands, n, sizeof *cands, compare_names);
  best = sim_scenario_hint (word, (const char *const *) cands, n);
  return best != NULL ? g_strdup_printf (" (did you mean \"%s\"?)", best)
                      : g_strdup ("");
}

gboolean
sim_scenario_check_unknown (const SimScenario *sc, GError **error)
{
  const ScenGroup *bad_group = NULL, *owner = NULL;
  const ScenKey *bad_key = NULL;
  guint first = G_MAXUINT;

  g_return_val_if_fail (sc != NULL, FALSE);
  for (guint i = 0; i < sc->groups->len; i++)
    {
      const ScenGroup *g = g_ptr_array_index (sc->groups, i);
      GHashTable *set = g_hash_table_lookup (sc->known, g->name);

      if (set == NULL)
        {
          if (g->seq < first)
            {
              first = g->seq;
              bad_group = g;
              bad_key = NULL;
            }
          continue;             /* its keys are unknown anyway */
        }
      if (g_hash_table_contains (sc->declared, g->name))
        continue;
      for (guint j = 0; j < g->keys->len; j++)
        {
          const ScenKey *k = g_ptr_array_index (g->keys, j);

          if (k->seq < first && !g_hash_table_contains (set, k->name))
            {
              first = k->seq;
              bad_group = NULL;
              bad_key = k;
              owner = g;
            }
        }
    }
  if (bad_group != NULL)
    {
      g_autofree char *hint = hint_from_set (bad_group->name, sc->known);
      g_set_error (error, NATKEEP_SCENARIO_ERROR, NATKEEP_SCENARIO_ERROR_UNKNOWN_KEY,
                   "%s: [%s]: unknown group%s", bad_group->where, bad_group->name, hint);
      return FALSE;
    }
  if (bad_key != NULL)
    {
      GHashTable *set = g_hash_table_lookup (sc->known, owner->name);
      g_autofree char *hint = hint_from_set (bad_key->name, set);
      g_set_error (error, NATKEEP_SCENARIO_ERROR, NATKEEP_SCENARIO_ERROR_UNKNOWN_KEY,
                   "%s: [%s] %s: unknown key%s", bad_key->where, owner->name,
                   bad_key->name, hint);
      return FALSE;
    }
  return TRUE;
}
