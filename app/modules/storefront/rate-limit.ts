// A fixed-window limit on shoppers' submissions per key (an IP address, a link, an email).
// Kept in memory: with several web replicas each enforces it on its own share of the traffic.
const windows = new Map<string, { startedAt: number; count: number }>();
const MAX_KEYS = 50_000;

/** True when `key` may act again now; counts the attempt. */
export function allowAttempt(key: string, limit: number, windowMs: number, now = Date.now()): boolean {
  const current = windows.get(key);
  if (!current || now - current.startedAt >= windowMs) {
    if (windows.size >= MAX_KEYS) windows.clear(); // never grows without bound under a flood of keys
    windows.set(key, { startedAt: now, count: 1 });
    return true;
  }
  current.count++;
  return current.count <= limit;
}
