// Frames of shared results written straight to WebSocket connections: a real ws client parses every size of
// frame header (7-bit, 16-bit and 64-bit lengths), small frames copied into one write and large payloads handed
// over as they are, in order, and nothing once the socket is closing.
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { FrameBatcher, nextFramePrefix, SharedPayload } from '../../server/graphql/socket-frames.ts';

const closers: Array<() => void> = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

/** A server-side socket and what its client receives. */
async function pair(): Promise<{ server: WebSocket; client: WebSocket; received: string[] }> {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((resolve) => wss.once('listening', resolve));
  const accepted = new Promise<WebSocket>((resolve) => wss.once('connection', resolve));
  const client = new WebSocket(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`);
  const received: string[] = [];
  client.on('message', (data) => received.push(String(data)));
  await new Promise((resolve) => client.once('open', resolve));
  const server = await accepted;
  closers.push(() => {
    client.terminate();
    wss.close();
  });
  return { server, client, received };
}

describe('FrameBatcher', () => {
  it('writes frames of every length, in order, that a WebSocket client reads back as sent', async () => {
    const { server, received } = await pair();
    const frames = new FrameBatcher();
    const sizes = [0, 10, 120, 125, 126, 3000, 4095, 4096, 65_000, 65_535, 65_536, 300_000];
    const payloads = sizes.map((size, n) => new SharedPayload(JSON.stringify({ n, text: 'é'.repeat(size / 2) })));
    // Queued by two operations on one socket, as two subscriptions of one client would be.
    const prefixes = [nextFramePrefix('a'), nextFramePrefix('b"quoted')];
    payloads.forEach((payload, n) => frames.queue(server, prefixes[n % 2]!, payload.bytes));
    await expect.poll(() => received.length, { timeout: 5000 }).toBe(sizes.length);
    received.forEach((text, n) => {
      expect(JSON.parse(text)).toEqual({
        id: n % 2 === 0 ? 'a' : 'b"quoted',
        type: 'next',
        payload: JSON.parse(payloads[n]!.json),
      });
    });
  });

  it('writes what waits for a socket at once on flushSocket, and nothing to a closing socket', async () => {
    const { server, client, received } = await pair();
    const frames = new FrameBatcher();
    frames.queue(server, nextFramePrefix('1'), new SharedPayload('{"data":1}').bytes);
    frames.flushSocket(server);
    server.send('after');
    await expect
      .poll(() => received, { timeout: 5000 })
      .toEqual(['{"id":"1","type":"next","payload":{"data":1}}', 'after']);
    frames.queue(server, nextFramePrefix('1'), new SharedPayload('{"data":2}').bytes);
    const closed = new Promise((resolve) => client.once('close', resolve));
    server.close(1000);
    await closed;
    expect(received).toHaveLength(2);
  });
});
