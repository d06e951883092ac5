// Gateway: HELLO, IDENTIFY -> READY + GUILD_CREATE, heartbeats, RESUME, and dispatches filtered by
// intents. https://discord.com/developers/docs/events/gateway (connection lifecycle, close codes)
// and .../events/gateway-events (payloads). JSON encoding only, no compression: discord.js asks for
// zlib-stream only when the optional zlib-sync package is installed (it is not here).
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import { WebSocket, WebSocketServer } from 'ws';
import { GatewayIntentBits } from 'discord-api-types/v10';
import { guildCreate, ready } from './payloads';
import type { FakeState } from './state';

interface Session {
  id: string;
  intents: number;
  seq: number;
  /** Dispatches kept for RESUME, bounded like everything else in chainwatch. */
  log: { s: number; t: string; d: unknown }[];
  socket?: WebSocket;
}

const LOG_LIMIT = 1000;
/** The interval Discord currently sends in HELLO. */
const HEARTBEAT_INTERVAL = 41250;
type Obj = Record<string, unknown>;

/**
 * Which intent an event needs (gateway#list-of-intents); undefined = always sent.
 * Without MESSAGE_CONTENT, content of other users' messages arrives empty (gateway#message-content-intent).
 */
function intentFor(t: string): number | undefined {
  if (t.startsWith('MESSAGE_')) return GatewayIntentBits.GuildMessages;
  if (t.startsWith('THREAD_') || t.startsWith('CHANNEL_') || t.startsWith('GUILD_')) return GatewayIntentBits.Guilds;
  return undefined;
}

function withoutContent(d: unknown, botUserId: string): unknown {
  const m = d as Obj;
  const author = m.author as Obj | undefined;
  const mentionsBot = Array.isArray(m.mentions) && (m.mentions as Obj[]).some((u) => u.id === botUserId);
  if (!author || author.id === botUserId || mentionsBot) return d;
  return { ...m, content: '', embeds: [], attachments: [], components: [] };
}

export class FakeGateway {
  /** Every IDENTIFY seen, accepted or not. */
  readonly identifies: { token: string; intents: number }[] = [];
  private readonly sessions: Session[] = [];
  private readonly wss: WebSocketServer;

  constructor(
    private readonly state: FakeState,
    server: Server,
  ) {
    this.wss = new WebSocketServer({ server, path: '/gateway' });
    this.wss.on('connection', (ws, req) => this.onConnection(ws, req));
    state.dispatch = (t, d) => this.dispatch(t, d);
  }

  /** True once a session is identified and connected (discord.js got READY). */
  get connected(): boolean {
    return this.sessions.some((s) => s.socket?.readyState === WebSocket.OPEN);
  }

  dispatch(t: string, d: unknown): void {
    for (const session of this.sessions) {
      const needed = intentFor(t);
      if (needed !== undefined && (session.intents & needed) === 0) continue;
      const payload =
        t.startsWith('MESSAGE_') && !(session.intents & GatewayIntentBits.MessageContent)
          ? withoutContent(d, this.state.opts.botUserId)
          : d;
      this.send(session, t, payload);
    }
  }

  /** Sends a dispatch to every connected session and resolves once written to the sockets. */
  async dispatchAndFlush(t: string, d: unknown): Promise<void> {
    const live = this.sessions.filter((s) => s.socket?.readyState === WebSocket.OPEN);
    if (live.length === 0) throw new Error('fake-discord: no connected gateway session (has the client logged in?)');
    await Promise.all(
      live.map((s) => new Promise<void>((resolve, reject) => this.send(s, t, d, (err) => (err ? reject(err) : resolve())))),
    );
  }

  /** Asks every client to reconnect (op 7); discord.js then RESUMEs. */
  requestReconnect(): void {
    for (const s of this.sessions) s.socket?.send(JSON.stringify({ op: 7, d: null }));
  }

  async close(): Promise<void> {
    for (const client of this.wss.clients) client.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private send(session: Session, t: string, d: unknown, cb?: (err?: Error) => void): void {
    session.seq += 1;
    session.log.push({ s: session.seq, t, d });
    if (session.log.length > LOG_LIMIT) session.log.shift();
    const socket = session.socket;
    if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ op: 0, s: session.seq, t, d }), cb);
    else cb?.(); // kept in the log: a RESUME replays it
  }

  private onConnection(ws: WebSocket, req: IncomingMessage): void {
    const query = new URL(req.url ?? '/', 'http://fake-discord').searchParams;
    if (query.get('v') !== '10') return ws.close(4012, 'Invalid API version.');
    if ((query.get('encoding') ?? 'json') !== 'json') return ws.close(4002, 'Error while decoding payload.');
    let session: Session | undefined;
    ws.send(JSON.stringify({ op: 10, s: null, t: null, d: { heartbeat_interval: HEARTBEAT_INTERVAL } }));
    ws.on('message', (raw) => {
      let p: { op?: number; d?: Obj };
      try {
        p = JSON.parse(raw.toString());
      } catch {
        return ws.close(4002, 'Error while decoding payload.');
      }
      const d = p.d ?? {};
      const tokenOk = d.token === this.state.opts.token || d.token === `Bot ${this.state.opts.token}`;
      switch (p.op) {
        case 1: // Heartbeat -> Heartbeat ACK
          return ws.send(JSON.stringify({ op: 11, s: null, t: null, d: null }));
        case 2: {
          // Identify
          this.identifies.push({ token: String(d.token), intents: Number(d.intents ?? 0) });
          if (session) return ws.close(4005, 'Already authenticated.');
          if (!tokenOk) return ws.close(4004, 'Authentication failed.');
          session = { id: randomBytes(16).toString('hex'), intents: Number(d.intents ?? 0), seq: 0, log: [], socket: ws };
          this.sessions.push(session);
          this.send(session, 'READY', ready(this.state, session.id, this.state.gatewayUrl));
          this.send(session, 'GUILD_CREATE', guildCreate(this.state));
          return;
        }
        case 6: {
          // Resume: replay what the session missed, then RESUMED
          const found = this.sessions.find((s) => s.id === d.session_id);
          if (!found || !tokenOk) return ws.send(JSON.stringify({ op: 9, s: null, t: null, d: false }));
          session = found;
          found.socket = ws;
          for (const e of found.log.filter((x) => x.s > Number(d.seq ?? 0))) {
            ws.send(JSON.stringify({ op: 0, s: e.s, t: e.t, d: e.d }));
          }
          return this.send(found, 'RESUMED', {});
        }
        case 3:
        case 4:
        case 8: // presence, voice state, request guild members: accepted, not modelled
          return;
        default:
          return ws.close(4001, 'Unknown opcode.');
      }
    });
    ws.on('close', () => {
      if (session?.socket === ws) session.socket = undefined;
    });
  }
}
