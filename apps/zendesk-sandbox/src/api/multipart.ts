/** One part of a multipart/form-data body. */
export interface FormPart {
  name: string;
  fileName?: string;
  contentType?: string;
  data: Buffer;
}

/** A small multipart/form-data reader for the attachment upload (one request, held in memory). */
export function parseMultipart(body: Buffer, contentTypeHeader: string): FormPart[] {
  const boundaryMatch = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentTypeHeader);
  const boundary = boundaryMatch?.[1] ?? boundaryMatch?.[2];
  if (!boundary) throw new Error("multipart boundary is missing");
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: FormPart[] = [];
  let position = body.indexOf(delimiter);
  while (position >= 0) {
    const start = position + delimiter.length;
    if (body.subarray(start, start + 2).toString() === "--") break;
    const next = body.indexOf(delimiter, start);
    if (next < 0) break;
    // Each part sits between "\r\n" after the delimiter and "\r\n" before the next one.
    const raw = body.subarray(start + 2, next - 2);
    const headerEnd = raw.indexOf("\r\n\r\n");
    if (headerEnd >= 0) {
      const headers = raw.subarray(0, headerEnd).toString("utf8");
      const disposition = /content-disposition:([^\r\n]*)/i.exec(headers)?.[1] ?? "";
      const name = /\bname="([^"]*)"/i.exec(disposition)?.[1];
      const fileName = /\bfilename="([^"]*)"/i.exec(disposition)?.[1];
      const contentType = /content-type:\s*([^\r\n]*)/i.exec(headers)?.[1]?.trim();
      if (name !== undefined) {
        parts.push({ name, ...(fileName !== undefined ? { fileName } : {}), ...(contentType ? { contentType } : {}), data: raw.subarray(headerEnd + 4) });
      }
    }
    position = next;
  }
  return parts;
}
