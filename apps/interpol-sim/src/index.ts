export { createSimApp, startSim, resolveSimOptions, type SimHandle } from './sim';
export { loadSimConfig, DEV_GATEWAY_SECRET, DEFAULT_SILVERTRACE_API_URL } from './config';
export * from './sim.types';
