// The fan-out bench's clients, in their own process: one WebSocket per subscriber speaking graphql-ws
// (graphql-transport-ws) with `ws`, reading each message with as little work as the figures need: the time in it
// and the receipt time, so that this process keeps up with 100,000 messages a second.
import WebSocket from 'ws';
import { Latencies } from './fanout-latency.ts';
import type { ClientsCommand, ClientsMessage, ScenarioKind, SubscribeCommand } from './fanout-protocol.ts';

const send = (message: ClientsMessage) => process.send!(message);
const latency = new Latencies();
const tickLatency = new Latencies();
const sockets: WebSocket[] = [];
let counts = new Uint32Array(0);
let bytes = 0;
let errors: string[] = [];
let closed = 0;
/** list, sampled subscribers: the last result id seen per monitor id. */
const lastSeen = new Map<number, Map<number, number>>();
/** list, sampled subscribers with an `ids` filter: the monitors they follow (the others are not theirs to hold). */
const following = new Map<number, Set<number>>();

const PAYLOAD = Buffer.from('"payload":{"');
const CHECKED_AT = Buffer.from('"checkedAt":"');
const CREATED_AT = Buffer.from('"createdAt":"');
const AT = Buffer.from('{"at":"');
const ISO_LENGTH = 24; // 2026-11-30T09:00:00.000Z
const LIST_ENTRY = /"id":"(\d+)","lastResult":\{"id":"(\d+)","checkedAt":"([^"]+)"/g;

function timeAfter(data: Buffer, marker: Buffer): number {
  const at = data.indexOf(marker);
  if (at < 0) return Number.NaN;
  const start = at + marker.length;
  return Date.parse(data.toString('latin1', start, start + ISO_LENGTH));
}

function onData(kind: ScenarioKind, index: number, data: Buffer, sampled: boolean): void {
  const now = Date.now();
  // A result frame starts {"id":"1","type":"next","payload":{"data":...; anything else (errors, "complete",
  // "ping") is short and rare, and kept.
  const payload = data.indexOf(PAYLOAD);
  if (payload < 0 || payload > 64 || data[payload + PAYLOAD.length] !== 0x64 /* d */) {
    const text = data.toString();
    if (!text.includes('"type":"ping"') && !text.includes('"type":"pong"')) errors.push(text.slice(0, 300));
    return;
  }
  counts[index]!++;
  bytes += data.length;
  if (kind === 'results') latency.add(now - timeAfter(data, CHECKED_AT));
  else if (kind === 'alerts') latency.add(now - timeAfter(data, CREATED_AT));
  else {
    tickLatency.add(now - timeAfter(data, AT));
    if (!sampled) return;
    const seen = lastSeen.get(index)!;
    for (const match of data.toString().matchAll(LIST_ENTRY)) {
      seen.set(Number(match[1]), Number(match[2]));
      latency.add(now - Date.parse(match[3]!));
    }
  }
}

async function subscribe(command: SubscribeCommand): Promise<void> {
  const total = command.variables.length;
  counts = new Uint32Array(total);
  const urls = command.urls.map((url) => `${url.replace(/^http/, 'ws')}/graphql`);
  const open = (index: number) =>
    new Promise<void>((resolve, reject) => {
      const n = command.firstIndex + index;
      const socket = new WebSocket(urls[n % urls.length]!, 'graphql-transport-ws', { perMessageDeflate: false });
      const sampled = command.kind === 'list' && (command.firstIndex + index) % command.sampleEvery === 0;
      if (sampled) lastSeen.set(index, new Map());
      const ids = command.variables[index]?.ids;
      if (sampled && Array.isArray(ids)) following.set(index, new Set(ids.map(Number)));
      let acknowledged = false;
      socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init' })));
      socket.on('message', (data: Buffer) => {
        if (acknowledged) return onData(command.kind, index, data, sampled);
        if (!data.toString().includes('connection_ack')) return reject(new Error(data.toString()));
        acknowledged = true;
        const query = command.queries[n % command.queries.length];
        const payload = { query, variables: command.variables[index] ?? undefined };
        socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload }));
        resolve();
      });
      socket.on('error', (error) => (acknowledged ? errors.push(error.message) : reject(error)));
      socket.on('close', () => closed++);
      sockets.push(socket);
    });
  // A few hundred handshakes at a time: the server's accept queue and the machine's two cores stay calm.
  const batch = 250;
  for (let start = 0; start < total; start += batch) {
    await Promise.all(Array.from({ length: Math.min(batch, total - start) }, (_, n) => open(start + n)));
  }
  send({ type: 'subscribed', sockets: total });
}

function report(latestResultIds?: Record<string, number>): void {
  let fewest = Number.POSITIVE_INFINITY;
  let most = 0;
  let messages = 0;
  for (const count of counts) {
    messages += count;
    fewest = Math.min(fewest, count);
    most = Math.max(most, count);
  }
  let stale = 0;
  if (latestResultIds) {
    for (const [index, seen] of lastSeen) {
      const followed = following.get(index);
      for (const [monitorId, latest] of Object.entries(latestResultIds)) {
        if (followed && !followed.has(Number(monitorId))) continue;
        if (seen.get(Number(monitorId)) !== latest) {
          stale++;
          if (errors.length < 5)
            errors.push(`stale: monitor ${monitorId} seen ${seen.get(Number(monitorId))}, latest ${latest}`);
        }
      }
    }
  }
  const cpu = process.cpuUsage();
  send({
    type: 'report',
    messages,
    fewest: counts.length ? fewest : 0,
    most,
    bytes,
    latency: latency.export(),
    tickLatency: tickLatency.export(),
    stale,
    sampled: lastSeen.size,
    errors: errors.slice(0, 5),
    closed,
    cpuMs: (cpu.user + cpu.system) / 1000,
  });
}

process.on('message', (command: ClientsCommand) => {
  switch (command.type) {
    case 'subscribe':
      subscribe(command).catch((error: Error) => {
        console.error('clients: could not subscribe:', error.message);
        process.exit(1);
      });
      break;
    case 'reset':
      counts.fill(0);
      bytes = 0;
      closed = 0;
      errors = [];
      latency.reset();
      tickLatency.reset();
      for (const seen of lastSeen.values()) seen.clear();
      send({ type: 'reset-done' });
      break;
    case 'report':
      report(command.latestResultIds);
      break;
    case 'close':
      for (const socket of sockets) socket.terminate();
      sockets.length = 0;
      lastSeen.clear();
      following.clear();
      send({ type: 'closed' });
      break;
  }
});
