// The migration that brought status pages (015): an installation upgraded with monitors keeps its /status, as the
// default page listing the monitors it had; a new installation starts with an empty default page.
import { afterEach, describe, expect, it } from 'vitest';
import { findStatusPage, insertMonitor, migrate, type Db } from '../../server/db/index.ts';
import { readMigrations } from '../../server/db/migrations.ts';
import { emptyDb as openEmptyDb } from '../helpers/empty-db.ts';
import { monitorSettings } from '../helpers/factories.ts';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function emptyDb(): Promise<Db> {
  const { db, drop } = await openEmptyDb();
  cleanups.push(drop);
  return db;
}

const before015 = () => readMigrations().filter((migration) => migration.name < '015');

describe('the status pages migration', () => {
  it('lists the monitors an installation had on its default page, by name', async () => {
    const db = await emptyDb();
    await migrate(db, before015());
    // Written as the monitors were before 015 (no badge columns yet).
    for (const name of ['Website', 'API']) {
      const settings = monitorSettings({ name, paused: true });
      await db.query(
        `INSERT INTO monitoring.moniteurs (nom, type, cible, intervalle_secondes, timeout_secondes, seuil_lent_ms, en_pause)
         VALUES ($1, $2, $3, $4, $5, $6, true)`,
        [
          settings.name,
          settings.kind,
          settings.target,
          settings.intervalSeconds,
          settings.timeoutSeconds,
          settings.slowThresholdMs,
        ],
      );
    }
    await migrate(db);
    const page = await findStatusPage(db, null);
    const { rows } = await db.query<{ id: number; nom: string }>('SELECT id, nom FROM monitoring.moniteurs');
    const id = (name: string) => rows.find((row) => row.nom === name)!.id;
    expect(page).toMatchObject({
      slug: 'status',
      title: 'Status',
      isDefault: true,
      sections: [{ name: 'Services', monitorIds: [id('API'), id('Website')] }],
    });
    // Monitors made afterwards are not public until a page lists them.
    await insertMonitor(db, monitorSettings({ name: 'Later', paused: true }));
    expect((await findStatusPage(db, null))!.sections[0]!.monitorIds).toHaveLength(2);
  });

  it('gives a new installation an empty default page', async () => {
    const db = await emptyDb();
    await migrate(db);
    expect(await findStatusPage(db, null)).toMatchObject({ slug: 'status', isDefault: true, sections: [] });
  });
});
