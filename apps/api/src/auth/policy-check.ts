import { Injectable, OnModuleInit } from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { ACTION } from './decorators';
import { isActionKey } from './policy';

/**
 * Refuses to boot when a route names no policy action (or one the table lacks): a new route is
 * never open, nor closed, by accident.
 */
@Injectable()
export class PolicyCheck implements OnModuleInit {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
  ) {}

  onModuleInit(): void {
    const missing: string[] = [];
    for (const wrapper of this.discovery.getControllers()) {
      const proto = wrapper.metatype?.prototype as Record<string, unknown> | undefined;
      if (!proto) continue;
      for (const name of this.scanner.getAllMethodNames(proto)) {
        const handler = proto[name];
        if (typeof handler !== 'function') continue;
        if (Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue; // not a route
        if (!isActionKey(Reflect.getMetadata(ACTION, handler))) {
          missing.push(`${wrapper.name}.${name}`);
        }
      }
    }
    if (missing.length > 0) {
      throw new Error(`routes without an @Action in auth/policy.ts: ${missing.join(', ')}`);
    }
  }
}
