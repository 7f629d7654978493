import { InvalidArgumentError } from '@agentmux/core';
import { describe, expect, it } from 'vitest';
import { geminiTelemetryEnv } from './telemetry.js';

describe('geminiTelemetryEnv', () => {
  it('enables OTLP export to a loopback collector, prompts off by default', () => {
    expect(geminiTelemetryEnv({ endpoint: 'http://127.0.0.1:4318', protocol: 'http/protobuf' })).toEqual({
      GEMINI_TELEMETRY_ENABLED: 'true',
      GEMINI_TELEMETRY_TARGET: 'local',
      GEMINI_TELEMETRY_USE_COLLECTOR: 'true',
      GEMINI_TELEMETRY_OTLP_ENDPOINT: 'http://127.0.0.1:4318',
      GEMINI_TELEMETRY_OTLP_PROTOCOL: 'http',
      GEMINI_TELEMETRY_LOG_PROMPTS: 'false',
    });
    const grpc = geminiTelemetryEnv({ endpoint: 'http://localhost:4317', protocol: 'grpc', logPrompts: true });
    expect(grpc).toMatchObject({ GEMINI_TELEMETRY_OTLP_PROTOCOL: 'grpc', GEMINI_TELEMETRY_LOG_PROMPTS: 'true' });
  });

  it('refuses non-loopback or malformed endpoints and unknown protocols', () => {
    const field = (fn: () => unknown): string | undefined => {
      try {
        fn();
      } catch (error) {
        return InvalidArgumentError.isInstance(error) ? error.field : 'other';
      }
      return undefined;
    };
    expect(field(() => geminiTelemetryEnv({ endpoint: 'http://10.0.0.5:4318', protocol: 'grpc' }))).toBe('telemetry.endpoint');
    expect(field(() => geminiTelemetryEnv({ endpoint: 'not a url', protocol: 'grpc' }))).toBe('telemetry.endpoint');
    expect(field(() => geminiTelemetryEnv({ endpoint: 'ftp://127.0.0.1', protocol: 'grpc' }))).toBe('telemetry.endpoint');
    expect(field(() => geminiTelemetryEnv({ endpoint: 'http://[::1]:4318', protocol: 'kafka' as never }))).toBe('telemetry.protocol');
  });
});
