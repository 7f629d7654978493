# Regenerates the hand-written Codex rollout fixtures: python3 make-fixtures.py (run in this folder).
import json
def L(ts, typ, payload): return json.dumps({"timestamp": ts, "type": typ, "payload": payload}, separators=(',', ':'), ensure_ascii=False)
def tu(i, c, o, r): return {"input_tokens": i, "cached_input_tokens": c, "output_tokens": o, "reasoning_output_tokens": r, "total_tokens": i + o}
def tc(ts, last, total, rl=True):
    p = {"type": "token_count", "info": None if last is None and total is None else {"total_token_usage": total, "last_token_usage": last, "model_context_window": 272000}}
    if rl: p["rate_limits"] = {"primary": {"used_percent": 3.0, "window_minutes": 300}}
    return L(ts, "event_msg", p)

A = "0199a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"
d = "2026-11-20T10:00:"
lines = [
 L(d+"00.000Z", "session_meta", {"id": A, "timestamp": d+"00.000Z", "cwd": "/home/dev/proj", "originator": "codex_cli_rs", "cli_version": "0.63.0", "instructions": None, "source": "cli", "model_provider": "openai", "git": {"commit_hash": "abc123", "branch": "main", "repository_url": "git@github.com:dev/proj.git"}}),
 L(d+"00.010Z", "response_item", {"type": "message", "role": "user", "content": [{"type": "input_text", "text": "<environment_context>\n  <cwd>/home/dev/proj</cwd>\n</environment_context>"}]}),
 L(d+"00.011Z", "event_msg", {"type": "user_message", "message": "<environment_context>\n  <cwd>/home/dev/proj</cwd>\n</environment_context>", "kind": "environment_context"}),
 L(d+"00.012Z", "event_msg", {"type": "user_message", "message": "<user_instructions>\nUse pnpm.\n</user_instructions>"}),
 L(d+"01.000Z", "turn_context", {"cwd": "/home/dev/proj", "approval_policy": "on-request", "sandbox_policy": {"mode": "workspace-write"}, "model": "gpt-5-codex", "effort": "medium", "summary": "auto"}),
 L(d+"01.001Z", "response_item", {"type": "message", "role": "user", "content": [{"type": "input_text", "text": "List the files"}]}),
 L(d+"01.002Z", "event_msg", {"type": "user_message", "message": "List the files", "images": []}),
 tc(d+"01.500Z", None, None),
 L(d+"03.000Z", "response_item", {"type": "reasoning", "summary": [{"type": "summary_text", "text": "**Listing**"}], "content": None, "encrypted_content": "gAAAA"}),
 L(d+"03.001Z", "event_msg", {"type": "agent_reasoning", "text": "**Listing**"}),
 L(d+"03.002Z", "response_item", {"type": "function_call", "name": "shell", "arguments": json.dumps({"command": ["bash", "-lc", "ls -la"], "workdir": "/home/dev/proj", "timeout_ms": 120000}), "call_id": "call_1"}),
 tc(d+"03.100Z", tu(1000, 200, 50, 20), tu(1000, 200, 50, 20)),
 L(d+"03.500Z", "response_item", {"type": "function_call_output", "call_id": "call_1", "output": json.dumps({"output": "a.txt\nb.txt\n", "metadata": {"exit_code": 0, "duration_seconds": 0.1}})}),
 L(d+"05.000Z", "response_item", {"type": "function_call", "name": "shell", "arguments": json.dumps({"command": ["bash", "-lc", "cat missing.txt"]}), "call_id": "call_2"}),
 tc(d+"05.100Z", tu(1200, 1000, 30, 0), tu(2200, 1200, 80, 20)),
 L(d+"05.400Z", "response_item", {"type": "function_call_output", "call_id": "call_2", "output": json.dumps({"output": "cat: missing.txt: No such file or directory\n", "metadata": {"exit_code": 1, "duration_seconds": 0.0}})}),
 L(d+"07.000Z", "event_msg", {"type": "agent_message", "message": "There are two files: a.txt and b.txt."}),
 L(d+"07.001Z", "response_item", {"type": "message", "role": "assistant", "content": [{"type": "output_text", "text": "There are two files: a.txt and b.txt."}]}),
 tc(d+"07.100Z", tu(1300, 1200, 80, 10), tu(3500, 2400, 160, 30)),
 tc(d+"07.100Z", tu(1300, 1200, 80, 10), tu(3500, 2400, 160, 30)),
 tc(d+"09.000Z", tu(1300, 1200, 80, 10), tu(3500, 2400, 160, 30)),
 L(d+"08.000Z", "future_record_kind", {"anything": True}),
 L(d+"20.000Z", "turn_context", {"cwd": "/home/dev/proj", "approval_policy": "on-request", "sandbox_policy": {"mode": "workspace-write"}, "model": "gpt-5.1-codex", "effort": "high"}),
 L(d+"20.001Z", "event_msg", {"type": "user_message", "message": "Now summarise README.md", "images": []}),
 L(d+"20.500Z", "event_msg", {"type": "brand_new_event", "x": 1}),
 L(d+"22.000Z", "event_msg", {"type": "agent_message", "message": "README says hello."}),
 tc(d+"22.100Z", tu(4000, 3000, 100, 40), tu(7500, 5400, 260, 70)),
 L(d+"22.200Z", "event_msg", {"type": "task_complete", "last_agent_message": "README says hello."}),
 L(d+"30.000Z", "event_msg", {"type": "user_message", "message": "Deploy it", "images": []}),
 L(d+"31.000Z", "response_item", {"type": "function_call", "name": "shell", "arguments": json.dumps({"command": ["bash", "-lc", "OPENAI_API_KEY=sk-abcdefghijklmnop123 ./deploy.sh --token hunter2secret"]}), "call_id": "call_3"}),
 tc(d+"31.100Z", tu(5000, 4000, 20, 0), tu(12500, 9400, 280, 70)),
 L(d+"35.000Z", "event_msg", {"type": "turn_aborted", "reason": "interrupted"}),
]
open("basic-session.jsonl", "w").write("\n".join(lines) + "\n")

