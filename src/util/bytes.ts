/** Memory sizes in the config ("32GiB", "512 MB", 34359738368) and in messages ("32 GiB"). Pure. */

const UNITS: Record<string, number> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  tib: 2 ** 40,
  // Kubernetes and Docker spell binary units without the "B": 32Gi, 512Mi; bare k/m/g are decimal.
  ki: 2 ** 10,
  mi: 2 ** 20,
  gi: 2 ** 30,
  ti: 2 ** 40,
  k: 1e3,
  m: 1e6,
  g: 1e9,
  t: 1e12,
};

/** A positive byte count from a number (bytes) or "<n> <unit>"; undefined for anything else. */
export function parseBytes(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value > 0 ? Math.round(value) : undefined;
  if (typeof value !== 'string') return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(value);
  if (!m) return undefined;
  const unit = m[2]!.toLowerCase();
  const factor = unit === '' ? 1 : UNITS[unit];
  if (factor === undefined) return undefined;
  const bytes = Math.round(Number(m[1]) * factor);
  return bytes > 0 && Number.isFinite(bytes) ? bytes : undefined;
}

/** 34359738368 -> "32 GiB", 1503238553.6 -> "1.4 GiB": binary units, as memory limits are set. */
export function formatBytes(bytes: number): string {
  const abs = Math.abs(bytes);
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'] as const;
  let i = 0;
  while (i < units.length - 1 && abs >= 1024 ** (i + 1)) i++;
  const v = bytes / 1024 ** i;
  const shown = i === 0 || Math.abs(v) >= 100 ? Math.round(v).toString() : Number(v.toFixed(1)).toString();
  return `${shown} ${units[i]}`;
}
