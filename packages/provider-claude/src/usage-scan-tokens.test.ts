import { describe, expect, it } from 'vitest';
import { normalizeClaudeUsage } from './usage-normalize.js';
import { readUsageTokens } from './usage-scan-tokens.js';

const ordinary = '{"input_tokens":5,"cache_creation_input_tokens":100,"cache_read_input_tokens":2000,"cache_creation":{"ephemeral_5m_input_tokens":60,"ephemeral_1h_input_tokens":40},"output_tokens":7,"service_tier":"standard"}';
const variants = [
  ordinary,
  '{"input_tokens":1,"output_tokens":2}',
  ' { "input_tokens" : 1 , "output_tokens":\t2 , "speed":"fast", "server_tool_use":{"web_search_requests":3,"web_fetch_requests":0}} ',
  '{"input_tokens":1,"output_tokens":2,"speed":"standard","server_tool_use":null,"cache_creation":null,"service_tier":null}',
  '{"input_tokens":1,"input_tokens":4,"output_tokens":2,"cache_creation":{"ephemeral_5m_input_tokens":9},"cache_creation":{"ephemeral_1h_input_tokens":3},"cache_creation_input_tokens":10}',
  '{"input_tokens":1,"output_tokens":2,"cache_creation_input_tokens":10,"cache_creation":{"ephemeral_5m_input_tokens":null,"ephemeral_1h_input_tokens":null}}',
  '{"input_tokens":1,"output_tokens":2,"cache_creation_input_tokens":null,"cache_read_input_tokens":null,"cache_creation":{}}',
  '{"input_tokens":0,"output_tokens":999999999999999}',
  '{"input_tokens":-1,"output_tokens":2}',
  '{"input_tokens":1.5,"output_tokens":2}',
  '{"input_tokens":1e3,"output_tokens":2}',
  '{"input_tokens":1234567890123456789,"output_tokens":2}',
  '{"input_tokens":null,"output_tokens":2}',
  '{"output_tokens":2}',
  '{}',
  '{"input_tokens":"5","output_tokens":2}',
  '{"input_tokens":1,"output_tokens":2,"speed":"f\\u0061st"}',
  '{"input_tokens":1,"output_tokens":2,"speed":1}',
  '{"input_tokens":1,"output_tokens":2,"unknown":1}',
  '{"input_tokens":1,"output_tokens":2,"cache_creation":{"other":1}}',
  '{"input_tokens":1,"output_tokens":2,"cache_creation":[]}',
  '{"input_tokens":1,"output_tokens":2,"server_tool_use":{"web_search_requests":true}}',
  '{"inp\\u0075t_tokens":1,"output_tokens":2}',
];

describe('readUsageTokens', () => {
  it.each(variants)('equals normalizeClaudeUsage(JSON.parse(…)) or declines: %s', (text) => {
    const buf = Buffer.from(`x${text}y`);
    const read = readUsageTokens(buf, 1, 1 + Buffer.byteLength(text));
    if (read !== undefined) expect(read).toEqual(normalizeClaudeUsage(JSON.parse(text)));
  });

  it('reads the ordinary shapes and declines the rest', () => {
    const at = (t: string) => readUsageTokens(Buffer.from(t), 0, Buffer.byteLength(t));
    for (const t of variants.slice(0, 8)) expect(at(t), t).toBeDefined();
    for (const t of variants.slice(8)) expect(at(t), t).toBeUndefined();
    expect(at(variants[2] as string)?.fast).toBe(true);
    expect(at(variants[4] as string)?.usage).toMatchObject({ input: 4, cacheWrite5m: 7, cacheWrite1h: 3 });
  });
});
