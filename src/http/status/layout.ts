import { createHash } from 'node:crypto';
import { html, raw, type Html } from './html';
import { STATUS_COLOUR } from './model';

/**
 * The page shell: inline CSS, a tiny inline script, no external asset. The script swaps the
 * contents of <main> for a fresh server-rendered fragment (`?fragment=1`) every 15 s (or
 * `?refresh=<seconds>`, 5 s to 10 min), and keeps the "… ago" times ticking between refreshes.
 * The Content-Security-Policy allows this script by its hash and nothing else.
 */

/**
 * The refresh period's bounds. A shared link with `?refresh=3000000` once made every visitor's
 * tab fetch about 40 times a second (`setTimeout` past 2^31 ms fires at once); below 5 s a crowd
 * costs more than the page's 2 s cache saves. Out of range is clamped, not an error: the link
 * still works.
 */
export const REFRESH_SECONDS = { default: 15, min: 5, max: 600 } as const;

/** `?refresh=` as the page uses it: a number of seconds, clamped; anything else is the default. */
export function refreshSeconds(raw: string | null | undefined): number {
  const n = Number(raw);
  if (raw === null || raw === undefined || raw.trim() === '' || Number.isNaN(n)) return REFRESH_SECONDS.default;
  return Math.min(REFRESH_SECONDS.max, Math.max(REFRESH_SECONDS.min, n));
}

const CSS = `
:root{--bg:#f6f8fa;--fg:#1f2328;--muted:#59636e;--card:#fff;--line:#d1d9e0;--ok:#1f883d;--slow:#d1580f;--gap:#cf222e;--none:#d1d9e0}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;--card:#151b23;--line:#3d444d;--none:#3d444d}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
a{color:inherit}
header,main,footer{max-width:960px;margin:0 auto;padding:12px 16px}
header h1{font-size:1.35rem;margin:8px 0}
header nav a{color:var(--muted);font-size:.9rem;margin-right:12px}
h2{font-size:1.1rem;margin:24px 0 8px}
.banner{padding:14px 16px;border-radius:8px;color:#fff;font-weight:600;font-size:1.05rem}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(280px,1fr));gap:12px}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:12px 14px;min-width:0}
.card h3{margin:0;font-size:1rem;display:flex;justify-content:space-between;align-items:center;gap:8px}
.card h3 a{text-decoration:none;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.pill{display:inline-block;padding:1px 8px;border-radius:999px;color:#fff;font-size:.78rem;font-weight:600;white-space:nowrap}
.meta{color:var(--muted);font-size:.85rem;margin:4px 0;overflow-wrap:anywhere}
.chart{display:block;width:100%;height:44px;margin:6px 0}
.chart-detail{height:auto}
.c-ok{fill:var(--ok);opacity:.75}.c-slow{fill:var(--slow)}.c-gap{fill:var(--gap)}
.c-axis{stroke:var(--line)}.c-exp{stroke:var(--muted);stroke-dasharray:3 3}.c-lbl{fill:var(--muted);font-size:10px}
.bars{display:block;width:100%;height:26px;margin-top:6px}
.bars rect{width:3px;height:26px;rx:1px}
.b-operational{fill:var(--ok)}.b-degraded{fill:#bf8700}.b-partial{fill:#d1580f}.b-major{fill:#cf222e}.b-maintenance{fill:#0969da}.b-unknown{fill:var(--none)}
.barlegend{display:flex;justify-content:space-between;gap:6px;color:var(--muted);font-size:.75rem;white-space:nowrap}
.incident{background:var(--card);border:1px solid var(--line);border-left:4px solid var(--gap);border-radius:8px;padding:12px 14px;margin-bottom:12px}
.incident h3{margin:0 0 4px;font-size:1rem}
.timeline{list-style:none;margin:8px 0 0;padding:0}
.timeline li{border-top:1px solid var(--line);padding:6px 0;overflow-wrap:anywhere}
.timeline .lbl{font-weight:600}
.timeline time,.past time{color:var(--muted);font-size:.85rem}
.past{list-style:none;padding:0;margin:0}
.past li{padding:8px 0;border-top:1px solid var(--line);overflow-wrap:anywhere}
.endpoints{width:100%;border-collapse:collapse;font-size:.9rem}
.endpoints td,.endpoints th{text-align:left;padding:4px 6px;border-top:1px solid var(--line)}
footer{color:var(--muted);font-size:.8rem}
@media (max-width:480px){body{font-size:14px}header,main,footer{padding:10px}}
${Object.entries(STATUS_COLOUR)
  .map(([s, c]) => `.p-${s}{background:${c}}`)
  .join('')}
`;

