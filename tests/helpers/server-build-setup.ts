// Once per run, before any test file: the compiled server that the tests' service processes run (as npm start
// does) is made fresh, so that test files starting services in parallel never build it at the same time.
import { ensureServerBuilt } from '../../scripts/ensure-server-built.ts';

export default async function setup(): Promise<void> {
  await ensureServerBuilt();
}
