import { describe, expect, it } from "vitest";
import { AppError } from "../../errors.ts";
import { testAppliance, Visitor, stopAfterEach } from "../../testing/test-appliance.ts";
import { pageAssetsOf, refusalPage } from "./refusal-page.ts";

const running = stopAfterEach();

const browserForm = { accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8" };

describe("a refused form post", () => {
  it("gets an HTML page with the check's error, its line and a way back (multipart and urlencoded)", async () => {
    const app = await testAppliance({ assets: new Map([
        ["/assets/app-1234.css", { body: new Uint8Array(), contentType: "text/css" }],
        ["/assets/favicon-abc.svg", { body: new Uint8Array(), contentType: "image/svg+xml" }],
      ]) });
    running.push(app);
    const multipart = new FormData();
    multipart.append("file", new File(["x = 1\nimport os\n"], "mine.py", { type: "text/x-python" }));
    const bodies: [string, RequestInit][] = [
      ["multipart", { body: multipart }],
      ["urlencoded", { body: new URLSearchParams({ code: "x = 1\nimport os\n" }), headers: { ...browserForm, "content-type": "application/x-www-form-urlencoded" } }],
    ];
    for (const [kind, init] of bodies) {
      const response = await app.request("/upload", { method: "POST", ...init, headers: { ...browserForm, ...(init.headers as Record<string, string>) }, as: new Visitor(`form ${kind}`) });
      expect(response.status, kind).toBe(422);
      expect(response.headers.get("content-type")).toMatch(/^text\/html/);
      expect(response.headers.get("content-security-policy")).toMatch(/script-src 'self'/);
      expect(response.headers.getSetCookie().some((line) => line.startsWith("user_id="))).toBe(true);
      const html = await response.text();
      expect(html).toContain("Your program needs a fix first");
      expect(html).toContain("Line 2");
      expect(html).toMatch(/<pre[^>]*data-error>[^<]*os/);
      expect(html).toContain('href="/editor"');
      expect(html).toContain('href="/assets/app-1234.css"');
      expect(html).toContain('href="/assets/favicon-abc.svg"');
      expect(html).not.toContain('{"code"');
    }
    // A script (fetch) still gets JSON.
    const json = await app.request("/upload", { method: "POST", headers: { "content-type": "application/json", accept: "application/json" }, body: JSON.stringify({ code: "import os\n" }) });
    expect(json.status).toBe(422);
    expect(await json.json()).toMatchObject({ code: "check_failed", line: 1 });
  });

  it("escapes what it shows and keeps Retry-After", async () => {
    const response = refusalPage(new AppError("rate_limited", `<script>alert("x")</script> & more`, { retryAfterSeconds: 12 }), {});
    expect(response.status).toBe(429);
    expect(response.headers.get("retry-after")).toBe("12");
    const html = await response.text();
    expect(html).not.toContain("<script>");
    expect(html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more");
    expect(html).toContain("Try again in 12 s.");
  });
});

it("the refusal page links the shared stylesheet, not a page's own", () => {
  const paths = ["/editor", "/assets/gallery-abc123.css", "/assets/app-def456.css", "/assets/operator-0a1b2c.css", "/assets/favicon-x1.svg"];
  expect(pageAssetsOf(paths)).toEqual({ stylesheet: "/assets/app-def456.css", favicon: "/assets/favicon-x1.svg" });
});
