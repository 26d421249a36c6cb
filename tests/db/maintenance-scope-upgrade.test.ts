// The migration that lets a maintenance window cover several monitors and tags (023): a window of one monitor
// keeps covering that monitor (and goes with it), a window for every monitor stays one.
import { afterEach, expect, it } from 'vitest';
import { listMaintenances, migrate } from '../../server/db/index.ts';
import { readMigrations } from '../../server/db/migrations.ts';
import { emptyDb } from '../helpers/empty-db.ts';
import { monitorSettings } from '../helpers/factories.ts';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

it('turns moniteur_id into moniteurs: one monitor stays covered, NULL stays every monitor', async () => {
  const { db, drop } = await emptyDb();
  cleanups.push(drop);
  await migrate(
    db,
    readMigrations().filter((migration) => migration.name < '023'),
  );
  const ids: number[] = [];
  for (const name of ['Website', 'API']) {
    const settings = monitorSettings({ name, paused: true });
    const { rows } = await db.query<{ id: number }>(
      `INSERT INTO monitoring.moniteurs (nom, type, cible, intervalle_secondes, timeout_secondes, seuil_lent_ms, en_pause)
       VALUES ($1, $2, $3, $4, $5, $6, true) RETURNING id`,
      [
        name,
        settings.kind,
        settings.target,
        settings.intervalSeconds,
        settings.timeoutSeconds,
        settings.slowThresholdMs,
      ],
    );
    ids.push(rows[0]!.id);
  }
  // Written as windows were before 023.
  await db.query(
    `INSERT INTO monitoring.maintenances (nom, moniteur_id, cron, duree_minutes) VALUES
       ('Website only', $1, '0 3 * * *', 30), ('Everything', NULL, '0 4 * * *', 30)`,
    [ids[0]],
  );
  await migrate(db);

  const windows = await listMaintenances(db);
  expect(windows.map(({ name, monitorIds, tags }) => ({ name, monitorIds, tags }))).toEqual([
    { name: 'Website only', monitorIds: [ids[0]], tags: [] },
    { name: 'Everything', monitorIds: [], tags: [] },
  ]);
  // Still covered, by id: the API monitor is only under the window for everything.
  expect((await listMaintenances(db, [ids[1]!])).map((window) => window.name)).toEqual(['Everything']);
  // Its monitor deleted, the window goes with it, as moniteur_id's ON DELETE CASCADE did.
  await db.query('DELETE FROM monitoring.moniteurs WHERE id = $1', [ids[0]]);
  expect((await listMaintenances(db)).map((window) => window.name)).toEqual(['Everything']);
});