# totals only (no last_token_usage)
B = "0199b000-0000-7000-8000-00000000000b"
e = "2026-11-20T11:00:"
lines = [
 L(e+"00.000Z", "session_meta", {"id": B, "timestamp": e+"00.000Z", "cwd": "/srv/app", "originator": "codex_cli_rs", "cli_version": "0.30.0", "source": "exec", "model_provider": "openai"}),
 L(e+"00.100Z", "turn_context", {"cwd": "/srv/app", "model": "gpt-5", "approval_policy": "never"}),
 L(e+"00.200Z", "event_msg", {"type": "user_message", "message": "fix tests"}),
 tc(e+"01.000Z", None, None),
 tc(e+"02.000Z", None, tu(100, 0, 10, 0)),
 tc(e+"03.000Z", None, tu(250, 50, 30, 5)),
 tc(e+"04.000Z", None, tu(250, 50, 30, 5)),
 tc(e+"05.000Z", None, tu(200, 40, 30, 5)),
 tc(e+"06.000Z", None, tu(400, 100, 60, 10)),
 L(e+"07.000Z", "event_msg", {"type": "agent_message", "message": "Fixed."}),
 tc(e+"07.500Z", {"input_tokens": None, "cached_input_tokens": None, "output_tokens": None, "reasoning_output_tokens": None, "total_tokens": None}, None),
]
open("totals-only.jsonl", "w").write("\n".join(lines) + "\n")

