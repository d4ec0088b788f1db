import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, Server, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { assertPortFree, freePort } from '../../scripts/lib/ports';
import {
  resolveTemporalCli,
  resolveTemporalTestServer,
  TEMPORAL_CLI_VERSION,
} from '../../scripts/lib/tools';

const run = promisify(execFile);
const quiet = () => {};

describe('Temporal binaries', () => {
  // The first resolution may fetch them (global-setup usually already has).
  jest.setTimeout(300_000);

  it('resolves a Temporal CLI that runs and reports the pinned version', async () => {
    const cli = await resolveTemporalCli(quiet);
    const { stdout } = await run(cli, ['--version']);
    expect(stdout).toContain(`temporal version ${TEMPORAL_CLI_VERSION}`);
  });

  it('resolves a time-skipping test server that serves on the port it is given', async () => {
    const path = await resolveTemporalTestServer(quiet);
    // It has no --version: without arguments it prints its usage (to stderr) and exits 0.
    const { stderr } = await run(path, []);
    expect(stderr).toMatch(/usage: <command> <port>/i);

    const port = await freePort();
    const server = spawn(path, [String(port), '--enable-time-skipping'], { stdio: 'ignore' });
    try {
      await waitUntilAccepting(port, 30_000);
    } finally {
      server.kill('SIGKILL');
    }
  });

  it('says what to set when TEMPORAL_CLI points nowhere', async () => {
    await withEnv({ TEMPORAL_CLI: '/nonexistent/temporal' }, async () => {
      await expect(resolveTemporalCli(quiet)).rejects.toThrow(
        /TEMPORAL_CLI=\/nonexistent\/temporal is not a working Temporal CLI/,
      );
    });
  });

  it('explains how to fix a machine that cannot fetch the binary', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'silvertrace-tools-'));
    try {
      // No cached copy, nothing on PATH, so no python3 either.
      await withEnv({ SILVERTRACE_TOOLS_DIR: empty, PATH: empty, TEMPORAL_CLI: undefined }, () =>
        expect(resolveTemporalCli(quiet)).rejects.toThrow(
          /python3 with pip is not available; install it .* or set TEMPORAL_CLI/,
        ),
      );
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
});

describe('ports', () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((done) => (server ? server.close(() => done()) : done())));

  it('refuses a port in use with a message that says how to move', async () => {
    server = createServer();
    await new Promise<void>((done) => server?.listen(0, '127.0.0.1', done));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;

    await expect(assertPortFree(port, '127.0.0.1', 'API', 'PORT')).rejects.toThrow(
      `port ${port} (API) is already in use: stop what uses it or set PORT=<another port>`,
    );
  });

  it('accepts a free port', async () => {
    const port = await freePort();
    expect(port).toBeGreaterThan(0);
    await expect(
      assertPortFree(port, '127.0.0.1', 'simulator', 'SIM_PORT'),
    ).resolves.toBeUndefined();
  });
});

async function withEnv<T>(vars: Record<string, string | undefined>, fn: () => Promise<T>) {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  const apply = (values: Record<string, string | undefined>) => {
    for (const [k, v] of Object.entries(values)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
  apply(vars);
  try {
    return await fn();
  } finally {
    apply(saved);
  }
}

async function waitUntilAccepting(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((done) => {
      const socket = new Socket();
      const finish = (result: boolean) => {
        socket.destroy();
        done(result);
      };
      socket.once('connect', () => finish(true));
      socket.once('error', () => finish(false));
      socket.connect(port, '127.0.0.1');
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nothing accepted connections on port ${port}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
