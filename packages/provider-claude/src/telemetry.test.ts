import { describe, expect, it } from 'vitest';
import { claudeTelemetryEnv } from './telemetry.js';

describe('claudeTelemetryEnv', () => {
  it('turns on OTLP logs and metrics export to the endpoint', () => {
    expect(claudeTelemetryEnv({ endpoint: 'http://127.0.0.1:4318', protocol: 'http/json' })).toEqual({
      CLAUDE_CODE_ENABLE_TELEMETRY: '1',
      OTEL_LOGS_EXPORTER: 'otlp',
      OTEL_METRICS_EXPORTER: 'otlp',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318',
      OTEL_LOGS_EXPORT_INTERVAL: '1000',
      OTEL_METRIC_EXPORT_INTERVAL: '1000',
    });
  });

  it('adds prompts and tool details only when asked', () => {
    const env = claudeTelemetryEnv({ endpoint: 'http://127.0.0.1:4317', protocol: 'grpc', logPrompts: true }, { intervalMs: 250, toolDetails: true });
    expect(env).toMatchObject({ OTEL_LOG_USER_PROMPTS: '1', OTEL_LOG_TOOL_DETAILS: '1', OTEL_LOGS_EXPORT_INTERVAL: '250', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' });
  });

  it('rejects bad endpoints, protocols and intervals with the field named', () => {
    expect(() => claudeTelemetryEnv({ endpoint: 'not a url', protocol: 'grpc' })).toThrow(/telemetry.endpoint/);
    expect(() => claudeTelemetryEnv({ endpoint: 'ftp://127.0.0.1', protocol: 'grpc' })).toThrow(/telemetry.endpoint/);
    expect(() => claudeTelemetryEnv({ endpoint: 'http://127.0.0.1:4318', protocol: 'udp' as never })).toThrow(/telemetry.protocol/);
    expect(() => claudeTelemetryEnv({ endpoint: 'http://127.0.0.1:4318', protocol: 'grpc' }, { intervalMs: 0 })).toThrow(/telemetry.intervalMs/);
  });
});
