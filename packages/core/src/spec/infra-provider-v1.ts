/** Health of one side of an infra provider. */
export interface InfraHealth {
  /** True when reachable and usable. */
  ok: boolean;
  /** Human detail, e.g. `api server 1.31, 3 nodes ready`. */
  detail: string;
  /** Round-trip time of the check in ms. */
  latencyMs?: number;
}

/** What a remote agent session needs. */
export interface RemoteSessionSpec {
  /** Name, unique per infra provider. */
  name: string;
  /** Provider id of the agent CLI, e.g. `claude`. */
  providerId: string;
  /** Container image with the CLI installed. */
  image: string;
  /** Arguments for the CLI. */
  args: string[];
  /** Environment; secret values must come from `secretRefs`. */
  env?: Record<string, string>;
  /** Environment variables read from named secrets: variable → `secret/key`. */
  secretRefs?: Record<string, string>;
  /** Resource requests, e.g. `{ cpu: '2', memory: '4Gi' }`. */
  resources?: Record<string, string>;
  /** Labels to attach. */
  labels?: Record<string, string>;
}

/** A remote task (a one-shot agent job). */
export interface RemoteTask {
  /** Task id. */
  id: string;
  /** Name given at submit time. */
  name: string;
  /** Lifecycle phase. */
  phase: 'pending' | 'running' | 'succeeded' | 'failed' | 'unknown';
  /** ISO-8601 creation time. */
  createdAt?: string;
  /** Human detail from the platform. */
  message?: string;
}

/** A scalable group of remote agents. */
export interface Workload {
  /** Workload name. */
  name: string;
  /** Desired replicas. */
  replicas: number;
  /** Ready replicas. */
  readyReplicas: number;
  /** Labels. */
  labels?: Record<string, string>;
}

/** Runs agents on remote compute (Kubernetes) and coordinates them. */
export interface InfraProviderV1 {
  /** Literal spec version. */
  readonly specificationVersion: 'v1';
  /** Infra id, e.g. `k8s`. */
  readonly id: string;
  /** Health split into coordination (state store) and compute (cluster). */
  health(): Promise<{ coordination: InfraHealth; compute: InfraHealth }>;
  /** Starts a long-lived interactive agent session remotely. */
  spawnRemoteSession?(spec: RemoteSessionSpec): Promise<{ name: string; id: string }>;
  /** Submits a one-shot task. */
  submitTask(spec: RemoteSessionSpec): Promise<RemoteTask>;
  /** Lists tasks, optionally by label selector. */
  listTasks(selector?: Record<string, string>): Promise<RemoteTask[]>;
  /** Gets one task; throws `NotFoundError` when absent. */
  getTask(id: string): Promise<RemoteTask>;
  /** Sets a workload's replica count. */
  scale?(name: string, replicas: number): Promise<Workload>;
  /** Lists workloads. */
  listWorkloads?(selector?: Record<string, string>): Promise<Workload[]>;
}
