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
 * runs one ns-3 point per process.  ns-3's uid is 32 bits: after ~4.29e9
 * schedules in one Sim it would wrap and break tie order, so we abort then.
 * No C++ exception crosses into C: create turns one into a GError, the other
 * entry points (which cannot fail) into g_error ().
 */
#include "config.h"

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
  SimTime      until = 0;          /* horizon of the current run_until */
  bool         running = false;    /* inside Simulator::Run () */
  bool         sentinel_armed = false;
  bool         late_at_until = false; /* event for `until` queued after the sentinel */
  ns3::EventId sentinel;
  std::vector<ns3::EventId> slot;  /* handles of queued events, by ev->pos */
  std::vector<guint32> free_slot;  /* unused indices of slot */
};

guint32
ns3_queue_slot_take (Ns3Queue *q, const ns3::EventId &id)
{
  if (q->free_slot.empty ())
    {
      q->slot.push_back (id);
      return static_cast<guint32> (q->slot.size () - 1);
    }
  guint32 i = q->free_slot.back ();
  q->free_slot.pop_back ();
  q->slot[i] = id;
  return i;
}

void
ns3_queue_slot_release (Ns3Queue *q, guint32 i)
{
  q->slot[i] = ns3::EventId ();   /* drops the reference to the EventImpl */
  q->free_slot.push_back (i);
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

void
ns3_queue_note_uid (Ns3Queue *q, guint32 uid)
{
  if (G_UNLIKELY (uid <= q->last_uid))
    g_error ("ns-3 event uid wrapped after 2^32 schedules; "
             "the ns3 scheduler cannot run this many events in one Sim");
  q->last_uid = uid;
}

SimTime
ns3_queue_now ()
{
  return ns3::Simulator::Now ().GetNanoSeconds ();
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
      q->sentinel = ns3::Simulator::ScheduleNow (&ns3_queue_on_sentinel, q);
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
    SimTime now = ns3_queue_now ();
    g_assert (ev->when >= now);
    ns3::EventId id = ns3::Simulator::Schedule (ns3::NanoSeconds (ev->when - now),
                                                &ns3_queue_on_event, q, ev);
    ns3_queue_note_uid (q, id.GetUid ());
    ev->pos = ns3_queue_slot_take (q, id);
  });
  ev->where = SIM_WHERE_EXT;
  q->pending++;
  if (q->sentinel_armed && ev->when == q->until)
    q->late_at_until = true;
}

void
ns3_queue_remove (void *qp, SimEvent *ev)
{
  Ns3Queue *q = static_cast<Ns3Queue *> (qp);
  g_assert (ev->where == SIM_WHERE_EXT);
  ns3_guard ("remove", [q, ev] {
    ns3::Simulator::Remove (q->slot[ev->pos]);
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
        q->sentinel = ns3::Simulator::Schedule (ns3::NanoSeconds (until - now),
                                                &ns3_queue_on_sentinel, q);
        ns3_queue_note_uid (q, q->sentinel.GetUid ());
        q->sentinel_armed = true;
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
