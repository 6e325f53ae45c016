import type { FastifyInstance } from 'fastify';

/** The media type of HTML forms and of providers that post like one (Click, Eskiz). */
export const FORM = 'application/x-www-form-urlencoded';

/**
 * Lets a plugin's routes take form-encoded bodies, read as a flat object of strings (a repeated
 * key keeps its last value). Scoped to the plugin it is called in; at most 64 KB.
 */
export function acceptFormBodies(app: FastifyInstance): void {
  if (app.hasContentTypeParser(FORM)) return;
  app.addContentTypeParser(FORM, { parseAs: 'string', bodyLimit: 64 * 1024 }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(String(body))));
  });
}
