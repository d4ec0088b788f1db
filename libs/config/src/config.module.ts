import { DynamicModule, Global, Module } from '@nestjs/common';
import { AppName, loadConfig } from './config';

export const APP_CONFIG = Symbol('APP_CONFIG');

/** The validated configuration as one injectable object, read from the environment once. */
@Global()
@Module({
  providers: [{ provide: APP_CONFIG, useFactory: () => loadConfig(process.env) }],
  exports: [APP_CONFIG],
})
export class AppConfigModule {
  /** The configuration as one service reads it (production mode asks each for what it uses). */
  static for(app: AppName): DynamicModule {
    return {
      module: AppConfigModule,
      providers: [{ provide: APP_CONFIG, useFactory: () => loadConfig(process.env, app) }],
      exports: [APP_CONFIG],
    };
  }
}
