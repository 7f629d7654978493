export {
  uniqueSuffix,
  writeFileAtomicSync,
  writeFully,
  writeTempFileSync,
  type AtomicWriteOptions,
} from './atomic-write.js';
