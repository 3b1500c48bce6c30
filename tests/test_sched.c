/* tests/test_sched.c — one suite, run over every event queue.
 *
 * Each case is registered once per queue (heap, wheel, ns3, and ns3
 * renumbering its events every 3 schedules as after a uid wrap), as ns-3 runs
 * its simulator suite over every scheduler: ordering, FIFO ties, cancel,
 * re-arm from inside a callback, stop twice, run_until boundaries, one-shot
 * ownership, 10^5 random operations checked against a naive reference
 * (linear scan for the least (when, seq)), and dense ticks (thousands of
 * timers within milliseconds, many tied) against the same kind of
 * reference.  Streams and lanes, which hold events outside the queue,
 * must fire exactly what one-shots and plain alarms would.  Only
 * simulated time is used.
 */
#include "config.h"

#include <glib.h>

#include "sim/sim.h"
#include "sim/sim_private.h"

typedef struct {
  Sim     *sim;
  GArray  *log;        /* fired ids */
  GArray  *at;         /* their fire times */
  gboolean renumber;   /* ns3, renumbered every RENUMBER_EVERY schedules */
} Fixture;

/* The case data: a SimSchedKind, or SCHED_NS3_RENUMBERED for the ns3
 * queue renumbering its events every RENUMBER_EVERY schedules, as it does
 * when ns-3's 32-bit uid wraps (sim/ns3/ns3_queue.cc): the same cases
 * must give the same answers. */
#define SCHED_NS3_RENUMBERED SIM_SCHED_N
#define RENUMBER_EVERY 3

static Sim *
new_sim (gconstpointer data)
{
  int k = GPOINTER_TO_INT (data);
  SimSchedKind kind = k == SCHED_NS3_RENUMBERED ? SIM_SCHED_NS3 : (SimSchedKind) k;
  if (!sim_sched_kind_available (kind))
    return NULL;
  g_autoptr(GError) error = NULL;
  Sim *sim = sim_new (kind, &error);
  g_assert_no_error (error);
#ifdef SIM_HAVE_NS3
  if (k == SCHED_NS3_RENUMBERED)
    sim_ns3_renumber_every (sim, RENUMBER_EVERY);
#endif
  return sim;
}

#define SETUP(f, data)                                   \
  Fixture f_ = { new_sim (data), g_array_new (FALSE, FALSE, sizeof (int)), \
                 g_array_new (FALSE, FALSE, sizeof (SimTime)),              \
                 GPOINTER_TO_INT (data) == SCHED_NS3_RENUMBERED };          \
  Fixture *f = &f_;                                      \
  if (f->sim == NULL)                                    \
    {                                                    \
      g_test_skip ("scheduler not built");               \
      g_array_unref (f->log); g_array_unref (f->at);     \
      return;                                            \
    }

static void
teardown (Fixture *f)
{
#ifdef SIM_HAVE_NS3
  /* Every fired event was scheduled, so from RENUMBER_EVERY on the
   * renumbering ran (and the case checked its answers after it). */
  if (f->renumber && f->sim != NULL && sim_events (f->sim) >= RENUMBER_EVERY)
    g_assert_cmpuint (sim_ns3_renumbered (f->sim), >, 0);
#endif
  sim_free (f->sim);
  g_array_unref (f->log);
  g_array_unref (f->at);
}

typedef struct {
  SimTimer  timer;
  Fixture  *f;
  int       id;
  int       rearm_left;    /* re-arms itself this many times */
  SimTime   rearm_after;
  SimTimer *stop_other;    /* stops this one when it fires */
} Tm;

static void
on_tm (SimTimer *timer, void *data)
{
  Tm *t = data;
  g_assert_false (sim_timer_is_armed (timer));   /* idle before callback */
  SimTime now = sim_now (t->f->sim);
  g_array_append_val (t->f->log, t->id);
  g_array_append_val (t->f->at, now);
  if (t->stop_other)
    sim_timer_stop (t->stop_other);
  if (t->rearm_left > 0)
    {
      t->rearm_left--;
      sim_timer_start (timer, now + t->rearm_after);
    }
}

static void
tm_init (Tm *t, Fixture *f, int id)
{
  memset (t, 0, sizeof *t);
  t->f = f;
  t->id = id;
  sim_timer_init (&t->timer, f->sim, on_tm, t);
}

static void
assert_log (Fixture *f, const int *ids, gsize n)
{
  g_assert_cmpuint (f->log->len, ==, n);
  for (gsize i = 0; i < n; i++)
    g_assert_cmpint (g_array_index (f->log, int, i), ==, ids[i]);
}

static void
test_order (gconstpointer data)
{
  SETUP (f, data);
  Tm t[5];
  /* Times span ticks, slots and wheel levels: ns, µs, ms, s, hours. */
  const SimTime when[5] = { SIM_H (3), SIM_NS (1), SIM_S (2), SIM_US (5), SIM_MS (7) };
  for (int i = 0; i < 5; i++)
    {
      tm_init (&t[i], f, i);
      sim_timer_start (&t[i].timer, when[i]);
    }
  g_assert_cmpuint (sim_pending (f->sim), ==, 5);
  sim_run (f->sim);
  const int expect[] = { 1, 3, 4, 2, 0 };
  assert_log (f, expect, 5);
  g_assert_cmpint (g_array_index (f->at, SimTime, 4), ==, SIM_H (3));
  g_assert_cmpint (sim_now (f->sim), ==, SIM_H (3));
  g_assert_cmpuint (sim_events (f->sim), ==, 5);
  g_assert_cmpuint (sim_pending (f->sim), ==, 0);
  teardown (f);
}

static void
test_ties_fifo (gconstpointer data)
{
  SETUP (f, data);
  Tm t[100];
  /* Same instant, armed in a scrambled order: fire in arming order. */
  for (int i = 0; i < 100; i++)
    tm_init (&t[i], f, i);
  int order[100];
  for (int i = 0; i < 100; i++)
    order[i] = (i * 37) % 100;
  for (int i = 0; i < 100; i++)
    sim_timer_start (&t[order[i]].timer, SIM_S (10));
  sim_run (f->sim);
  assert_log (f, order, 100);
  teardown (f);
}

/* Alarms: an owner with the alarm first, two classes. */
typedef struct {
  SimAlarm  alarm;
  Fixture  *f;
  int       id;
  int       rearm_left;
  SimAlarm *stop_other;
} Al;

static void
on_al (Sim *sim, SimAlarm *alarm)
{
  Al *a = (Al *) alarm;                  /* alarm is the first member */
  g_assert_false (sim_alarm_is_armed (alarm));   /* idle before callback */
  g_assert_true (sim == a->f->sim);
  SimTime now = sim_now (sim);
  g_array_append_val (a->f->log, a->id);
  g_array_append_val (a->f->at, now);
  if (a->stop_other != NULL)
    {
      sim_alarm_stop (sim, a->stop_other);
      sim_alarm_stop (sim, a->stop_other);         /* idempotent */
    }
  if (a->rearm_left > 0)
    {
      a->rearm_left--;
      sim_alarm_start (sim, alarm, now + SIM_S (1));
    }
}

