/** The X source: clients, the search query, recent search, spend planning and Redis state. */
export { X_API_ORIGIN, apiRedirectPlugin, createXClients, normalizeApiBaseUrl } from './client';
export type { XClientConfig, XClients, XUserCredentials } from './client';
export { DEFAULT_RATE_LIMIT_WAIT_MS, XApiError, XDuplicateContentError, XRateLimitedError, isDuplicateContent, toXError } from './errors';
export type { XRateLimit } from './errors';
export {
  MAX_QUERY_LENGTH,
  OUTAGE_WORDS,
  SUPPORTED_LANGS,
  SearchQueryTooLongError,
  buildSearchQuery,
  formatTerm,
  queryLength,
} from './query';
export type { OutageWord, SearchQueryOptions, SupportedLang } from './query';
export { partialResult, postUrl, searchRecentPosts, sinceIdUsable, snowflakeTime, toPost } from './search';
export type { SearchRecentOptions, SearchRecentResult } from './search';
export {
  DEFAULT_SPEEDUP,
  SEARCH_RATE_LIMIT,
  X_PRICES,
  monthBounds,
  planSearchInterval,
  postCost,
  projectMonth,
  readsPerDay,
} from './budget';
export type { Heat, MonthBounds, PlanLimit, PostPrices, SearchPlan, SearchPlanInput } from './budget';
export { CURSOR_TTL_SEC, CursorStore, SPEND_TTL_SEC, SpendTracker } from './spend';
export type { MonthSpend } from './spend';
