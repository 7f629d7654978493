export { createPrivateTmux, type PrivateTmux } from './private-tmux.js';
export { fakeBinDir, fakeEnv, writeScenario, type FakeEnvOptions } from './env.js';
export { waitFor, WaitForTimeoutError, type WaitForOptions } from './wait-for.js';
export { generateCorpus, type CorpusOptions, type CorpusProvider, type CorpusResult, type CorpusShape } from './corpus/generate-corpus.js';
export {
  claudeConfigDir, claudeProjectDir, claudeSubagentPath, claudeTranscriptPath, codexHome, codexSessionPath, encodeClaudeCwd,
  geminiChatsDir, geminiDir, geminiProjectId, geminiSessionFileName, geminiSlug,
} from './paths.js';
export { loadScenarioFile, validateScenario, type Scenario, type ScenarioErrorKind, type ScenarioErrorSpec, type ScenarioTool, type ScenarioTurn } from './scenario.js';
export { TestkitArgumentError } from './testkit-error.js';
export { CLAUDE_DEFAULT_MODEL, CLAUDE_VERSION } from './records/claude-transcript.js';
export { CODEX_DEFAULT_MODEL, CODEX_VERSION } from './records/codex-rollout.js';
export { GEMINI_DEFAULT_MODEL, GEMINI_VERSION } from './records/gemini-chat.js';
export {
  ChildPool, ConformanceChild, runCoordinationConformance, registerTsLoader, transpileTree, type BackendConnectSpec, type CoordinationConformanceOptions,
} from './coordination-conformance/index.js';
export { isSameProcessAlive, processStartTicks } from './process-identity.js';
export { IDLE_MARKERS, startFakeAgent, type FakeAgent, type FakeProvider, type StartFakeAgentOptions } from './fake-agent.js';
