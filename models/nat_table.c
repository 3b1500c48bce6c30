/* models/nat_table.c — the NAT's mapping table: entries, their LRU lists,
 * the one box timer, expiry and what the box does at expiry (S21, S22,
 * S28, S32).
 *
 * Expiry is a predicate, as in conntrack's nf_ct_is_expired(): an entry is
 * expired iff now >= last_seen + T.  No entry has a timer.  Every entry
 * sits in the LRU list of its timeout value; since an entry only ever
 * enters a list at its tail with due = now + T, each list is sorted by
 * due, and the earliest expiry of the whole box is the least of a handful
 * of list heads.  One SimTimer is armed for it; when it fires it reaps the
 * due heads (at most NAT_SWEEP_BUDGET per firing, then it re-arms at the
 * same instant), so entries go exactly at their deadline and `at` handed
 * to on_end is always the deadline, never the reap time (S22).  Lookups
 * test the predicate too and act on a due entry themselves, so a packet
 * arriving at exactly last_seen + T finds no entry whichever of the two
 * same-instant events runs first (S21).
 *
 * On expiry (S28): silent; rst (RST to both ends, Azure LB / ASA `reset`);
 * fin (FIN to the inside host, AWS NAT instance); probe (Cisco ASA dead
 * connection detection: keep-alive-like probes to both ends every
 * probe_interval, probe_count rounds; the entry lives on if both ends
 * answer).  The forged segments carry the sequence numbers the table
 * tracked, so the receiver finds seq == rcv_nxt and accepts them (S18).
 * Actions apply to ESTABLISHED and FIN_WAIT entries whose needed sequence
 * numbers are known; other states (handshake, TIME_WAIT, CLOSE) always
 * expire silently: there is no synchronised connection to tell.
 *
 * Determinism: nothing here iterates a hash table; reboot and free walk
 * the lists in index order, head to tail.
 */
#include "config.h"

#include <string.h>

#include <glib.h>

#include "sim/mem.h"
#include "models/nat_private.h"

/* The byte count nat_private.h promises (any ABI: the entry holds no
 * pointers and has no holes). */
G_STATIC_ASSERT (sizeof (NatEntry) == 88);

SimTime
nat_class_timeout (const NatBox *nat, NatClass cls)
{
  return nat->lists[nat->class_list[cls]].timeout;
}

/* S19: the state's timeout, shortened (only if that is smaller) to
 * clamp_timeout while data is unacknowledged either way, after
 * NAT_MAX_RETRANS retransmissions of one segment, or for a picked-up
 * entry that has seen no reply.  As in conntrack an RST's close timeout
 * is never clamped. */
NatClass
nat_entry_class (const NatBox *nat, const NatEntry *e)
{
  NatClass cls;
  gboolean unacked = FALSE;

  switch (e->state)
    {
    case NAT_TCP_ESTABLISHED: cls = NAT_CLASS_ESTABLISHED; break;
    case NAT_TCP_TIME_WAIT:   cls = NAT_CLASS_TIME_WAIT; break;
    case NAT_TCP_CLOSE:       return NAT_CLASS_CLOSE;
    default:                  cls = NAT_CLASS_TRANSITORY; break;
    }
  if (nat->cfg.clamp_timeout <= 0
      || nat_class_timeout (nat, cls) <= nat->cfg.clamp_timeout)
    return cls;

  /* conntrack's IP_CT_TCP_FLAG_DATA_UNACKNOWLEDGED: a direction sent
   * beyond what the other side has acknowledged.  A side nobody has
   * acknowledged anything of yet does not count (conntrack seeds td_end
   * from the first segment without setting the flag). */
  for (guint d = 0; d < 2; d++)
    if ((e->bits & (NAT_E_END_OK0 << d))
        && (e->bits & (NAT_E_ACK_OK0 << (1 - d)))
        && seq_lt (e->ack[1 - d], e->end[d]))
      unacked = TRUE;

  if (unacked || e->retrans >= NAT_MAX_RETRANS
      || (e->state == NAT_TCP_ESTABLISHED && !(e->bits & NAT_E_REPLIED)))
    return NAT_CLASS_CLAMP;
  return cls;
}

static void
nat_timer_want (NatBox *nat, SimTime due)
{
  if (!sim_timer_is_armed (&nat->timer) || due < sim_timer_when (&nat->timer))
    sim_timer_start (&nat->timer, due);
}

/* The id of live entry @e: its predecessor's next, or else its list's
 * head (the entry stores no id of its own, nat_private.h). */
