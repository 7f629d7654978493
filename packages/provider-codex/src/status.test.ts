import { describe, expect, it } from 'vitest';
import { StatusEvidenceSchema } from '@agentmux/core';
import { codexStatusFromPane } from './status.js';

const AT = new Date('2026-11-20T10:00:00.000Z');

const IDLE = `
╭───────────────────────────────────────────────╮
│ >_ OpenAI Codex (v0.63.0)                      │
│                                                │
│ model:     gpt-5-codex medium   /model to change│
│ directory: ~/proj                              │
╰───────────────────────────────────────────────╯

  To get started, describe a task or try one of these commands:

› Ask Codex to do anything

  ? for shortcuts                                       100% context left
`;

const WORKING = `
› List the files

• Ran ls -la
  └ a.txt
    b.txt

• Working (12s • esc to interrupt)

› Ask Codex to do anything

  ? for shortcuts                                        97% context left
`;

const APPROVAL = `
› Deploy it

• I need to run the deploy script.

  Would you like to run the following command?

  Reason: Deploying requires network access outside the sandbox.

  $ ./deploy.sh --prod

› 1. Yes, proceed (y)
  2. Yes, and don't ask again for commands that start with \`./deploy.sh\` (p)
  3. No, and tell Codex what to do differently (esc)

  Press enter to confirm or esc to cancel
`;

const APPROVAL_ANSWERED = `${APPROVAL}
✔ You approved codex to run ./deploy.sh --prod this time

• Deployed.

› Ask Codex to do anything

  ? for shortcuts                                        95% context left
`;

const EDITS = `
  Would you like to make the following edits?

  src/app.ts (+3 -1)

› 1. Yes, proceed (y)
  2. No, and tell Codex what to do differently (esc)

  Press enter to confirm or esc to cancel
`;

const ERROR = `
› Hello

■ unexpected status 401 Unauthorized: Missing bearer or basic authentication in header

› Ask Codex to do anything

  ? for shortcuts                                       100% context left
`;

const INTERRUPTED = `
› Long task

■ Conversation interrupted - tell the model what to do differently

› Ask Codex to do anything

  ⏎ send   ⌃J newline   ⌃T transcript   ⌃C quit
`;

describe('codexStatusFromPane (real Codex screens)', () => {
  it('reads the idle composer as weak idle evidence', () => {
    const e = codexStatusFromPane(IDLE, AT);
    expect(e).toEqual({ source: 'pane', state: 'idle', rule: 'codex.pane.composer', at: AT.toISOString(), strength: 'weak' });
    expect(() => StatusEvidenceSchema.parse(e)).not.toThrow();
  });

  it('reads the "esc to interrupt" spinner line as working', () => {
    expect(codexStatusFromPane(WORKING, AT)).toMatchObject({ state: 'working', rule: 'codex.pane.esc-to-interrupt', strength: 'strong', detail: '• Working (12s • esc to interrupt)' });
  });

  it('reads a command approval modal with numbered choices as waiting-permission', () => {
    expect(codexStatusFromPane(APPROVAL, AT)).toMatchObject({ state: 'waiting-permission', strength: 'strong', detail: 'Would you like to run the following command?' });
  });

  it('reads an edit approval as waiting-permission', () => {
    expect(codexStatusFromPane(EDITS, AT)?.state).toBe('waiting-permission');
  });

  it('ignores an answered approval left in the scrollback', () => {
    expect(codexStatusFromPane(APPROVAL_ANSWERED, AT)?.state).toBe('idle');
  });

  it('reads an API error line above the composer as weak error evidence', () => {
    expect(codexStatusFromPane(ERROR, AT)).toMatchObject({ state: 'error', strength: 'weak' });
    expect(codexStatusFromPane(ERROR, AT)?.detail).toContain('401 Unauthorized');
  });

  it('treats an interruption notice as idle, not an error', () => {
    expect(codexStatusFromPane(INTERRUPTED, AT)?.state).toBe('idle');
  });

  it('strips ANSI escapes before matching', () => {
    const colored = WORKING.replace('Working', '\u001b[1mWorking\u001b[0m').replace('esc to interrupt', '\u001b[2mesc\u001b[0m to interrupt');
    expect(codexStatusFromPane(colored, AT)?.state).toBe('working');
  });

  it('returns null for a screen that is not Codex', () => {
    expect(codexStatusFromPane('user@host:~$ ls\nfile.txt\nuser@host:~$ ', AT)).toBeNull();
    expect(codexStatusFromPane('', AT)).toBeNull();
  });
});

/** Screens of the testkit fake Codex (captured from `packages/testkit/bin/codex` in tmux). */
const FAKE_IDLE = `╭────────────────────────────────────────────────────────╮
│ >_ OpenAI Codex (v0.46.0)                              │
│                                                        │
│ model:     gpt-5-codex   /model to change              │
│ directory: /tmp/codexfake/work                         │
╰────────────────────────────────────────────────────────╯

  To get started, describe a task or try one of these commands:


› Explain the repo

• Ran grep -rn "Explain" src
  └   721       import { readFile } from 'node:fs/promises';

• First answer.

▌ Ask Codex to do anything

 ⏎ send   ⌃J newline   ⌃T transcript   ⌃C quit
`;

const FAKE_PERMISSION = `› Run the tests

• Ran npm test
  └   101         });

Allow command?

  $ npm test

› 1. Yes, proceed (y)
  2. Yes, and don't ask again for this command (a)
  3. No, and tell Codex what to do differently (esc)
`;

const FAKE_WORKING = `• Ran npm test -- --run --shard=8/8
  └ FAIL src/reader.test.ts > keeps the offset (run 8)

• Working (2s • esc to interrupt)

▌ Ask Codex to do anything

 ⏎ send   ⌃J newline   ⌃T transcript   ⌃C quit
`;

const FAKE_REJECTED = `• Ran npm test
  └   101         });

✗ You did not approve the command; tell the model what to do differently

▌ Ask Codex to do anything

 ⏎ send   ⌃J newline   ⌃T transcript   ⌃C quit
`;

describe('codexStatusFromPane (testkit fake screens)', () => {
  it('reads idle, working, the older "Allow command?" prompt, and a rejected prompt', () => {
    expect(codexStatusFromPane(FAKE_IDLE, AT)?.state).toBe('idle');
    expect(codexStatusFromPane(FAKE_WORKING, AT)?.state).toBe('working');
    expect(codexStatusFromPane(FAKE_PERMISSION, AT)).toMatchObject({ state: 'waiting-permission', detail: 'Allow command?' });
    expect(codexStatusFromPane(FAKE_REJECTED, AT)?.state).toBe('idle');
  });
});
