// Gateway: HELLO, IDENTIFY -> READY + GUILD_CREATE, heartbeats, RESUME, and dispatches filtered by
// intents. https://discord.com/developers/docs/events/gateway (connection lifecycle, close codes,
// sharding) and .../events/gateway-events (payloads). JSON encoding only, no compression: discord.js
// asks for zlib-stream only when the optional zlib-sync package is installed (it is not here).
// Sharded like Discord: IDENTIFY carries `shard: [shard_id, num_shards]`, READY lists that shard's
// guilds, and an event for a guild goes only to the sessions of shard (guild_id >> 22) % num_shards
// (events with no guild, e.g. DMs, to shard 0).
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import { WebSocket, WebSocketServer } from 'ws';
import { GatewayIntentBits } from 'discord-api-types/v10';
import { guildCreate, ready } from './payloads';
import type { FakeState } from './state';

interface Session {
  id: string;
  intents: number;
  /** [shard_id, num_shards] from IDENTIFY; [0, 1] when it sent none, as Discord assumes. */
  shard: [number, number];
  resumes: number;
  seq: number;
  /** Dispatches kept for RESUME, bounded like everything else in chainwatch. */
  log: { s: number; t: string; d: unknown }[];
  socket?: WebSocket;
}

const LOG_LIMIT = 1000;
/** Disconnected sessions kept for RESUME, about; the oldest goes first. */
const SESSION_LIMIT = 256;
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

/** Discord's formula (gateway#sharding-sharding-formula): shard_id = (guild_id >> 22) % num_shards. */
export function shardOf(guildId: string, count: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(count));
}

/** The guild an event is about: `guild_id`, or the guild itself for GUILD_CREATE/UPDATE/DELETE. */
function guildOf(t: string, d: unknown): string | undefined {
  const o = (d ?? {}) as Obj;
  if (typeof o.guild_id === 'string') return o.guild_id;
  return ['GUILD_CREATE', 'GUILD_UPDATE', 'GUILD_DELETE'].includes(t) && typeof o.id === 'string' ? o.id : undefined;
}

/** `shard` of an IDENTIFY: absent means [0, 1]; anything but two whole numbers with 0 <= id < count is invalid. */
function parseShard(raw: unknown): [number, number] | null {
  if (raw === undefined || raw === null) return [0, 1];
  if (!Array.isArray(raw) || raw.length !== 2) return null;
  const [id, count]: unknown[] = raw;
  const whole = (n: unknown): n is number => Number.isSafeInteger(n);
  return whole(id) && whole(count) && id >= 0 && id < count ? [id, count] : null;
}

export interface ShardSession {
  sessionId: string;
  shard: [number, number];
  connected: boolean;
  /** RESUMEs accepted on this session. */
  resumes: number;
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

  /** Every session kept, in IDENTIFY order: which shard, connected or not, resumed how often. */
  shardSessions(): ShardSession[] {
    return this.sessions.map((s) => ({
      sessionId: s.id,
      shard: [...s.shard],
      connected: s.socket?.readyState === WebSocket.OPEN,
      resumes: s.resumes,
    }));
  }

  dispatch(t: string, d: unknown): void {
    const guildId = guildOf(t, d);
    for (const session of this.sessions) {
      if (!this.receives(session, guildId)) continue;
      const needed = intentFor(t);
      if (needed !== undefined && (session.intents & needed) === 0) continue;
      const payload =
        t.startsWith('MESSAGE_') && !(session.intents & GatewayIntentBits.MessageContent)
          ? withoutContent(d, this.state.opts.botUserId)
          : d;
      this.send(session, t, payload);
    }
  }

  /**
   * Sends a dispatch to every connected session of the event's shard and resolves, with the
   * shard ids it went to, once written to the sockets.
   */
  async dispatchAndFlush(t: string, d: unknown): Promise<number[]> {
    const guildId = guildOf(t, d);
    const open = this.sessions.filter((s) => s.socket?.readyState === WebSocket.OPEN);
    if (open.length === 0) throw new Error('fake-discord: no connected gateway session (has the client logged in?)');
    const live = open.filter((s) => this.receives(s, guildId));
    if (live.length === 0) {
      const connected = open.map((s) => `${s.shard[0]}/${s.shard[1]}`).join(', ');
      throw new Error(`fake-discord: no connected session of the shard for guild ${guildId ?? '(none)'}; connected shards: ${connected}`);
    }
    await Promise.all(
      live.map((s) => new Promise<void>((resolve, reject) => this.send(s, t, d, (err) => (err ? reject(err) : resolve())))),
    );
    return [...new Set(live.map((s) => s.shard[0]))];
  }

  /** Asks every client to reconnect (op 7); discord.js then RESUMEs. */
  requestReconnect(): void {
    for (const s of this.sessions) s.socket?.send(JSON.stringify({ op: 7, d: null }));
  }

  /** Drops the connections of one shard without a close frame, as a network failure does. Returns how many. */
  dropShard(shardId: number): number {
    const hit = this.sessions.filter((s) => s.shard[0] === shardId && s.socket);
    for (const s of hit) s.socket!.terminate();
    return hit.length;
  }

  async close(): Promise<void> {
    for (const client of this.wss.clients) client.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  /** A session gets an event when the event's guild is on its shard; events with no guild go to shard 0. */
  private receives(session: Session, guildId: string | undefined): boolean {
    return shardOf(guildId ?? '0', session.shard[1]) === session.shard[0];
  }

  private send(session: Session, t: string, d: unknown, cb?: (err?: Error) => void): void {
    session.seq += 1;
    session.log.push({ s: session.seq, t, d });
    if (session.log.length > LOG_LIMIT) session.log.shift();
    const socket = session.socket;
    if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ op: 0, s: session.seq, t, d }), cb);
    else cb?.(); // kept in the log: a RESUME replays it
  }

  /** An accepted token's IDENTIFY: closes 4010/4011 for a bad shard, else READY and the shard's guilds. */
  private identify(ws: WebSocket, d: Obj): Session | null {
    const shard = parseShard(d.shard);
    if (!shard) {
      ws.close(4010, 'Invalid shard.');
      return null;
    }
    const guildIds = this.state.guilds.map((g) => g.id).filter((id) => shardOf(id, shard[1]) === shard[0]);
    // "The session would have handled too many guilds - you are required to shard your connection."
    if (guildIds.length > this.state.opts.maxGuildsPerShard) {
      ws.close(4011, 'Sharding required.');
      return null;
    }
    const session: Session = {
      id: randomBytes(16).toString('hex'),
      intents: Number(d.intents ?? 0),
      shard,
      resumes: 0,
      seq: 0,
      log: [],
      socket: ws,
    };
    this.state.sessionStarts += 1;
    this.sessions.push(session);
    // Connected sessions stay (each holds a socket); the oldest disconnected one makes room.
    const gone = this.sessions.length > SESSION_LIMIT ? this.sessions.findIndex((s) => !s.socket) : -1;
    if (gone !== -1) this.sessions.splice(gone, 1);
    this.send(session, 'READY', ready(this.state, session.id, this.state.gatewayUrl, shard, guildIds));
    for (const id of guildIds) this.send(session, 'GUILD_CREATE', guildCreate(this.state, id));
    return session;
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
          session = this.identify(ws, d) ?? undefined;
          return;
        }
        case 6: {
          // Resume: replay what the session missed, then RESUMED
          const found = this.sessions.find((s) => s.id === d.session_id);
          if (!found || !tokenOk) return ws.send(JSON.stringify({ op: 9, s: null, t: null, d: false }));
          session = found;
          found.socket = ws;
          found.resumes += 1;
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
