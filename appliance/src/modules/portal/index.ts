/**
 * Captive-portal probe paths (FACTS: Android, Apple, Windows, Firefox). Unknown
 * clients are redirected to the editor so the phone shows our page; known ones
 * get the exact "online" answer each OS expects. These are the only paths
 * answered for a foreign Host (server.ts): on the hotspot the phone asks for
 * them under the vendor's name, e.g. `connectivitycheck.gstatic.com`.
 */
import { Elysia } from "elysia";
import type { AppContext } from "../../context.ts";

const text = (body: string, contentType = "text/plain; charset=utf-8") => new Response(body, { headers: { "content-type": contentType } });

export const portalAnswers: Record<string, () => Response> = {
  "/generate_204": () => new Response(null, { status: 204 }),
  "/gen_204": () => new Response(null, { status: 204 }),
  "/hotspot-detect.html": () => text("<HTML><HEAD><TITLE>Success</TITLE></HEAD><BODY>Success</BODY></HTML>", "text/html; charset=utf-8"),
  "/library/test/success.html": () => text("<HTML><HEAD><TITLE>Success</TITLE></HEAD><BODY>Success</BODY></HTML>", "text/html; charset=utf-8"),
  "/connecttest.txt": () => text("Microsoft Connect Test"),
  "/ncsi.txt": () => text("Microsoft NCSI"),
  "/canonical.html": () => text('<meta http-equiv="refresh" content="0;url=https://support.mozilla.org/kb/captive-portal"/>', "text/html; charset=utf-8"),
  "/success.txt": () => text("success\n"),
};

export function portalRoutes(ctx: AppContext) {
  const app = new Elysia({ name: "portal" });
  for (const [path, answer] of Object.entries(portalAnswers)) {
    app.get(path, ({ request, server }) => {
      if (ctx.seenClients.has(ctx.clientIp(request, server))) return answer();
      const base = ctx.publicUrl()?.replace(/\/+$/, "");
      // Asked under the vendor's name, a relative /editor would stay on that name (and be refused):
      // without a publicUrl there is no URL of ours to send the phone to, so it is told "online".
      if (base === undefined && !ctx.hosts.allows(request.headers.get("host"))) return answer();
      return new Response(null, { status: 302, headers: { location: `${base ?? ""}/editor`, "cache-control": "no-store" } });
    });
  }
  return app;
}
