// Maintenance windows: during one, checks run and are stored, but nothing is notified.
import { CronExpressionParser } from 'cron-parser';
import { z } from 'zod';
import type { Db } from '../db/index.ts';
import {
  deleteMaintenance,
  findMissingMonitorIds,
  getMaintenance,
  insertMaintenance,
  listMaintenances,
  updateMaintenance,
} from '../db/index.ts';
import { NotFoundError, ValidationError } from '../errors.ts';
import { isoInstant, parseInput, recordId } from '../validation.ts';
import type { MaintenanceWindow } from '../types/index.ts';

/** When a window happens: one-off (startsAt/endsAt) or recurring (cron, durationMinutes, timeZone). */
export type MaintenanceSchedule = Pick<
  MaintenanceWindow,
  'startsAt' | 'endsAt' | 'cron' | 'durationMinutes' | 'timeZone'
>;

export interface MaintenanceOccurrence {
  startsAt: Date;
  endsAt: Date;
}

/** The occurrence open at `at` (its start included, its end not), or null. */
export function currentOccurrence(window: MaintenanceSchedule, at: Date): MaintenanceOccurrence | null {
  if (window.startsAt && window.endsAt) {
    return window.startsAt <= at && at < window.endsAt ? { startsAt: window.startsAt, endsAt: window.endsAt } : null;
  }
  if (!window.cron || !window.durationMinutes) return null;
  // The latest start at or before `at` (a start exactly at `at` counts), then whether `at` is within its length.
  const expression = CronExpressionParser.parse(window.cron, {
    currentDate: new Date(at.getTime() + 1),
    tz: window.timeZone,
  });
  const lastStart = expression.prev().toDate();
  const end = new Date(lastStart.getTime() + window.durationMinutes * 60_000);
  return at < end ? { startsAt: lastStart, endsAt: end } : null;
}

/** The next `count` occurrences starting after `from` (a one-off window: itself, until it has ended). */
export function upcomingOccurrences(window: MaintenanceSchedule, from: Date, count: number): MaintenanceOccurrence[] {
  if (window.startsAt && window.endsAt) {
    return window.startsAt > from ? [{ startsAt: window.startsAt, endsAt: window.endsAt }] : [];
  }
  if (!window.cron || !window.durationMinutes) return [];
  const expression = CronExpressionParser.parse(window.cron, { currentDate: from, tz: window.timeZone });
  return Array.from({ length: count }, () => {
    const startsAt = expression.next().toDate();
    return { startsAt, endsAt: new Date(startsAt.getTime() + window.durationMinutes! * 60_000) };
  });
}

/** The first time a cron schedule fires strictly after `after` (ms since the epoch), in its time zone. */
export function nextCronRun(cron: string, timeZone: string, after: number): number {
  return CronExpressionParser.parse(cron, { currentDate: new Date(after), tz: timeZone })
    .next()
    .getTime();
}

export function isWindowActive(window: MaintenanceWindow, at: Date): boolean {
  return currentOccurrence(window, at) !== null;
}

/** A time zone the runtime knows (IANA name, e.g. Europe/Paris). */
function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/**
 * Checks a recurring schedule: a valid cron expression with a next start, in a known time zone. An unknown zone
 * used to pass (cron-parser accepts it, then fails computing a date), and every monitor list failed with it.
 */
export function checkRecurringSchedule(cron: string, timeZone: string): void {
  if (!isTimeZone(timeZone))
    throw new ValidationError(`"${timeZone.slice(0, 100)}" is not a known time zone`, 'timeZone');
  // cron-parser fills missing fields from the left ("0 3 * *" would mean every minute of 03:00 on the 3rd): a typo
  // must not silently open a window every minute.
  const fields = cron.trim().split(/\s+/).length;
  if (!cron.trim().startsWith('@') && fields !== 5 && fields !== 6) {
    throw new ValidationError(
      `is not a valid cron expression: it needs 5 fields (minute hour day month weekday), or 6 with seconds first; got ${fields}`,
      'cron',
    );
  }
  try {
    CronExpressionParser.parse(cron, { tz: timeZone }).next();
  } catch (error) {
    throw new ValidationError(`is not a valid cron expression: ${(error as Error).message}`, 'cron');
  }
}

const scheduleInput = z.strictObject({
  cron: z.string({ error: 'must be a cron expression' }).max(200, 'must be at most 200 characters'),
  durationMinutes: z.number({ error: 'must be a number of minutes' }).int().min(1).max(10_080),
  timeZone: z.string().max(100).optional(),
  count: z.number().int().min(1, 'must be at least 1').max(50, 'must be at most 50').optional(),
});