/* A second class: logs the id + 100. */
static void
on_al_other (Sim *sim, SimAlarm *alarm)
{
  Al *a = (Al *) alarm;
  int id = a->id + 100;
  SimTime now = sim_now (sim);
  g_array_append_val (a->f->log, id);
  g_array_append_val (a->f->at, now);
}

static void
test_alarms (gconstpointer data)
{
  SETUP (f, data);
  g_assert_cmpuint (sizeof (SimAlarm), ==, 24);
  guint k1 = sim_alarm_class (f->sim, on_al);
  guint k2 = sim_alarm_class (f->sim, on_al_other);
  g_assert_cmpuint (k1, !=, k2);
  g_assert_cmpuint (sim_alarm_class (f->sim, on_al), ==, k1);   /* same func, same class */

  Al a[4];
  Tm t;
  for (int i = 0; i < 4; i++)
    {
      a[i] = (Al) { .f = f, .id = i };
      sim_alarm_init (&a[i].alarm, i == 3 ? k2 : k1);
      g_assert_false (sim_alarm_is_armed (&a[i].alarm));
      g_assert_cmpint (sim_alarm_when (&a[i].alarm), ==, SIM_TIME_NEVER);
    }
  tm_init (&t, f, 50);
  /* Arming order (seq): a0@2s, t@2s, a1@1s, a2@2s, a3@2s; then a2 is
   * re-armed for 2 s (a later seq) and a1 re-arms itself once for 2 s
   * from its callback at 1 s (the latest seq of all).  a0 stops a3.
   * Expected: 1s a1; 2s a0 (stops a3), t, a2, a1. */
  a[0].stop_other = &a[3].alarm;
  a[1].rearm_left = 1;
  sim_alarm_start (f->sim, &a[0].alarm, SIM_S (2));
  sim_timer_start (&t.timer, SIM_S (2));
  sim_alarm_start (f->sim, &a[1].alarm, SIM_S (1));
  sim_alarm_start (f->sim, &a[2].alarm, SIM_S (2));
  sim_alarm_start (f->sim, &a[3].alarm, SIM_S (2));
  sim_alarm_start (f->sim, &a[2].alarm, SIM_S (2));
  g_assert_cmpint (sim_alarm_when (&a[1].alarm), ==, SIM_S (1));
  g_assert_cmpuint (sim_pending (f->sim), ==, 5);
  sim_run (f->sim);
  const int expect[] = { 1, 0, 50, 2, 1 };
  assert_log (f, expect, G_N_ELEMENTS (expect));
  g_assert_cmpint (g_array_index (f->at, SimTime, 0), ==, SIM_S (1));
  g_assert_cmpint (g_array_index (f->at, SimTime, 4), ==, SIM_S (2));
  g_assert_false (sim_alarm_is_armed (&a[3].alarm));
  g_assert_cmpuint (sim_pending (f->sim), ==, 0);

  /* The second class fires its own callback; stop before firing wins. */
  sim_alarm_start (f->sim, &a[3].alarm, SIM_S (5));
  sim_alarm_start (f->sim, &a[2].alarm, SIM_S (4));
  sim_alarm_stop (f->sim, &a[2].alarm);
  sim_run (f->sim);
  g_assert_cmpuint (f->log->len, ==, 6);
  g_assert_cmpint (g_array_index (f->log, int, 5), ==, 103);
  g_assert_cmpint (g_array_index (f->at, SimTime, 5), ==, SIM_S (5));
  teardown (f);
}

/* sim_schedule_hinted: a hint changes nothing and comes before its event,
 * stage 1 before stage 2.  The wheel gives every event at least 8 places
 * into a sorted tick both stages; other queues may give none. */
typedef struct {
  Fixture *f;
  int      id;
  int      stage_seen[3];   /* order number of each stage's call, 0 = never */
  int      fired_at;        /* order number of the firing */
} Hinted;

static int hint_clock;

static void
on_hinted (Sim *sim, void *data)
{
  Hinted *h = data;
  h->fired_at = ++hint_clock;
  g_array_append_val (h->f->log, h->id);
}

static void
on_hint (void *data, int stage)
{
  Hinted *h = data;
  g_assert_true (stage == 1 || stage == 2);
  g_assert_cmpint (h->fired_at, ==, 0);           /* before its event */
  h->stage_seen[stage] = ++hint_clock;
}

static void
test_hints (gconstpointer data)
{
  SETUP (f, data);
  enum { N = 40 };
  Hinted h[N];
  int expect[N];
  hint_clock = 0;
  /* One 1.05 ms wheel tick, armed in scrambled order: fires by time. */
  for (int i = 0; i < N; i++)
    {
      int id = (i * 17) % N;
      h[id] = (Hinted) { .f = f, .id = id };
      sim_schedule_hinted (f->sim, SIM_MS (5) + SIM_US (id), on_hinted, &h[id], NULL, on_hint);
    }
  for (int i = 0; i < N; i++)
    expect[i] = i;
  sim_run (f->sim);
  assert_log (f, expect, N);
  gboolean wheel = GPOINTER_TO_INT (data) == SIM_SCHED_WHEEL;
  for (int i = 0; i < N; i++)
    {
      if (h[i].stage_seen[2] != 0)
        g_assert_cmpint (h[i].stage_seen[1], <, h[i].stage_seen[2]);
      if (wheel && i >= 8)
        g_assert_cmpint (h[i].stage_seen[2], >, 0);
    }
  teardown (f);
}

static void
test_restart_moves (gconstpointer data)
{
  SETUP (f, data);
  Tm a, b;
  tm_init (&a, f, 1);
  tm_init (&b, f, 2);
  sim_timer_start (&a.timer, SIM_S (1));
  sim_timer_start (&b.timer, SIM_S (1));
  /* Re-arming a to the same time gives it a later seq: b now fires first. */
  sim_timer_start (&a.timer, SIM_S (1));
  g_assert_cmpuint (sim_pending (f->sim), ==, 2);
  sim_run (f->sim);
  const int expect[] = { 2, 1 };
  assert_log (f, expect, 2);
  teardown (f);
}

