// Housekeeping on the clock (node-schedule): reminders for monitors that stay DOWN.
import schedule from 'node-schedule';
import type { Logger } from 'pino';
import type { Db } from '../db/index.ts';
import { insertDueReminders } from '../db/index.ts';

export async function sendDueReminders(db: Db): Promise<number> {
  return db.transaction((tx) => insertDueReminders(tx));
}

/** Every minute, on the minute. Returns a function that cancels the job. */
export function scheduleReminders(db: Db, logger: Logger): () => void {
  const job = schedule.scheduleJob('vigie-reminders', '* * * * *', () => {
    sendDueReminders(db).then(
      (count) => count && logger.info({ count }, 'reminders raised for monitors still down'),
      (error: unknown) => logger.warn({ err: (error as Error).message }, 'could not raise reminders'),
    );
  });
  return () => job?.cancel();
}
