import { ConfigError, loadConfig } from '../../libs/config/src';

describe('worker tuning configuration', () => {
  it('has fixed defaults (not sized from the machine memory)', () => {
    expect(loadConfig({}).worker).toMatchObject({
      maxCachedWorkflows: 500,
      maxConcurrentWorkflowTasks: 40,
      maxConcurrentActivities: 50,
      maxConcurrentLocalActivities: 50,
    });
  });

  it('reads each variable', () => {
    const config = loadConfig({
      WORKER_MAX_CACHED_WORKFLOWS: '0',
      WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: '8',
      WORKER_MAX_CONCURRENT_ACTIVITIES: '16',
      WORKER_MAX_CONCURRENT_LOCAL_ACTIVITIES: '4',
    });
    expect(config.worker).toMatchObject({
      maxCachedWorkflows: 0,
      maxConcurrentWorkflowTasks: 8,
      maxConcurrentActivities: 16,
      maxConcurrentLocalActivities: 4,
    });
  });

  it.each([
    ['WORKER_MAX_CACHED_WORKFLOWS', 'many'],
    ['WORKER_MAX_CACHED_WORKFLOWS', '-1'],
    // The SDK needs two workflow task slots when it caches (one for queries).
    ['WORKER_MAX_CONCURRENT_WORKFLOW_TASKS', '1'],
    ['WORKER_MAX_CONCURRENT_ACTIVITIES', '0'],
    ['WORKER_MAX_CONCURRENT_LOCAL_ACTIVITIES', '1.5'],
  ])('refuses %s=%s, naming it', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(name);
  });
});