static void
test_cancel_and_stop_twice (gconstpointer data)
{
  SETUP (f, data);
  Tm a, b, c;
  tm_init (&a, f, 1);
  tm_init (&b, f, 2);
  tm_init (&c, f, 3);
  sim_timer_stop (&a.timer);                  /* idle: no-op */
  sim_timer_start (&a.timer, SIM_MS (1));
  sim_timer_start (&b.timer, SIM_MS (2));
  sim_timer_start (&c.timer, SIM_H (30));     /* far level of the wheel */
  sim_timer_stop (&b.timer);
  sim_timer_stop (&b.timer);                  /* twice: still a no-op */
  sim_timer_stop (&c.timer);
  g_assert_false (sim_timer_is_armed (&b.timer));
  g_assert_cmpint (sim_timer_when (&b.timer), ==, SIM_TIME_NEVER);
  g_assert_cmpint (sim_timer_when (&a.timer), ==, SIM_MS (1));
  sim_run (f->sim);
  const int expect[] = { 1 };
  assert_log (f, expect, 1);
  teardown (f);
}

static void
test_rearm_inside_callback (gconstpointer data)
{
  SETUP (f, data);
  Tm a, b;
  tm_init (&a, f, 1);
  tm_init (&b, f, 2);
  a.rearm_left = 3;
  a.rearm_after = SIM_S (10);
  sim_timer_start (&a.timer, SIM_S (5));      /* fires 5, 15, 25, 35 */
  sim_timer_start (&b.timer, SIM_S (20));
  sim_run (f->sim);
  const int expect[] = { 1, 1, 2, 1, 1 };
  assert_log (f, expect, 5);
  const SimTime at[] = { SIM_S (5), SIM_S (15), SIM_S (20), SIM_S (25), SIM_S (35) };
  for (int i = 0; i < 5; i++)
    g_assert_cmpint (g_array_index (f->at, SimTime, i), ==, at[i]);
  teardown (f);
}

static void
test_callback_stops_other (gconstpointer data)
{
  SETUP (f, data);
  Tm a, b, c;
  tm_init (&a, f, 1);
  tm_init (&b, f, 2);
  tm_init (&c, f, 3);
  /* a and b due at the same instant: a fires first and stops b. */
  a.stop_other = &b.timer;
  sim_timer_start (&a.timer, SIM_S (1));
  sim_timer_start (&b.timer, SIM_S (1));
  sim_timer_start (&c.timer, SIM_S (2));
  sim_run (f->sim);
  const int expect[] = { 1, 3 };
  assert_log (f, expect, 2);
  teardown (f);
}

static void
test_rearm_zero_delay (gconstpointer data)
{
  SETUP (f, data);
  Tm a, b;
  tm_init (&a, f, 1);
  tm_init (&b, f, 2);
  /* a re-arms at "now" while b is already due now: b (older seq) first. */
  a.rearm_left = 1;
  a.rearm_after = 0;
  sim_timer_start (&a.timer, SIM_S (1));
  sim_timer_start (&b.timer, SIM_S (1));
  sim_run (f->sim);
  const int expect[] = { 1, 2, 1 };
  assert_log (f, expect, 3);
  teardown (f);
}

static void
test_run_until_boundary (gconstpointer data)
{
  SETUP (f, data);
  Tm a, b, c;
  tm_init (&a, f, 1);
  tm_init (&b, f, 2);
  tm_init (&c, f, 3);
  a.rearm_left = 1;
  a.rearm_after = SIM_NS (1);
  sim_timer_start (&a.timer, SIM_S (100) - 1);   /* re-arms to exactly 100 s */
  sim_timer_start (&b.timer, SIM_S (100));       /* exactly at the horizon */
  sim_timer_start (&c.timer, SIM_S (100) + 1);   /* 1 ns past it */
  sim_run_until (f->sim, SIM_S (100));
  const int expect[] = { 1, 2, 1 };
  assert_log (f, expect, 3);
  g_assert_cmpint (sim_now (f->sim), ==, SIM_S (100));
  g_assert_true (sim_timer_is_armed (&c.timer));
  /* An empty stretch still moves the clock. */
  sim_run_until (f->sim, SIM_S (100));
  g_assert_cmpuint (f->log->len, ==, 3);
  sim_run_until (f->sim, SIM_S (100) + 1);
  g_assert_cmpuint (f->log->len, ==, 4);
  sim_run_until (f->sim, SIM_D (2));
  g_assert_cmpint (sim_now (f->sim), ==, SIM_D (2));
  /* Arming after the clock moved far ahead still orders correctly. */
  sim_timer_start (&a.timer, SIM_D (2) + SIM_MS (3));
  sim_timer_start (&b.timer, SIM_D (2) + SIM_NS (5));
  sim_run (f->sim);
  const int expect2[] = { 1, 2, 1, 3, 2, 1 };
  assert_log (f, expect2, 6);
  teardown (f);
}

typedef struct {
  Fixture *f;
  int      id;
  gboolean *destroyed;
} Shot;

static void
on_shot (Sim *sim, void *data)
{
  Shot *s = data;
  g_array_append_val (s->f->log, s->id);
}

static void
shot_free (void *data)
{
  Shot *s = data;
  *s->destroyed = TRUE;
  g_free (s);
}

static void
test_oneshot_ownership (gconstpointer data)
{
  SETUP (f, data);
  gboolean d1 = FALSE, d2 = FALSE;
  Shot *s1 = g_new0 (Shot, 1), *s2 = g_new0 (Shot, 1);
  *s1 = (Shot) { f, 1, &d1 };
  *s2 = (Shot) { f, 2, &d2 };
  sim_schedule (f->sim, SIM_S (1), on_shot, s1, shot_free);
  sim_schedule (f->sim, SIM_S (9), on_shot, s2, shot_free);
  sim_run_until (f->sim, SIM_S (5));
  g_assert_true (d1);            /* fired, then freed */
  g_assert_false (d2);
  const int expect[] = { 1 };
  assert_log (f, expect, 1);
  teardown (f);                  /* frees s2 through its destroy notify */
  g_assert_true (d2);
}

static void
on_stop (SimTimer *timer, void *data)
{
  Tm *t = data;
  on_tm (timer, data);
  sim_stop (t->f->sim);
}

static void
test_stop (gconstpointer data)
{
  SETUP (f, data);
  Tm a, b;
  tm_init (&a, f, 1);
  tm_init (&b, f, 2);
  sim_timer_init (&a.timer, f->sim, on_stop, &a);
  sim_timer_start (&a.timer, SIM_S (1));
  sim_timer_start (&b.timer, SIM_S (1));
  sim_run_until (f->sim, SIM_S (10));
  g_assert_cmpuint (f->log->len, ==, 1);
  g_assert_cmpint (sim_now (f->sim), ==, SIM_S (1));
  sim_run_until (f->sim, SIM_S (10));
  g_assert_cmpuint (f->log->len, ==, 2);
  teardown (f);
}

/* Random operations against a reference.  Both sides see the same calls in
 * the same order, so sequence numbers agree; the reference finds the next
 * event by linear scan.  Timers with id % 4 == 0 re-arm themselves once
 * from their callback, so callback-driven arming is covered too. */
