import type { DiscordConfig } from '../../config';
import type { SilenceStore } from '../../store/silences';
import type { Logger } from '../../util/log';
import type { ActionService } from './actions';
import type { StatusService } from './status-service';

/** What a command may use: injected, so a test can build one against a fake. */
export interface BotContext {
  discord: DiscordConfig;
  status: StatusService;
  actions: ActionService;
  silences: SilenceStore;
  log: Logger;
  clock: () => number;
  /** X spend this month (when X is configured), shown under /status. */
  xSpend?: () => Promise<{ spentUsd: number; projectedUsd: number; budgetUsd: number }>;
}