guint32
nat_entry_id (const NatBox *nat, const NatEntry *e)
{
  if (e->prev != NAT_NONE)
    return nat_entry_at (nat, e->prev)->next;
  return nat->lists[nat_entry_list (nat, e)].head;
}

/* Takes @e out of the list it sits in.  Only writes the neighbours, so
 * it need not wait for their lines. */
static void
nat_list_unlink (NatBox *nat, NatEntry *e)
{
  NatList *l = &nat->lists[nat_entry_list (nat, e)];

  if (e->prev != NAT_NONE)
    nat_entry_at (nat, e->prev)->next = e->next;
  else
    l->head = e->next;
  if (e->next != NAT_NONE)
    nat_entry_at (nat, e->next)->prev = e->prev;
  else
    l->tail = e->prev;
  e->prev = e->next = NAT_NONE;
}

/* Appends entry @id (@e) to the tail of the list it belongs in.  Callers
 * have just set last_seen = now and list, or sent a probe round at the
 * entry's deadline (asserted there), so nat_entry_due is now + that
 * list's timeout; now never decreases, so the list stays sorted by due. */
static void
nat_list_append (NatBox *nat, NatEntry *e, guint32 id)
{
  NatList *l = &nat->lists[nat_entry_list (nat, e)];
  SimTime due = nat_entry_due (nat, e);

  /* The tail's line is written below anyway. */
  g_assert (l->tail == NAT_NONE
            || nat_entry_due (nat, nat_entry_at (nat, l->tail)) <= due);
  e->prev = l->tail;
  e->next = NAT_NONE;
  if (l->tail != NAT_NONE)
    nat_entry_at (nat, l->tail)->next = id;
  else
    l->head = id;
  l->tail = id;
  nat_timer_want (nat, due);
}

/* S20: a refresh.  last_seen = now and the full T of the entry's (maybe
 * new) class starts again; the entry moves to the tail of that list. */
void
nat_entry_touch (NatBox *nat, NatEntry *e, guint32 id)
{
  nat_list_unlink (nat, e);
  e->last_seen = sim_now (nat->sim);
  e->list = nat->class_list[nat_entry_class (nat, e)];
  e->bits &= ~(NAT_E_PROBING | NAT_E_ANS0 | NAT_E_ANS1);
  e->probes_left = 0;
  nat_list_append (nat, e, id);
}

/* The list head due first, or NULL if every list is empty; its due time
 * in *@due. */
static NatEntry *
nat_earliest (const NatBox *nat, SimTime *due)
{
  NatEntry *best = NULL;

  /* Ties go to the lower list index: a fixed order, so runs repeat. */
  for (guint i = 0; i < nat->n_lists; i++)
    {
      NatEntry *h = nat_entry_or_null (nat, nat->lists[i].head);
      SimTime d;

      if (h == NULL)
        continue;
      d = nat_entry_due (nat, h);
      if (best == NULL || d < *due)
        {
          best = h;
          *due = d;
        }
    }
  return best;
}

static gboolean
nat_entry_probeable (const NatBox *nat, const NatEntry *e)
{
  return nat->cfg.on_expiry == NAT_EXPIRY_PROBE && nat->cfg.probe_count > 0
      && e->state == NAT_TCP_ESTABLISHED
      && (e->bits & NAT_E_END_OK0) && (e->bits & NAT_E_END_OK1);
}

/* Whether acting on @e at @now would delete it: the exact expiry test
 * (S21) for callers that must not change anything (the oracle, counts). */
gboolean
nat_entry_gone_at (const NatBox *nat, const NatEntry *e, SimTime now)
{
  if (now < nat_entry_due (nat, e))
    return FALSE;
  if (e->bits & NAT_E_PROBING)
    return e->probes_left == 0;
  return !nat_entry_probeable (nat, e);
}

void
nat_entry_view (const NatBox *nat, const NatEntry *e, NatMapping *m)
{
  m->inside = e->inside;
  m->public_ip = e->reply.dst_ip;
  m->public_port = e->reply.dst_port;
  m->tcp_state = e->state;
  m->replied = (e->bits & NAT_E_REPLIED) != 0;
  m->picked_up = (e->bits & NAT_E_PICKED_UP) != 0;
  m->created_at = e->created_at;
  m->last_seen = e->last_seen;
  m->expires_at = nat_entry_due (nat, e);
  if (e->bits & NAT_E_PROBING)
    m->expires_at += (SimTime) e->probes_left * nat->cfg.probe_interval;
}

