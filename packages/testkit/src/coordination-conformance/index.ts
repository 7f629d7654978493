export { runCoordinationConformance } from './run-coordination-conformance.js';
export type { CoordinationConformanceOptions } from './suite-context.js';
export {
  ChildPool,
  ConformanceChild,
  registerTsLoader,
  type BackendConnectSpec,
} from './conformance-child.js';
export { transpileTree } from './transpile-tree.js';
