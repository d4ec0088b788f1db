import { createServer, Socket } from 'node:net';

/**
 * Fails with a message that names the port, what wanted it and how to move it, so a port
 * conflict is reported before anything starts instead of as a crash log of one child.
 */
export async function assertPortFree(
  port: number,
  host: string = '127.0.0.1',
  what: string,
  envVar?: string,
): Promise<void> {
  const fix = envVar ? `stop what uses it or set ${envVar}=<another port>` : 'stop what uses it';
  const inUse = new Error(`port ${port} (${what}) is already in use: ${fix}`);
  // Something accepting connections is the common case (and catches listeners on other addresses).
  if (await isAccepting(port, host)) throw inUse;
  await new Promise<void>((resolveListen, rejectListen) => {
    const server = createServer();
    server.unref();
    server.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') rejectListen(inUse);
      else if (err.code === 'EACCES')
        rejectListen(new Error(`port ${port} (${what}) needs privileges to bind: ${fix}`));
      else rejectListen(new Error(`cannot bind port ${port} (${what}) on ${host}: ${err.message}`));
    });
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolveListen()));
  });
}

/** A port that is free on the loopback interface right now (the OS picks it). */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolvePort, rejectPort) => {
    const server = createServer();
    server.unref();
    server.once('error', rejectPort);
    server.listen({ port: 0, host, exclusive: true }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolvePort(port) : rejectPort(new Error('no port assigned'))));
    });
  });
}

/** Whether something accepts TCP connections on host:port right now. */
export function isAccepting(port: number, host = '127.0.0.1', timeoutMs = 500): Promise<boolean> {
  return new Promise((done) => {
    const socket = new Socket();
    const finish = (result: boolean) => {
      socket.destroy();
      done(result);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
    socket.connect(port, host);
  });
}
