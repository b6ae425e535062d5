/**
 * What the daemon does with each request: a closed table from command to
 * handler, plus frames. A handler returns the reply line (without newline), or
 * a promise of it when the driver works asynchronously. Nothing here throws to
 * the server: every failure becomes an error reply.
 */
import { maxLineBytes } from "../../protocol/limits.ts";
import { errorReply, okReply, parseRequestBytes, type Command, type InfoReply } from "../../protocol/messages.ts";
import type { Strip } from "./strip.ts";

export type Reply = string | Promise<string>;

/** One client connection, as handlers see it. */
export interface Session {
  /** Takes the writer role if it is free or already this session's; false when another client holds it. */
  claimWriter(): boolean;
}

export interface HandlerContext {
  strip: Strip;
  ledCount: number;
  info: InfoReply;
}

export const busyError =
  "busy: another client is driving the strip (one writer at a time); info and snapshot still work, " +
  "and the strip is free again when that client disconnects";

const driverFailed = (error: unknown) => errorReply(`the LED driver failed: ${error instanceof Error ? error.message : String(error)}`);

/** Turns a driver call's outcome into a reply without ever throwing. */
function settle(action: () => void | Promise<void>): Reply {
  try {
    const result = action();
    return result instanceof Promise ? result.then(() => okReply, driverFailed) : okReply;
  } catch (error) {
    return driverFailed(error);
  }
}

type CommandHandler = (context: HandlerContext, session: Session, infoText: string) => Reply;

export const commandHandlers: { readonly [K in Command["type"]]: CommandHandler } = {
  info: (_context, _session, infoText) => infoText,
  snapshot: (context) => JSON.stringify(context.strip.snapshot()),
  off: (context, session) => (session.claimWriter() ? settle(() => context.strip.off()) : errorReply(busyError)),
};

export function infoReply(strip: Strip, driver: string, colorOrder: string, brightnessCapPercent: number): InfoReply {
  return {
    ok: true,
    protocol: 1,
    ledCount: strip.plan.ledCount,
    driver,
    colorOrder,
    brightnessCapPercent,
    budgetMilliamps: strip.plan.budgetMilliamps,
    maxChannelSum: strip.plan.maxChannelSum,
    maxLineBytes,
  };
}

/** Builds the per-line handler. It keeps one frame buffer for every connection: lines are handled one at a time. */
export function createLineHandler(context: HandlerContext): (session: Session, bytes: Uint8Array, start: number, end: number) => Reply {
  const frame = new Uint8Array(context.ledCount * 4);
  const infoText = JSON.stringify(context.info);
  return (session, bytes, start, end) => {
    const request = parseRequestBytes(bytes, context.ledCount, frame, start, end);
    switch (request.kind) {
      case "invalid":
        return errorReply(request.error);
      case "frame":
        return session.claimWriter() ? settle(() => context.strip.show(request.frame)) : errorReply(busyError);
      case "command":
        return commandHandlers[request.command.type](context, session, infoText);
    }
  };
}