/** The next occurrences of a recurring schedule being written (a form shows them as one types), checked. */
export function previewSchedule(input: unknown, from = new Date()): MaintenanceOccurrence[] {
  const { cron, durationMinutes, timeZone = 'UTC', count = 5 } = parseInput(scheduleInput, input);
  checkRecurringSchedule(cron, timeZone);
  return upcomingOccurrences({ startsAt: null, endsAt: null, cron, durationMinutes, timeZone }, from, count);
}

/** What decides whether a window covers a monitor: its id and its tags. */
export interface CoveredMonitor {
  id: number;
  tags: readonly string[];
}

/**
 * Whether a window covers a monitor: it names the monitor, or one of its tags, or it names neither monitors nor
 * tags (every monitor). SQL filters by the same rule: monitoring.maintenance_couvre (sql/023).
 */
export function windowCovers(window: Pick<MaintenanceWindow, 'monitorIds' | 'tags'>, monitor: CoveredMonitor): boolean {
  if (window.monitorIds.length === 0 && window.tags.length === 0) return true;
  return window.monitorIds.includes(monitor.id) || window.tags.some((tag) => monitor.tags.includes(tag));
}

/** Whether a window covering the monitor is open at `at`. */
export function isInMaintenance(windows: MaintenanceWindow[], monitor: CoveredMonitor, at: Date): boolean {
  return windows.some((window) => windowCovers(window, monitor) && isWindowActive(window, at));
}

/** The one monitor a window names, for the deprecated single-monitor fields (monitorId, moniteur_id); else null. */
export function singleMonitorId(window: Pick<MaintenanceWindow, 'monitorIds' | 'tags'>): number | null {
  return window.monitorIds.length === 1 && window.tags.length === 0 ? window.monitorIds[0]! : null;
}

const MAX_WINDOW_MONITORS = 1_000;
const MAX_WINDOW_TAGS = 50;

/** A window's fields and their types, before the schedule is checked whole (parseMaintenanceInput). */
export const maintenanceFields = z.strictObject({
  name: z.string({ error: 'must be a string' }).trim().min(1, 'is required').max(200, 'must be at most 200 characters'),
  /** Deprecated: one monitor (monitorIds: [id]), or null for every monitor; it clears tags unless they are given. */
  monitorId: recordId('must be a monitor id').nullable().optional(),
  monitorIds: z
    .array(recordId('must be a monitor id'), { error: 'must be a list of monitor ids' })
    .max(MAX_WINDOW_MONITORS, `must list at most ${MAX_WINDOW_MONITORS} monitors`)
    .nullable()
    .optional(),
  tags: z
    .array(
      z
        .string({ error: 'must be a string' })
        .trim()
        .min(1, 'tags cannot be empty')
        .max(50, 'must be at most 50 characters'),
      { error: 'must be a list of strings' },
    )
    .max(MAX_WINDOW_TAGS, `must list at most ${MAX_WINDOW_TAGS} tags`)
    .nullable()
    .optional(),
  startsAt: isoInstant('must be an ISO-8601 date between the years 0001 and 9999').nullable().optional(),
  endsAt: isoInstant('must be an ISO-8601 date between the years 0001 and 9999').nullable().optional(),
  cron: z
    .string({ error: 'must be a cron expression' })
    .max(200, 'must be at most 200 characters')
    .nullable()
    .optional(),
  durationMinutes: z.number({ error: 'must be a number of minutes' }).int().min(1).max(10_080).nullable().optional(),
  timeZone: z.string().max(100).optional(),
});

const maintenanceInput = maintenanceFields.transform((value) => ({
  name: value.name,
  monitorIds: [
    ...new Set(
      value.monitorId === undefined ? (value.monitorIds ?? []) : value.monitorId === null ? [] : [value.monitorId],
    ),
  ],
  tags: [...new Set(value.tags ?? [])],
  startsAt: value.startsAt ?? null,
  endsAt: value.endsAt ?? null,
  cron: value.cron ?? null,
  durationMinutes: value.durationMinutes ?? null,
  timeZone: value.timeZone ?? 'UTC',
}));

/** A new window, as the edges (REST, GraphQL) hand it to the service. */
export type MaintenanceWindowInput = Omit<MaintenanceWindow, 'id' | 'createdAt'>;

/** A new window from an edge's input, checked whole (one-off or recurring, a valid cron in its time zone). */
export function parseMaintenanceInput(input: unknown): MaintenanceWindowInput {
  const given = input as { monitorId?: unknown; monitorIds?: unknown } | null;
  if (given && typeof given === 'object' && given.monitorId != null && given.monitorIds != null) {
    throw new ValidationError('give monitorId or monitorIds, not both', 'monitorIds', ['monitorId']);
  }
  const window = parseInput(maintenanceInput, input);
  if (window.cron) {
    if (!window.durationMinutes) throw new ValidationError('is required with a cron expression', 'durationMinutes');
    if (window.startsAt || window.endsAt) {
      throw new ValidationError('give either a cron expression or startsAt/endsAt, not both', 'cron', [
        'startsAt',
        'endsAt',
      ]);
    }
    checkRecurringSchedule(window.cron, window.timeZone);
  } else {
    if (!window.startsAt) throw new ValidationError('is required (or give a cron expression)', 'startsAt');
    if (!window.endsAt) throw new ValidationError('is required (or give a cron expression)', 'endsAt');
    if (window.endsAt <= window.startsAt) throw new ValidationError('must be after startsAt', 'endsAt', ['startsAt']);
    if (window.durationMinutes) throw new ValidationError('only goes with a cron expression', 'durationMinutes');
  }
  return window;
}

