/**
 * chainwatch processes for the drills: the real CLI (`bin/chainwatch.mjs start --role …`), each
 * in its own process group so a drill can SIGKILL one exactly and a failed drill leaves nothing
 * running (every group still alive is killed when the test process exits, however it exits).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { Role } from '../../../src/app/start';

const BIN = join(import.meta.dirname, '../../../bin/chainwatch.mjs');
const live = new Set<ChildProcess>();

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

process.on('exit', () => {
  for (const child of live) killGroup(child, 'SIGKILL');
});
// The children are in their own groups, so Ctrl-C or the runner's SIGTERM does not reach them:
// pass it on, then end as the signal would have.
for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const) {
  process.once(signal, () => {
    for (const child of live) killGroup(child, 'SIGKILL');
    process.exit(code);
  });
}

export interface RoleProcess {
  name: string;
  role: Role;
  child: ChildProcess;
  pid: number;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  waitForOutput(pattern: RegExp, timeoutMs: number, stream?: 'stdout' | 'stderr'): Promise<void>;
  /** kill -9 of the process group: no shutdown code runs. */
  kill9(): Promise<void>;
  /** SIGTERM (graceful: active jobs finish), SIGKILL after `graceMs`; the exit code. */
  stop(graceMs?: number): Promise<number | null>;
}

export function spawnRole(name: string, role: Role, configPath: string, env: Record<string, string>): RoleProcess {
  const child = spawn(process.execPath, [BIN, 'start', '--role', role, '--config', configPath], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group
  });
  live.add(child);
  let out = '';
  let err = '';
  const keep = (s: string) => (s.length > 200_000 ? s.slice(-200_000) : s);
  child.stdout!.on('data', (d) => (out = keep(out + d)));
  child.stderr!.on('data', (d) => (err = keep(err + d)));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      live.delete(child);
      resolve(code);
    }),
  );
  const proc: RoleProcess = {
    name,
    role,
    child,
    pid: child.pid!,
    stdout: () => out,
    stderr: () => err,
    exited,
    async waitForOutput(pattern, timeoutMs, stream = 'stderr') {
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(stream === 'stdout' ? out : err)) {
        if (child.exitCode !== null) throw new Error(`${name} exited (${child.exitCode}) before ${pattern}; stderr: ${err.slice(-2000)}`);
        if (Date.now() > deadline) throw new Error(`${name}: timed out waiting for ${pattern} on ${stream}; stderr: ${err.slice(-2000)}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async kill9() {
      killGroup(child, 'SIGKILL');
      await exited;
    },
    async stop(graceMs = 20_000) {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      killGroup(child, 'SIGTERM');
      const timer = setTimeout(() => killGroup(child, 'SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
  return proc;
}

/** SIGKILLs every drill process still running (an `after` hook's safety net). */
export function killAll(): void {
  for (const child of live) killGroup(child, 'SIGKILL');
}

/**
 * Which of `pids` owns the loopback TCP connection whose local port is `port` (Linux /proc):
 * the fake sees the client's port, this finds the process that sent the request.
 */
export function pidOfLocalPort(port: number, pids: readonly number[]): number | null {
  const inodes = new Set<string>();
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length > 9 && cols[1]!.endsWith(`:${hexPort}`)) inodes.add(cols[9]!);
    }
  }
  for (const pid of pids) {
    let fds: string[] = [];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (m && inodes.has(m[1]!)) return pid;
      } catch {
        // fd closed meanwhile
      }
    }
  }
  return null;
}
