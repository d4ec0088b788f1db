// Throwaway certificate authorities and certificates for the TLS suites, made with the openssl
// CLI: a CA, a server certificate for the given names and a client certificate, all signed by it.
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const openssl = (...args: string[]) => run('openssl', args, { timeout: 30_000 });

export interface Pki {
  dir: string;
  ca: string;
  caKey: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
}

/** A new P-256 key, unencrypted (throwaway test certificates). */
const NEW_EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

async function ca(dir: string, name: string): Promise<{ cert: string; key: string }> {
  const cert = join(dir, `${name}.crt`);
  const key = join(dir, `${name}.key`);
  await openssl(
    'req',
    '-x509',
    ...NEW_EC_KEY,
    '-keyout',
    key,
    '-out',
    cert,
    '-days',
    '2',
    '-subj',
    `/CN=${name}`,
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  );
  return { cert, key };
}

async function leaf(
  dir: string,
  name: string,
  issuer: { cert: string; key: string },
  ext: string,
): Promise<{ cert: string; key: string }> {
  const key = join(dir, `${name}.key`);
  const csr = join(dir, `${name}.csr`);
  const cert = join(dir, `${name}.crt`);
  const extFile = join(dir, `${name}.ext`);
  await writeFile(extFile, `${ext}\n`);
  await openssl('req', ...NEW_EC_KEY, '-keyout', key, '-out', csr, '-subj', `/CN=${name}`);
  await openssl(
    'x509',
    '-req',
    '-in',
    csr,
    '-CA',
    issuer.cert,
    '-CAkey',
    issuer.key,
    '-CAcreateserial',
    '-out',
    cert,
    '-days',
    '2',
    '-extfile',
    extFile,
  );
  return { cert, key };
}

/** A CA with a server certificate valid for `serverNames` (DNS names or IPs) and a client one. */
export async function makePki(serverNames: string[], prefix = 'silvertrace-pki-'): Promise<Pki> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  const root = await ca(dir, 'ca');
  const san = serverNames.map((n) => (/^[\d.]+$/.test(n) ? `IP:${n}` : `DNS:${n}`)).join(',');
  const server = await leaf(
    dir,
    'server',
    root,
    `subjectAltName=${san}\nextendedKeyUsage=serverAuth\nkeyUsage=digitalSignature`,
  );
  const client = await leaf(
    dir,
    'client',
    root,
    'extendedKeyUsage=clientAuth\nkeyUsage=digitalSignature',
  );
  return {
    dir,
    ca: root.cert,
    caKey: root.key,
    serverCert: server.cert,
    serverKey: server.key,
    clientCert: client.cert,
    clientKey: client.key,
  };
}

/** Another, unrelated CA: what a client trusting the wrong authority holds. */
export async function otherCa(dir: string): Promise<string> {
  return (await ca(dir, 'other-ca')).cert;
}
