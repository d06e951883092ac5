// multipart/form-data (RFC 7578) parsed over bytes, as X parses the media append: twitter-api-v2
// sends the `media` part with no filename, so a WHATWG FormData parser would decode the image
// as text. Parts: name, optional filename and content type, raw bytes.

export interface Part {
  name: string;
  filename?: string;
  contentType?: string;
  data: Buffer;
}

export function boundaryOf(contentType: string): string | null {
  if (!/^multipart\/form-data\b/i.test(contentType)) return null;
  const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return m ? (m[1] ?? m[2]!) : null;
}

/** Throws on a body that is not well-formed multipart for this boundary. */
export function parseMultipart(raw: Buffer, boundary: string): Part[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: Part[] = [];
  let pos = raw.indexOf(delimiter);
  if (pos < 0) throw new Error('no boundary');
  for (;;) {
    pos += delimiter.length;
    if (raw.subarray(pos, pos + 2).toString('latin1') === '--') return parts;
    if (raw.subarray(pos, pos + 2).toString('latin1') !== '\r\n') throw new Error('boundary not followed by CRLF');
    pos += 2;
    const headerEnd = raw.indexOf('\r\n\r\n', pos);
    if (headerEnd < 0) throw new Error('part without headers end');
    const headers = raw.subarray(pos, headerEnd).toString('utf8').split('\r\n');
    const next = raw.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), headerEnd + 4);
    if (next < 0) throw new Error('part not terminated');
    const part: Part = { name: '', data: raw.subarray(headerEnd + 4, next) };
    for (const h of headers) {
      const [key, ...rest] = h.split(':');
      const value = rest.join(':').trim();
      if (/^content-disposition$/i.test(key!.trim())) {
        part.name = /\bname="([^"]*)"/.exec(value)?.[1] ?? '';
        const file = /\bfilename="([^"]*)"/.exec(value)?.[1];
        if (file !== undefined) part.filename = file;
      } else if (/^content-type$/i.test(key!.trim())) part.contentType = value;
    }
    if (!part.name) throw new Error('part without a name');
    parts.push(part);
    pos = next + 2;
  }
}
