import {
  createServer as createHttpServer,
  type RequestListener,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import {
  createServer as createNetServer,
  type AddressInfo,
  type Socket,
} from 'node:net';
import type { CertificateAndKey } from './selfSignedCertificate';

const TLS_HANDSHAKE = 0x16;

/**
 * One TCP port that speaks both HTTPS and plain HTTP: the first byte of a connection tells a TLS
 * handshake from an HTTP request. kubectl needs https (it withholds bearer tokens over http),
 * while curl and backends configured with an http:// URL keep working.
 */
export class DualProtocolListener {
  private readonly net = createNetServer(socket => this.dispatch(socket));
  private readonly http;
  private readonly https;
  private readonly sockets = new Set<Socket>();

  constructor(handler: RequestListener, tls: CertificateAndKey) {
    this.http = createHttpServer(handler);
    this.https = createHttpsServer({ cert: tls.cert, key: tls.key }, handler);
  }

  /** Listens on `port` (0 = any free port) and resolves with the bound address. */
  listen(port: number, host: string): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
      this.net.once('error', reject);
      this.net.listen(port, host, () => {
        this.net.off('error', reject);
        resolve(this.net.address() as AddressInfo);
      });
    });
  }

  get listening(): boolean {
    return this.net.listening;
  }

  /** Stops accepting and destroys open (keep-alive) connections. */
  close(): Promise<void> {
    const closed = new Promise<void>(resolve =>
      this.net.close(() => resolve()),
    );
    for (const socket of this.sockets) socket.destroy();
    return closed;
  }

  private dispatch(socket: Socket): void {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    socket.once('error', () => socket.destroy());
    socket.once('data', first => {
      socket.pause();
      socket.unshift(first);
      const target = first[0] === TLS_HANDSHAKE ? this.https : this.http;
      target.emit('connection', socket);
      process.nextTick(() => socket.resume());
    });
  }
}
