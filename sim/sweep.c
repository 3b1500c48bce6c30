/* sim/sweep.c — [sweep] expansion: keys, zip, point numbers, apply.
 *
 * sim_sweep_new() turns each [sweep] line into its list of value strings
 * up front (sweep_values.c reads the syntax), so a point's values are a
 * lookup and a bad range is reported before anything runs.  Points are
 * mixed-radix numbers over "dimensions": one per swept key, except that
 * zipped keys share the dimension of the first of them.  Each key stores
 * the stride of its dimension, so
 *   value (point, key) = values[(point / stride) % n_values].
 * --shard is parsed here too, since it only partitions point numbers.
 */
#include <string.h>
#include <glib.h>
#include "sim/sweep.h"
#include "sim/sweep_private.h"

typedef struct {
  char      *name;      /* "group.key" as written in [sweep] */
  char      *group;
  char      *key;
  char      *where;     /* "FILE:LINE" of the [sweep] line */
  GPtrArray *values;    /* char *, owned, len >= 1 */
  guint64    stride;    /* points between changes of this key's value */
  int        zip_rank;  /* position in the zip list, -1 when crossed */
} SweepKey;

struct _SimSweep {
  GPtrArray *keys;      /* SweepKey *, in file order */
  guint64    points;    /* >= 1, <= SIM_SWEEP_MAX_POINTS */
  guint      repeat;    /* >= 1 */
};

static void
sweep_key_free (gpointer data)
{
  SweepKey *k = data;

  g_free (k->name);
  g_free (k->group);
  g_free (k->key);
  g_free (k->where);
  g_ptr_array_unref (k->values);
  g_free (k);
}

void
sim_sweep_free (SimSweep *sweep)
{
  if (sweep == NULL)
    return;
  g_ptr_array_unref (sweep->keys);
  g_free (sweep);
}

void
sim_sweep_error (SimScenario *sc, GError **error, int code, const char *key,
                 const char *fmt, ...)
{
  g_autofree char *msg = NULL;
  va_list ap;

  va_start (ap, fmt);
  msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  sim_scenario_error (sc, error, code, "sweep", key, "%s", msg);
}

/* ----------------------------------------------------------- the sweep */

static SweepKey *
sweep_key_read (SimScenario *sc, const char *name, GError **error)
{
  static const char *const reserved[] = { "repeat", "zip" };
  const char *dot = strrchr (name, '.');
  const char *raw = sim_scenario_get_raw (sc, "sweep", name);
  g_autoptr (GPtrArray) values = g_ptr_array_new_with_free_func (g_free);
  SweepKey *k;

  if (dot == NULL || dot == name || dot[1] == '\0')
    {
      const char *hint = sim_scenario_hint (name, reserved, G_N_ELEMENTS (reserved));
      g_autofree char *also = hint != NULL ? g_strdup_printf ("; did you mean \"%s\"?", hint)
                                           : g_strdup ("");
      sim_sweep_error (sc, error, NATKEEP_SCENARIO_ERROR_UNKNOWN_KEY, name,
                       "unknown key (expected GROUP.KEY, repeat or zip%s)", also);
      return NULL;
    }
  if (dot - name == 5 && strncmp (name, "sweep", 5) == 0)
    {
      sim_sweep_error (sc, error, NATKEEP_SCENARIO_ERROR_UNKNOWN_KEY, name,
                       "[sweep] cannot sweep itself (expected GROUP.KEY of another group)");
      return NULL;
    }
  if (!sim_sweep_parse_values (sc, name, raw, values, error))
    return NULL;

  k = g_new0 (SweepKey, 1);
  k->name = g_strdup (name);
  k->group = g_strndup (name, dot - name);
  k->key = g_strdup (dot + 1);
  k->where = sim_scenario_where (sc, "sweep", name);
  k->values = g_steal_pointer (&values);
  k->zip_rank = -1;
  return k;
}

static SweepKey *
sweep_lookup (SimSweep *sweep, const char *name)
{
  for (guint i = 0; i < sweep->keys->len; i++)
    {
      SweepKey *k = sweep->keys->pdata[i];
      if (strcmp (k->name, name) == 0)
        return k;
    }
  return NULL;
}

