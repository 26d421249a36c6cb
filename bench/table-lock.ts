// Sessions that take ACCESS EXCLUSIVE on a table: the first holds it, the others queue behind it (as when a
// migration or a manual VACUUM FULL waits), until released.
import pg from 'pg';

export interface TableLock {
  /** Ends every session's transaction, the queued ones as soon as they get the lock in turn. */
  release(): Promise<void>;
}

export async function lockTable(url: string, table: string, sessions: number): Promise<TableLock> {
  const clients: pg.Client[] = [];
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const held: Array<Promise<unknown>> = [];
  for (let i = 0; i < sessions; i++) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    clients.push(client);
    await client.query('BEGIN');
    const locked = client.query(`LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE`);
    if (i === 0) await locked;
    held.push(locked.then(() => released).then(() => client.query('ROLLBACK')));
  }
  return {
    async release() {
      release();
      await Promise.allSettled(held);
      await Promise.allSettled(clients.map((client) => client.end()));
    },
  };
}
