/** chainwatch's own sight (src/engine/blindness.ts): what it could see of each network, and of the world. */

/** What one network's last poll saw of its endpoints. Small JSON: one per network. */
export interface Sight {
  /** When the poll ran. */
  at: number;
  endpoints: number;
  /** Endpoints whose poll failed to connect or timed out (a refused request or an HTTP error still reached someone). */
  dark: number;
  /** When the earliest of those dark endpoints' failures began; null when none is dark. */
  darkSince: number | null;
}

/** The connectivity checks' last round. */
export interface ChecksSight {
  at: number;
  total: number;
  failed: number;
  /** When the checks began failing; null while they pass. */
  failingSince: number | null;
}