NatEndReason
nat_entry_end_reason (const NatEntry *e)
{
  switch (e->state)
    {
    case NAT_TCP_TIME_WAIT: return NAT_END_CLOSED;
    case NAT_TCP_CLOSE:     return NAT_END_RST;
    default:                return NAT_END_EXPIRED;
    }
}

static const FlowKey *
nat_inside_key (const void *nat, guint32 id)
{
  return &nat_entry_at (nat, id)->inside;
}

static const FlowKey *
nat_reply_key (const void *nat, guint32 id)
{
  return &nat_entry_at (nat, id)->reply;
}

void
nat_prefetch (const NatBox *nat, const Packet *p, gboolean from_inside, int stage)
{
  if (from_inside)
    flow_table_prefetch (&nat->by_inside, &p->key, stage, nat_inside_key, nat);
  else
    flow_table_prefetch (&nat->by_reply, &p->key, stage, nat_reply_key, nat);
}

/* The entry @hint names if it is live and its tuple for @dir is @key (the
 * one entry the table holds for @key), else NULL. */
static NatEntry *
nat_hinted (const NatBox *nat, guint32 hint, const FlowKey *key, guint dir)
{
  if (hint >= nat->n_ids)
    return NULL;
  NatEntry *e = nat_entry_at (nat, hint);
  if (e->bits & NAT_E_FREE)
    return NULL;
  return flow_key_same (dir == NAT_DIR_OUT ? &e->inside : &e->reply, key) ? e : NULL;
}

void
nat_prefetch_hinted (const NatBox *nat, const Packet *p, gboolean from_inside,
                     guint32 hint, int stage)
{
  if (hint >= nat->n_ids)
    nat_prefetch (nat, p, from_inside, stage);
  else if (stage == 2)
    {
      /* The whole entry: tracking reads and writes most of it.  88 bytes
       * at an 88-byte stride span two or three lines; these three
       * addresses fall in each of them. */
      const char *e = (const char *) nat_entry_at (nat, hint);
      __builtin_prefetch (e, 1);
      __builtin_prefetch (e + 63, 1);
      __builtin_prefetch (e + sizeof (NatEntry) - 1, 1);
    }
}

NatEntry *
nat_peek_inside (const NatBox *nat, const FlowKey *key)
{
  guint32 id = flow_table_lookup (&nat->by_inside, key, nat_inside_key, nat);

  return id != FLOW_TABLE_NONE ? nat_entry_at (nat, id) : NULL;
}

NatEntry *
nat_peek_reply (const NatBox *nat, const FlowKey *key)
{
  guint32 id = flow_table_lookup (&nat->by_reply, key, nat_reply_key, nat);

  return id != FLOW_TABLE_NONE ? nat_entry_at (nat, id) : NULL;
}

/* A zeroed entry from the free list or the next slab position; its id
 * in *@id. */
static NatEntry *
nat_entry_alloc (NatBox *nat, guint32 *id)
{
  NatEntry *e;

  if (nat->free_head != NAT_NONE)
    {
      *id = nat->free_head;
      e = nat_entry_at (nat, *id);
      nat->free_head = e->next;
    }
  else
    {
      *id = nat->n_ids++;
      g_assert (*id < NAT_NONE);
      if ((*id >> NAT_SLAB_BITS) == nat->n_slabs)
        {
          nat->slab = g_renew (NatEntry *, nat->slab, nat->n_slabs + 1);
          nat->slab[nat->n_slabs++] = sim_mem_alloc0 (NAT_SLAB, sizeof (NatEntry));
        }
      e = nat_entry_at (nat, *id);
    }
  memset (e, 0, sizeof *e);
  return e;
}