#define RN 512

typedef struct {
  gboolean armed;
  SimTime  when;
  guint64  seq;
  int      rearm_left;
} Ref;

static guint64
lcg (guint64 *s)
{
  *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
  return *s >> 33;
}

static void
ref_run_until (Ref *ref, guint64 *seq, SimTime until, GArray *log, GArray *at)
{
  for (;;)
    {
      int best = -1;
      for (int i = 0; i < RN; i++)
        if (ref[i].armed && ref[i].when <= until
            && (best < 0 || ref[i].when < ref[best].when
                || (ref[i].when == ref[best].when && ref[i].seq < ref[best].seq)))
          best = i;
      if (best < 0)
        return;
      ref[best].armed = FALSE;
      g_array_append_val (log, best);
      g_array_append_val (at, ref[best].when);
      if (ref[best].rearm_left > 0)
        {
          ref[best].rearm_left--;
          ref[best].armed = TRUE;
          ref[best].when += SIM_MS (250) * (best % 5);
          ref[best].seq = (*seq)++;
        }
    }
}

static void
test_random_vs_reference (gconstpointer data)
{
  SETUP (f, data);
  Tm *t = g_new0 (Tm, RN);
  Ref *ref = g_new0 (Ref, RN);
  g_autoptr(GArray) rlog = g_array_new (FALSE, FALSE, sizeof (int));
  g_autoptr(GArray) rat = g_array_new (FALSE, FALSE, sizeof (SimTime));
  guint64 rseq = 0, rng = 42;
  SimTime now = 0;
  for (int i = 0; i < RN; i++)
    tm_init (&t[i], f, i);
  for (int op = 0; op < 100000; op++)
    {
      int i = (int) (lcg (&rng) % RN);
      guint64 r = lcg (&rng) % 100;
      if (r < 55)
        {
          /* Delays from ns to days, many of them equal so ties happen. */
          static const SimTime scale[] = { 1, 1000, SIM_MS (1), SIM_S (1), SIM_H (1), SIM_D (3) };
          SimTime d = (SimTime) (lcg (&rng) % 8) * scale[lcg (&rng) % 6];
          int rearm = (i % 4 == 0) ? 1 : 0;
          t[i].rearm_left = rearm;
          t[i].rearm_after = SIM_MS (250) * (i % 5);
          sim_timer_start (&t[i].timer, now + d);
          ref[i] = (Ref) { TRUE, now + d, rseq++, rearm };
        }
      else if (r < 80)
        {
          sim_timer_stop (&t[i].timer);
          ref[i].armed = FALSE;
        }
      else
        {
          static const SimTime step[] = { 0, 1, SIM_US (3), SIM_MS (20), SIM_S (2), SIM_H (2) };
          now += step[lcg (&rng) % 6];
          sim_run_until (f->sim, now);
          ref_run_until (ref, &rseq, now, rlog, rat);
          g_assert_cmpint (sim_now (f->sim), ==, now);
        }
      g_assert_cmpint (sim_timer_is_armed (&t[i].timer), ==, ref[i].armed);
    }
  sim_run (f->sim);
  ref_run_until (ref, &rseq, SIM_TIME_NEVER - 1, rlog, rat);
  g_assert_cmpuint (f->log->len, ==, rlog->len);
  g_assert_cmpuint (f->log->len, >, 10000);
  g_assert_cmpmem (f->log->data, f->log->len * sizeof (int), rlog->data, rlog->len * sizeof (int));
  g_assert_cmpmem (f->at->data, f->at->len * sizeof (SimTime), rat->data, rat->len * sizeof (SimTime));
  g_free (t);
  g_free (ref);
  teardown (f);
}

/* Dense ticks against a reference: thousands of timers due within a few
 * milliseconds, whens drawn from 1024 values so that many are equal, armed
 * in random order; a fifth stopped again before they fire (holes in a
 * sorted run), some re-armed from their callback for the same or the next
 * microseconds (events that join a tick already being fired) and some
 * stopping another timer from their callback.  The wheel sorts a tick's
 * events with a radix sort above ~128 per tick, which only this case
 * reaches; every queue must fire the same ids at the same times. */
#define DN 4000

typedef struct {
  SimTimer  timer;
  Fixture  *f;
  int       id;
  int       rearm_left;
  struct Dense *all;
} DenseTm;

typedef struct Dense {
  DenseTm  t[DN];
  Ref      ref[DN];
  guint64  rseq;
} Dense;

/* Callback rules, shared by the timers and the reference: id % 7 == 0
 * re-arms once for now + (id % 3) us; id % 11 == 0 stops timer id + 1. */
static void
on_dense (SimTimer *timer, void *data)
{
  DenseTm *t = data;
  SimTime now = sim_now (t->f->sim);
  g_array_append_val (t->f->log, t->id);
  g_array_append_val (t->f->at, now);
  if (t->id % 11 == 0)
    sim_timer_stop (&t->all->t[(t->id + 1) % DN].timer);
  if (t->rearm_left > 0)
    {
      t->rearm_left--;
      sim_timer_start (timer, now + SIM_US (t->id % 3));
    }
}

static void
dense_ref_run_until (Dense *d, SimTime until, GArray *log, GArray *at)
{
  for (;;)
    {
      int best = -1;
      for (int i = 0; i < DN; i++)
        if (d->ref[i].armed && d->ref[i].when <= until
            && (best < 0 || d->ref[i].when < d->ref[best].when
                || (d->ref[i].when == d->ref[best].when && d->ref[i].seq < d->ref[best].seq)))
          best = i;
      if (best < 0)
        return;
      Ref *r = &d->ref[best];
      r->armed = FALSE;
      g_array_append_val (log, best);
      g_array_append_val (at, r->when);
      if (best % 11 == 0)
        d->ref[(best + 1) % DN].armed = FALSE;
      if (r->rearm_left > 0)
        {
          r->rearm_left--;
          r->armed = TRUE;
          r->when += SIM_US (best % 3);
          r->seq = d->rseq++;
        }
    }
}

