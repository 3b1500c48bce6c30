/* tests/test_profiles.c — `profile = ID` in scenarios (sim/profile.c and
 * its use in models/world_config.c).
 *
 * Expected values are copied by hand from the files in scenarios/profiles, not
 * computed from them, so a changed profile file shows up here.  Profiles
 * with deliberate defects live in tests/data/bad-model/profiles/ and are
 * found through $NATKEEP_PROFILE_DIR, which is searched first; the shipped
 * ones come from the source tree (NATKEEP_SRCDIR).
 */
#include "config.h"

#include <string.h>
#include <glib.h>

#include "sim/profile.h"
#include "sim/sweep.h"
#include "models/world.h"

static char *test_dir;   /* tests/data/bad-model/profiles */

/* Loads @text as "s.ini" with the --set assignments in @sets. */
static gboolean
load (const char *text, const char *const *sets, WorldConfig *cfg, GError **error)
{
  g_autoptr(SimScenario) sc = sim_scenario_load_data ("s.ini", text, -1, error);

  g_assert_nonnull (sc);
  for (guint i = 0; sets != NULL && sets[i] != NULL; i++)
    g_assert_true (sim_scenario_set_override (sc, sets[i], NULL));
  world_config_init_defaults (cfg);
  return world_config_load (cfg, sc, error);
}

static void
test_nat_values (void)
{
  g_autoptr(GError) error = NULL;
  WorldConfig cfg;

  g_assert_true (load ("[nat]\nprofile = nat.aws-nat-gateway\n", NULL, &cfg, &error));
  g_assert_no_error (error);
  g_assert_cmpint (cfg.nat.established_timeout, ==, SIM_S (350));
  g_assert_cmpint (cfg.nat.invalid, ==, NAT_INVALID_RST);
  g_assert_false (cfg.nat.loose);
  g_assert_cmpint (cfg.nat.on_expiry, ==, NAT_EXPIRY_SILENT);
  g_assert_cmpint (cfg.nat.refresh, ==, NAT_REFRESH_ANY);
  /* not in the profile: the model default (RFC 5382) */
  g_assert_cmpint (cfg.nat.transitory_timeout, ==, SIM_S (240));
  /* a profile of one group leaves the others alone */
  g_assert_false (cfg.client.keepalive);
  world_config_clear (&cfg);
}

static void
test_endpoint_values (void)
{
  g_autoptr(GError) error = NULL;
  WorldConfig cfg;

  g_assert_true (load ("[client]\nprofile = rt.go\n[server]\nprofile = app.redis\n",
                       NULL, &cfg, &error));
  g_assert_no_error (error);
  g_assert_true (cfg.client.keepalive);
  g_assert_cmpint (cfg.client.keepidle, ==, SIM_S (15));
  g_assert_cmpint (cfg.client.keepintvl, ==, SIM_S (15));
  g_assert_cmpint (cfg.client.keepcnt, ==, 9);
  g_assert_true (cfg.server.keepalive);
  g_assert_cmpint (cfg.server.keepidle, ==, SIM_S (300));
  g_assert_cmpint (cfg.server.keepintvl, ==, SIM_S (75));    /* model default */
  world_config_clear (&cfg);
}

static void
test_explicit_wins (void)
{
  g_autoptr(GError) error = NULL;
  WorldConfig cfg;

  /* the key may come before or after the profile line */
  g_assert_true (load ("[nat]\nestablished_timeout = 100s\nprofile = nat.aws-nat-gateway\n"
                       "loose = on\n", NULL, &cfg, &error));
  g_assert_no_error (error);
  g_assert_cmpint (cfg.nat.established_timeout, ==, SIM_S (100));
  g_assert_true (cfg.nat.loose);
  g_assert_cmpint (cfg.nat.invalid, ==, NAT_INVALID_RST);
  world_config_clear (&cfg);
}

static void
test_set_wins (void)
{
  const char *const sets[] = { "nat.established_timeout=200s", NULL };
  const char *const swap[] = { "nat.profile=lb.azure-lb", NULL };
  g_autoptr(GError) error = NULL;
  WorldConfig cfg;

  g_assert_true (load ("[nat]\nprofile = nat.aws-nat-gateway\n", sets, &cfg, &error));
  g_assert_no_error (error);
  g_assert_cmpint (cfg.nat.established_timeout, ==, SIM_S (200));
  g_assert_cmpint (cfg.nat.invalid, ==, NAT_INVALID_RST);
  world_config_clear (&cfg);

  /* --set of the profile itself: the new profile's values, none of the old */
  g_assert_true (load ("[nat]\nprofile = nat.aws-nat-gateway\n", swap, &cfg, &error));
  g_assert_no_error (error);
  g_assert_cmpint (cfg.nat.established_timeout, ==, SIM_MIN (4));
  g_assert_cmpint (cfg.nat.invalid, ==, NAT_INVALID_DROP);
  g_assert_true (cfg.nat.loose);                               /* model default */
  world_config_clear (&cfg);

  /* --set profile into a group the file does not have */
  g_assert_true (load ("[scenario]\nflows = 1\n", swap, &cfg, &error));
  g_assert_no_error (error);
  g_assert_cmpint (cfg.nat.established_timeout, ==, SIM_MIN (4));
  world_config_clear (&cfg);
}

