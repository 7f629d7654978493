export {
  DEFAULT_VERSION_TIMEOUT_MS,
  findCliBinary,
  firstOutputLine,
  isExecutableFile,
  readCliVersion,
  whichExecutable,
  type CliEnv,
  type FindCliBinaryOptions,
} from './cli-binary.js';