static void
test_dense_ticks_vs_reference (gconstpointer data)
{
  SETUP (f, data);
  Dense *d = g_new0 (Dense, 1);
  g_autoptr(GArray) rlog = g_array_new (FALSE, FALSE, sizeof (int));
  g_autoptr(GArray) rat = g_array_new (FALSE, FALSE, sizeof (SimTime));
  guint64 rng = 7;
  SimTime now = 0;
  for (int i = 0; i < DN; i++)
    {
      d->t[i] = (DenseTm) { .f = f, .id = i, .all = d };
      sim_timer_init (&d->t[i].timer, f->sim, on_dense, &d->t[i]);
    }
  for (int round = 0; round < 6; round++)
    {
      SimTime base = now + SIM_MS (3) + (SimTime) (lcg (&rng) % 1000);
      for (int k = 0; k < DN; k++)
        {
          int i = (int) (lcg (&rng) % DN);
          SimTime when = base + SIM_US (1) * (SimTime) (lcg (&rng) % 1024)
                         + (SimTime) (lcg (&rng) % 2);
          int rearm = i % 7 == 0;
          d->t[i].rearm_left = rearm;
          sim_timer_start (&d->t[i].timer, when);
          d->ref[i] = (Ref) { TRUE, when, d->rseq++, rearm };
        }
      for (int k = 0; k < DN / 5; k++)
        {
          int i = (int) (lcg (&rng) % DN);
          sim_timer_stop (&d->t[i].timer);
          d->ref[i].armed = FALSE;
        }
      /* Stop inside the ticks too, so runs are left part-fired. */
      for (SimTime until = base + SIM_US (300); until < base + SIM_MS (4); until += SIM_US (700))
        {
          sim_run_until (f->sim, until);
          dense_ref_run_until (d, until, rlog, rat);
          g_assert_cmpuint (f->log->len, ==, rlog->len);
          now = until;
        }
    }
  g_assert_cmpuint (f->log->len, >, 10000);
  g_assert_cmpmem (f->log->data, f->log->len * sizeof (int), rlog->data, rlog->len * sizeof (int));
  g_assert_cmpmem (f->at->data, f->at->len * sizeof (SimTime), rat->data, rat->len * sizeof (SimTime));
  g_free (d);
  teardown (f);
}

/* Many timers in one bucket, most of them stopped, then more armed into
 * it: on the wheel, stops leave holes and the add that finds the bucket
 * full squeezes them out, renumbering the timers that move; stopping and
 * re-arming those afterwards must find them where they now are.  Batch A:
 * 1024 timers at base + 2i ns (one 1.05 ms tick), of which those with
 * i % 8 < 5 are stopped (640).  Batch B: 300 at base + 2j + 1.  Then of
 * A's survivors, i % 16 == 15 are stopped and i % 16 == 7 re-armed to
 * base + 2i + 1, or base + 2i + 2 where B's j = i has that time (A's
 * i + 1 is stopped, so no tie).  Expected: every live timer once, in
 * strict time order, at its time. */
static void
test_holes (gconstpointer data)
{
  SETUP (f, data);
  enum { NA = 1024, NB = 300 };
  Tm *t = g_new (Tm, NA + NB);
  SimTime *due = g_new (SimTime, NA + NB);
  const SimTime base = SIM_MS (10);
  guint live = 0;

  for (int i = 0; i < NA + NB; i++)
    {
      tm_init (&t[i], f, i);
      due[i] = i < NA ? base + 2 * i : base + 2 * (i - NA) + 1;
      sim_timer_start (&t[i].timer, due[i]);
      if (i == NA - 1)
        for (int k = 0; k < NA; k++)
          if (k % 8 < 5)
            {
              sim_timer_stop (&t[k].timer);
              due[k] = SIM_TIME_NEVER;
            }
    }
  for (int i = 0; i < NA; i++)
    if (i % 16 == 15)
      {
        sim_timer_stop (&t[i].timer);
        due[i] = SIM_TIME_NEVER;
      }
    else if (i % 16 == 7)
      {
        due[i] = base + 2 * i + 1 + (i < NB ? 1 : 0);
        sim_timer_start (&t[i].timer, due[i]);
      }
  for (int i = 0; i < NA + NB; i++)
    live += due[i] != SIM_TIME_NEVER;
  /* 1024 − 640 − 64 (i % 16 == 15) + 300 */
  g_assert_cmpuint (live, ==, NA - 640 - 64 + NB);
  g_assert_cmpuint (sim_pending (f->sim), ==, live);
  sim_run (f->sim);
  g_assert_cmpuint (f->log->len, ==, live);
  for (guint k = 0; k < f->log->len; k++)
    {
      int id = g_array_index (f->log, int, k);
      SimTime at = g_array_index (f->at, SimTime, k);
      g_assert_cmpint (at, ==, due[id]);
      due[id] = SIM_TIME_NEVER;        /* fired once */
      if (k > 0)
        g_assert_cmpint (g_array_index (f->at, SimTime, k - 1), <, at);
    }
  g_free (t);
  g_free (due);
  teardown (f);
}

/* Streams (sim_stream_*): events pushed in time order that must fire
 * exactly as one-shots scheduled at the push would (sim.h). */
typedef struct {
  Fixture   *f;
  SimStream *s[3];
  int        destroyed;
  int        stop_at_id;   /* sim_stop () when this id fires, or -1 */
  guint64    rng;          /* drives pushes made from callbacks */
  gboolean   use_streams;  /* FALSE: the reference, plain one-shots */
  SimTime    last[3];      /* last when pushed per stream */
} StreamBench;

typedef struct {
  StreamBench *b;
  int          id;
  int          stream;     /* 0..2 */
  int          children;   /* pushes this event makes when it fires */
} StreamEv;

static void on_stream_ev (Sim *sim, void *data);

static void
stream_ev_free (void *data)
{
  StreamEv *e = data;
  e->b->destroyed++;
  g_free (e);
}

/* Pushes event @id on stream @k at @when, or schedules the one-shot the
 * stream must behave like. */
static void
bench_push (StreamBench *b, int k, SimTime when, int id, int children)
{
  StreamEv *e = g_new0 (StreamEv, 1);
  *e = (StreamEv) { b, id, k, children };
  if (b->use_streams)
    sim_stream_push (b->s[k], when, e);
  else
    sim_schedule (b->f->sim, when, on_stream_ev, e, stream_ev_free);
  b->last[k] = MAX (b->last[k], when);
}

static void
on_stream_ev (Sim *sim, void *data)
{
  StreamEv *e = data;
  StreamBench *b = e->b;
  SimTime now = sim_now (sim);
  g_array_append_val (b->f->log, e->id);
  g_array_append_val (b->f->at, now);
  /* A callback pushes to its own stream and to others: at now (a tie
   * with events already waiting), later, or (rarely) before the
   * stream's last event, which the stream schedules on its own. */
  for (int c = 0; c < e->children; c++)
    {
      int k = (int) (lcg (&b->rng) % 3);
      guint64 r = lcg (&b->rng) % 10;
      SimTime when = r == 0 ? now
                   : r == 1 ? MAX (now, b->last[k] - SIM_MS (1))
                   : MAX (now, b->last[k]) + (SimTime) (lcg (&b->rng) % 3) * SIM_US (500);
      bench_push (b, k, when, e->id * 4 + c + 1000000, 0);
    }
  if (e->id == b->stop_at_id)
    sim_stop (sim);
  /* A stream event's data is the callback's once it fires; a one-shot's
   * destroy notify runs after the callback. */
  if (b->use_streams)
    g_free (e);
}

