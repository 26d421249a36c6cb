// Child process: loopback HTTP targets (a fast 200) on several addresses and ports, so checks spread 4-tuples.
import type http from 'node:http';
import { LoopbackServers } from './loopback-server.ts';
import type { TargetsReady, TargetsStats } from './protocol.ts';

const hosts = Number(process.argv[2] ?? 4);
const portsPerHost = Number(process.argv[3] ?? 2);
let requests = 0;

function handle(_req: http.IncomingMessage, res: http.ServerResponse): void {
  requests += 1;
  res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '2' });
  res.end('ok');
}

const servers = new LoopbackServers(handle);
for (let host = 1; host <= hosts; host++) {
  for (let i = 0; i < portsPerHost; i++) await servers.listen(`127.0.0.${host}`);
}

process.on('message', (message: unknown) => {
  if (message === 'stats') {
    const cpu = process.cpuUsage();
    const stats: TargetsStats = {
      type: 'stats',
      requests,
      cpu: { userMs: cpu.user / 1000, systemMs: cpu.system / 1000 },
    };
    process.send?.(stats);
  } else if (message === 'stop') {
    servers.close();
    process.disconnect();
  }
});
// The orchestrator going away (even by a crash) takes the targets with it.
process.on('disconnect', () => process.exit(0));

const ready: TargetsReady = { type: 'ready', urls: servers.urls };
process.send?.(ready);
