import type { Command } from '../src/discord/bot/command';
import type { Logger } from '../src/util/log';
import * as incident from './incident';
import * as incidents from './incidents';
import * as silence from './silence';
import * as status from './status';
import * as unsilence from './unsilence';

export type { Command };

/** Static imports (a bundle cannot read a folder at run time); each module is still checked. */
const MODULES: Record<string, unknown> = { status, incidents, incident, silence, unsilence };

/** The command map; a malformed module is reported, not silently skipped. */
export function loadCommands(log?: Logger): Map<string, Command> {
  const map = new Map<string, Command>();
  for (const [file, mod] of Object.entries(MODULES)) {
    const c = mod as Partial<Command>;
    if (!c.data || typeof c.data.toJSON !== 'function' || typeof c.execute !== 'function') {
      log?.warn({ file: `commands/${file}.ts` }, 'command module lacks `data` or `execute`; not loaded');
      continue;
    }
    map.set(c.data.name, c as Command);
  }
  return map;
}