/* One scripted run, with streams or with one-shots; the log, the times
 * and sim_pending () after each step go to @f. */
static void
stream_script (Fixture *f, gboolean use_streams, GArray *pending)
{
  StreamBench b = { f, { NULL }, 0, 37, 7, use_streams, { 0 } };
  Tm *t = g_new0 (Tm, 64);
  guint64 rng = 99;
  SimTime now = 0;
  int id = 0;

  for (int k = 0; k < 3; k++)
    b.s[k] = sim_stream_new (f->sim, on_stream_ev, stream_ev_free, NULL);
  for (int i = 0; i < 64; i++)
    tm_init (&t[i], f, 100000 + i);
  for (int op = 0; op < 3000; op++)
    {
      guint64 r = lcg (&rng) % 100;
      if (r < 45)
        {
          /* A stream push, often tied with what is already waiting. */
          int k = (int) (lcg (&rng) % 3);
          SimTime when = MAX (now, b.last[k]) + (SimTime) (lcg (&rng) % 4) * SIM_MS (1);
          bench_push (&b, k, when, id++, (int) (lcg (&rng) % 3) == 0 ? 2 : 0);
        }
      else if (r < 70)
        {
          /* A timer due at a stream event's time or between them. */
          int i = (int) (lcg (&rng) % 64);
          sim_timer_start (&t[i].timer, now + (SimTime) (lcg (&rng) % 8) * SIM_US (500));
        }
      else if (r < 80)
        sim_timer_stop (&t[lcg (&rng) % 64].timer);
      else
        {
          static const SimTime step[] = { 0, SIM_US (500), SIM_MS (1), SIM_MS (3) };
          now += step[lcg (&rng) % 4];
          sim_run_until (f->sim, now);
          if (sim_now (f->sim) < now)         /* stopped early: go on */
            sim_run_until (f->sim, now);
          g_assert_cmpint (sim_now (f->sim), ==, now);
          gsize p = sim_pending (f->sim);
          g_array_append_val (pending, p);
        }
    }
  sim_run (f->sim);
  sim_run (f->sim);                            /* after a sim_stop () */
  g_assert_cmpuint (sim_pending (f->sim), ==, 0);
  /* Every event fired once; a one-shot's destroy notify ran after each,
   * a stream's ran for none (the callback took the data). */
  int fired = 0;
  for (guint i = 0; i < f->log->len; i++)
    {
      int v = g_array_index (f->log, int, i);
      fired += v < 100000 || v >= 100064;
    }
  g_assert_cmpint (b.destroyed, ==, use_streams ? 0 : fired);
  g_free (t);
}

/* Runs @script twice on fresh Sims of this queue, one after the other
 * (ns-3 allows one at a time): once with the feature under test (TRUE)
 * and once without it (FALSE).  Both must fire the same ids at the same
 * times, at least @min_fired of them, and report the same pending
 * counts. */
typedef void (*SchedScript) (Fixture *f, gboolean use_feature, GArray *pending);

static void
assert_same_with_and_without (gconstpointer data, SchedScript script, guint min_fired)
{
  SETUP (f, data);
  g_autoptr(GArray) p1 = g_array_new (FALSE, FALSE, sizeof (gsize));
  g_autoptr(GArray) p2 = g_array_new (FALSE, FALSE, sizeof (gsize));

  script (f, TRUE, p1);
  sim_free (f->sim);
  f->sim = NULL;
  Fixture g_ = { new_sim (data), g_array_new (FALSE, FALSE, sizeof (int)),
                 g_array_new (FALSE, FALSE, sizeof (SimTime)), f->renumber };
  script (&g_, FALSE, p2);
  g_assert_cmpuint (f->log->len, >, min_fired);
  g_assert_cmpuint (f->log->len, ==, g_.log->len);
  g_assert_cmpmem (f->log->data, f->log->len * sizeof (int),
                   g_.log->data, g_.log->len * sizeof (int));
  g_assert_cmpmem (f->at->data, f->at->len * sizeof (SimTime),
                   g_.at->data, g_.at->len * sizeof (SimTime));
  g_assert_cmpmem (p1->data, p1->len * sizeof (gsize), p2->data, p2->len * sizeof (gsize));
  teardown (&g_);
  teardown (f);
}

/* Streams against one-shots: the script pushing to streams, and the same
 * script scheduling one-shots at the push.  One-shots are themselves
 * checked against a naive reference in random-vs-reference. */
static void
test_stream_vs_oneshots (gconstpointer data)
{
  assert_same_with_and_without (data, stream_script, 2000);
}

/* Ties by hand: every event below is due at 5 ms, so the order is the
 * order of the calls that armed them (seq): timer 1, stream event 10,
 * timer 2, stream event 11 (its stream's second), stream event 20 (a
 * second stream), timer 3.  Then 12 at 6 ms and timer 4 at 6 ms, armed
 * in that order. */
static void
test_stream_ties (gconstpointer data)
{
  SETUP (f, data);
  StreamBench b = { f, { NULL }, 0, -1, 1, TRUE, { 0 } };
  Tm t[4];
  for (int k = 0; k < 2; k++)
    b.s[k] = sim_stream_new (f->sim, on_stream_ev, stream_ev_free, NULL);
  for (int i = 0; i < 4; i++)
    tm_init (&t[i], f, i + 1);
  sim_timer_start (&t[0].timer, SIM_MS (5));
  bench_push (&b, 0, SIM_MS (5), 10, 0);
  sim_timer_start (&t[1].timer, SIM_MS (5));
  bench_push (&b, 0, SIM_MS (5), 11, 0);
  bench_push (&b, 1, SIM_MS (5), 20, 0);
  sim_timer_start (&t[2].timer, SIM_MS (5));
  bench_push (&b, 0, SIM_MS (6), 12, 0);
  sim_timer_start (&t[3].timer, SIM_MS (6));
  g_assert_cmpuint (sim_pending (f->sim), ==, 8);
  sim_run_until (f->sim, SIM_MS (5));
  const int expect1[] = { 1, 10, 2, 11, 20, 3 };
  assert_log (f, expect1, 6);
  g_assert_cmpuint (sim_pending (f->sim), ==, 2);
  sim_run (f->sim);
  const int expect2[] = { 1, 10, 2, 11, 20, 3, 12, 4 };
  assert_log (f, expect2, 8);
  g_assert_cmpint (b.destroyed, ==, 0);     /* all fired */
  teardown (f);
}

/* Waiting stream events are pending, and freeing the Sim calls their
 * destroy notify, and only theirs: three pushed, one fired, two freed
 * with the Sim. */
