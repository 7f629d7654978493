import { InvalidArgumentError, type TelemetryRequest } from '@agentmux/core';

/**
 * Environment that makes Gemini CLI export OpenTelemetry (logs such as `gemini_cli.api_response`, metrics)
 * to `request.endpoint`: `GEMINI_TELEMETRY_ENABLED=true`, `GEMINI_TELEMETRY_TARGET=local`,
 * `GEMINI_TELEMETRY_USE_COLLECTOR=true`, `GEMINI_TELEMETRY_OTLP_ENDPOINT`, `GEMINI_TELEMETRY_OTLP_PROTOCOL`
 * (Gemini knows only `grpc` and `http`: both `http/json` and `http/protobuf` map to `http`) and
 * `GEMINI_TELEMETRY_LOG_PROMPTS` (false unless `logPrompts`). The endpoint must be a loopback http(s) URL.
 */
export function geminiTelemetryEnv(request: TelemetryRequest): Record<string, string> {
  let url: URL;
  try {
    url = new URL(request.endpoint);
  } catch {
    throw new InvalidArgumentError('telemetry.endpoint', `not a URL: ${JSON.stringify(request.endpoint)}`, 'pass e.g. http://127.0.0.1:4318');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InvalidArgumentError('telemetry.endpoint', `unsupported scheme ${url.protocol}`, 'use an http:// or https:// endpoint');
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (host !== '127.0.0.1' && host !== 'localhost' && host !== '::1') {
    throw new InvalidArgumentError('telemetry.endpoint', `host ${host} is not loopback`, 'point telemetry at a collector on 127.0.0.1');
  }
  const protocol = request.protocol === 'grpc' ? 'grpc' : request.protocol === 'http/json' || request.protocol === 'http/protobuf' ? 'http' : undefined;
  if (!protocol) {
    throw new InvalidArgumentError('telemetry.protocol', `unknown protocol ${JSON.stringify(request.protocol)}`, 'use grpc, http/json or http/protobuf');
  }
  return {
    GEMINI_TELEMETRY_ENABLED: 'true',
    GEMINI_TELEMETRY_TARGET: 'local',
    GEMINI_TELEMETRY_USE_COLLECTOR: 'true',
    GEMINI_TELEMETRY_OTLP_ENDPOINT: request.endpoint,
    GEMINI_TELEMETRY_OTLP_PROTOCOL: protocol,
    GEMINI_TELEMETRY_LOG_PROMPTS: request.logPrompts ? 'true' : 'false',
  };
}
