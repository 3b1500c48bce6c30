/* sim/sim.h — the discrete-event engine.
 *
 * A Sim owns a clock and one event queue.  Events are ordered by
 * (time, sequence): the sequence number increases on every schedule or
 * timer start, so events due at the same instant fire in FIFO order and a
 * run is reproducible.  Three interchangeable queues sit behind one
 * interface: an 8-ary array heap, a hierarchical timing wheel and, when
 * built with ns-3, ns3::Simulator itself.
 *
 * Kinds of events:
 *  - SimTimer, embedded in its owner: arming allocates nothing, start
 *    moves an armed timer, stop is idempotent, and the timer is idle again
 *    before its callback runs, so the callback may re-arm or stop it or
 *    any other timer.
 *  - SimAlarm, the same in 24 bytes for owners that exist by the million
 *    (a TCP connection's one timer): no Sim, callback or data pointer; a
 *    callback per class, registered once per Sim.
 *  - fire-and-forget events (sim_schedule): owned by the engine, freed after
 *    firing, or through their GDestroyNotify when the Sim is freed first;
 *    sim_schedule_hinted adds an optional prefetch hint, and a SimStream
 *    takes such events in time order without queueing each of them.
 *  - SimLane: a hint for alarms armed a fixed delay ahead, which then
 *    wait in arming order instead of in the queue (sim_alarm_start_in).
 *
 * The engine knows nothing about networks.  No wall clock is read here.
 */
#pragma once

#include <glib.h>
#include "sim/time.h"

G_BEGIN_DECLS

typedef struct _Sim      Sim;
typedef struct _SimEvent SimEvent;
typedef struct _SimTimer SimTimer;

#define SIM_ERROR (sim_error_quark ())
GQuark sim_error_quark (void);
typedef enum {
  SIM_ERROR_UNAVAILABLE,   /* scheduler not built, or ns-3 already in use */
} SimError;

typedef enum {
  SIM_SCHED_HEAP = 0,     /* 8-ary array heap, index stored in the event */
  SIM_SCHED_WHEEL,        /* hierarchical timing wheel + small ready heap */
  SIM_SCHED_NS3,          /* ns3::Simulator (only when built with ns-3) */
  SIM_SCHED_N
} SimSchedKind;

typedef void (*SimEventFunc) (Sim *sim, void *data);
typedef void (*SimTimerFunc) (SimTimer *timer, void *data);
typedef struct _SimAlarm SimAlarm;
typedef void (*SimAlarmFunc) (Sim *sim, SimAlarm *alarm);

/* Private: the queue's bookkeeping, public only so owners can embed it. */
struct _SimEvent {
  SimTime   when;        /* due time */
  guint64   seq;         /* tie-breaker, unique per (re)arm */
  guint32   pos;         /* index in its heap, wheel bucket or ns-3 slot */
  guint32   bucket : 24; /* wheel: bucket number */
  guint32   where  : 4;  /* SIM_WHERE_* (private) */
  guint32   kind   : 4;  /* timer, one-shot or alarm class (private) */
};
/* 24 bytes: owners embed one per timer, two per flow in a World, so every
 * byte here is two bytes per flow of a million-flow run. */
G_STATIC_ASSERT (sizeof (SimEvent) == 24);

struct _SimTimer {
  SimEvent     ev;       /* private */
  Sim         *sim;      /* private */
  SimTimerFunc func;     /* private */
  void        *data;     /* private */
};

/* A bare embedded timer for owners that exist by the million (two TCP
 * endpoints per flow): 24 bytes where a SimTimer takes 48.  It keeps no
 * Sim, callback or data; it keeps a class, and the class's callback,
 * registered once per Sim, gets the alarm and finds its owner from the
 * alarm's address (embed it first, or at a known offset). */
struct _SimAlarm {
  SimEvent     ev;       /* private; ev.kind is the class */
};

/* sim_new: an empty engine at time 0 using queue @kind.  Fails (NULL, error
 * set) only for SIM_SCHED_NS3 when ns-3 support is not built or another
 * ns-3 Sim exists (ns3::Simulator is process-wide). */
Sim        *sim_new        (SimSchedKind kind, GError **error);
/* Frees the engine; pending one-shot events get their destroy notify,
 * embedded timers are simply forgotten (their owners free them). */
void        sim_free       (Sim *sim);

/* The current simulated time: the time of the event being fired, or the
 * horizon of the last run.  On the ns-3 queue it is
 * ns3::Simulator::Now (), so it is also right inside an ns-3 event of a
 * study that drives natkeep (examples/ns3-keepalive.cc). */
SimTime     sim_now        (const Sim *sim);
SimSchedKind sim_kind      (const Sim *sim);
/* Events fired so far (timers and one-shots). */
guint64     sim_events     (const Sim *sim);
/* Events pending now (armed timers and one-shots). */
gsize       sim_pending    (const Sim *sim);

/* sim_schedule: fire-and-forget.  @func (sim, data) runs at @when
 * (>= now); afterwards @destroy (data) is called if non-NULL.  If the Sim is
 * freed first only @destroy runs.  Allocates one small record (pooled). */
void        sim_schedule   (Sim *sim, SimTime when, SimEventFunc func,
                            void *data, GDestroyNotify destroy);