// The server clamps the period into <main data-refresh>; the script clamps again, whatever it finds.
const SCRIPT = `(()=>{const m=document.querySelector('main');if(!m)return;
const every=Math.min(${REFRESH_SECONDS.max},Math.max(${REFRESH_SECONDS.min},Number(m.dataset.refresh)||${REFRESH_SECONDS.default}))*1000;let skew=0;
const fmt=s=>s<60?s+' s ago':s<3600?Math.floor(s/60)+' min ago':Math.floor(s/3600)+' h '+Math.floor(s%3600/60)+' min ago';
const sync=()=>{const st=m.querySelector('[data-now]');if(st){skew=Number(st.dataset.now)-Date.now();if(st.dataset.title)document.title=st.dataset.title}};
const tick=()=>{const now=Date.now()+skew;for(const e of m.querySelectorAll('[data-ago]'))e.textContent=fmt(Math.max(0,Math.round((now-Number(e.dataset.ago))/1000)))};
async function refresh(){try{const u=new URL(location.href);u.searchParams.set('fragment','1');const r=await fetch(u,{cache:'no-store'});
if(r.ok){m.innerHTML=await r.text();m.dataset.refreshed=String(Date.now());sync();tick()}}catch(e){}setTimeout(refresh,every)}
sync();tick();setInterval(tick,1000);setTimeout(refresh,every)})();`;

const hash = (s: string) => `'sha256-${createHash('sha256').update(s).digest('base64')}'`;

/** Only this page's own style and script; fetches to this origin; no frames, no forms. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  `style-src ${hash(CSS)}`,
  `script-src ${hash(SCRIPT)}`,
  "connect-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export interface Shell {
  /** The document title, also set on every refresh (e.g. "Major outage · chainwatch status"). */
  documentTitle: string;
  /** The site title in the header, linking home. */
  siteTitle: string;
  /** Path prefix of every link (the path of `publicUrl`), "" at the root. */
  base: string;
  /** The <main> contents: also the fragment served to the refresh script. */
  main: Html;
  now: number;
  /** Seconds between refreshes, already clamped (`refreshSeconds`); absent: the default. */
  refreshSeconds?: number;
}

/** The element the script reads the server's time and the title from, inside <main>. */
export function stamp(now: number, documentTitle: string): Html {
  return html`<div hidden data-now="${now}" data-title="${documentTitle}"></div>`;
}

export function fragment(shell: Shell): string {
  return html`${stamp(shell.now, shell.documentTitle)}${shell.main}`.value;
}

export function page(shell: Shell): string {
  const { base } = shell;
  const every = refreshSeconds(String(shell.refreshSeconds ?? REFRESH_SECONDS.default));
  return `<!doctype html>${
    html`<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${shell.documentTitle}</title>
<link rel="alternate" type="application/atom+xml" title="Incidents" href="${base}/feed.atom">
<style>${raw(CSS)}</style></head>
<body><header><h1><a href="${base}/">${shell.siteTitle}</a></h1>
<nav><a href="${base}/">All networks</a><a href="${base}/feed.atom">Atom feed</a><a href="${base}/api/v1/status">JSON</a></nav></header>
<main data-refresh="${every}">${raw(fragment(shell))}</main>
<footer>Server-rendered by chainwatch; this page refreshes itself every ${every} s.</footer>
<script>${raw(SCRIPT)}</script></body></html>`.value
  }`;
}
