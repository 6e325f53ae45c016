import type { FastifyReply } from 'fastify';

/** `inline` or `attachment` with the file name: an ASCII fallback, and the exact name in RFC 5987 `filename*`. */
export function contentDisposition(kind: 'inline' | 'attachment', fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return ascii === fileName
    ? `${kind}; filename="${ascii}"`
    : `${kind}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** Answers with a file: its media type and name; PDFs open in the browser, other files download. */
export function sendFile(
  reply: FastifyReply,
  file: { type: string; fileName: string; body: Uint8Array; disposition?: 'inline' | 'attachment' },
): FastifyReply {
  const kind = file.disposition ?? (file.type === 'application/pdf' ? 'inline' : 'attachment');
  return reply
    .type(file.type)
    .header('content-disposition', contentDisposition(kind, file.fileName))
    .send(file.body);
}
