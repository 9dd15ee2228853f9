import { ExpressAdapter } from '@nestjs/platform-express';
import express, { Express, Response } from 'express';

/**
 * Express's `res.json`, trimmed to what this API sends: the JSON text with `Content-Type: application/json`
 * (no charset parameter, as Starlette's JSONResponse sends it) and its length, written with the headers in one
 * `end()`. Express's version parses and re-formats the content type to add the charset, checks request
 * freshness (this API sends no ETags), copies the text into a Buffer and writes headers and body as two chunks.
 * Express stays in charge of the rest: 204 and 304, and responses that chose another content type. HEAD gets
 * the headers GET would get, without the body.
 */
function installJsonResponse(app: Express): void {
  const expressJson = app.response.json;
  app.response.json = function json(this: Response, body: unknown): Response {
    const text = JSON.stringify(body) as string | undefined;
    const type = this.getHeader('Content-Type');
    if (
      text === undefined ||
      this.statusCode === 204 ||
      this.statusCode === 304 ||
      (type !== undefined && type !== 'application/json')
    ) {
      return expressJson.call(this, body);
    }
    this.setHeader('Content-Type', 'application/json');
    this.setHeader('Content-Length', Buffer.byteLength(text));
    // HEAD: the headers GET would send, no body.
    if (this.req.method === 'HEAD') this.end();
    else this.end(text);
    return this;
  };
}

/**
 * Nest's Express adapter on an Express app that answers JSON as above. A handler's number, boolean or string is
 * JSON too (`POST /flows/count` answers a bare integer, `GET /admin/version` a JSON string); Nest would send it
 * as text.
 */
export class JsonExpressAdapter extends ExpressAdapter {
  constructor(app: Express = express()) {
    installJsonResponse(app);
    super(app);
  }

  override reply(response: Response, body: unknown, statusCode?: number): unknown {
    if (typeof body !== 'number' && typeof body !== 'boolean' && typeof body !== 'string')
      return super.reply(response, body, statusCode);
    if (statusCode) response.status(statusCode);
    return response.json(body);
  }
}
