/**
 * Countdowns between server updates: an element carries the moment its countdown reaches zero
 * (data-deadline, epoch ms on this device's clock) and a template; a one-second tick rewrites it.
 */
import { formatDuration, formatEta } from "../shared/format.ts";

export type CountdownStyle = "eta" | "left";

export function countdown(seconds: number, style: CountdownStyle, receivedAtMs: number): HTMLSpanElement {
  const span = document.createElement("span");
  span.dataset.deadline = String(receivedAtMs + seconds * 1000);
  span.dataset.countdown = style;
  updateCountdown(span, Date.now());
  return span;
}

export function updateCountdown(span: HTMLElement, nowMs: number): void {
  const seconds = Math.max(0, (Number(span.dataset.deadline) - nowMs) / 1000);
  span.textContent = span.dataset.countdown === "left" ? `${formatDuration(Math.ceil(seconds))} left` : formatEta(Math.ceil(seconds));
}

export function startCountdowns(root: ParentNode): void {
  setInterval(() => {
    const now = Date.now();
    for (const span of root.querySelectorAll<HTMLElement>("[data-countdown]")) updateCountdown(span, now);
  }, 1000);
}
