export {
  createFileCoordination,
  defaultCoordinationDir,
  type FileCoordinationBackend,
  type FileCoordinationOptions,
} from './file/index.js';
export {
  InboxDeliverer,
  formatInboxMessages,
  type InboxDelivererEvents,
  type InboxDelivererOptions,
  type TurnBoundarySignal,
} from './inbox-deliverer.js';
export { checkName as checkCoordinationName, parseOrThrow } from './file/validate.js';