static void
test_stream_free (gconstpointer data)
{
  SETUP (f, data);
  StreamBench b = { f, { NULL }, 0, -1, 1, TRUE, { 0 } };
  b.s[0] = sim_stream_new (f->sim, on_stream_ev, stream_ev_free, NULL);
  bench_push (&b, 0, SIM_S (1), 1, 0);
  bench_push (&b, 0, SIM_S (2), 2, 0);
  bench_push (&b, 0, SIM_S (3), 3, 0);
  g_assert_cmpuint (sim_pending (f->sim), ==, 3);
  sim_run_until (f->sim, SIM_S (1));
  g_assert_cmpint (b.destroyed, ==, 0);
  g_assert_cmpuint (sim_pending (f->sim), ==, 2);
  sim_free (f->sim);
  f->sim = NULL;
  g_assert_cmpint (b.destroyed, ==, 2);
  const int expect[] = { 1 };
  assert_log (f, expect, 1);
  teardown (f);
}

/* sim_stream_drop: the events still waiting, in the ring and on their
 * own (pushed before the stream's last), get their destroy notify at
 * once and never fire; the stream takes pushes again and other events
 * keep their order.  Pushed: 1 at 1 s, 2 at 3 s, 3 at 2 s (before the
 * last: a shot), and a timer (id 9) at 4 s.  Fire 1; drop: 2 and 3 are
 * destroyed.  Push 4 at 5 s; run: 9, then 4. */
static void
test_stream_drop (gconstpointer data)
{
  SETUP (f, data);
  StreamBench b = { f, { NULL }, 0, -1, 1, TRUE, { 0 } };
  Tm t;
  b.s[0] = sim_stream_new (f->sim, on_stream_ev, stream_ev_free, NULL);
  tm_init (&t, f, 9);
  bench_push (&b, 0, SIM_S (1), 1, 0);
  bench_push (&b, 0, SIM_S (3), 2, 0);
  bench_push (&b, 0, SIM_S (2), 3, 0);
  sim_timer_start (&t.timer, SIM_S (4));
  sim_run_until (f->sim, SIM_S (1));
  g_assert_cmpint (b.destroyed, ==, 0);
  sim_stream_drop (b.s[0]);
  g_assert_cmpint (b.destroyed, ==, 2);
  bench_push (&b, 0, SIM_S (5), 4, 0);
  sim_run (f->sim);
  const int expect[] = { 1, 9, 4 };
  assert_log (f, expect, 3);
  g_assert_cmpint (b.destroyed, ==, 2);
  sim_stream_drop (b.s[0]);                  /* empty: nothing to do */
  g_assert_cmpint (b.destroyed, ==, 2);
  teardown (f);
}

/* Lanes (sim_alarm_start_in): a hint that must change nothing.  An
 * alarm of the script below re-arms itself from its callback, into a
 * lane or not as the script says; both runs log through on_lane_al. */
typedef struct {
  SimAlarm  alarm;
  Fixture  *f;
  int       id;
  SimLane  *lane;           /* where its callback re-arms it, or NULL */
  gboolean  use_lanes;
  guint64  *rng;
  struct LaneSet *all;
} LaneAl;

typedef struct LaneSet { LaneAl a[48]; } LaneSet;

static void
lane_arm (LaneAl *a, SimTime when, SimLane *lane)
{
  if (a->use_lanes)
    sim_alarm_start_in (a->f->sim, &a->alarm, when, lane);
  else
    sim_alarm_start (a->f->sim, &a->alarm, when);
}

static void
on_lane_al (Sim *sim, SimAlarm *alarm)
{
  LaneAl *a = (LaneAl *) alarm;
  SimTime now = sim_now (sim);
  g_assert_false (sim_alarm_is_armed (alarm));
  g_array_append_val (a->f->log, a->id);
  g_array_append_val (a->f->at, now);
  /* Re-arm a fixed delay ahead (the lane's case), stop another alarm
   * (maybe a lane's first), or re-arm another one earlier than its lane's
   * last (refused by the lane, so queued). */
  guint64 r = lcg (a->rng) % 6;
  LaneAl *other = &a->all->a[lcg (a->rng) % 48];
  if (r < 3)
    lane_arm (a, now + SIM_MS (100) * (1 + a->id % 3), a->lane);
  else if (r == 3)
    sim_alarm_stop (sim, &other->alarm);
  else if (r == 4 && other != a)
    lane_arm (other, now + SIM_MS (1), a->lane);
}

/* One script: 48 alarms over three lanes (ids % 3) plus none, armed,
 * stopped and run in random steps; logs go to @f, pending counts to
 * @pending. */
static void
lane_script (Fixture *f, gboolean use_lanes, GArray *pending)
{
  guint klass = sim_alarm_class (f->sim, on_lane_al);
  SimLane *lanes[3] = { NULL, NULL, NULL };
  LaneSet *all = g_new0 (LaneSet, 1);
  guint64 rng = 5, cb_rng = 11;
  SimTime now = 0;

  for (int k = 0; k < 3; k++)
    lanes[k] = sim_lane_new (f->sim);
  for (int i = 0; i < 48; i++)
    {
      LaneAl *a = &all->a[i];
      *a = (LaneAl) { .f = f, .id = i, .lane = i % 4 == 3 ? NULL : lanes[i % 4],
                      .use_lanes = use_lanes, .rng = &cb_rng, .all = all };
      sim_alarm_init (&a->alarm, klass);
    }
  for (int op = 0; op < 20000; op++)
    {
      LaneAl *a = &all->a[lcg (&rng) % 48];
      guint64 r = lcg (&rng) % 100;
      if (r < 50)
        /* Mostly the lane's delay, sometimes shorter (out of order). */
        lane_arm (a, now + (lcg (&rng) % 8 == 0 ? SIM_MS (7) : SIM_MS (100) * (1 + a->id % 3)),
                  a->lane);
      else if (r < 70)
        sim_alarm_stop (f->sim, &a->alarm);
      else
        {
          static const SimTime step[] = { 0, SIM_MS (1), SIM_MS (7), SIM_MS (100), SIM_MS (300) };
          now += step[lcg (&rng) % 5];
          sim_run_until (f->sim, now);
          g_assert_cmpint (sim_now (f->sim), ==, now);
          gsize p = sim_pending (f->sim);
          g_array_append_val (pending, p);
        }
      g_assert_cmpint (sim_alarm_is_armed (&a->alarm), ==,
                       sim_alarm_when (&a->alarm) != SIM_TIME_NEVER);
    }
  /* The callbacks keep re-arming: stop everything after a last stretch. */
  sim_run_until (f->sim, now + SIM_S (2));
  for (int i = 0; i < 48; i++)
    sim_alarm_stop (f->sim, &all->a[i].alarm);
  g_assert_cmpuint (sim_pending (f->sim), ==, 0);
  sim_run (f->sim);
  g_free (all);
}

