export {
  createFileCoordination,
  defaultCoordinationDir,
  type FileCoordinationBackend,
  type FileCoordinationOptions,
} from './file-coordination.js';
