import { Global, Module } from '@nestjs/common';
import { loadConfig } from './config';

export const APP_CONFIG = Symbol('APP_CONFIG');

/** The validated configuration as one injectable object, read from the environment once. */
@Global()
@Module({
  providers: [{ provide: APP_CONFIG, useFactory: () => loadConfig(process.env) }],
  exports: [APP_CONFIG],
})
export class AppConfigModule {}
