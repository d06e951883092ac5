/** What one scrape of one node's metrics saw: memory and its limit, or a classified failure. */

export const SCRAPE_FAILURE_KINDS = ['timeout', 'http', 'too_large', 'malformed', 'unreachable'] as const;
export type ScrapeFailureKind = (typeof SCRAPE_FAILURE_KINDS)[number];

export type NodeSample =
  | {
      ok: true;
      /** Endpoint label (never the URL: it may carry a key). */
      endpoint: string;
      observedAt: number;
      latencyMs: number;
      residentBytes: number;
      /** Which metric the resident bytes came from. */
      residentMetric: string;
      /** null when neither configured nor exposed. */
      limitBytes: number | null;
      /** "config" or the metric's name. */
      limitSource: string | null;
    }
  | {
      ok: false;
      endpoint: string;
      observedAt: number;
      latencyMs: number;
      kind: ScrapeFailureKind;
      /** HTTP status for `http`. */
      status?: number;
      /** Short, never a URL. */
      message: string;
    };
