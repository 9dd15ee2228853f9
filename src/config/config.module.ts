import { DynamicModule, Global, Module } from '@nestjs/common';
import { ConfigModule as NestConfigModule } from '@nestjs/config';
import { APP_CONFIG, AppConfig } from './app-config';

/**
 * Makes this app's settings injectable: the typed AppConfig as APP_CONFIG, and the same values through
 * @nestjs/config's ConfigService (`config.get('port')`). The environment was read and validated before the app
 * was built (main.ts), and tests pass their own AppConfig, so nothing here reads process.env again.
 */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ConfigModule,
      imports: [
        NestConfigModule.forRoot({
          isGlobal: true,
          ignoreEnvFile: true,
          skipProcessEnv: true,
          load: [() => ({ ...config })],
        }),
      ],
      providers: [{ provide: APP_CONFIG, useValue: config }],
      exports: [APP_CONFIG],
    };
  }
}