/* Lanes against the queue: the script arming into lanes, and the same
 * script with sim_alarm_start (checked against a naive reference by the
 * alarm and random cases). */
static void
test_lane_vs_queue (gconstpointer data)
{
  assert_same_with_and_without (data, lane_script, 5000);
}

/* By hand, all due at 1 s, in arming order: a0 (lane), a1 (queue), a2
 * (lane), a3 (lane); then a0 is stopped, the lane's first, and a2 moved
 * to 2 s (the lane's end).  a4 is armed for 0.5 s into the lane after
 * them: earlier than the lane's last, so it is queued and still fires
 * first.  Expected: 0.5 s a4; 1 s a1, a3; 2 s a2; pending 4, 3, 1, 0. */
static void
test_lane_ties (gconstpointer data)
{
  SETUP (f, data);
  guint klass = sim_alarm_class (f->sim, on_al);
  SimLane *lane = sim_lane_new (f->sim);
  Al a[5];
  for (int i = 0; i < 5; i++)
    {
      a[i] = (Al) { .f = f, .id = i };
      sim_alarm_init (&a[i].alarm, klass);
    }
  sim_alarm_start_in (f->sim, &a[0].alarm, SIM_S (1), lane);
  sim_alarm_start (f->sim, &a[1].alarm, SIM_S (1));
  sim_alarm_start_in (f->sim, &a[2].alarm, SIM_S (1), lane);
  sim_alarm_start_in (f->sim, &a[3].alarm, SIM_S (1), lane);
  sim_alarm_stop (f->sim, &a[0].alarm);
  sim_alarm_start_in (f->sim, &a[2].alarm, SIM_S (2), lane);
  sim_alarm_start_in (f->sim, &a[4].alarm, SIM_MS (500), lane);
  g_assert_false (sim_alarm_is_armed (&a[0].alarm));
  g_assert_cmpint (sim_alarm_when (&a[2].alarm), ==, SIM_S (2));
  g_assert_cmpuint (sim_pending (f->sim), ==, 4);
  sim_run_until (f->sim, SIM_MS (500));
  g_assert_cmpuint (sim_pending (f->sim), ==, 3);
  sim_run_until (f->sim, SIM_S (1));
  g_assert_cmpuint (sim_pending (f->sim), ==, 1);
  sim_run (f->sim);
  g_assert_cmpuint (sim_pending (f->sim), ==, 0);
  const int expect[] = { 4, 1, 3, 2 };
  assert_log (f, expect, G_N_ELEMENTS (expect));
  g_assert_cmpint (g_array_index (f->at, SimTime, 0), ==, SIM_MS (500));
  g_assert_cmpint (g_array_index (f->at, SimTime, 3), ==, SIM_S (2));
  teardown (f);
}

/* sim_event_place writes the event's last word in one store through a
 * mirror of its bit-fields: the fields must read back as written, with
 * kind kept and the other fields untouched, for every value range. */
static void
test_event_place (void)
{
  static const guint32 buckets[] = { 0, 1, 4095, (1u << 24) - 1 };
  for (guint k = 0; k < 16; k++)
    for (guint w = 0; w < 16; w++)
      for (gsize i = 0; i < G_N_ELEMENTS (buckets); i++)
        {
          SimEvent ev = { 7, 9, 11, 5, 2, 0 };
          ev.kind = k;
          sim_event_place (&ev, buckets[i], w);
          g_assert_cmpuint (ev.bucket, ==, buckets[i]);
          g_assert_cmpuint (ev.where, ==, w);
          g_assert_cmpuint (ev.kind, ==, k);
          g_assert_cmpint (ev.when, ==, 7);
          g_assert_cmpuint (ev.seq, ==, 9);
          g_assert_cmpuint (ev.pos, ==, 11);
        }
}

static void
test_kind_names (void)
{
  SimSchedKind k;
  g_assert_true (sim_sched_kind_parse ("heap", &k) && k == SIM_SCHED_HEAP);
  g_assert_true (sim_sched_kind_parse ("wheel", &k) && k == SIM_SCHED_WHEEL);
  g_assert_true (sim_sched_kind_parse ("ns3", &k) && k == SIM_SCHED_NS3);
  g_assert_false (sim_sched_kind_parse ("map", &k));
  g_assert_cmpstr (sim_sched_kind_name (SIM_SCHED_WHEEL), ==, "wheel");
  g_assert_true (sim_sched_kind_available (SIM_SCHED_HEAP));
#ifdef SIM_HAVE_NS3
  g_assert_true (sim_sched_kind_available (SIM_SCHED_NS3));
#else
  g_autoptr(GError) error = NULL;
  g_assert_false (sim_sched_kind_available (SIM_SCHED_NS3));
  g_assert_null (sim_new (SIM_SCHED_NS3, &error));
  g_assert_error (error, SIM_ERROR, SIM_ERROR_UNAVAILABLE);
#endif
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  static const struct { const char *name; GTestDataFunc fn; } cases[] = {
    { "order", test_order },
    { "ties-fifo", test_ties_fifo },
    { "restart-moves", test_restart_moves },
    { "cancel-stop-twice", test_cancel_and_stop_twice },
    { "rearm-inside-callback", test_rearm_inside_callback },
    { "callback-stops-other", test_callback_stops_other },
    { "rearm-zero-delay", test_rearm_zero_delay },
    { "run-until-boundary", test_run_until_boundary },
    { "oneshot-ownership", test_oneshot_ownership },
    { "stop", test_stop },
    { "random-vs-reference", test_random_vs_reference },
    { "dense-ticks-vs-reference", test_dense_ticks_vs_reference },
    { "alarms", test_alarms },
    { "hints", test_hints },
    { "holes", test_holes },
    { "stream-vs-oneshots", test_stream_vs_oneshots },
    { "stream-ties", test_stream_ties },
    { "stream-free", test_stream_free },
    { "stream-drop", test_stream_drop },
    { "lane-vs-queue", test_lane_vs_queue },
    { "lane-ties", test_lane_ties },
  };
  for (int k = 0; k <= SCHED_NS3_RENUMBERED; k++)
    for (gsize c = 0; c < G_N_ELEMENTS (cases); c++)
      {
        g_autofree char *path = g_strdup_printf ("/sched/%s/%s",
                                                 k == SCHED_NS3_RENUMBERED ? "ns3-renumbered"
                                                 : sim_sched_kind_name ((SimSchedKind) k),
                                                 cases[c].name);
        g_test_add_data_func (path, GINT_TO_POINTER (k), cases[c].fn);
      }
  g_test_add_func ("/sched/kind-names", test_kind_names);
  g_test_add_func ("/sched/event-place", test_event_place);
  return g_test_run ();
}
