import { parseArgs } from 'node:util';
import { SHUTDOWN_BOUND_MS } from '../app/shutdown';
import { startChainwatch, type Role } from '../app/start';
import { loadConfig } from '../config';
import type { Logger } from '../util/log';
import { UsageError } from './errors';
import { configPath, untilSignal } from './config-path';

const ROLES: Role[] = ['all', 'worker', 'scheduler', 'bot'];

/** From the signal to the exit, whatever is still open; above every bounded step of a shutdown. */
export const SHUTDOWN_DEADLINE_MS = SHUTDOWN_BOUND_MS + 2000;
/** After a clean stop the process should exit by itself; if something still holds it this long, it exits anyway. */
export const EXIT_LINGER_MS = 1000;

export async function runStart(argv: string[], log: Logger): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { config: { type: 'string' }, role: { type: 'string', default: 'all' } } });
  const role = values.role as Role;
  if (!ROLES.includes(role)) throw new UsageError(`--role must be one of ${ROLES.join(', ')} (got "${values.role}")`);
  const path = configPath(values.config);
  const config = loadConfig(path);
  log.info({ config: path, role, networks: config.networks.map((n) => n.name) }, 'starting chainwatch');
  // Listening before start-up: a SIGTERM while it starts (a deploy rolling on) is a clean stop
  // once it has started, not the default action's kill with the half-started state left behind.
  const signalled = untilSignal();
  const running = await startChainwatch(config, { role, log });
  const sig = await signalled;
  log.info({ signal: sig, deadlineSeconds: SHUTDOWN_DEADLINE_MS / 1000 }, 'shutting down: finishing active jobs');
  // A second signal means "now": the operator has seen the first one being slow.
  untilSignal().then((again) => exitNow(log, 1, `second ${again}: exiting without waiting`));
  exitAfter(SHUTDOWN_DEADLINE_MS, log, 1, `shutdown did not finish within ${SHUTDOWN_DEADLINE_MS / 1000} s: exiting anyway`);
  await running.stop();
  exitAfter(EXIT_LINGER_MS, log, 0, 'stopped, but something still holds the process: exiting anyway');
  return 0;
}

/**
 * Exits after `ms` unless the process has ended by itself first: the timer is unref'd, so it
 * fires only while something else still holds the event loop. Logs what that is.
 */
export function exitAfter(ms: number, log: Logger, code: number, why: string, exit: (code: number) => void = process.exit): NodeJS.Timeout {
  const timer = setTimeout(() => exitNow(log, code, why, exit), ms);
  timer.unref();
  return timer;
}

function exitNow(log: Logger, code: number, why: string, exit: (code: number) => void = process.exit): void {
  log.warn({ open: openResources() }, why);
  exit(code);
}

/** What keeps the event loop alive, by kind ("TCPSocketWrap": 2, "Timeout": 1), for the log. */
export function openResources(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) counts[kind] = (counts[kind] ?? 0) + 1;
  return counts;
}