/* Marks the zipped keys (zip_rank) and checks their value counts. */
static gboolean
sweep_read_zip (SimSweep *sweep, SimScenario *sc, GError **error)
{
  g_auto (GStrv) names = NULL;
  SweepKey *first = NULL;

  if (!sim_scenario_has_key (sc, "sweep", "zip"))
    return TRUE;
  if (strchr (sim_scenario_get_raw (sc, "sweep", "zip"), ';') != NULL)
    {
      sim_sweep_error (sc, error, NATKEEP_SCENARIO_ERROR_INVALID_VALUE, "zip",
                       "only one zip group is supported (expected KEY, KEY, ...)");
      return FALSE;
    }
  if (!sim_scenario_get_list (sc, "sweep", "zip", &names, error))
    return FALSE;
  if (g_strv_length (names) < 2)
    {
      sim_sweep_error (sc, error, NATKEEP_SCENARIO_ERROR_INVALID_VALUE, "zip",
                       "needs at least two swept keys (expected KEY, KEY, ...)");
      return FALSE;
    }
  for (int i = 0; names[i] != NULL; i++)
    {
      SweepKey *k = sweep_lookup (sweep, names[i]);

      if (k == NULL)
        {
          g_autofree const char **swept = g_new0 (const char *, sweep->keys->len + 1);
          const char *hint;

          for (guint j = 0; j < sweep->keys->len; j++)
            swept[j] = ((SweepKey *) sweep->keys->pdata[j])->name;
          hint = sim_scenario_hint (names[i], swept, sweep->keys->len);
          if (hint != NULL)
            sim_sweep_error (sc, error, NATKEEP_SCENARIO_ERROR_UNKNOWN_KEY, "zip",
                             "\"%s\" is not swept (did you mean \"%s\"?)", names[i], hint);
          else
            sim_sweep_error (sc, error, NATKEEP_SCENARIO_ERROR_UNKNOWN_KEY, "zip",
                             "\"%s\" is not swept (expected keys of [sweep])", names[i]);
          return FALSE;
        }
      if (k->zip_rank >= 0)
        {
          sim_sweep_error (sc, error, NATKEEP_SCENARIO_ERROR_DUPLICATE_KEY, "zip",
                           "\"%s\" is named twice", names[i]);
          return FALSE;
        }
      k->zip_rank = i;
      if (first == NULL)
        first = k;
      else if (k->values->len != first->values->len)
        {
          sim_sweep_error (sc, error, NATKEEP_SCENARIO_ERROR_INVALID_VALUE, "zip",
                           "%s has %u values but %s has %u (expected the same number)",
                           first->name, first->values->len, k->name, k->values->len);
          return FALSE;
        }
    }
  return TRUE;
}

/* Strides like nested loops, last dimension fastest; zipped keys share the
 * dimension of the first zipped key in file order. */
static gboolean
sweep_number_points (SimSweep *sweep, SimScenario *sc, GError **error)
{
  SweepKey *zip_head = NULL;
  guint64 stride = 1;

  for (guint i = 0; i < sweep->keys->len; i++)
    {
      SweepKey *k = sweep->keys->pdata[i];
      if (k->zip_rank >= 0 && zip_head == NULL)
        zip_head = k;
    }
  /* Checked in file order, so the message names the key that tips it. */
  sweep->points = 1;
  for (guint i = 0; i < sweep->keys->len; i++)
    {
      SweepKey *k = sweep->keys->pdata[i];
      if (k->zip_rank >= 0 && k != zip_head)
        continue;
      sweep->points *= k->values->len;    /* <= 10^9 * 10^6 before the check */
      if (sweep->points > SIM_SWEEP_MAX_POINTS)
        {
          sim_sweep_error (sc, error, NATKEEP_SCENARIO_ERROR_OUT_OF_RANGE, k->name,
                           "the sweep has more than %" G_GUINT64_FORMAT " points",
                           SIM_SWEEP_MAX_POINTS);
          return FALSE;
        }
    }
  for (guint i = sweep->keys->len; i-- > 0;)
    {
      SweepKey *k = sweep->keys->pdata[i];
      if (k->zip_rank >= 0 && k != zip_head)
        continue;
      k->stride = stride;
      stride *= k->values->len;       /* ends at points: no overflow */
    }
  for (guint i = 0; i < sweep->keys->len; i++)
    {
      SweepKey *k = sweep->keys->pdata[i];
      if (k->zip_rank >= 0)
        k->stride = zip_head->stride;
    }
  return TRUE;
}

