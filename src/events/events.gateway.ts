import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { createHash, timingSafeEqual } from 'node:crypto';
import { RawData, WebSocket, WebSocketServer } from 'ws';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { SchemaState } from '../database/schema-state';
import { basicAuthCheck } from '../http/security';
import { InvalidEvent, parseEvent } from './event';
import { RecorderUnavailable, TaskRunRecorder } from './task-run-recorder';

export const EVENTS_IN_PATH = '/api/events/in';

// Close codes (RFC 6455 and the IANA registry), as Prefect's server uses them.
const PROTOCOL_ERROR = 1002;
const POLICY_VIOLATION = 1008;
const GOING_AWAY = 1001;
const TRY_AGAIN_LATER = 1013;

const digest = (value: string) => createHash('sha256').update(value).digest();

function refuse(socket: Duplex, status: number, reason: string, body: object, headers: string[] = []): void {
  const text = JSON.stringify(body);
  socket.end(
    [
      `HTTP/1.1 ${status} ${reason}`,
      'Content-Type: application/json',
      `Content-Length: ${Buffer.byteLength(text)}`,
      'Connection: close',
      ...headers,
      '',
      text,
    ].join('\r\n'),
  );
}

/** One client connection: its frames are handled one after the other, in the order they came. */
class EventsConnection {
  private authenticated: boolean;
  private queue: Promise<void> = Promise.resolve();
  private failed = false;
  recorded = 0;
  discarded = 0;

  constructor(
    private readonly ws: WebSocket,
    private readonly gateway: EventsGateway,
    prefectProtocol: boolean,
  ) {
    // Without the "prefect" subprotocol there is no auth message (Prefect's legacy mode).
    this.authenticated = !prefectProtocol;
  }

  /** Resolves when every frame received so far has been handled. */
  drained(): Promise<void> {
    return this.queue;
  }

  enqueue(step: () => Promise<void>): void {
    this.queue = this.queue.then(async () => {
      if (this.failed) return;
      try {
        await step();
      } catch (err) {
        this.failed = true;
        if (err instanceof RecorderUnavailable) {
          // Not acknowledged (no pong follows): Prefect's client reconnects and sends its unconfirmed events again.
          this.gateway.logger.warn(`events socket closed, the database is unavailable: ${err.message}`);
          this.ws.close(TRY_AGAIN_LATER, 'Database unavailable, try again later');
        } else {
          this.gateway.logger.error('events socket closed after an unexpected error', (err as Error).stack);
          this.ws.close(1011, 'Internal error');
        }
      }
    });
  }

  onMessage(data: RawData, isBinary: boolean): void {
    this.enqueue(async () => {
      const text = isBinary ? undefined : data.toString('utf8');
      if (!this.authenticated) return this.authenticate(text);
      if (text === undefined) return this.discard('a binary frame');
      let event;
      try {
        event = parseEvent(text);
      } catch (err) {
        if (err instanceof InvalidEvent) return this.discard(err.message);
        throw err;
      }
      const outcome = await this.gateway.recorder.record(event);
      if (outcome === 'discarded') this.discarded++;
      else this.recorded++;
    });
  }

  /** A pong confirms every event sent before the ping (Prefect's client checkpoints so): answered once they are stored. */
  onPing(data: Buffer): void {
    this.enqueue(async () => {
      if (this.ws.readyState === WebSocket.OPEN) this.ws.pong(data);
    });
  }

  private discard(reason: string): void {
    this.discarded++;
    this.gateway.logger.warn(`events socket: frame discarded, ${reason}`);
  }

  /** Prefect's handshake: the first message is `{"type": "auth", "token": ...}`, answered with auth_success. */
  private authenticate(text: string | undefined): void {
    let message: unknown;
    try {
      message = text === undefined ? undefined : JSON.parse(text);
    } catch {
      message = undefined;
    }
    const { type, token } = (typeof message === 'object' && message !== null ? message : {}) as Record<string, unknown>;
    if (type !== 'auth') return this.reject("Expected 'auth' message");
    const expected = this.gateway.authToken;
    if (expected) {
      if (typeof token !== 'string' || !token) return this.reject('Auth required but no token provided');
      if (!timingSafeEqual(digest(token), expected)) return this.reject('Invalid token');
    }
    this.authenticated = true;
    this.ws.send(JSON.stringify({ type: 'auth_success' }));
  }

