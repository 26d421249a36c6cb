// graphql-ws "next" frames of shared results, written straight to WebSocket connections: the result's JSON is
// encoded once for every subscriber, and the frames queued for one socket during a turn of the event loop leave
// in one write (small frames copied into one buffer, large payloads handed over as they are, never copied).
import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';

/** A payload at least this large is written as it is (one shared buffer for every socket), not copied. */
const LARGE_PAYLOAD_BYTES = 4096;
const CLOSING_BRACE = Buffer.from('}');

/** One result, encoded once for all its subscribers. */
export class SharedPayload {
  private encoded: Buffer | null = null;

  constructor(readonly json: string) {}

  get bytes(): Buffer {
    this.encoded ??= Buffer.from(this.json);
    return this.encoded;
  }
}

/** The start of a "next" frame's text for one operation: {"id":"…","type":"next","payload": */
export function nextFramePrefix(id: string): Buffer {
  return Buffer.from(`{"id":${JSON.stringify(id)},"type":"next","payload":`);
}

function headerLength(length: number): number {
  return length < 126 ? 2 : length < 65_536 ? 4 : 10;
}

/** A final text frame's header (RFC 6455 5.2; server frames are not masked); returns the offset after it. */
function writeHeader(target: Buffer, at: number, length: number): number {
  target[at] = 0x81;
  if (length < 126) {
    target[at + 1] = length;
    return at + 2;
  }
  if (length < 65_536) {
    target[at + 1] = 126;
    target.writeUInt16BE(length, at + 2);
    return at + 4;
  }
  target[at + 1] = 127;
  target.writeUInt32BE(Math.floor(length / 2 ** 32), at + 2);
  target.writeUInt32BE(length >>> 0, at + 6);
  return at + 10;
}

/** ws keeps its net.Socket private; frames written to it go out in order with ws' own (no compression here). */
function rawSocket(socket: WebSocket): Socket | null {
  const raw = (socket as unknown as { _socket?: Socket })._socket;
  return raw && !raw.destroyed ? raw : null;
}

export class FrameBatcher {
  /** Per socket, alternately a prefix and a payload, in order. */
  private readonly pending = new Map<WebSocket, Buffer[]>();
  private scheduled = false;

  queue(socket: WebSocket, prefix: Buffer, payload: Buffer): void {
    let parts = this.pending.get(socket);
    if (!parts) {
      parts = [];
      this.pending.set(socket, parts);
    }
    parts.push(prefix, payload);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** Writes what waits for this socket now: before graphql-ws sends an "error" or "complete" after it. */
  flushSocket(socket: WebSocket): void {
    const parts = this.pending.get(socket);
    if (!parts) return;
    this.pending.delete(socket);
    const raw = rawSocket(socket);
    if (raw && socket.readyState === socket.OPEN) write(raw, parts);
  }

  private flush(): void {
    this.scheduled = false;
    for (const [socket, parts] of this.pending) {
      const raw = rawSocket(socket);
      if (raw && socket.readyState === socket.OPEN) write(raw, parts);
    }
    this.pending.clear();
  }
}

function write(raw: Socket, parts: Buffer[]): void {
  raw.cork();
  let i = 0;
  while (i < parts.length) {
    const prefix = parts[i]!;
    const payload = parts[i + 1]!;
    if (payload.length >= LARGE_PAYLOAD_BYTES) {
      const length = prefix.length + payload.length + 1;
      const head = Buffer.allocUnsafe(headerLength(length) + prefix.length);
      prefix.copy(head, writeHeader(head, 0, length));
      raw.write(head);
      raw.write(payload);
      raw.write(CLOSING_BRACE);
      i += 2;
      continue;
    }
    // A run of small frames: one buffer.
    let end = i;
    let size = 0;
    while (end < parts.length && parts[end + 1]!.length < LARGE_PAYLOAD_BYTES) {
      const length = parts[end]!.length + parts[end + 1]!.length + 1;
      size += headerLength(length) + length;
      end += 2;
    }
    const run = Buffer.allocUnsafe(size);
    let at = 0;
    for (; i < end; i += 2) {
      const length = parts[i]!.length + parts[i + 1]!.length + 1;
      at = writeHeader(run, at, length);
      at += parts[i]!.copy(run, at);
      at += parts[i + 1]!.copy(run, at);
      run[at++] = 0x7d;
    }
    raw.write(run);
  }
  raw.uncork();
}
