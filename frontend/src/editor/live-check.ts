/**
 * Checks as you type: a while after the last keystroke the program goes to `POST /api/check`
 * (`{code}` → `{ok, error, line, column}`), and a problem is marked at its line. Only the answer
 * for the code still in the editor counts (a slow answer for older text is dropped). A server
 * without the endpoint (404) or a refusal is not the visitor's business: checking just stops or
 * pauses, silently; Run still checks for real.
 */
export type CheckAnswer = { ok: true } | { ok: false; error: string; line: number; column: number };

/** What the page's fetch gives back: a status and a parsed JSON body (undefined when none). */
export type PostCheck = (code: string) => Promise<{ status: number; body: unknown; retryAfterSeconds?: number }>;

export interface LiveCheckOptions {
  post: PostCheck;
  /** The editor's code now (to drop answers for text that has changed since). */
  currentCode: () => string;
  onProblem: (problem: Extract<CheckAnswer, { ok: false }>) => void;
  /** Quiet time after the last keystroke before checking. */
  delayMs?: number;
}

export const liveCheckDelayMs = 800;
/** Pause after a 429 without Retry-After, or after a server error. */
const pauseMs = 30_000;

function asAnswer(body: unknown): CheckAnswer | undefined {
  if (typeof body !== "object" || body === null) return undefined;
  const value = body as Record<string, unknown>;
  if (value.ok === true) return { ok: true };
  if (value.ok !== false || typeof value.error !== "string" || typeof value.line !== "number") return undefined;
  return { ok: false, error: value.error, line: value.line, column: typeof value.column === "number" ? value.column : 1 };
}

export class LiveCheck {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private disabled = false;
  private pausedUntilMs = 0;
  private lastChecked: string | undefined;

  constructor(private readonly options: LiveCheckOptions) {}

  /** The program changed: check it once typing has paused. */
  changed(): void {
    clearTimeout(this.timer);
    if (this.disabled) return;
    this.timer = setTimeout(() => void this.checkNow(), this.options.delayMs ?? liveCheckDelayMs);
  }

  get enabled(): boolean {
    return !this.disabled;
  }

  async checkNow(): Promise<void> {
    const code = this.options.currentCode();
    if (this.disabled || Date.now() < this.pausedUntilMs || code.trim() === "" || code === this.lastChecked) return;
    this.lastChecked = code;
    let reply: Awaited<ReturnType<PostCheck>>;
    try {
      reply = await this.options.post(code);
    } catch {
      this.lastChecked = undefined; // offline for a moment: try again after the next keystroke
      return;
    }
    if (reply.status === 404 || reply.status === 405) {
      this.disabled = true;
      return;
    }
    const answer = asAnswer(reply.body);
    if (answer === undefined) {
      this.lastChecked = undefined;
      this.pausedUntilMs = Date.now() + (reply.retryAfterSeconds ?? pauseMs / 1000) * 1000;
      return;
    }
    if (this.options.currentCode() !== code) return;
    if (!answer.ok) this.options.onProblem(answer);
  }

  stop(): void {
    clearTimeout(this.timer);
    this.disabled = true;
  }
}

/** The page's POST /api/check. */
export const postCheck: PostCheck = async (code) => {
  const response = await fetch("/api/check", {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify({ code }),
  });
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  const retry = Number(response.headers.get("retry-after"));
  return { status: response.status, body, retryAfterSeconds: Number.isFinite(retry) && retry > 0 ? retry : undefined };
};