NatEntry *
nat_entry_new (NatBox *nat, const FlowKey *inside, guint32 public_ip,
               guint16 public_port, gboolean init_in, gboolean picked_up,
               guint8 state, guint32 flow)
{
  guint32 id;
  NatEntry *e = nat_entry_alloc (nat, &id);
  SimTime now = sim_now (nat->sim);
  NatMapping m;
  gsize live;

  e->inside = *inside;
  e->reply = (FlowKey) { inside->dst_ip, public_ip, inside->dst_port, public_port };
  e->created_at = e->last_seen = now;
  e->state = state;
  e->flow = flow;
  if (init_in)
    e->bits |= NAT_E_INIT_IN;
  if (picked_up)
    e->bits |= NAT_E_PICKED_UP;

  /* Callers checked both tuples are free (lookups reaped stale holders). */
  if (nat_peek_inside (nat, &e->inside) != NULL
      || nat_peek_reply (nat, &e->reply) != NULL)
    g_error ("nat %s: duplicate tuple in the mapping table", nat->name);
  flow_table_add (&nat->by_inside, id, nat_inside_key, nat);
  flow_table_add (&nat->by_reply, id, nat_reply_key, nat);
  nat->n_entries++;
  nat_ports_hold (nat, e);

  e->list = nat->class_list[nat_entry_class (nat, e)];
  nat_list_append (nat, e, id);

  nat->stats.created++;
  if (picked_up)
    nat->stats.picked_up++;
  live = nat_live (nat);
  nat->peak = MAX (nat->peak, live);
  if (nat->ops.on_new != NULL)
    {
      nat_entry_view (nat, e, &m);
      nat->ops.on_new (nat->owner, nat, &m);
    }
  return e;
}

/* Removes @e from every structure, reports it and frees it.  The entry is
 * gone before on_end runs, so the callback sees a consistent table. */
void
nat_entry_end (NatBox *nat, NatEntry *e, SimTime at, NatEndReason why)
{
  NatMapping m;
  guint32 id;

  id = nat_entry_id (nat, e);
  nat_list_unlink (nat, e);
  flow_table_remove (&nat->by_inside, id, nat_inside_key, nat);
  flow_table_remove (&nat->by_reply, id, nat_reply_key, nat);
  nat->n_entries--;
  nat_ports_release (nat, e);
  nat_entry_view (nat, e, &m);
  e->next = nat->free_head;
  e->bits |= NAT_E_FREE;
  nat->free_head = id;

  if (nat->ops.on_end != NULL)
    nat->ops.on_end (nat->owner, nat, &m, at, why);
}

/* Hands a packet the box built to the inside (@towards_dir = NAT_DIR_IN)
 * or the outside (NAT_DIR_OUT). */
void
nat_send (NatBox *nat, Packet *p, guint towards_dir)
{
  void (*out) (void *, NatBox *, Packet *) =
    towards_dir == NAT_DIR_IN ? nat->ops.to_inside : nat->ops.to_outside;

  if (out != NULL)
    out (nat->owner, nat, p);
  else
    packet_free (nat->pool, p);
}

/* A segment forged by the box on behalf of one end (S28).  Towards the
 * inside it looks like it comes from the remote end, towards the outside
 * like it comes from the public address. */
static void
nat_forge (NatBox *nat, const NatEntry *e, guint towards_dir, guint8 flags,
           guint32 seq, guint32 ack)
{
  Packet *p = packet_new (nat->pool);

  p->key = towards_dir == NAT_DIR_IN ? flow_key_reverse (e->inside)
                                     : flow_key_reverse (e->reply);
  p->seq = seq;
  p->ack = ack;
  p->flags = flags;
  p->window = G_MAXUINT16;
  p->origin = PACKET_ORIGIN_MIDDLEBOX;
  p->flow = e->flow;
  if (flags & TCP_RST)
    nat->stats.rst_sent++;
  nat_send (nat, p, towards_dir);
}

/* One round of dead connection detection, the first one starting it: to
 * each end, what a keep-alive probe from its peer would look like (S4:
 * seq = peer's snd_nxt - 1), so a live end answers with a duplicate ACK;
 * then @e waits one probe_interval in the probe list.  The packets go
 * before the entry is re-queued, an order that the sequence numbers of
 * same-instant events record. */
static void
nat_probe_round (NatBox *nat, NatEntry *e)
{
  guint32 id;

  /* What lets nat_entry_due count rounds instead of storing the time. */
  g_assert (nat_entry_due (nat, e) == sim_now (nat->sim));
  nat_forge (nat, e, NAT_DIR_IN, TCP_ACK,
             e->end[NAT_DIR_IN] - 1, e->end[NAT_DIR_OUT]);
  nat_forge (nat, e, NAT_DIR_OUT, TCP_ACK,
             e->end[NAT_DIR_OUT] - 1, e->end[NAT_DIR_IN]);
  /* Unlinked before PROBING is set: that bit says which list holds @e. */
  id = nat_entry_id (nat, e);
  nat_list_unlink (nat, e);
  if (!(e->bits & NAT_E_PROBING))
    {
      e->bits |= NAT_E_PROBING;
      e->bits &= ~(NAT_E_ANS0 | NAT_E_ANS1);
      e->probes_left = (guint8) MIN (nat->cfg.probe_count, G_MAXUINT8);
    }
  e->probes_left--;
  nat_list_append (nat, e, id);
}

