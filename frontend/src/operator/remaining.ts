/**
 * The running program's time left, counted down on the page between state updates. The deadline
 * comes from the scheduler (start + slot) on the server's clock; the page corrects for its own
 * clock's offset, measured when the state arrived.
 */
import { formatDuration } from "../shared/format.ts";

let deadlineOnThisClockMs: number | null = null;
let timer: ReturnType<typeof setInterval> | undefined;

function render(output: HTMLElement): void {
  if (deadlineOnThisClockMs === null) return;
  const seconds = Math.max(0, Math.ceil((deadlineOnThisClockMs - Date.now()) / 1000));
  output.textContent = seconds === 0 ? "Time is up: stopping it" : `${formatDuration(seconds)} left`;
  output.dataset.seconds = String(seconds);
}

/** Starts (or moves) the countdown to `endsAt` (ISO, server clock; `serverNow` is the server's time then). */
export function showRemaining(output: HTMLElement, endsAt: string, serverNow: string): void {
  const offsetMs = Date.parse(serverNow) - Date.now();
  deadlineOnThisClockMs = Date.parse(endsAt) - offsetMs;
  render(output);
  timer ??= setInterval(() => render(output), 1000);
}

export function stopRemaining(): void {
  if (timer !== undefined) clearInterval(timer);
  timer = undefined;
  deadlineOnThisClockMs = null;
}
