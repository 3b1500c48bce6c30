/* sim/ns3/ns3_queue.cc — ns3::Simulator (ns-3.37) as a natkeep event queue.
 *
 * Mapping: insert is Simulator::Schedule (delay = when - Now(), ns-3 Time at
 * its default 1 ns resolution, checked at create), remove is
 * Simulator::Remove (O(log n) in the default MapScheduler), run_until is
 * Simulator::Run and destroy is Simulator::Destroy.  While where ==
 * SIM_WHERE_EXT, the event's ns-3 handle (EventId) sits in a slot of the
 * queue's side table and ev->pos is the slot's index: the SimEvent itself
 * stays 24 bytes, which matters for the native queues that share it.
 * Slots are reused through a free list, so the table holds as many slots
 * as events were ever pending at once.  Timers still armed when the Sim
 * is freed are released by Simulator::Destroy.  Ties: ns-3 orders (ts,
 * uid), uid grows with every
 * Schedule, and the Sim numbers seq in the order it calls insert, so equal
 * times fire FIFO exactly as in the heap and the wheel.
 *
 * Why a sentinel: Simulator::Stop (delay) stops before any event scheduled
 * later for that same instant, but run_until must also fire events that
 * callbacks schedule for exactly `until`.  So a sentinel event sits at
 * `until`; when it fires and an event for `until` was inserted after it was
 * scheduled (so it sorts after it), it re-queues itself with ScheduleNow,
 * else it calls Simulator::Stop ().  ns-3's clock then reads `until`.
 *
 * Limits: ns3::Simulator is a process-wide singleton, so only one ns-3 Sim
 * may exist at a time (sim_new fails with SIM_ERROR_UNAVAILABLE) and a sweep
 * runs one ns-3 point per process.
 *
 * ns-3's uid is 32 bits and wraps after ~4.29e9 schedules (a day of
 * 10^6 flows schedules more).  After the wrap a new event would sort
 * before a queued one with the same timestamp, and ns-3 takes an event
 * at the current timestamp whose uid is not above the running one's for
 * expired, so Remove skips it.  So at the wrap every queued natkeep event
 * is scheduled again in (when, seq) order, the sentinel after them, with
 * uids that grow from 4 again (0-3 are reserved in ns-3; a schedule that
 * draws one is cancelled and repeated); and a Remove that ns-3 skipped is
 * completed by cancelling the event, which then fires as a no-op.  Events
 * of a surrounding ns-3 study keep their old uids: their ties with later
 * events are ns-3's own limit.  Tests force the renumbering every N
 * schedules (sim_ns3_renumber_every).
 *
 * No C++ exception crosses into C: create turns one into a GError, the other
 * entry points (which cannot fail) into g_error ().
 */
#include "config.h"

#include <algorithm>
#include <exception>
#include <stdexcept>
#include <vector>

#include <ns3/event-id.h>
#include <ns3/event-impl.h>
#include <ns3/nstime.h>
#include <ns3/ptr.h>
#include <ns3/simulator.h>

#include <glib.h>

#include "sim/sim_private.h"

