import { OTLPTraceExporter as GrpcExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtobufExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import type { SpanExporter } from '@opentelemetry/sdk-trace';
import type { TracingConfig } from '../config/app-config';

/**
 * The OTLP span exporter for `OTEL_EXPORTER_OTLP_PROTOCOL`. For the HTTP
 * protocols the signal path `/v1/traces` is appended to
 * `OTEL_EXPORTER_OTLP_ENDPOINT`, as the OTLP exporter specification says for
 * the base endpoint. Headers, TLS and compression come from the SDK's own
 * `OTEL_EXPORTER_OTLP_*` variables.
 */
export function createExporter(config: Pick<TracingConfig, 'endpoint' | 'protocol'>): SpanExporter {
  const base = config.endpoint.replace(/\/+$/, '');
  switch (config.protocol) {
    case 'grpc':
      return new GrpcExporter({ url: base });
    case 'http/json':
      return new JsonExporter({ url: `${base}/v1/traces` });
    case 'http/protobuf':
      return new ProtobufExporter({ url: `${base}/v1/traces` });
  }
}
