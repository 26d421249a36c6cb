// The HTTP servers of the benches' target children: started on a loopback address, and stopped all at once.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export class LoopbackServers {
  readonly urls: string[] = [];
  private readonly servers: http.Server[] = [];

  constructor(private readonly handle: http.RequestListener) {}

  /** Listens on a free port of `address` (a large backlog: the benches open thousands of connections a second). */
  async listen(address: string): Promise<void> {
    const server = http.createServer(this.handle);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: address, port: 0, backlog: 4096 }, () => resolve());
    });
    this.servers.push(server);
    this.urls.push(`http://${address}:${(server.address() as AddressInfo).port}`);
  }

  close(): void {
    for (const server of this.servers) server.close();
    for (const server of this.servers) server.closeAllConnections();
  }
}