/* A scenario loaded once and then given another profile (a sweep copy of
 * an already merged base) must not keep the first profile's values. */
static void
test_remerge (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SimScenario) sc =
    sim_scenario_load_data ("s.ini", "[nat]\nprofile = nat.aws-nat-gateway\n", -1, NULL);
  g_autoptr(SimScenario) copy = NULL;
  WorldConfig cfg;

  world_config_init_defaults (&cfg);
  g_assert_true (world_config_load (&cfg, sc, &error));
  world_config_clear (&cfg);
  copy = sim_scenario_copy (sc);
  sim_scenario_set (copy, "nat", "profile", "nat.linux-conntrack", NULL);
  world_config_init_defaults (&cfg);
  g_assert_true (world_config_load (&cfg, copy, &error));
  g_assert_no_error (error);
  g_assert_cmpint (cfg.nat.established_timeout, ==, SIM_S (432000));
  g_assert_cmpint (cfg.nat.transitory_timeout, ==, SIM_S (120));
  g_assert_cmpint (cfg.nat.invalid, ==, NAT_INVALID_DROP);
  g_assert_true (cfg.nat.loose);
  world_config_clear (&cfg);
}

static void
test_sweep_profile (void)
{
  static const char text[] =
    "[nat]\nprofile = nat.aws-nat-gateway\n"
    "[sweep]\nnat.profile = lb.azure-lb, nat.aws-nat-gateway\n";
  static const SimTime want[] = { SIM_MIN (4), SIM_S (350) };
  g_autoptr(GError) error = NULL;
  g_autoptr(SimScenario) base = sim_scenario_load_data ("s.ini", text, -1, NULL);
  g_autoptr(SimSweep) sweep = sim_sweep_new (base, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (sim_sweep_points (sweep), ==, 2);
  for (guint64 p = 0; p < 2; p++)
    {
      g_autoptr(SimScenario) sc = sim_sweep_apply (sweep, base, p);
      WorldConfig cfg;

      world_config_init_defaults (&cfg);
      g_assert_true (world_config_load (&cfg, sc, &error));
      g_assert_no_error (error);
      g_assert_cmpint (cfg.nat.established_timeout, ==, want[p]);
      world_config_clear (&cfg);
    }
}

static void
expect_error (const char *text, int code, const char *message)
{
  g_autoptr(GError) error = NULL;
  WorldConfig cfg;

  g_assert_false (load (text, NULL, &cfg, &error));
  g_assert_error (error, NATKEEP_SCENARIO_ERROR, code);
  g_assert_cmpstr (error->message, ==, message);
  world_config_clear (&cfg);
}

static void
test_unknown (void)
{
  expect_error ("[scenario]\nflows = 1\n[nat]\nprofile = nat.aws-natgateway\n",
                NATKEEP_SCENARIO_ERROR_INVALID_VALUE,
                "s.ini:4: [nat] profile: unknown profile \"nat.aws-natgateway\" "
                "(expected a built-in id, see natkeep profiles; did you mean "
                "\"nat.aws-nat-gateway\"?)");
  expect_error ("[client]\nprofile = windows\n", NATKEEP_SCENARIO_ERROR_INVALID_VALUE,
                "s.ini:2: [client] profile: unknown profile \"windows\" (expected a "
                "built-in id, see natkeep profiles)");
  /* an id is a name, never a path */
  expect_error ("[client]\nprofile = ../profiles/os.linux\n",
                NATKEEP_SCENARIO_ERROR_INVALID_VALUE,
                "s.ini:2: [client] profile: unknown profile \"../profiles/os.linux\" "
                "(expected a built-in id, see natkeep profiles)");
}

static void
test_not_applicable (void)
{
  expect_error ("[nat]\nprofile = os.linux\n", NATKEEP_SCENARIO_ERROR_INVALID_VALUE,
                "s.ini:2: [nat] profile: os.linux applies to client, server "
                "(expected a nat profile)");
  expect_error ("[client]\nprofile = app.redis\n", NATKEEP_SCENARIO_ERROR_INVALID_VALUE,
                "s.ini:2: [client] profile: app.redis applies to server "
                "(expected a client profile)");
  expect_error ("[http]\nprofile = nat.pf\n", NATKEEP_SCENARIO_ERROR_INVALID_VALUE,
                "s.ini:2: [http] profile: nat.pf applies to nat (expected an http "
                "profile)");
}

/* Problems inside a profile point at the profile's own line. */
static void
test_bad_inside (void)
{
  g_autofree char *bad = g_strdup_printf (
    "%s/test.bad-value.ini:11: [server] keepcnt: 200 is out of range (expected an "
    "integer from 1 to 127)", test_dir);
  g_autofree char *typo = g_strdup_printf (
    "%s/test.typo.ini:11: [client] keepidel: unknown key (did you mean "
    "\"keepidle\"?)", test_dir);
  g_autofree char *malformed = g_strdup_printf (
    "s.ini:2: [client] profile: profile \"test.malformed\" is malformed: "
    "%s/test.malformed.ini:5: [profile] status: unknown value \"maybe\" (expected "
    "one of: primary, secondary)", test_dir);
  g_autofree char *wrong_id = g_strdup_printf (
    "s.ini:2: [nat] profile: profile \"test.wrong-id\" is malformed: "
    "%s/test.wrong-id.ini:2: [profile] id: id \"test.other\" differs from the file "
    "name (expected \"test.wrong-id\")", test_dir);

  expect_error ("[server]\nprofile = test.bad-value\n",
                NATKEEP_SCENARIO_ERROR_OUT_OF_RANGE, bad);
  expect_error ("[client]\nprofile = test.typo\n", NATKEEP_SCENARIO_ERROR_UNKNOWN_KEY,
                typo);
  expect_error ("[client]\nprofile = test.malformed\n",
                NATKEEP_SCENARIO_ERROR_INVALID_VALUE, malformed);
  expect_error ("[nat]\nprofile = test.wrong-id\n", NATKEEP_SCENARIO_ERROR_INVALID_VALUE,
                wrong_id);
}

/* Every shipped profile loads in each group it names, and only there. */
static void
test_all_shipped (void)
{
  g_autofree char *dir = g_build_filename (NATKEEP_SRCDIR, "scenarios", "profiles", NULL);
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(SimProfile) p = NULL;

      if (!g_str_has_suffix (name, ".ini"))
        continue;
      p = sim_profile_load (path, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (g_strv_length (p->applies_to), >=, 1);
      g_assert_cmpuint (p->values->len, >=, 1);
      for (guint i = 0; p->applies_to[i] != NULL; i++)
        {
          g_autofree char *text = g_strdup_printf ("[%s]\nprofile = %s\n",
                                                   p->applies_to[i], p->id);
          WorldConfig cfg;

          if (!load (text, NULL, &cfg, &error))
            g_error ("%s in [%s]: %s", p->id, p->applies_to[i], error->message);
          world_config_clear (&cfg);
        }
      n++;
    }
  g_assert_cmpuint (n, >=, 54);
}

static void
test_list_and_comments (void)
{
  g_auto(GStrv) ids = sim_profile_list_ids ();
  g_autofree char *path = sim_profile_find ("nat.aws-nat-gateway");
  g_autoptr(SimProfile) p = NULL;
  g_autoptr(GError) error = NULL;
  const SimProfileValue *loose = NULL;

  /* sorted, each once, the test directory's ids included */
  for (guint i = 1; ids[i] != NULL; i++)
    g_assert_cmpint (strcmp (ids[i - 1], ids[i]), <, 0);
  g_assert_true (g_strv_contains ((const char *const *) ids, "os.linux"));
  g_assert_true (g_strv_contains ((const char *const *) ids, "test.typo"));

  g_assert_nonnull (path);
  p = sim_profile_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (p->id, ==, "nat.aws-nat-gateway");
  g_assert_false (p->secondary);
  g_assert_cmpstr (p->applies_to[0], ==, "nat");
  g_assert_null (p->applies_to[1]);
  g_assert_cmpuint (p->values->len, ==, 5);
  for (guint i = 0; i < p->values->len; i++)
    if (strcmp (((SimProfileValue *) g_ptr_array_index (p->values, i))->key, "loose") == 0)
      loose = g_ptr_array_index (p->values, i);
  g_assert_nonnull (loose);
  g_assert_cmpstr (loose->value, ==, "off");
  g_assert_true (g_str_has_suffix (loose->where, "nat.aws-nat-gateway.ini:14"));
  /* the line's comment and its indented continuation */
  g_assert_true (g_str_has_prefix (loose->comment, "a later packet of the expired flow"));
  g_assert_true (g_str_has_suffix (loose->comment, "answered with"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  test_dir = g_test_build_filename (G_TEST_DIST, "data", "bad-model", "profiles", NULL);
  g_setenv ("NATKEEP_PROFILE_DIR", test_dir, TRUE);

  g_test_add_func ("/profiles/apply/nat-values", test_nat_values);
  g_test_add_func ("/profiles/apply/endpoint-values", test_endpoint_values);
  g_test_add_func ("/profiles/apply/explicit-wins", test_explicit_wins);
  g_test_add_func ("/profiles/apply/set-wins", test_set_wins);
  g_test_add_func ("/profiles/apply/remerge", test_remerge);
  g_test_add_func ("/profiles/apply/sweep", test_sweep_profile);
  g_test_add_func ("/profiles/error/unknown", test_unknown);
  g_test_add_func ("/profiles/error/not-applicable", test_not_applicable);
  g_test_add_func ("/profiles/error/inside-profile", test_bad_inside);
  g_test_add_func ("/profiles/shipped/all-load", test_all_shipped);
  g_test_add_func ("/profiles/list-and-comments", test_list_and_comments);
  return g_test_run ();
}
