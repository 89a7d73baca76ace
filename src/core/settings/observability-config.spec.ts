import { ConfigValidationError } from '../config/config.error';
import { loadConfig } from './load-config';
import { PRODUCTION_AUTH_ENV } from '../../../test/support/production-env';

describe('observability configuration', () => {
  it('disables tracing and the shutdown delay by default in development only', () => {
    const development = loadConfig({ NODE_ENV: 'development' });
    expect(development.tracing.enabled).toBe(false);
    expect(development.shutdown).toEqual({ delaySeconds: 0, timeoutSeconds: 20 });
    const production = loadConfig({ ...PRODUCTION_AUTH_ENV, NODE_ENV: 'production', DATABASE_MIGRATIONS_RUN: 'false' });
    expect(production.tracing).toEqual({
      enabled: true,
      serviceName: 'nest-chassis',
      endpoint: 'http://localhost:4318',
      protocol: 'http/protobuf',
      sampler: 'parentbased_traceidratio',
      samplerArg: 1,
    });
    expect(production.shutdown.delaySeconds).toBe(5);
  });

  it('reads the standard OTEL_* variables', () => {
    const config = loadConfig({
      NODE_ENV: 'development',
      OTEL_SDK_DISABLED: 'false',
      OTEL_SERVICE_NAME: 'orders',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
      OTEL_TRACES_SAMPLER: 'traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0.1',
    });
    expect(config.tracing).toMatchObject({
      enabled: true,
      serviceName: 'orders',
      endpoint: 'http://localhost:4317',
      protocol: 'grpc',
      samplerArg: 0.1,
    });
  });

  it('rejects bad values with one line per variable', () => {
    expect(() =>
      loadConfig({
        OTEL_TRACES_SAMPLER_ARG: '2',
        METRICS_PATH: 'metrics',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318',
        HEALTH_CACHE_SECONDS: '-1',
      }),
    ).toThrow(ConfigValidationError);
    try {
      loadConfig({
        OTEL_TRACES_SAMPLER_ARG: '2',
        METRICS_PATH: 'metrics',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318',
        HEALTH_CACHE_SECONDS: '-1',
      });
    } catch (error) {
      expect((error as ConfigValidationError).problems.map((p) => p.split(':')[0]).sort()).toEqual([
        'HEALTH_CACHE_SECONDS',
        'METRICS_PATH',
        'OTEL_EXPORTER_OTLP_ENDPOINT',
        'OTEL_TRACES_SAMPLER_ARG',
      ]);
    }
  });

  it('parses the logging and metrics options', () => {
    const config = loadConfig({ LOG_REDACT_PATHS: 'body.card, *.pin', METRICS_PORT: '9464', METRICS_ENABLED: 'no' });
    expect(config.logging.redactPaths).toEqual(['body.card', '*.pin']);
    expect(loadConfig({}).logging.redactPaths).toEqual(['*.password', '*.secret', '*.token']);
    expect(config.metrics).toEqual({ enabled: false, path: '/metrics', port: 9464 });
  });
});
