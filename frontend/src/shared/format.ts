/** Durations and times as a visitor reads them on a phone. */

/** 0 → "now", 42 → "42 s", 95 → "1 min 35 s", 3600 → "1 h 0 min". */
export function formatDuration(totalSeconds: number): string {
  const seconds = Math.max(0, Math.round(totalSeconds));
  if (seconds === 0) return "now";
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) {
    const rest = seconds % 60;
    return rest === 0 ? `${minutes} min` : `${minutes} min ${rest} s`;
  }
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** "in about 1 min 35 s" / "any moment now". */
export function formatEta(seconds: number): string {
  return seconds <= 0 ? "any moment now" : `in about ${formatDuration(seconds)}`;
}

/** Local wall-clock time of an ISO timestamp, e.g. "18:42". */
export function formatClock(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  return `${String(date.getHours()).padStart(2, "0")}:${String(date.getMinutes()).padStart(2, "0")}`;
}

/** How long a program ran: "0.4 s", "12 s", "45 s". */
export function formatRunTime(milliseconds: number): string {
  const seconds = Math.max(0, milliseconds) / 1000;
  return seconds < 10 ? `${seconds.toFixed(1)} s` : formatDuration(seconds);
}
