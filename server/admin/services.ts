// Services as the site owner manages them, and which specialists offer them. Bookings copy the
// terms they were made under (bookings.service_terms), so editing or archiving a service never
// rewrites history.
import type { AdminService, ServiceCreate, ServiceUpdate } from '../../shared/admin.ts';
import type { Db } from '../db/pool.ts';
import type { Service, ServiceUpdate as ServiceRowUpdate } from '../db/schema.ts';
import { badRequest, notFound } from '../http/errors.ts';
import { guardSlug, inTransaction, iso, linkedIds, lookupKey, type ArchiveFilter, type WriteContext } from './store.ts';
import { checkServiceRules, checkSlug, type ServiceRuleInput } from './validate.ts';

type ServiceValues = Required<Omit<ServiceCreate, 'slug' | 'name'>>;

/** What an omitted field means on create. */
const DEFAULTS: Omit<ServiceValues, 'durationMin' | 'slotStepMin'> = {
  description: '', priceCents: null, currency: null, bufferBeforeMin: 0, bufferAfterMin: 0,
  minNoticeMin: 120, horizonDays: 60, maxPerDay: null, requiresApproval: false, cancellationPolicy: 'flexible', payment: 'none',
  intakeQuestions: [], videoEnabled: true, recordingEnabled: false,
};

/** A start every 15 minutes, which the slot-step rule allows once a booking blocks at least that long. */
export const DEFAULT_STEP_MIN = 15;

function defaultStep(s: Pick<ServiceValues, 'durationMin' | 'bufferBeforeMin' | 'bufferAfterMin'>): number | null {
  return s.durationMin + s.bufferBeforeMin + s.bufferAfterMin >= DEFAULT_STEP_MIN ? DEFAULT_STEP_MIN : null;
}

function toRecord(row: Service, specialists: string[]): AdminService {
  return {
    id: row.id, slug: row.slug, name: row.name, description: row.description, durationMin: row.duration_min,
    priceCents: row.price_cents, currency: row.currency, bufferBeforeMin: row.buffer_before_min, bufferAfterMin: row.buffer_after_min,
    slotStepMin: row.slot_step_min, minNoticeMin: row.min_notice_min, horizonDays: row.horizon_days, maxPerDay: row.max_per_day,
    requiresApproval: row.requires_approval, cancellationPolicy: row.cancellation_policy, payment: row.payment, intakeQuestions: row.intake_questions,
    videoEnabled: row.video_enabled, recordingEnabled: row.recording_enabled, specialists,
    archivedAt: iso(row.archived_at), createdAt: row.created_at.toISOString(), updatedAt: row.updated_at.toISOString(),
  };
}

function ruleInput(row: Service): ServiceRuleInput {
  return {
    durationMin: row.duration_min, bufferBeforeMin: row.buffer_before_min, bufferAfterMin: row.buffer_after_min,
    slotStepMin: row.slot_step_min, minNoticeMin: row.min_notice_min, horizonDays: row.horizon_days,
    priceCents: row.price_cents, currency: row.currency, intakeQuestions: row.intake_questions,
    videoEnabled: row.video_enabled, recordingEnabled: row.recording_enabled, payment: row.payment,
  };
}

/** Column values of a (partial) service; undefined keys are left alone by Kysely. */
function columns(v: Partial<ServiceValues> & { slug?: string; name?: string }): ServiceRowUpdate {
  return {
    slug: v.slug, name: v.name, description: v.description, duration_min: v.durationMin, price_cents: v.priceCents,
    currency: v.currency, buffer_before_min: v.bufferBeforeMin, buffer_after_min: v.bufferAfterMin, slot_step_min: v.slotStepMin,
    min_notice_min: v.minNoticeMin, horizon_days: v.horizonDays, max_per_day: v.maxPerDay, requires_approval: v.requiresApproval,
    cancellation_policy: v.cancellationPolicy as Service['cancellation_policy'] | undefined,
    payment: v.payment,
    intake_questions: v.intakeQuestions === undefined ? undefined : JSON.stringify(v.intakeQuestions),
    video_enabled: v.videoEnabled, recording_enabled: v.recordingEnabled,
  };
}

const specialistsOf = (db: Db, serviceIds: string[]) => linkedIds(db, 'service_id', serviceIds);

export async function serviceRow(db: Db, idOrSlug: string, forUpdate = false): Promise<Service> {
  const { column, key } = lookupKey(idOrSlug);
  let q = db.selectFrom('services').selectAll().where(column, '=', key);
  if (forUpdate) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  if (!row) throw notFound('Service');
  return row;
}

export async function getService(db: Db, idOrSlug: string): Promise<AdminService> {
  const row = await serviceRow(db, idOrSlug);
  return toRecord(row, (await specialistsOf(db, [row.id])).get(row.id)!);
}

export async function listServices(db: Db, archived: ArchiveFilter = 'include'): Promise<AdminService[]> {
  let q = db.selectFrom('services').selectAll().orderBy('name').orderBy('id');
  if (archived === 'exclude') q = q.where('archived_at', 'is', null);
  if (archived === 'only') q = q.where('archived_at', 'is not', null);
  const rows = await q.execute();
  const specialists = await specialistsOf(db, rows.map((r) => r.id));
  return rows.map((r) => toRecord(r, specialists.get(r.id)!));
}

