export { RELAUNCH_WINDOW_MS, discoverProcesses, isRelaunchOf, type DiscoveredProcess, type ProviderFailure } from './discover-processes.js';
export {
  parseProcStat,
  snapshotFromProcesses,
  takeProcessSnapshot,
  type ProcessSnapshot,
  type ProcessSnapshotOptions,
  type SnapshotProcess,
} from './process-snapshot.js';
export { assignSessions, matchDistance, type SessionAssignment, type SessionClaim } from './session-matcher.js';
export {
  capturePanes,
  findPaneForPid,
  listTmuxPanes,
  parseListPanes,
  runTmux,
  sendEscape,
  type TmuxPane,
  type TmuxServerError,
  type TmuxServerOptions,
} from './tmux-panes.js';
