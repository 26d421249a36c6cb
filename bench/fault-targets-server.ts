// Child process: the fault benchmark's loopback targets, one port on each of 127.0.0.1..3 (three hosts for the
// per-host cap). Paths: /ok · /slow/:ms · /hang (never answers) · /switch (200, or 500 once told to fail) ·
// anything else 200. Counts requests and the most in flight at once, per path kind and per address.
import type http from 'node:http';
import { LoopbackServers } from './loopback-server.ts';
import type { FaultTargetsCommand, FaultTargetsReady, FaultTargetsStats, PathStats } from './fault-targets.ts';

const ADDRESSES = ['127.0.0.1', '127.0.0.2', '127.0.0.3'];
let failing = false;
const stats = new Map<string, PathStats>();

function counted(key: string): PathStats {
  let entry = stats.get(key);
  if (!entry) stats.set(key, (entry = { requests: 0, inFlight: 0, maxInFlight: 0 }));
  return entry;
}

function handle(req: http.IncomingMessage, res: http.ServerResponse): void {
  const path = req.url ?? '/';
  const kind = path.split('/')[1] || 'root';
  const entries = [counted(kind), counted(`${req.socket.localAddress}/${kind}`)];
  for (const entry of entries) {
    entry.requests += 1;
    entry.inFlight += 1;
    entry.maxInFlight = Math.max(entry.maxInFlight, entry.inFlight);
  }
  let done = false;
  const finish = () => {
    if (done) return;
    done = true;
    for (const entry of entries) entry.inFlight -= 1;
  };
  res.once('close', finish);
  const answer = (status: number) => {
    res.writeHead(status, { 'content-type': 'text/plain', 'content-length': '2' });
    res.end('ok');
  };
  req.resume();
  if (kind === 'hang') return;
  if (kind === 'slow') {
    setTimeout(() => answer(200), Number(path.split('/')[2]) || 1000);
    return;
  }
  answer(kind === 'switch' && failing ? 500 : 200);
}

const servers = new LoopbackServers(handle);
for (const address of ADDRESSES) await servers.listen(address);

process.on('message', (message: FaultTargetsCommand) => {
  if (message.type === 'fail') {
    failing = message.failing;
    process.send?.({ type: 'ack' });
  } else if (message.type === 'stats') {
    const reply: FaultTargetsStats = { type: 'stats', paths: Object.fromEntries(stats) };
    process.send?.(reply);
  } else if (message.type === 'reset') {
    for (const entry of stats.values()) entry.maxInFlight = entry.inFlight;
    process.send?.({ type: 'ack' });
  } else if (message.type === 'stop') {
    servers.close();
    process.disconnect();
  }
});
// The orchestrator going away (even by a crash) takes the targets with it.
process.on('disconnect', () => process.exit(0));

const ready: FaultTargetsReady = { type: 'ready', urls: servers.urls };
process.send?.(ready);