export async function createService(db: Db, input: ServiceCreate, { now, paymentsEnabled = false }: WriteContext): Promise<AdminService> {
  checkSlug(input.slug);
  const merged = { ...DEFAULTS, ...withoutUndefined(input) };
  const values = checkServiceRules({ slotStepMin: defaultStep(merged), ...merged } as ServiceValues & { slug: string; name: string }, { paymentsEnabled });
  const at = new Date(now);
  const row = await guardSlug(db.insertInto('services').values({
    ...columns(values), slug: values.slug, name: values.name, duration_min: values.durationMin, created_at: at, updated_at: at,
  }).returningAll().executeTakeFirstOrThrow(), input.slug);
  return toRecord(row, []);
}

/** Applies a partial update; the cross-field rules are checked on the merged result. */
export async function updateService(db: Db, idOrSlug: string, patch: ServiceUpdate, { now, paymentsEnabled = false }: WriteContext): Promise<AdminService> {
  checkSlug(patch.slug);
  return inTransaction(db, async (trx) => {
    const current = await serviceRow(trx, idOrSlug, true);
    // Only a change that asks for online payment needs Stripe; other edits of a prepaid service
    // still work on a server whose keys were removed (its bookings then answer payments_unavailable).
    const needsStripe = patch.payment === 'prepay' && current.payment !== 'prepay';
    const merged = checkServiceRules({ ...ruleInput(current), ...withoutUndefined(patch) }, { paymentsEnabled: paymentsEnabled || !needsStripe });
    const changes = columns({ ...withoutUndefined(patch), currency: patch.currency === undefined ? undefined : merged.currency });
    const row = await guardSlug(trx.updateTable('services').set({ ...changes, updated_at: new Date(now) })
      .where('id', '=', current.id).returningAll().executeTakeFirstOrThrow(), patch.slug ?? current.slug);
    return toRecord(row, (await specialistsOf(trx, [row.id])).get(row.id)!);
  });
}

/** Archived services are offered no more; bookings made under them keep their terms. */
export async function setServiceArchived(db: Db, idOrSlug: string, archived: boolean, { now }: WriteContext): Promise<AdminService> {
  const current = await serviceRow(db, idOrSlug);
  if ((current.archived_at !== null) !== archived) {
    const at = new Date(now);
    await db.updateTable('services').set({ archived_at: archived ? at : null, updated_at: at }).where('id', '=', current.id).execute();
  }
  return getService(db, current.id);
}

/**
 * Replaces the set of specialists offering a service, named by id or slug like every other admin
 * route. Unknown ones are a 400 naming the entry; archived specialists may keep offering it
 * (history) but cannot be newly added.
 */
export async function setServiceSpecialists(db: Db, idOrSlug: string, specialists: string[], { now }: WriteContext): Promise<AdminService> {
  return inTransaction(db, async (trx) => {
    const service = await serviceRow(trx, idOrSlug, true);
    const current = new Set((await specialistsOf(trx, [service.id])).get(service.id)!);
    const keys = specialists.map(lookupKey);
    const ids = keys.filter((k) => k.column === 'id').map((k) => k.key);
    const slugs = keys.filter((k) => k.column === 'slug').map((k) => k.key);
    const found = keys.length === 0 ? [] : await trx.selectFrom('specialists').select(['id', 'slug', 'archived_at'])
      .where((eb) => eb.or([...(ids.length ? [eb('id', 'in', ids)] : []), ...(slugs.length ? [eb('slug', 'in', slugs)] : [])])).execute();
    const byKey = new Map(found.flatMap((r) => [[r.id, r], [r.slug, r]] as const));
    const wanted = new Set<string>();
    keys.forEach(({ key }, i) => {
      const row = byKey.get(key);
      if (!row) throw badRequest('unknown_specialist', `No specialist has the id or slug "${specialists[i]}".`, `body.specialistIds[${i}]`);
      if (row.archived_at !== null && !current.has(row.id)) {
        throw badRequest('specialist_archived', 'An archived specialist cannot start offering a service.', `body.specialistIds[${i}]`);
      }
      wanted.add(row.id);
    });
    const removed = [...current].filter((id) => !wanted.has(id));
    const added = [...wanted].filter((id) => !current.has(id));
    if (removed.length > 0) {
      await trx.deleteFrom('specialist_services').where('service_id', '=', service.id).where('specialist_id', 'in', removed).execute();
    }
    if (added.length > 0) {
      await trx.insertInto('specialist_services').values(added.map((specialist_id) => ({ specialist_id, service_id: service.id })))
        .onConflict((oc) => oc.doNothing()).execute();
    }
    if (removed.length + added.length > 0) {
      await trx.updateTable('services').set({ updated_at: new Date(now) }).where('id', '=', service.id).execute();
    }
    return getService(trx, service.id);
  });
}

function withoutUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