/* The same, with a hint: shortly before the event fires the queue may call
 * @prefetch (data, 1) and later @prefetch (data, 2), so it can issue cache
 * prefetches for what @func will read (stage 2 may follow pointers that
 * stage 1 fetched).  A hint must not change anything: it may never be
 * called, and results never depend on it.  The timing wheel calls it a
 * few events ahead; at 10^6 flows that turns table lookups that miss the
 * cache into hits. */
typedef void (*SimPrefetchFunc) (void *data, int stage);
void        sim_schedule_hinted (Sim *sim, SimTime when, SimEventFunc func,
                                 void *data, GDestroyNotify destroy,
                                 SimPrefetchFunc prefetch);

/* Streams: fire-and-forget events that their owner pushes in
 * nondecreasing time, such as the arrivals of one direction of a FIFO
 * link.  sim_stream_push (s, when, data) fires @func (sim, data) at @when,
 * exactly as sim_schedule_hinted () at the moment of the push would (same
 * order among all events, same results), but none of them sits in the
 * event queue: they wait in push order and the run loop merges each
 * stream's first with the queue, so a busy link costs the queue nothing.
 * @when must be >= now; one earlier than the last @when pushed is
 * scheduled on its own (still in the same order).  Unlike a one-shot's,
 * @destroy (data) runs only for events that never fire: a fired event's
 * data is @func's.  sim_stream_drop drops every event still waiting
 * (calling @destroy for each); the stream stays usable.  The Sim owns its
 * streams: sim_free () frees them, calling @destroy for the events still
 * waiting; there is no other way to free one (sim_stream_set_weak). */
typedef struct _SimStream SimStream;
SimStream  *sim_stream_new  (Sim *sim, SimEventFunc func, GDestroyNotify destroy,
                             SimPrefetchFunc prefetch);
void        sim_stream_push (SimStream *s, SimTime when, void *data);
void        sim_stream_drop (SimStream *s);
/* The Sim sets *@where to NULL when it frees @s (NULL: nothing to set),
 * so an owner that may outlive its Sim knows the stream is gone. */
void        sim_stream_set_weak (SimStream *s, SimStream **where);

/* sim_run_until: fires every event due at or before @until, including
 * events scheduled during the run, in (time, seq) order; then the clock
 * reads @until (unless sim_stop() was called).  @until >= now. */
void        sim_run_until  (Sim *sim, SimTime until);
/* Runs until no event is pending (or sim_stop()). */
void        sim_run        (Sim *sim);
/* From inside a callback: return from sim_run*() after this event. */
void        sim_stop       (Sim *sim);

/* Timer embedded in its owner.  init makes it idle; no allocation ever. */
void        sim_timer_init     (SimTimer *t, Sim *sim, SimTimerFunc func, void *data);
/* Arms for @when (>= now); an armed timer is moved (gets a new seq). */
void        sim_timer_start    (SimTimer *t, SimTime when);
/* Disarms; does nothing on an idle timer. */
void        sim_timer_stop     (SimTimer *t);
gboolean    sim_timer_is_armed (const SimTimer *t);
/* Due time of an armed timer, SIM_TIME_NEVER when idle. */
SimTime     sim_timer_when     (const SimTimer *t);

/* Alarms.  sim_alarm_class registers @func for this Sim and returns its
 * class (the same class for the same func); at most SIM_ALARM_CLASSES
 * different callbacks per Sim.  Start, stop, re-arm and firing behave
 * exactly as for SimTimer: an alarm is idle when its callback runs, and
 * the callback may re-arm or stop it or any other. */
#define SIM_ALARM_CLASSES 14
guint       sim_alarm_class    (Sim *sim, SimAlarmFunc func);
void        sim_alarm_init     (SimAlarm *a, guint klass);
void        sim_alarm_start    (Sim *sim, SimAlarm *a, SimTime when);
void        sim_alarm_stop     (Sim *sim, SimAlarm *a);
gboolean    sim_alarm_is_armed (const SimAlarm *a);
/* Due time of an armed alarm, SIM_TIME_NEVER when idle. */
SimTime     sim_alarm_when     (const SimAlarm *a);

/* Lanes: for alarms that are often armed the same delay ahead (a
 * keep-alive timer, keepidle after the last segment), so their due times
 * mostly come in the order they are armed.  sim_alarm_start_in () is
 * sim_alarm_start () with such a lane as a hint: an alarm due no earlier
 * than the last one put in @lane goes to its end, an ordered list with
 * no sorting, bucket or heap; one due earlier goes to the queue as
 * usual.  Either way it fires, moves and stops exactly as with
 * sim_alarm_start () (same (when, seq) order).  @lane may be NULL.  The
 * Sim owns its lanes and frees them with itself; on the ns3 queue a lane
 * changes nothing. */
typedef struct _SimLane SimLane;
SimLane    *sim_lane_new       (Sim *sim);
void        sim_alarm_start_in (Sim *sim, SimAlarm *a, SimTime when, SimLane *lane);

/* Names as used on the command line: "heap", "wheel", "ns3". */
const char *sim_sched_kind_name      (SimSchedKind kind);
gboolean    sim_sched_kind_parse     (const char *name, SimSchedKind *out);
/* FALSE for ns3 when the build has no ns-3. */
gboolean    sim_sched_kind_available (SimSchedKind kind);

G_END_DECLS
