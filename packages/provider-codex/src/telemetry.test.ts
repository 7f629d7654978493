import { describe, expect, it } from 'vitest';
import { codexTelemetryArgs } from './telemetry.js';

describe('codexTelemetryArgs', () => {
  it('builds otlp-http overrides, appending /v1/logs to a bare endpoint', () => {
    expect(codexTelemetryArgs({ endpoint: 'http://127.0.0.1:4318', protocol: 'http/protobuf' })).toEqual([
      '-c', 'otel.log_user_prompt=false',
      '-c', 'otel.exporter={otlp-http={endpoint="http://127.0.0.1:4318/v1/logs",protocol="binary"}}',
    ]);
  });

  it('keeps an endpoint that already has a path and honours logPrompts', () => {
    expect(codexTelemetryArgs({ endpoint: 'http://127.0.0.1:4318/custom/logs/', protocol: 'http/json', logPrompts: true })).toEqual([
      '-c', 'otel.log_user_prompt=true',
      '-c', 'otel.exporter={otlp-http={endpoint="http://127.0.0.1:4318/custom/logs",protocol="json"}}',
    ]);
  });

  it('builds an otlp-grpc exporter', () => {
    expect(codexTelemetryArgs({ endpoint: 'http://127.0.0.1:4317', protocol: 'grpc' })[3]).toBe('otel.exporter={otlp-grpc={endpoint="http://127.0.0.1:4317"}}');
  });

  it('quotes the endpoint so it cannot break out of the TOML string', () => {
    const arg = codexTelemetryArgs({ endpoint: 'http://127.0.0.1:4318/a"b', protocol: 'http/json' })[3] ?? '';
    expect(arg).toContain('a%22b');
  });

  it('rejects a bad endpoint or protocol with typed errors', () => {
    expect(() => codexTelemetryArgs({ endpoint: 'not a url', protocol: 'grpc' })).toThrow(/telemetry.endpoint/);
    expect(() => codexTelemetryArgs({ endpoint: 'file:///x', protocol: 'grpc' })).toThrow(/telemetry.endpoint/);
    expect(() => codexTelemetryArgs({ endpoint: 'http://127.0.0.1:1', protocol: 'udp' as 'grpc' })).toThrow(/telemetry.protocol/);
  });
});
