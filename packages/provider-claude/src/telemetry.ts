import { InvalidArgumentError, type TelemetryRequest } from '@agentmux/core';

/** Default export interval for logs and metrics: 1 s, so live views stay fresh (the CLI's own default is 5 s/60 s). */
export const DEFAULT_TELEMETRY_INTERVAL_MS = 1000;

const PROTOCOLS = new Set(['grpc', 'http/json', 'http/protobuf']);

/** Options beyond the core request. */
export interface ClaudeTelemetryOptions {
  /** Export interval for logs and metrics in ms (default 1000). */
  intervalMs?: number;
  /** Also export tool parameters (`OTEL_LOG_TOOL_DETAILS=1`); off by default: they may hold secrets. */
  toolDetails?: boolean;
}

/**
 * Environment that makes Claude Code export OpenTelemetry logs (events such as `claude_code.api_request`) and
 * metrics over OTLP to `request.endpoint`. Prompt text is only included with `logPrompts: true`.
 * @throws InvalidArgumentError for an endpoint that is not an http(s) URL, an unknown protocol or a bad interval.
 */
export function claudeTelemetryEnv(request: TelemetryRequest, options: ClaudeTelemetryOptions = {}): Record<string, string> {
  let url: URL;
  try {
    url = new URL(request.endpoint);
  } catch (error) {
    throw new InvalidArgumentError('telemetry.endpoint', `${JSON.stringify(request.endpoint)} is not a URL`, 'pass an OTLP endpoint such as http://127.0.0.1:4318', { cause: error });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InvalidArgumentError('telemetry.endpoint', `scheme ${url.protocol} is not supported`, 'use an http:// or https:// endpoint');
  }
  if (!PROTOCOLS.has(request.protocol)) {
    throw new InvalidArgumentError('telemetry.protocol', `unknown protocol ${JSON.stringify(request.protocol)}`, 'use grpc, http/json or http/protobuf');
  }
  const interval = options.intervalMs ?? DEFAULT_TELEMETRY_INTERVAL_MS;
  if (!Number.isInteger(interval) || interval <= 0) {
    throw new InvalidArgumentError('telemetry.intervalMs', `${interval} is not a positive integer`, 'pass milliseconds, e.g. 1000');
  }
  const env: Record<string, string> = {
    CLAUDE_CODE_ENABLE_TELEMETRY: '1',
    OTEL_LOGS_EXPORTER: 'otlp',
    OTEL_METRICS_EXPORTER: 'otlp',
    OTEL_EXPORTER_OTLP_PROTOCOL: request.protocol,
    OTEL_EXPORTER_OTLP_ENDPOINT: request.endpoint,
    OTEL_LOGS_EXPORT_INTERVAL: String(interval),
    OTEL_METRIC_EXPORT_INTERVAL: String(interval),
  };
  if (request.logPrompts === true) env.OTEL_LOG_USER_PROMPTS = '1';
  if (options.toolDetails === true) env.OTEL_LOG_TOOL_DETAILS = '1';
  return env;
}
