// Email rendering: a merchant's Liquid template -> HTML inside the responsive store layout,
// and a plain-text part. The templates render in a render thread (render-pool.ts, liquid.ts);
// the layout around them is the app's own markup, escaping every value it puts in.
import { escapeHtml, safeUrl } from "./html";
import type { Mode, Part } from "./liquid";
import { renderInThread } from "./render-pool";

export type { Mode };
export type Brand = { name: string; color: string; logoUrl: string | null; contactEmail: string | null };

/** A template that does not parse or render: the line when Liquid knows it, and what is wrong. */
export class TemplateError extends Error {
  constructor(
    message: string,
    readonly line: number | null,
    /** Which of the templates rendered together; null when not known (a render stopped from outside). */
    readonly part: string | null,
  ) {
    super(message);
  }
}

/** Renders each named template with one scope, in one render-thread job; throws a TemplateError naming the part that failed. */
async function renderNamed(parts: [name: string, Part][], scope: object): Promise<string[]> {
  const result = await renderInThread(
    parts.map(([, part]) => part),
    scope,
  );
  if (result.ok) return result.outputs;
  throw new TemplateError(result.message, result.line, result.index === null ? null : parts[result.index]![0]);
}

export async function renderTemplate(source: string, scope: object, mode: Mode): Promise<string> {
  const [output] = await renderNamed([["template", { source, mode }]], scope);
  return output!;
}

/** The merchant's HTML as readable plain text. */
export function htmlToText(html: string): string {
  return html
    .replace(/<br\s*\/?>/gi, "\n")
    .replace(/<\/(p|div|h[1-6]|li|tr|table)>/gi, "\n\n")
    .replace(/<li[^>]*>/gi, "- ")
    .replace(/<[^>]+>/g, "")
    .replaceAll("&nbsp;", " ")
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&quot;", '"')
    .replaceAll("&#39;", "'")
    .replaceAll("&amp;", "&")
    .replace(/[ \t]+\n/g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

export type Rendered = { subject: string; html: string; text: string };
type EmailTemplate = { subject: string; body: string; preheader: string };
type LayoutParts = { brand: Brand; footer: string; unsubscribeUrl: string };

/**
 * An email from its Liquid template and scope: the subject on one line, the body in the store's
 * layout, and the plain-text part with the footer and the unsubscribe link.
 */
export async function renderEmail(template: EmailTemplate, scope: object, layout: LayoutParts): Promise<Rendered> {
  const [subject, bodyHtml, bodyText, preheader] = (await renderNamed(
    [
      ["subject", { source: template.subject, mode: "text" }],
      ["body", { source: template.body, mode: "html" }],
      ["body", { source: template.body, mode: "text" }],
      ["preheader", { source: template.preheader, mode: "text" }],
    ],
    scope,
  )) as [string, string, string, string];
  const { footer, unsubscribeUrl } = layout;
  return {
    subject: subject.replace(/\s+/g, " ").trim(),
    html: emailLayout(bodyHtml, { ...layout, preheader }),
    text: `${htmlToText(bodyText)}\n\n--\n${footer}\nUnsubscribe: ${unsubscribeUrl}\n`,
  };
}

/** Wraps a rendered body in the store's responsive layout (600 px on desktop, full width on a phone). */
export function emailLayout(body: string, options: { brand: Brand; preheader: string; footer: string; unsubscribeUrl: string }): string {
  const { brand } = options;
  const header = brand.logoUrl
    ? `<img src="${escapeHtml(safeUrl(brand.logoUrl))}" alt="${escapeHtml(brand.name)}" style="max-height:48px;max-width:220px;border:0">`
    : `<span style="font-size:20px;font-weight:700;color:${brand.color}">${escapeHtml(brand.name)}</span>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<title>${escapeHtml(brand.name)}</title>
<style>
  body { margin:0; padding:0; background:#f4f4f1; }
  a { color:${brand.color}; }
  @media (max-width: 620px) { .card { border-radius:0 !important; } .pad { padding:22px 18px !important; } }
</style>
</head>
<body style="margin:0;padding:0;background:#f4f4f1">
<div style="display:none;max-height:0;overflow:hidden;opacity:0">${escapeHtml(options.preheader)}</div>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f4f4f1">
<tr><td align="center" style="padding:24px 0">
<table role="presentation" class="card" width="100%" cellpadding="0" cellspacing="0" style="max-width:600px;background:#ffffff;border-radius:12px;font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;font-size:16px;line-height:1.55;color:#202223">
<tr><td class="pad" style="padding:26px 36px 6px;border-bottom:3px solid ${brand.color}">${header}</td></tr>
<tr><td class="pad" style="padding:26px 36px 30px">${body}</td></tr>
</table>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:600px;font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;font-size:12px;line-height:1.5;color:#6d7175">
<tr><td class="pad" style="padding:16px 36px;text-align:center">${escapeHtml(options.footer)}<br><a href="${escapeHtml(safeUrl(options.unsubscribeUrl))}" style="color:#6d7175">Unsubscribe from these emails</a>${
    brand.contactEmail ? ` · <a href="mailto:${escapeHtml(brand.contactEmail)}" style="color:#6d7175">${escapeHtml(brand.contactEmail)}</a>` : ""
  }</td></tr>
</table>
</td></tr>
</table>
</body>
</html>`;
}