/* S28 rst / fin at the expiry instant.  The RST to an end carries the
 * other end's next sequence number, i.e. the receiver's rcv_nxt. */
static void
nat_expiry_action (NatBox *nat, const NatEntry *e)
{
  gboolean in_ok = (e->bits & NAT_E_END_OK1) != 0;
  gboolean out_ok = (e->bits & NAT_E_END_OK0) != 0;

  if (e->state != NAT_TCP_ESTABLISHED && e->state != NAT_TCP_FIN_WAIT)
    return;
  switch (nat->cfg.on_expiry)
    {
    case NAT_EXPIRY_RST:
      if (in_ok)
        nat_forge (nat, e, NAT_DIR_IN, TCP_RST | (out_ok ? TCP_ACK : 0),
                   e->end[NAT_DIR_IN], out_ok ? e->end[NAT_DIR_OUT] : 0);
      if (out_ok)
        nat_forge (nat, e, NAT_DIR_OUT, TCP_RST | (in_ok ? TCP_ACK : 0),
                   e->end[NAT_DIR_OUT], in_ok ? e->end[NAT_DIR_IN] : 0);
      break;
    case NAT_EXPIRY_FIN:
      if (in_ok && out_ok)
        nat_forge (nat, e, NAT_DIR_IN, TCP_FIN | TCP_ACK,
                   e->end[NAT_DIR_IN], e->end[NAT_DIR_OUT]);
      break;
    default:
      break;
    }
}

/* Acts on an entry whose due time has come (nat_entry_due <= now):
 * deletes it (reporting at = its deadline), or, with on_expiry = probe,
 * starts or continues probing.  Returns TRUE if the entry is still there. */
gboolean
nat_entry_service (NatBox *nat, NatEntry *e)
{
  SimTime due = nat_entry_due (nat, e);

  g_assert (due <= sim_now (nat->sim));
  if (e->bits & NAT_E_PROBING)
    {
      if (e->probes_left > 0)
        {
          nat_probe_round (nat, e);
          return TRUE;
        }
      /* Probes ran out without both ends answering: the flow goes now,
       * at last_seen + T + probe_count * probe_interval. */
      nat->stats.expired++;
      nat_entry_end (nat, e, due, NAT_END_EXPIRED);
      return FALSE;
    }
  if (nat_entry_probeable (nat, e))
    {
      nat_probe_round (nat, e);
      return TRUE;
    }
  nat_expiry_action (nat, e);
  nat->stats.expired++;
  nat_entry_end (nat, e, due, nat_entry_end_reason (e));
  return FALSE;
}

static void
nat_on_timer (SimTimer *timer, void *data)
{
  NatBox *nat = data;
  SimTime now = sim_now (nat->sim);
  guint budget = NAT_SWEEP_BUDGET;
  SimTime due = 0;
  NatEntry *e;

  while ((e = nat_earliest (nat, &due)) != NULL && due <= now)
    {
      if (budget-- == 0)
        {
          /* More are due at this instant: finish them in another event at
           * the same time, so one firing stays short (S22). */
          sim_timer_start (&nat->timer, now);
          return;
        }
      nat_entry_service (nat, e);
    }
  if (e != NULL)
    sim_timer_start (&nat->timer, due);
  else
    sim_timer_stop (&nat->timer);
}

/* @e (found by a hash lookup, maybe NULL) if it is live now, else NULL.
 * A due entry is acted on first, exactly as the box timer would (S21):
 * that is what makes same-instant event order irrelevant. */
static NatEntry *
nat_find (NatBox *nat, NatEntry *e)
{
  if (e == NULL)
    return NULL;
  if (nat_entry_due (nat, e) <= sim_now (nat->sim)
      && !nat_entry_service (nat, e))
    return NULL;
  return e;
}

NatEntry *
nat_find_inside (NatBox *nat, const FlowKey *key)
{
  return nat_find (nat, nat_peek_inside (nat, key));
}

NatEntry *
nat_find_reply (NatBox *nat, const FlowKey *key)
{
  return nat_find (nat, nat_peek_reply (nat, key));
}