/** Unknown monitors are refused with their ids named (the database trigger is the last line of defence). */
async function refuseUnknownMonitors(db: Db, window: MaintenanceWindowInput): Promise<void> {
  const missing = await findMissingMonitorIds(db, window.monitorIds);
  if (missing.length > 0) throw unknownMonitors(missing);
}

function unknownMonitors(ids: Array<number | string>): ValidationError {
  return new ValidationError(
    ids.length === 1 ? `monitor ${ids[0]} does not exist` : `monitors ${ids.join(', ')} do not exist`,
    'monitorIds',
  );
}

/** A monitor deleted between the check and the write: the trigger's refusal, with the ids it names. */
function refusedByDatabase(error: unknown, window: MaintenanceWindowInput): never {
  const { code, detail } = error as { code?: string; detail?: string };
  if (code === '23503') throw unknownMonitors(detail ? detail.split(',') : window.monitorIds);
  throw error;
}

export async function createMaintenance(db: Db, window: MaintenanceWindowInput): Promise<MaintenanceWindow> {
  await refuseUnknownMonitors(db, window);
  try {
    return await insertMaintenance(db, window);
  } catch (error) {
    refusedByDatabase(error, window);
  }
}

export function maintenanceWindows(db: Db, monitorIds: number[] | null = null): Promise<MaintenanceWindow[]> {
  return listMaintenances(db, monitorIds);
}

export async function replaceMaintenance(
  db: Db,
  id: number,
  window: MaintenanceWindowInput,
): Promise<MaintenanceWindow> {
  await refuseUnknownMonitors(db, window);
  let updated: MaintenanceWindow | null;
  try {
    updated = await updateMaintenance(db, id, window);
  } catch (error) {
    refusedByDatabase(error, window);
  }
  if (!updated) throw new NotFoundError(`maintenance window ${id} does not exist`);
  return updated;
}

/**
 * A window changed: the fields `changes` gives replace the window's (null clears one), and the result is checked
 * whole like a new window before one UPDATE writes it (nothing is changed when it is refused).
 */
export async function changeMaintenance(db: Db, id: number, changes: unknown): Promise<MaintenanceWindow> {
  if (!changes || typeof changes !== 'object' || Array.isArray(changes)) {
    throw new ValidationError('expected an object of the fields to change', 'input');
  }
  const current = await getMaintenance(db, id);
  if (!current) throw new NotFoundError(`maintenance window ${id} does not exist`);
  const { id: _id, createdAt: _createdAt, ...fields } = current;
  const given: Record<string, unknown> = Object.fromEntries(
    Object.entries(changes).filter(([, value]) => value !== undefined),
  );
  // The deprecated monitorId replaces what the window covers: that monitor (or every monitor when null).
  if ('monitorId' in given && !('monitorIds' in given)) {
    const { monitorId, ...rest } = given;
    return replaceMaintenance(
      db,
      id,
      parseMaintenanceInput({ ...fields, tags: [], ...rest, monitorIds: undefined, monitorId }),
    );
  }
  return replaceMaintenance(db, id, parseMaintenanceInput({ ...fields, ...given }));
}

export async function removeMaintenance(db: Db, id: number): Promise<void> {
  if (!(await deleteMaintenance(db, id))) throw new NotFoundError(`maintenance window ${id} does not exist`);
}

/** Maintenance windows as the APIs and /metrics read and change them. */
export interface MaintenanceService {
  /** Every window, or those covering any of the given monitors (by id, by tag, or for every monitor). */
  list(monitorIds?: number[] | null): Promise<MaintenanceWindow[]>;
  create(window: MaintenanceWindowInput): Promise<MaintenanceWindow>;
  /** The given fields change (null clears one); the window is checked whole, as a new one. */
  change(id: number, changes: unknown): Promise<MaintenanceWindow>;
  remove(id: number): Promise<void>;
}

export function createMaintenanceService(db: Db): MaintenanceService {
  return {
    list: (monitorIds = null) => maintenanceWindows(db, monitorIds),
    create: (window) => createMaintenance(db, window),
    change: (id, changes) => changeMaintenance(db, id, changes),
    remove: (id) => removeMaintenance(db, id),
  };
}
