// VIGIE_CONFIG: the service applies its configuration file at start; a bad file stops the start with every problem.
import { readFile } from 'node:fs/promises';
import type { Logger } from 'pino';
import type { AddressPolicy } from '../checks/index.ts';
import type { Db } from '../db/index.ts';
import type { MonitorDefaults } from '../monitors/index.ts';
import { loadConfigText } from './load.ts';
import { applyConfig, formatPlan } from './plan.ts';

export async function applyConfigFile(
  db: Db,
  path: string,
  options: { monitorDefaults: MonitorDefaults; addressPolicy: AddressPolicy },
  logger: Logger,
): Promise<void> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new Error(`VIGIE_CONFIG: cannot read ${path}: ${(error as Error).message}`);
  }
  const desired = loadConfigText(text, path, options);
  const plan = await applyConfig(db, desired, options);
  logger.info(
    { file: path, changes: plan.changes.length, unchanged: plan.unchanged },
    `configuration applied\n${formatPlan(plan)}`,
  );
}
