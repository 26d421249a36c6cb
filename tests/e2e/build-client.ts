// Global setup of the e2e project: the dashboard must be built (client/dist) before a browser opens it.
import { ensureClientBuilt } from '../../client/scripts/ensure-built.ts';

export default async function setup(): Promise<void> {
  const outcome = await ensureClientBuilt();
  if (outcome === 'skipped') throw new Error('the e2e tests need the dashboard built, and vite is not installed');
}