SimSweep *
sim_sweep_new (SimScenario *sc, GError **error)
{
  g_autoptr (SimSweep) sweep = NULL;
  g_autoptr (GPtrArray) names = NULL;
  gint64 repeat = 1;

  g_return_val_if_fail (sc != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  sweep = g_new0 (SimSweep, 1);
  sweep->keys = g_ptr_array_new_with_free_func (sweep_key_free);
  sweep->points = 1;
  sim_scenario_declare_group (sc, "sweep");
  names = sim_scenario_keys (sc, "sweep");
  for (guint i = 0; i < names->len; i++)
    {
      const char *name = names->pdata[i];
      SweepKey *k;

      if (strcmp (name, "zip") == 0)
        continue;                   /* needs every key, read below */
      if (strcmp (name, "repeat") == 0)
        {
          if (!sim_scenario_get_int (sc, "sweep", "repeat", 1, SIM_SWEEP_MAX_REPEAT,
                                     &repeat, error))
            return NULL;
          continue;
        }
      if ((k = sweep_key_read (sc, name, error)) == NULL)
        return NULL;
      g_ptr_array_add (sweep->keys, k);
    }
  sweep->repeat = (guint) repeat;
  if (!sweep_read_zip (sweep, sc, error) || !sweep_number_points (sweep, sc, error))
    return NULL;
  return g_steal_pointer (&sweep);
}

guint64
sim_sweep_points (const SimSweep *sweep)
{
  return sweep->points;
}

guint
sim_sweep_repeat (const SimSweep *sweep)
{
  return sweep->repeat;
}

guint
sim_sweep_n_keys (const SimSweep *sweep)
{
  return sweep->keys->len;
}

static const SweepKey *
sweep_key (const SimSweep *sweep, guint i)
{
  g_return_val_if_fail (i < sweep->keys->len, NULL);
  return sweep->keys->pdata[i];
}

const char *
sim_sweep_key (const SimSweep *sweep, guint i)
{
  const SweepKey *k = sweep_key (sweep, i);
  return k != NULL ? k->name : NULL;
}

const char *
sim_sweep_key_group (const SimSweep *sweep, guint i)
{
  const SweepKey *k = sweep_key (sweep, i);
  return k != NULL ? k->group : NULL;
}

const char *
sim_sweep_key_name (const SimSweep *sweep, guint i)
{
  const SweepKey *k = sweep_key (sweep, i);
  return k != NULL ? k->key : NULL;
}

guint
sim_sweep_n_values (const SimSweep *sweep, guint i)
{
  const SweepKey *k = sweep_key (sweep, i);
  return k != NULL ? k->values->len : 0;
}

const char *
sim_sweep_value (const SimSweep *sweep, guint64 point, guint key_index)
{
  const SweepKey *k = sweep_key (sweep, key_index);

  g_return_val_if_fail (k != NULL && point < sweep->points, NULL);
  return k->values->pdata[(point / k->stride) % k->values->len];
}

SimScenario *
sim_sweep_apply (const SimSweep *sweep, const SimScenario *base, guint64 point)
{
  SimScenario *sc;

  g_return_val_if_fail (sweep != NULL && base != NULL, NULL);
  g_return_val_if_fail (point < sweep->points, NULL);

  sc = sim_scenario_copy (base);
  /* The copy may come from a base that never went through sim_sweep_new. */
  sim_scenario_declare_group (sc, "sweep");
  for (guint i = 0; i < sweep->keys->len; i++)
    {
      const SweepKey *k = sweep->keys->pdata[i];
      sim_scenario_set (sc, k->group, k->key, sim_sweep_value (sweep, point, i),
                        k->where);
    }
  return sc;
}

char *
sim_sweep_describe (const SimSweep *sweep, guint max_points)
{
  GString *s = g_string_new (NULL);
  guint64 shown = sweep->keys->len > 0 ? MIN (sweep->points, max_points) : 0;

  g_string_append_printf (s, "%" G_GUINT64_FORMAT " point%s x %u repetition%s\n",
                          sweep->points, sweep->points == 1 ? "" : "s",
                          sweep->repeat, sweep->repeat == 1 ? "" : "s");
  for (guint64 p = 0; p < shown; p++)
    {
      g_string_append_printf (s, "point %" G_GUINT64_FORMAT ":", p);
      for (guint i = 0; i < sweep->keys->len; i++)
        g_string_append_printf (s, " %s=%s", sim_sweep_key (sweep, i),
                                sim_sweep_value (sweep, p, i));
      g_string_append_c (s, '\n');
    }
  if (sweep->keys->len > 0 && shown < sweep->points)
    g_string_append_printf (s, "... (%" G_GUINT64_FORMAT " more point%s)\n",
                            sweep->points - shown,
                            sweep->points - shown == 1 ? "" : "s");
  return g_string_free (s, FALSE);
}

/* ------------------------------------------------------------- --shard */

static gboolean
parse_decimal (const char *text, gsize len, guint64 *out)
{
  g_autofree char *digits = g_strndup (text, len);

  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isdigit (digits[i]))
      return FALSE;
  return len > 0 && g_ascii_string_to_unsigned (digits, 10, 0, G_MAXUINT64, out, NULL);
}

gboolean
sim_sweep_parse_shard (const char *text, guint64 *i, guint64 *n, GError **error)
{
  const char *slash;
  guint64 si, sn;
  g_autofree char *shown = NULL;

  g_return_val_if_fail (text != NULL && i != NULL && n != NULL, FALSE);
  slash = strchr (text, '/');
  if (slash != NULL && parse_decimal (text, slash - text, &si)
      && parse_decimal (slash + 1, strlen (slash + 1), &sn))
    {
      if (sn >= 1 && si < sn)
        {
          *i = si;
          *n = sn;
          return TRUE;
        }
      g_set_error (error, NATKEEP_SCENARIO_ERROR, NATKEEP_SCENARIO_ERROR_OUT_OF_RANGE,
                   "--shard %s: %s (expected I/N with 0 <= I < N)", text,
                   sn == 0 ? "N must be at least 1" : "I must be below N");
      return FALSE;
    }
  shown = g_utf8_make_valid (text, -1);
  g_set_error (error, NATKEEP_SCENARIO_ERROR, NATKEEP_SCENARIO_ERROR_INVALID_VALUE,
               "--shard %s: not two whole numbers (expected I/N with 0 <= I < N)",
               shown);
  return FALSE;
}