namespace {

struct Ns3Queue {
  Sim         *sim;
  gsize        pending = 0;        /* natkeep events in ns-3's queue */
  guint32      last_uid = 0;       /* newest ns-3 uid seen; catches wrap */
  guint32      renumber_every = 0; /* tests: also renumber after this many */
  guint32      since_renumber = 0; /* schedules since the last renumbering */
  guint64      renumbered = 0;     /* renumberings so far */
  SimTime      until = 0;          /* horizon of the current run_until */
  bool         running = false;    /* inside Simulator::Run () */
  bool         sentinel_armed = false;
  bool         late_at_until = false; /* event for `until` queued after the sentinel */
  ns3::EventId sentinel;
  std::vector<ns3::EventId> slot;  /* handles of queued events, by ev->pos */
  std::vector<SimEvent *> owner;   /* the event of each used slot */
  std::vector<guint32> free_slot;  /* unused indices of slot */
};

guint32
ns3_queue_slot_take (Ns3Queue *q, const ns3::EventId &id, SimEvent *ev)
{
  if (q->free_slot.empty ())
    {
      q->slot.push_back (id);
      q->owner.push_back (ev);
      return static_cast<guint32> (q->slot.size () - 1);
    }
  guint32 i = q->free_slot.back ();
  q->free_slot.pop_back ();
  q->slot[i] = id;
  q->owner[i] = ev;
  return i;
}

void
ns3_queue_slot_release (Ns3Queue *q, guint32 i)
{
  q->slot[i] = ns3::EventId ();   /* drops the reference to the EventImpl */
  q->owner[i] = NULL;
  q->free_slot.push_back (i);
}

/* Simulator::Remove, completed where ns-3 skipped it (see the top). */
void
ns3_queue_unschedule (const ns3::EventId &id)
{
  ns3::Simulator::Remove (id);
  if (!id.PeekEventImpl ()->IsCancelled ())
    id.PeekEventImpl ()->Cancel ();
}

/* The only file-scope mutable state in natkeep, and deliberately so: it
 * mirrors ns-3's own process-wide Simulator, which one Sim at a time owns. */
gint ns3_in_use = 0;

/* Runs @f; a C++ exception becomes a fatal error, since the ops returning
 * void have no way to report failure and must not unwind into C. */
template <typename F>
void
ns3_guard (const char *what, F &&f)
{
  try
    {
      f ();
    }
  catch (const std::exception &e)
    {
      g_error ("ns-3 %s: %s", what, e.what ());
    }
  catch (...)
    {
      g_error ("ns-3 %s: unknown C++ exception", what);
    }
}

SimTime
ns3_queue_now ()
{
  return ns3::Simulator::Now ().GetNanoSeconds ();
}

void ns3_queue_on_event (Ns3Queue *q, SimEvent *ev);
void ns3_queue_on_sentinel (Ns3Queue *q);

/* @schedule () until ns-3 hands out a uid it does not reserve (0-3 come
 * round after the wrap); one that draws a reserved uid is cancelled. */
template <typename F>
ns3::EventId
ns3_queue_schedule_valid (F &&schedule)
{
  for (;;)
    {
      ns3::EventId id = schedule ();
      if (G_LIKELY (id.GetUid () >= ns3::EventId::UID::VALID))
        return id;
      id.PeekEventImpl ()->Cancel ();
    }
}

/* Schedules @ev (already queued, or new) with a uid above every other. */
ns3::EventId
ns3_queue_schedule_event (Ns3Queue *q, SimEvent *ev)
{
  return ns3_queue_schedule_valid ([q, ev] {
    return ns3::Simulator::Schedule (ns3::NanoSeconds (ev->when - ns3_queue_now ()),
                                     &ns3_queue_on_event, q, ev);
  });
}

ns3::EventId
ns3_queue_schedule_sentinel (Ns3Queue *q, SimTime when)
{
  return ns3_queue_schedule_valid ([q, when] {
    return ns3::Simulator::Schedule (ns3::NanoSeconds (when - ns3_queue_now ()),
                                     &ns3_queue_on_sentinel, q);
  });
}

bool
ns3_queue_event_before (const SimEvent *a, const SimEvent *b)
{
  return a->when != b->when ? a->when < b->when : a->seq < b->seq;
}

/* Gives every queued natkeep event, then the sentinel, a new uid in
 * (when, seq) order: after ns-3's uid wrapped (see the top). */
void
ns3_queue_renumber (Ns3Queue *q)
{
  std::vector<SimEvent *> evs;
  evs.reserve (q->pending);
  for (SimEvent *ev : q->owner)
    if (ev != NULL)
      evs.push_back (ev);
  std::sort (evs.begin (), evs.end (), ns3_queue_event_before);
  q->last_uid = 0;
  for (SimEvent *ev : evs)
    {
      ns3_queue_unschedule (q->slot[ev->pos]);
      q->slot[ev->pos] = ns3_queue_schedule_event (q, ev);
      q->last_uid = std::max (q->last_uid, q->slot[ev->pos].GetUid ());
    }
  if (q->sentinel_armed)
    {
      ns3_queue_unschedule (q->sentinel);
      q->sentinel = ns3_queue_schedule_sentinel (q, q->until);
      q->late_at_until = false;            /* it now follows every one */
      q->last_uid = std::max (q->last_uid, q->sentinel.GetUid ());
    }
  q->since_renumber = 0;
  q->renumbered++;
}

/* After each schedule: renumbers when ns-3's uid wrapped (or, in tests,
 * every renumber_every schedules). */
void
ns3_queue_note_uid (Ns3Queue *q, guint32 uid)
{
  q->since_renumber++;
  if (G_UNLIKELY (uid <= q->last_uid
                  || (q->renumber_every != 0 && q->since_renumber >= q->renumber_every)))
    {
      ns3_queue_renumber (q);
      return;
    }
  q->last_uid = uid;
}

void
ns3_queue_on_event (Ns3Queue *q, SimEvent *ev)
{
  ev->where = SIM_WHERE_IDLE;
  ns3_queue_slot_release (q, ev->pos);
  q->pending--;
  sim_dispatch (q->sim, ev);
  if (sim_stop_requested (q->sim))
    {
      ns3::Simulator::Stop ();
      if (q->sentinel_armed)
        {
          ns3::Simulator::Remove (q->sentinel);
          q->sentinel_armed = false;
        }
    }
}

void
ns3_queue_on_sentinel (Ns3Queue *q)
{
  if (q->late_at_until)
    {
      /* Gets a uid above every event queued for `until` so far. */
      q->late_at_until = false;
      q->sentinel = ns3_queue_schedule_sentinel (q, ns3_queue_now ());
      ns3_queue_note_uid (q, q->sentinel.GetUid ());
      return;
    }
  q->sentinel_armed = false;
  ns3::Simulator::Stop ();
}

void *
ns3_queue_create (Sim *sim, GError **error)
{
  if (!g_atomic_int_compare_and_exchange (&ns3_in_use, 0, 1))
    {
      g_set_error (error, SIM_ERROR, SIM_ERROR_UNAVAILABLE,
                   "the ns3 scheduler is already in use: ns-3's Simulator is "
                   "process-wide, so only one ns3 Sim may exist at a time");
      return NULL;
    }
  try
    {
      if (ns3::Time::GetResolution () != ns3::Time::NS)
        throw std::runtime_error ("ns3::Time resolution is not 1 ns");
      /* Also creates the simulator implementation on this thread. */
      if (ns3_queue_now () != 0 || !ns3::Simulator::IsFinished ())
        throw std::runtime_error ("ns3::Simulator is already running a simulation");
      Ns3Queue *q = new Ns3Queue;
      q->sim = sim;
      return q;
    }
  catch (const std::exception &e)
    {
      g_set_error (error, SIM_ERROR, SIM_ERROR_UNAVAILABLE,
                   "cannot use ns-3 as scheduler: %s", e.what ());
    }
  catch (...)
    {
      g_set_error (error, SIM_ERROR, SIM_ERROR_UNAVAILABLE,
                   "cannot use ns-3 as scheduler: unknown C++ exception");
    }
  g_atomic_int_set (&ns3_in_use, 0);
  return NULL;
}

void
ns3_queue_destroy (void *qp)
{
  Ns3Queue *q = static_cast<Ns3Queue *> (qp);
  g_return_if_fail (!q->running);
  /* Frees every EventImpl still queued (armed timers the Sim forgets);
   * the next Simulator call starts a fresh one at time 0. */
  ns3_guard ("destroy", [] { ns3::Simulator::Destroy (); });
  delete q;
  g_atomic_int_set (&ns3_in_use, 0);
}

void
ns3_queue_insert (void *qp, SimEvent *ev)
{
  Ns3Queue *q = static_cast<Ns3Queue *> (qp);
  ns3_guard ("insert", [q, ev] {
    g_assert (ev->when >= ns3_queue_now ());
    ns3::EventId id = ns3_queue_schedule_event (q, ev);
    ev->pos = ns3_queue_slot_take (q, id, ev);
    ev->where = SIM_WHERE_EXT;
    q->pending++;
    if (q->sentinel_armed && ev->when == q->until)
      q->late_at_until = true;
    /* Last: a renumbering includes this event. */
    ns3_queue_note_uid (q, id.GetUid ());
  });
}

void
ns3_queue_remove (void *qp, SimEvent *ev)
{
  Ns3Queue *q = static_cast<Ns3Queue *> (qp);
  g_assert (ev->where == SIM_WHERE_EXT);
  ns3_guard ("remove", [q, ev] {
    ns3_queue_unschedule (q->slot[ev->pos]);
    ns3_queue_slot_release (q, ev->pos);
  });
  ev->where = SIM_WHERE_IDLE;
  q->pending--;
}

void
ns3_queue_run_until (void *qp, SimTime until)
{
  Ns3Queue *q = static_cast<Ns3Queue *> (qp);
  g_return_if_fail (!q->running);
  ns3_guard ("run", [q, until] {
    SimTime now = ns3_queue_now ();
    g_assert (now == sim_now (q->sim) && until >= now);
    if (until != SIM_TIME_NEVER)
      {
        q->until = until;
        q->late_at_until = false;
        q->sentinel = ns3_queue_schedule_sentinel (q, until);
        q->sentinel_armed = true;
        ns3_queue_note_uid (q, q->sentinel.GetUid ());
      }
    q->running = true;
    ns3::Simulator::Run ();
    q->running = false;
    g_assert (!q->sentinel_armed);
  });
}

/* Simulator::Now (): inside natkeep's events it is the event's time; in
 * an ns-3 event of the surrounding study it is that event's time, which
 * natkeep's own record (the last event it fired) would not know. */
SimTime
ns3_queue_clock (void *)
{
  return ns3_queue_now ();
}

gsize
ns3_queue_size (void *qp)
{
  return static_cast<Ns3Queue *> (qp)->pending;
}

} /* namespace */

extern "C" void
sim_ns3_renumber_every (Sim *sim, guint32 n)
{
  g_return_if_fail (sim_kind (sim) == SIM_SCHED_NS3);
  static_cast<Ns3Queue *> (sim_queue_state (sim))->renumber_every = n;
}

extern "C" guint64
sim_ns3_renumbered (Sim *sim)
{
  g_return_val_if_fail (sim_kind (sim) == SIM_SCHED_NS3, 0);
  return static_cast<Ns3Queue *> (sim_queue_state (sim))->renumbered;
}

/* No pop: Simulator has no public peek, and run_until covers the loop. */
extern "C" const SimQueueOps sim_ns3_ops = {
  "ns3",
  ns3_queue_create,
  ns3_queue_destroy,
  ns3_queue_insert,
  ns3_queue_remove,
  NULL,
  ns3_queue_run_until,
  ns3_queue_size,
  ns3_queue_clock,
  FALSE,              /* ties by ns-3's insertion order: no reserved seq */
};
