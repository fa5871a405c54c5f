// Escaping for the markup the app builds around what a merchant or a customer wrote.
export function escapeHtml(value: unknown): string {
  return String(value ?? "")
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

/** Only http(s) links make it into an href; anything else becomes "#". */
export function safeUrl(value: unknown): string {
  const url = String(value ?? "");
  return /^https?:\/\//i.test(url) ? url : "#";
}
