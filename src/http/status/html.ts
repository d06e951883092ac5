/**
 * HTML built by a tagged template that escapes every interpolated value unless it is already
 * `Html` (another template's output, or `raw` markup written here). Timelines quote community
 * posts and moderators' text, so nothing reaches the page unescaped by accident. Pure.
 */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes for HTML text, attribute values (quoted) and XML alike. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

export type Interpolated = Html | string | number | null | undefined | false | readonly Interpolated[];

function render(v: Interpolated): string {
  if (v === null || v === undefined || v === false) return '';
  if (v instanceof Html) return v.value;
  if (Array.isArray(v)) return v.map(render).join('');
  return escapeHtml(String(v));
}

export function html(strings: TemplateStringsArray, ...values: Interpolated[]): Html {
  let out = strings[0]!;
  values.forEach((v, i) => (out += render(v) + strings[i + 1]!));
  return new Html(out);
}

/** Markup written in this codebase, never data. */
export const raw = (markup: string): Html => new Html(markup);
