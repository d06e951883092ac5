import type { AppConfig } from '../config';

/**
 * The public page of an incident, `<publicUrl>/incident/<id>`, when the config names the
 * status page's public URL (`http.publicUrl`) and the page is on; else undefined. For the
 * Discord embed, the X root post and the incident images.
 */
export function incidentPageUrl(config: Pick<AppConfig, 'http'>, incidentId: string): string | undefined {
  const http = config.http;
  if (!http?.publicUrl || http.statusPage === false) return undefined;
  return `${http.publicUrl}/incident/${encodeURIComponent(incidentId)}`;
}

/** The path prefix of the public URL ("" at the root, "/status" for https://example.org/status). */
export function publicBasePath(publicUrl: string | undefined): string {
  if (!publicUrl) return '';
  return new URL(publicUrl).pathname.replace(/\/+$/, '');
}
