/**
 * The Unix stream socket: newline-delimited requests in, exactly one reply line
 * per request line out, in order. Lines are found with one native indexOf per
 * line and handed on as (buffer, start, end): no copy unless a line spans
 * chunks, no string unless it is a command. Replies for one chunk go out in one
 * write. A line longer than maxLineBytes gets one error reply as soon as it
 * passes the cap; its remaining bytes are skipped up to the next newline, so
 * memory stays bounded and the connection keeps working.
 *
 * One writer: the first connection to send a frame or "off" drives the strip
 * until it disconnects; others get a "busy" error for frames and "off", while
 * info and snapshot work for everyone. When the writer disconnects the strip
 * goes dark. A client that does not read its replies is not read either
 * (reading pauses while replies wait), so it cannot make the daemon buffer
 * without bound.
 */
import { lstatSync } from "node:fs";
import type { Socket } from "bun";
import { maxLineBytes } from "../../protocol/limits.ts";
import { errorReply } from "../../protocol/messages.ts";
import type { Reply, Session } from "./handlers.ts";
import { createSecured, prepareSocketPath, removeSocket } from "./socket-file.ts";

/** Most connections served at once; the app needs two at most (frames, live view). */
export const maxClients = 16;

const newline = 0x0a;
/** Replies held back before they are handed to the socket mid-chunk; bounds memory per client. */
const replyFlushChars = 64 * 1024;

export interface ServerOptions {
  path: string;
  /** Group for the socket file; undefined keeps the daemon's. */
  gid?: number;
  handleLine: (session: Session, bytes: Uint8Array, start: number, end: number) => Reply;
  /** Called when the writer disconnects; the daemon darkens the strip. */
  onWriterGone: () => void | Promise<void>;
  log: (message: string) => void;
}

export interface RunningServer {
  readonly path: string;
  /** Connections open now. */
  readonly clients: number;
  /** Stops listening, closes every connection, waits for replies in flight, removes the socket file. */
  close(): Promise<void>;
}

interface Connection extends Session {
  readonly id: number;
  /** Pieces of a line that has not ended yet (copied). */
  pieces: Uint8Array[];
  pieceBytes: number;
  /** Inside an oversized line: skip to its newline. */
  skipping: boolean;
  /** Chunks waiting while a reply is in flight or the client is not reading (copied). */
  queue: Uint8Array[];
  /** Offset into queue[0] already handled. */
  offset: number;
  /** A handler's promise is pending: lines wait, to keep replies in order. */
  inFlight: Promise<void> | undefined;
  /** Reply bytes the socket has not taken yet. */
  unsent: Uint8Array | undefined;
  /** Reading is paused (we wait on a reply or on the client). */
  paused: boolean;
  closed: boolean;
}

/** A copy that owns its bytes (Buffer#slice would share them with the runtime's receive buffer). */
const copyOf = (bytes: Uint8Array, start = 0, end = bytes.length) => new Uint8Array(bytes.subarray(start, end));

