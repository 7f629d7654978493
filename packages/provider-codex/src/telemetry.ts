import { InvalidArgumentError, type TelemetryRequest } from '@agentmux/core';

/**
 * Codex has no environment switch for OpenTelemetry: export is configured by its `[otel]` config,
 * which a launch can override per process with `-c key=value` (TOML values), touching no file:
 *
 * ```
 * codex -c otel.log_user_prompt=false \
 *       -c 'otel.exporter={otlp-http={endpoint="http://127.0.0.1:4318/v1/logs",protocol="binary"}}'
 * ```
 *
 * `otel.exporter` is a tagged enum (`none`, `{otlp-http={endpoint,protocol,headers}}`,
 * `{otlp-grpc={endpoint,headers}}`); `protocol` is `binary` (protobuf) or `json`. The HTTP endpoint is
 * used as-is by Codex, so a bare base URL gets `/v1/logs` appended. Codex then emits `codex.sse_event`,
 * `codex.api_request`, `codex.tool_result`, … log events carrying `conversation.id`.
 *
 * There is no environment part (Codex reads no OTEL_* variables for its exporter), so the provider has no
 * `telemetryEnv`: pass `SpawnRequest.telemetry` and the command builders add these arguments.
 */
export function codexTelemetryArgs(request: TelemetryRequest): string[] {
  let url: URL;
  try {
    url = new URL(request.endpoint);
  } catch (error) {
    throw new InvalidArgumentError('telemetry.endpoint', `"${request.endpoint}" is not a URL`, 'pass an OTLP endpoint such as http://127.0.0.1:4318', { cause: error });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InvalidArgumentError('telemetry.endpoint', `unsupported scheme "${url.protocol}"`, 'use an http:// or https:// OTLP endpoint');
  }
  // The normalised URL (quotes and spaces percent-encoded) so the TOML string cannot be broken out of.
  const base = url.href.replace(/\/+$/, '');
  let exporter: string;
  switch (request.protocol) {
    case 'grpc':
      exporter = `{otlp-grpc={endpoint=${JSON.stringify(base)}}}`;
      break;
    case 'http/json':
    case 'http/protobuf': {
      const endpoint = url.pathname === '/' || url.pathname === '' ? `${base}/v1/logs` : base;
      const protocol = request.protocol === 'http/json' ? 'json' : 'binary';
      exporter = `{otlp-http={endpoint=${JSON.stringify(endpoint)},protocol="${protocol}"}}`;
      break;
    }
    default:
      throw new InvalidArgumentError('telemetry.protocol', `unknown protocol "${String(request.protocol)}"`, 'use grpc, http/json or http/protobuf');
  }
  return ['-c', `otel.log_user_prompt=${request.logPrompts === true}`, '-c', `otel.exporter=${exporter}`];
}