  private reject(reason: string): void {
    this.failed = true;
    this.gateway.logger.warn(`events socket closed: ${reason}`);
    this.ws.close(POLICY_VIOLATION, reason);
  }
}

/**
 * Prefect's `/api/events/in` websocket on the app's own HTTP server and port: clients stream events, one JSON
 * Event a text frame. Task-run events are recorded (TaskRunRecorder); others are accepted and dropped. A frame
 * that is not an Event is logged and skipped (the connection stays open); one over EVENTS_MAX_FRAME_SIZE closes
 * that connection (1009) after the frames before it are stored.
 */
@Injectable()
export class EventsGateway implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly logger = new Logger('Events');
  readonly authToken?: Buffer;
  private readonly basicAuthOk?: (header: string | undefined) => boolean;
  private readonly connections = new Map<WebSocket, EventsConnection>();
  private wss?: WebSocketServer;
  private server?: Server;
  private stopping = false;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly schema: SchemaState,
    readonly recorder: TaskRunRecorder,
  ) {
    if (config.apiAuthString) {
      this.authToken = digest(config.apiAuthString);
      this.basicAuthOk = basicAuthCheck(config.apiAuthString);
    }
  }

  onApplicationBootstrap(): void {
    const server = this.adapterHost.httpAdapter?.getHttpServer() as Server | undefined;
    if (!server) return;
    this.server = server;
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: this.config.eventsMaxFrameBytes,
      // Pongs are sent by EventsConnection.onPing, after the events before the ping are stored.
      autoPong: false,
      handleProtocols: (protocols) => (protocols.has('prefect') ? 'prefect' : false),
    });
    server.on('upgrade', this.onUpgrade);
  }

  private readonly onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    socket.on('error', () => socket.destroy());
    const path = (req.url ?? '').split('?')[0];
    if (path !== EVENTS_IN_PATH || !this.wss) return refuse(socket, 404, 'Not Found', { detail: 'Not Found' });
    if (this.basicAuthOk && !this.basicAuthOk(req.headers.authorization))
      return refuse(socket, 401, 'Unauthorized', { exception_message: 'Unauthorized' }, [
        'WWW-Authenticate: Basic realm="flow-registry", charset="UTF-8"',
      ]);
    if (this.stopping || !this.schema.ready)
      return refuse(socket, 503, 'Service Unavailable', { exception_message: 'Service Unavailable' });
    this.wss.handleUpgrade(req, socket, head, (ws) => this.serve(ws));
  };

  private serve(ws: WebSocket): void {
    const prefectProtocol = ws.protocol === 'prefect';
    if (!prefectProtocol && this.authToken) {
      ws.close(PROTOCOL_ERROR, "'prefect' subprotocol required when auth is configured");
      return;
    }
    const connection = new EventsConnection(ws, this, prefectProtocol);
    this.connections.set(ws, connection);
    ws.on('message', (data, isBinary) => connection.onMessage(data, isBinary));
    ws.on('ping', (data) => connection.onPing(data));
    // ws reports a frame over maxPayload (and other protocol errors) here, then closes the socket itself.
    ws.on('error', (err) => this.logger.warn(`events socket error: ${err.message}`));
    ws.on('close', (code) => {
      this.connections.delete(ws);
      void connection.drained().then(() => {
        this.logger.debug(
          `events socket closed (${code}): ${connection.recorded} events handled, ${connection.discarded} discarded`,
        );
      });
    });
  }

  /** Lets each connection finish the frames it has, then closes it (before the database pool goes). */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    this.server?.off('upgrade', this.onUpgrade);
    await Promise.all(
      [...this.connections].map(async ([ws, connection]) => {
        await connection.drained();
        ws.close(GOING_AWAY, 'Server shutting down');
      }),
    );
    this.wss?.close();
  }
}
