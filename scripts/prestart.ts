// npm prestart: the dashboard and the server are built when missing or older than their sources.
import { ensureClientBuilt } from '../client/scripts/ensure-built.ts';
import { ensureServerBuilt } from './ensure-server-built.ts';

try {
  const [client, server] = [await ensureClientBuilt(), await ensureServerBuilt()];
  if (client === 'fresh' && server === 'fresh') console.log('vigie: dashboard and server builds are up to date');
} catch (error) {
  console.error(`vigie: building failed: ${(error as Error).message}`);
  process.exit(1);
}
