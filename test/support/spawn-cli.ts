import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface CliProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  waitForOutput(pattern: RegExp, timeoutMs: number, stream?: 'stdout' | 'stderr'): Promise<void>;
  /** SIGTERM, then the exit code (SIGKILL after 10 s). */
  stop(): Promise<number | null>;
}

const BIN = join(import.meta.dirname, '../../bin/chainwatch.mjs');

/** Runs the real CLI (`bin/chainwatch.mjs`) as a child process, capturing bounded output. */
export function spawnCli(args: string[], env: Record<string, string> = {}): CliProcess {
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const keep = (s: string) => (s.length > 200_000 ? s.slice(-200_000) : s);
  child.stdout!.on('data', (d) => (out = keep(out + d)));
  child.stderr!.on('data', (d) => (err = keep(err + d)));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    async waitForOutput(pattern, timeoutMs, stream = 'stdout') {
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(stream === 'stdout' ? out : err)) {
        if (child.exitCode !== null) throw new Error(`process exited (${child.exitCode}) before ${pattern}; stderr: ${err.slice(-2000)}`);
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern} on ${stream}; stderr: ${err.slice(-2000)}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/** Writes a config file into a fresh temporary folder and returns its path. */
export function writeTempConfig(yaml: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'chainwatch-test-'));
  const path = join(dir, 'config.yaml');
  writeFileSync(path, yaml);
  return path;
}
