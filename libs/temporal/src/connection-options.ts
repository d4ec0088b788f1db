import type { AppConfig } from '../../config/src';

/**
 * Address, TLS and API key of the Temporal frontend, in the shape both the client's Connection
 * (API) and the worker's NativeConnection take, so the two can never be configured apart.
 */
export function temporalConnectionOptions(temporal: AppConfig['temporal']): {
  address: string;
  tls?: NonNullable<AppConfig['temporal']['tls']>;
  apiKey?: string;
} {
  return {
    address: temporal.address,
    ...(temporal.tls ? { tls: temporal.tls } : {}),
    ...(temporal.apiKey ? { apiKey: temporal.apiKey } : {}),
  };
}
