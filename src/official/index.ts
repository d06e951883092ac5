/** Official status pages: reading one (fetch.ts), its JSON (parse.ts, pure), and the last page read (last-page.ts). */
export { readStatusPage, MAX_STATUS_PAGE_BYTES, type ReadStatusPageParameters } from './fetch';
export { cleanText, parseStatusPage, MAX_COMPONENTS, MAX_INCIDENTS, type ParseResult } from './parse';
export { LastStatusPages, type LastStatusPage } from './last-page';
