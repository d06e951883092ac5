/**
 * A response body read as text, at most `max` bytes: refused up front when Content-Length
 * says more, cut off (and the rest cancelled) once the stream passes it, so a hostile or
 * broken server cannot make chainwatch buffer without bound. `tooLarge` makes the caller's
 * own error for either case.
 */
export async function readCappedText(res: Response, max: number, tooLarge: () => Error): Promise<string> {
  if (Number(res.headers.get('content-length')) > max) {
    await res.body?.cancel().catch(() => undefined);
    throw tooLarge();
  }
  if (!res.body) return '';
  const decoder = new TextDecoder();
  const reader = res.body.getReader();
  let size = 0;
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    text += decoder.decode(value, { stream: true });
  }
  return text + decoder.decode();
}
