import { parseArgs } from 'node:util';
import { startChainwatch, type Role } from '../app/start';
import { loadConfig } from '../config';
import type { Logger } from '../util/log';
import { UsageError } from './errors';
import { configPath, untilSignal } from './config-path';

const ROLES: Role[] = ['all', 'worker', 'scheduler', 'bot'];

export async function runStart(argv: string[], log: Logger): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { config: { type: 'string' }, role: { type: 'string', default: 'all' } } });
  const role = values.role as Role;
  if (!ROLES.includes(role)) throw new UsageError(`--role must be one of ${ROLES.join(', ')} (got "${values.role}")`);
  const path = configPath(values.config);
  const config = loadConfig(path);
  log.info({ config: path, role, networks: config.networks.map((n) => n.name) }, 'starting chainwatch');
  const running = await startChainwatch(config, { role, log });
  const sig = await untilSignal();
  log.info({ signal: sig }, 'shutting down: finishing active jobs');
  await running.stop();
  return 0;
}