const concat = (pieces: Uint8Array[], total: number) => {
  const line = new Uint8Array(total);
  let at = 0;
  for (const piece of pieces) {
    line.set(piece, at);
    at += piece.length;
  }
  return line;
};

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const { handleLine, log } = options;
  await prepareSocketPath(options.path);
  let writer: Connection | undefined;
  let nextId = 1;
  const connections = new Set<Socket<Connection>>();
  const inFlight = new Set<Promise<void>>();

  const send = (socket: Socket<Connection>, text: string) => {
    const conn = socket.data;
    if (text === "" || conn.closed) return;
    const bytes = Buffer.from(text);
    if (conn.unsent !== undefined) {
      conn.unsent = concat([conn.unsent, bytes], conn.unsent.length + bytes.length);
      return;
    }
    const written = socket.write(bytes);
    if (written < 0) return;
    if (written < bytes.length) {
      conn.unsent = bytes.slice(written);
      pause(socket);
    }
  };

  const pause = (socket: Socket<Connection>) => {
    if (socket.data.paused) return;
    socket.data.paused = true;
    socket.pause();
  };

  /** Handles queued chunks line by line until they run out or a reply must be waited for. */
  const pump = (socket: Socket<Connection>) => {
    const conn = socket.data;
    let replies = "";
    while (conn.queue.length > 0 && conn.inFlight === undefined && conn.unsent === undefined && !conn.closed) {
      const chunk = conn.queue[0]!;
      let offset = conn.offset;
      while (offset < chunk.length) {
        const end = chunk.indexOf(newline, offset);
        if (conn.skipping) {
          if (end < 0) {
            offset = chunk.length;
            break;
          }
          conn.skipping = false;
          offset = end + 1;
          continue;
        }
        if (end < 0) {
          const rest = chunk.length - offset;
          if (conn.pieceBytes + rest > maxLineBytes) {
            replies += `${errorReply(`line is longer than ${maxLineBytes} bytes`)}\n`;
            conn.pieces = [];
            conn.pieceBytes = 0;
            conn.skipping = true;
          } else {
            conn.pieces.push(copyOf(chunk, offset));
            conn.pieceBytes += rest;
          }
          offset = chunk.length;
          break;
        }
        let line = chunk;
        let start = offset;
        let stop = end;
        if (conn.pieces.length > 0) {
          conn.pieces.push(chunk.subarray(offset, end));
          line = concat(conn.pieces, conn.pieceBytes + (end - offset));
          start = 0;
          stop = line.length;
          conn.pieces = [];
          conn.pieceBytes = 0;
        }
        offset = end + 1;
        const reply = handleLine(conn, line, start, stop);
        if (typeof reply === "string") {
          replies += `${reply}\n`;
          // A chunk of empty lines makes ~90 bytes of reply per byte read: hand replies over as they
          // pile up, and stop reading where we are if the client is not taking them.
          if (replies.length >= replyFlushChars) {
            send(socket, replies);
            replies = "";
            if (conn.unsent !== undefined) {
              conn.offset = offset;
              return;
            }
          }
          continue;
        }
        // Wait for this reply before the next line; keep our place in the chunk.
        conn.offset = offset;
        if (offset >= chunk.length) {
          conn.queue.shift();
          conn.offset = 0;
        }
        send(socket, replies);
        const done = reply.then((text) => {
          conn.inFlight = undefined;
          inFlight.delete(done);
          send(socket, `${text}\n`);
          pump(socket);
        });
        conn.inFlight = done;
        inFlight.add(done);
        return;
      }
      conn.queue.shift();
      conn.offset = 0;
    }
    send(socket, replies);
    if (conn.paused && conn.queue.length === 0 && conn.inFlight === undefined && conn.unsent === undefined && !conn.closed) {
      conn.paused = false;
      socket.resume();
    }
  };

  const listener = createSecured(options.path, options.gid, () =>
    Bun.listen<Connection>({
      unix: options.path,
      socket: {
        open(socket) {
          const conn: Connection = {
            id: nextId++,
            pieces: [],
            pieceBytes: 0,
            skipping: false,
            queue: [],
            offset: 0,
            inFlight: undefined,
            unsent: undefined,
            paused: false,
            closed: false,
            claimWriter() {
              if (writer === undefined) {
                writer = conn;
                log(`client ${conn.id} is now the writer`);
              }
              return writer === conn;
            },
          };
          socket.data = conn;
          if (connections.size >= maxClients) {
            socket.end(`${errorReply(`busy: ${maxClients} clients are connected already; try again later`)}\n`);
            conn.closed = true;
            return;
          }
          connections.add(socket);
        },
        data(socket, chunk) {
          const conn = socket.data;
          if (conn.closed) return;
          if (conn.queue.length === 0 && conn.inFlight === undefined && conn.unsent === undefined) {
            // The common case: handle the chunk where it lies.
            conn.queue.push(chunk);
            pump(socket);
            // pump may stop early (a reply in flight); what it kept must outlive this callback.
            if (conn.queue[0] === chunk) conn.queue[0] = copyOf(chunk);
            return;
          }
          conn.queue.push(copyOf(chunk));
          // A client that keeps sending while we wait on it is not read until we catch up.
          pause(socket);
        },
        drain(socket) {
          const conn = socket.data;
          if (conn.unsent === undefined) return;
          const written = socket.write(conn.unsent);
          if (written < 0) return;
          if (written < conn.unsent.length) {
            conn.unsent = conn.unsent.slice(written);
            return;
          }
          conn.unsent = undefined;
          pump(socket);
        },
        close(socket) {
          const conn = socket.data;
          conn.closed = true;
          connections.delete(socket);
          if (writer !== conn) return;
          writer = undefined;
          log(`client ${conn.id} (the writer) disconnected; strip off`);
          // Never darken the strip under a render still in flight: it owns the wire buffer.
          const darken = Promise.resolve(conn.inFlight).then(() => options.onWriterGone());
          const tracked = darken.catch((error) => log(`turning the strip off failed: ${(error as Error).message}`));
          inFlight.add(tracked);
          tracked.finally(() => inFlight.delete(tracked));
        },
        error(socket, error) {
          log(`client ${socket.data?.id}: ${error.message}`);
        },
      },
    }),
  );
  const inode = lstatSync(options.path).ino;

  return {
    path: options.path,
    get clients() {
      return connections.size;
    },
    async close() {
      listener.stop(true);
      for (const socket of connections) socket.end();
      await Promise.allSettled([...inFlight]);
      removeSocket(options.path, inode);
    },
  };
}
