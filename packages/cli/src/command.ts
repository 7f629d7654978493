/** Where a command writes; injectable so that commands can be tested in-process. */
export interface CommandIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** True when stderr is a terminal (progress lines are only drawn then, or when forced). */
  stderrIsTty: boolean;
  /** True when stdout is a terminal (colours, full-screen UIs). */
  stdoutIsTty: boolean;
  /** Environment the command resolves paths from. */
  env: Readonly<Record<string, string | undefined>>;
  /** Working directory. */
  cwd: string;
}

/** One `agentmux <name>` subcommand. */
export interface CliCommand {
  /** Subcommand name, e.g. `costs`. */
  name: string;
  /** One-line description for `agentmux --help`. */
  summary: string;
  /** Full usage text for `agentmux <name> --help`. */
  usage: string;
  /** Runs the command with the arguments after its name; resolves to the exit code. */
  run(argv: string[], io: CommandIo): Promise<number>;
}

/** Thrown for bad command-line usage; printed with the command's usage, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
