/**
 * Secrets come from the environment only: `NAME`, else the file that `NAME_FILE` names
 * (Docker and Kubernetes secrets). One reader for every secret of the config (`${VAR}` in the
 * file, the Discord and X tokens, the Bull Board credentials), so each says the same thing
 * when a secret is missing: which variable, or which file could not be read and why.
 */
import { readFileSync } from 'node:fs';

export type SecretLookup = { ok: true; value: string } | { ok: false; reason: string };

export interface Secrets {
  /** The secret's value, trimmed; undefined when it is not there (see `why`). */
  get(name: string): string | undefined;
  /** Why `get(name)` found nothing, in words that name the variable or the file. */
  why(name: string): string;
  lookup(name: string): SecretLookup;
  /** When `NAME_FILE` is set but unusable (missing, unreadable, empty): why; else null. */
  fileProblem(name: string): string | null;
}

export function envSecrets(
  env: Record<string, string | undefined>,
  readFile: (path: string) => string = (p) => readFileSync(p, 'utf8'),
): Secrets {
  const lookup = (name: string): SecretLookup => {
    const direct = env[name];
    if (direct) return { ok: true, value: direct };
    const file = env[`${name}_FILE`];
    if (!file) return { ok: false, reason: `environment variable ${name} is not set (nor ${name}_FILE)` };
    let text: string;
    try {
      text = readFile(file);
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      return {
        ok: false,
        reason: `${name}_FILE names ${JSON.stringify(file)}, which cannot be read (${e.code ?? 'unreadable'}${e.code === 'ENOENT' ? ': no such file' : ''})`,
      };
    }
    const value = text.trim();
    return value ? { ok: true, value } : { ok: false, reason: `${name}_FILE names ${JSON.stringify(file)}, which is empty` };
  };
  return {
    lookup,
    get: (name) => {
      const r = lookup(name);
      return r.ok ? r.value : undefined;
    },
    why: (name) => {
      const r = lookup(name);
      return r.ok ? '' : r.reason;
    },
    fileProblem: (name) => {
      if (env[name] || !env[`${name}_FILE`]) return null;
      const r = lookup(name);
      return r.ok ? null : r.reason;
    },
  };
}