NatEntry *
nat_find_hinted (NatBox *nat, const FlowKey *key, guint dir, guint32 *hint)
{
  NatEntry *e = hint != NULL ? nat_hinted (nat, *hint, key, dir) : NULL;
  guint32 id = e != NULL ? *hint : NAT_NONE;

  if (e == NULL)
    {
      if (dir == NAT_DIR_OUT)
        id = flow_table_lookup (&nat->by_inside, key, nat_inside_key, nat);
      else
        id = flow_table_lookup (&nat->by_reply, key, nat_reply_key, nat);
      e = id != FLOW_TABLE_NONE ? nat_entry_at (nat, id) : NULL;
    }
  e = nat_find (nat, e);
  if (e != NULL && hint != NULL)
    *hint = id;
  return e;
}

/* Live entries at now: the table minus those due now and not yet reaped
 * (only possible within the instant their deadline falls on).  Costs
 * O(lists + entries due now). */
gsize
nat_live (const NatBox *nat)
{
  SimTime now = sim_now (nat->sim);
  gsize n = nat->n_entries;

  for (guint i = 0; i < nat->n_lists; i++)
    for (const NatEntry *e = nat_entry_or_null (nat, nat->lists[i].head);
         e != NULL && nat_entry_due (nat, e) <= now;
         e = nat_entry_or_null (nat, e->next))
      if (nat_entry_gone_at (nat, e, now))
        n--;
  return n;
}

/* One list per distinct timeout value (S21 note in nat.h). */
void
nat_table_init (NatBox *nat)
{
  const NatConfig *c = &nat->cfg;
  SimTime t[NAT_CLASS_N];

  t[NAT_CLASS_ESTABLISHED] = c->established_timeout;
  t[NAT_CLASS_TRANSITORY] = c->transitory_timeout;
  t[NAT_CLASS_CLOSE] = c->close_timeout;
  t[NAT_CLASS_TIME_WAIT] = c->time_wait_timeout;
  /* Unused classes borrow a list that exists anyway. */
  t[NAT_CLASS_CLAMP] = c->clamp_timeout > 0 ? c->clamp_timeout : c->established_timeout;
  t[NAT_CLASS_PROBE] = c->on_expiry == NAT_EXPIRY_PROBE && c->probe_interval > 0
                     ? c->probe_interval : c->established_timeout;

  nat->n_lists = 0;
  for (guint cls = 0; cls < NAT_CLASS_N; cls++)
    {
      guint i;
      for (i = 0; i < nat->n_lists && nat->lists[i].timeout != t[cls]; i++)
        ;
      if (i == nat->n_lists)
        nat->lists[nat->n_lists++] = (NatList) { t[cls], NAT_NONE, NAT_NONE };
      nat->class_list[cls] = (guint8) i;
    }

  nat->free_head = NAT_NONE;
  flow_table_init (&nat->by_inside);
  flow_table_init (&nat->by_reply);
  sim_timer_init (&nat->timer, nat->sim, nat_on_timer, nat);
}

/* Frees every entry without callbacks (nat_free). */
void
nat_table_clear (NatBox *nat)
{
  sim_timer_stop (&nat->timer);
  for (guint i = 0; i < nat->n_lists; i++)
    nat->lists[i].head = nat->lists[i].tail = NAT_NONE;
  for (guint32 i = 0; i < nat->n_slabs; i++)
    sim_mem_free (nat->slab[i], NAT_SLAB, sizeof (NatEntry));
  g_clear_pointer (&nat->slab, g_free);
  nat->n_slabs = nat->n_ids = 0;
  nat->free_head = NAT_NONE;
  nat->n_entries = 0;
  flow_table_clear (&nat->by_inside);
  flow_table_clear (&nat->by_reply);
}

/* S32: the table is wiped now.  Entries whose deadline is exactly now
 * expired first and are reported as such (with their expiry action); the
 * rest end NAT_END_REBOOT at now.  Lists are walked in index order, head
 * first, never the hash tables, so the on_end order repeats. */
void
nat_reboot (NatBox *nat)
{
  SimTime now;

  g_return_if_fail (nat != NULL);
  now = sim_now (nat->sim);
  for (guint i = 0; i < nat->n_lists; i++)
    while (nat->lists[i].head != NAT_NONE)
      {
        NatEntry *e = nat_entry_at (nat, nat->lists[i].head);
        if (nat_entry_gone_at (nat, e, now))
          nat_entry_service (nat, e);
        else
          nat_entry_end (nat, e, now, NAT_END_REBOOT);
      }
  sim_timer_stop (&nat->timer);
  /* A rebooted box forgets where its sequential allocator stood. */
  nat_ports_reset (nat);
}