# subagent replay
P = "0199c000-0000-7000-8000-0000000000aa"
S = "0199c000-0000-7000-8000-0000000000bb"
f = "2026-11-20T12:00:"
lines = [
 L(f+"00.000Z", "session_meta", {"id": S, "timestamp": f+"00.000Z", "cwd": "/work/repo", "originator": "codex_cli_rs", "cli_version": "0.150.0", "source": {"subagent": {"thread_spawn": {"parent_thread_id": P, "depth": 1, "agent_nickname": "scout"}}}, "forked_from_id": P, "model_provider": "openai"}),
 L(f+"00.010Z", "session_meta", {"id": P, "timestamp": "2026-11-20T11:40:00.000Z", "cwd": "/work/parent", "originator": "codex_cli_rs", "cli_version": "0.150.0", "source": "cli"}),
 L(f+"00.020Z", "turn_context", {"cwd": "/work/repo", "model": "gpt-5.2-codex"}),
 L(f+"00.030Z", "event_msg", {"type": "user_message", "message": "parent prompt (replayed)"}),
 tc(f+"00.040Z", tu(900, 0, 90, 0), tu(900, 0, 90, 0)),
 tc(f+"00.050Z", tu(1100, 800, 40, 0), tu(2000, 800, 130, 0)),
 tc(f+"00.060Z", tu(1200, 1000, 60, 0), tu(3200, 1800, 190, 0)),
 L(f+"00.900Z", "event_msg", {"type": "user_message", "message": "Scout the tests directory"}),
 tc(f+"03.000Z", tu(3500, 3000, 120, 64), tu(6700, 4800, 310, 64)),
 L(f+"03.100Z", "event_msg", {"type": "agent_message", "message": "Tests live in tests/."}),
 tc(f+"05.000Z", tu(3700, 3500, 30, 0), tu(10400, 8300, 340, 64)),
]
open("subagent-replay.jsonl", "w").write("\n".join(lines) + "\n")

# user fork with preserved (older) timestamps, source cli
F = "0199d000-0000-7000-8000-0000000000ff"
g = "2026-11-20T13:00:"
lines = [
 L(g+"10.000Z", "session_meta", {"id": F, "timestamp": g+"10.000Z", "cwd": "/work/repo", "originator": "codex_cli_rs", "cli_version": "0.150.0", "source": "cli", "forked_from_id": P, "model_provider": "openai"}),
 L("2026-11-20T11:40:01.000Z", "turn_context", {"cwd": "/work/repo", "model": "gpt-5.2-codex"}),
 L("2026-11-20T11:40:02.000Z", "event_msg", {"type": "user_message", "message": "old prompt"}),
 tc("2026-11-20T11:40:05.000Z", tu(900, 0, 90, 0), tu(900, 0, 90, 0)),
 tc("2026-11-20T11:41:05.000Z", tu(1100, 800, 40, 0), tu(2000, 800, 130, 0)),
 L(g+"20.000Z", "event_msg", {"type": "user_message", "message": "new direction"}),
 tc(g+"25.000Z", tu(2500, 2000, 70, 0), tu(4500, 2800, 200, 0)),
]
open("fork-preserved-timestamps.jsonl", "w").write("\n".join(lines) + "\n")

# hostile (static part)
h = "2026-11-20T14:00:"
H = "0199e000-0000-7000-8000-0000000000ee"
lines = [
 L(h+"00.000Z", "session_meta", {"id": H, "timestamp": h+"00.000Z", "cwd": "/tmp/hostile", "source": "cli"}),
 '{"timestamp":"' + h + '01.000Z","type":"event_msg","payload":{"type":"token_count"',
 'null',
 '[1,2,3]',
 '"just a string"',
 '{"type":"event_msg","payload":{"type":"user_message","message":"no timestamp"}}',
 json.dumps({"timestamp": h+"02.000Z", "type": "event_msg", "payload": None}),
 json.dumps({"timestamp": h+"02.100Z", "type": None, "payload": {}}),
 L(h+"02.200Z", "turn_context", {"cwd": None, "model": None}),
 L(h+"02.300Z", "event_msg", {"type": "user_message", "message": None}),
 L(h+"02.400Z", "response_item", {"type": "function_call", "name": "shell", "arguments": "{\"command\":[\"ls\"]}", "call_id": None}),
 L(h+"02.500Z", "response_item", {"type": "function_call_output", "output": "orphan"}),
 L(h+"02.600Z", "event_msg", {"type": "token_count", "info": {"total_token_usage": None, "last_token_usage": None}}),
 L(h+"02.700Z", "event_msg", {"type": "token_count", "info": {"last_token_usage": {"input_tokens": 10, "cached_input_tokens": None, "output_tokens": 5, "reasoning_output_tokens": None, "total_tokens": None}}}),
 '   ',
 L(h+"02.800Z", "event_msg", {"type": "token_count", "info": {"last_token_usage": {"input_tokens": 7, "cached_input_tokens": 9, "output_tokens": 1}}}),
]
open("hostile.jsonl", "w").write("\n".join(lines) + "\r\n")
