// jest globalTeardown: stops what global-setup started and removes its temporary data.
import { say, stopTestServers, testServers } from './global-setup';

export default async function globalTeardown(): Promise<void> {
  const servers = testServers();
  if (!servers) return;
  const started = Date.now();
  await stopTestServers(servers);
  if (servers.postgres || servers.temporal) {
    say(`stopped test servers in ${((Date.now() - started) / 1000).toFixed(1)}s`);
  }
}
