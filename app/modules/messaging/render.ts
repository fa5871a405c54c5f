// Email rendering: a merchant's Liquid template -> HTML inside the responsive store layout,
// and a plain-text part. Every {{ value }} is HTML-escaped (outputEscape), so a customer's
// name or a product title can never inject markup; the email tags below print only markup
// they build themselves, escaping every value they put in it.
import { Liquid, Tag, Value, type Context, type Emitter, type TagToken, type TopLevelToken, type Template } from "liquidjs";

export type Mode = "html" | "text";
export type Brand = { name: string; color: string; logoUrl: string | null; contactEmail: string | null };
export type SummaryItem = { title: string; variant: string | null; quantity: number; price: string };
export type ReviewItem = { title: string; variant: string | null; links: string[] };
export type ReorderItem = { title: string; variant: string | null; quantity: number; remind: Record<string, string> };
export type ProductCardItem = { title: string; url: string | null; image: string | null; image_alt: string; price: string };

export function escapeHtml(value: unknown): string {
  return String(value ?? "")
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

/** Only http(s) links make it into an href; anything else becomes "#". */
function safeUrl(value: unknown): string {
  const url = String(value ?? "");
  return /^https?:\/\//i.test(url) ? url : "#";
}

const scopeValue = (ctx: Context, path: string[]): unknown => ctx.getSync(path);
/** The shop's brand colour from the template scope (settings always provide one). */
const brandColor = (ctx: Context) => String(scopeValue(ctx, ["brand", "color"]) ?? "#2c6e49");

function buttonHtml(url: string, label: string, color: string): string {
  return `<table role="presentation" cellpadding="0" cellspacing="0" style="margin:16px 0"><tr><td style="border-radius:6px;background:${color}"><a href="${escapeHtml(safeUrl(url))}" style="display:inline-block;padding:12px 22px;font-weight:600;color:#ffffff;text-decoration:none;border-radius:6px">${label}</a></td></tr></table>`;
}

/** Email-only tags, rendered for the HTML part or the plain-text part. */
function registerEmailTags(engine: Liquid, mode: Mode): void {
  // {% button links.checkin_ok %}All good{% endbutton %}
  engine.registerTag(
    "button",
    class extends Tag {
      private url: Value;
      private label: Template[] = [];
      constructor(token: TagToken, remain: TopLevelToken[], liquid: Liquid) {
        super(token, remain, liquid);
        this.url = new Value(token.args, liquid);
        const stream = liquid.parser
          .parseStream(remain)
          .on("tag:endbutton", () => stream.stop())
          .on("template", (template: Template) => this.label.push(template))
          .on("end", () => {
            throw new Error(`tag ${token.getText()} not closed`);
          });
        stream.start();
      }
      *render(ctx: Context, emitter: Emitter): Generator<unknown, void, unknown> {
        const url = (yield this.url.value(ctx)) as string;
        const label = (yield this.liquid.renderer.renderTemplates(this.label, ctx)) as string;
        const color = brandColor(ctx);
        emitter.write(mode === "html" ? buttonHtml(url, label.trim(), color) : `${label.trim()}: ${safeUrl(url)}\n`);
      }
    },
  );

  // {% order_summary %}: the order's items and total.
  engine.registerTag(
    "order_summary",
    class extends Tag {
      render(ctx: Context, emitter: Emitter): void {
        const items = (scopeValue(ctx, ["order", "items"]) ?? []) as SummaryItem[];
        const total = String(scopeValue(ctx, ["order", "total"]) ?? "");
        const name = String(scopeValue(ctx, ["order", "name"]) ?? "");
        if (mode === "text") {
          const lines = items.map((i) => `- ${i.quantity} × ${i.title}${i.variant ? ` (${i.variant})` : ""}: ${i.price}`);
          emitter.write(`Order ${name}\n${lines.join("\n")}\nTotal: ${total}\n`);
          return;
        }
        const rows = items
          .map(
            (i) =>
              `<tr><td style="padding:8px 0;border-bottom:1px solid #eeeeee">${i.quantity} × ${escapeHtml(i.title)}${
                i.variant ? `<br><span style="color:#6d7175;font-size:13px">${escapeHtml(i.variant)}</span>` : ""
              }</td><td style="padding:8px 0;border-bottom:1px solid #eeeeee;text-align:right;white-space:nowrap">${escapeHtml(i.price)}</td></tr>`,
          )
          .join("");
        emitter.write(
          `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="margin:16px 0;font-size:15px"><tr><td colspan="2" style="padding-bottom:6px;font-weight:600">Order ${escapeHtml(name)}</td></tr>${rows}<tr><td style="padding-top:10px;font-weight:600">Total</td><td style="padding-top:10px;font-weight:600;text-align:right">${escapeHtml(total)}</td></tr></table>`,
        );
      }
    },
  );

  // {% nps_scale %}: 0-10, each number a one-click answer.
  engine.registerTag(
    "nps_scale",
    class extends Tag {
      render(ctx: Context, emitter: Emitter): void {
        const links = (scopeValue(ctx, ["links", "nps"]) ?? []) as string[];
        const survey = String(scopeValue(ctx, ["links", "survey"]) ?? "");
        if (mode === "text") {
          emitter.write(`Choose your score (0-10): ${safeUrl(survey)}\n`);
          return;
        }
        const color = brandColor(ctx);
        const cells = links
          .map(
            (url, score) =>
              `<td style="padding:2px"><a href="${escapeHtml(safeUrl(url))}" style="display:block;width:100%;min-width:22px;padding:9px 0;text-align:center;border:1px solid ${color};border-radius:4px;color:${color};font-weight:600;text-decoration:none;font-size:14px">${score}</a></td>`,
          )
          .join("");
        emitter.write(
          `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="margin:16px 0;table-layout:fixed"><tr>${cells}</tr></table><table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="font-size:12px;color:#6d7175"><tr><td>Not likely</td><td style="text-align:right">Very likely</td></tr></table>`,
        );
      }
    },
  );

  // {% review_items %}: each item with five one-click stars.
  engine.registerTag(
    "review_items",
    class extends Tag {
      render(ctx: Context, emitter: Emitter): void {
        const items = (scopeValue(ctx, ["review_items"]) ?? []) as ReviewItem[];
        if (mode === "text") {
          emitter.write(items.map((i) => `- ${i.title}${i.variant ? ` (${i.variant})` : ""}: ${safeUrl(i.links[4])}`).join("\n") + "\n");
          return;
        }
        const color = brandColor(ctx);
        emitter.write(
          items
            .map((item) => {
              const stars = item.links
                .map(
                  (url, i) =>
                    `<a href="${escapeHtml(safeUrl(url))}" title="${i + 1} of 5" style="font-size:30px;line-height:1;color:${color};text-decoration:none;padding:0 2px">&#9733;</a>`,
                )
                .join("");
              return `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="margin:12px 0;border:1px solid #e3e3e3;border-radius:8px"><tr><td style="padding:14px 16px"><div style="font-weight:600">${escapeHtml(item.title)}</div>${
                item.variant ? `<div style="color:#6d7175;font-size:13px">${escapeHtml(item.variant)}</div>` : ""
              }<div style="margin-top:8px">${stars}</div></td></tr></table>`;
            })
            .join(""),
        );
      }
    },
  );
}

/** Small muted links in a row, e.g. "Remind me in 2 weeks · 4 weeks · 8 weeks · never". */
function choiceLinks(choices: [label: string, url: string][]): string {
  return choices.map(([label, url]) => `<a href="${escapeHtml(safeUrl(url))}" style="color:#6d7175">${escapeHtml(label)}</a>`).join(" · ");
}

/** Re-order and product-card tags: the items running low, and products to suggest. */
function registerProductTags(engine: Liquid, mode: Mode): void {
  // {% reorder_items %}: each item, with the customer's own "remind me" choices.
  engine.registerTag(
    "reorder_items",
    class extends Tag {
      render(ctx: Context, emitter: Emitter): void {
        const items = (scopeValue(ctx, ["reorder_items"]) ?? []) as ReorderItem[];
        const choices = (item: ReorderItem): [string, string][] => [
          ["2 weeks", item.remind.weeks_2 ?? ""],
          ["4 weeks", item.remind.weeks_4 ?? ""],
          ["8 weeks", item.remind.weeks_8 ?? ""],
          ["don't remind me", item.remind.never ?? ""],
        ];
        if (mode === "text") {
          emitter.write(
            items
              .map((i) => `- ${i.quantity} × ${i.title}${i.variant ? ` (${i.variant})` : ""}\n  Not yet? Choose when we remind you: ${safeUrl(i.remind.choose)}`)
              .join("\n") + "\n",
          );
          return;
        }
        emitter.write(
          items
            .map(
              (item) =>
                `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="margin:12px 0;border:1px solid #e3e3e3;border-radius:8px"><tr><td style="padding:14px 16px"><div style="font-weight:600">${item.quantity} × ${escapeHtml(item.title)}</div>${
                  item.variant ? `<div style="color:#6d7175;font-size:13px">${escapeHtml(item.variant)}</div>` : ""
                }<div style="margin-top:8px;font-size:13px;color:#6d7175">Remind me in ${choiceLinks(choices(item))}</div></td></tr></table>`,
            )
            .join(""),
        );
      }
    },
  );

  // {% product_cards %}: up to three products with picture, title and price, side by side on a
  // desktop and stacked on a phone (inline-block cells wrap without media queries).
  engine.registerTag(
    "product_cards",
    class extends Tag {
      render(ctx: Context, emitter: Emitter): void {
        const products = (scopeValue(ctx, ["products"]) ?? []) as ProductCardItem[];
        if (mode === "text") {
          emitter.write(products.map((p) => `- ${p.title}, ${p.price}: ${safeUrl(p.url)}`).join("\n") + "\n");
          return;
        }
        const color = brandColor(ctx);
        const cards = products
          .map((p) => {
            const href = escapeHtml(safeUrl(p.url));
            const image = p.image
              ? `<a href="${href}"><img src="${escapeHtml(safeUrl(p.image))}" alt="${escapeHtml(p.image_alt)}" width="150" height="150" style="display:block;width:150px;height:150px;object-fit:cover;border-radius:6px;border:0;margin:0 auto"></a>`
              : "";
            return `<div style="display:inline-block;vertical-align:top;width:168px;font-size:16px;margin:6px;text-align:center">${image}<div style="margin-top:8px;font-weight:600;font-size:15px;line-height:1.3"><a href="${href}" style="color:#202223;text-decoration:none">${escapeHtml(p.title)}</a></div><div style="color:#6d7175;font-size:14px;min-height:21px">${escapeHtml(p.price)}</div><div style="margin-top:6px"><a href="${href}" style="color:${color};font-weight:600;font-size:14px">Take a look</a></div></div>`;
          })
          .join("");
        emitter.write(`<div style="margin:16px -6px;text-align:center;font-size:0">${cards}</div>`);
      }
    },
  );
}

function createEngine(mode: Mode): Liquid {
  const engine = new Liquid({ outputEscape: mode === "html" ? "escape" : undefined, strictFilters: true, ownPropertyOnly: true });
  registerEmailTags(engine, mode);
  registerProductTags(engine, mode);
  return engine;
}

const engines: Record<Mode, Liquid> = { html: createEngine("html"), text: createEngine("text") };

/** Throws a LiquidError with the line for a template that does not parse (the editor shows it). */
export function checkTemplate(source: string): void {
  engines.html.parse(source);
}

// Parsed templates are kept (a parsed template is only read while rendering), so the same
// few templates are not parsed again for every email. Oldest out first beyond the limit.
const PARSED_KEPT = 500;
const parsed: Record<Mode, Map<string, Template[]>> = { html: new Map(), text: new Map() };

export async function renderTemplate(source: string, scope: object, mode: Mode): Promise<string> {
  const kept = parsed[mode];
  let templates = kept.get(source);
  if (!templates) {
    templates = engines[mode].parse(source);
    if (kept.size >= PARSED_KEPT) kept.delete(kept.keys().next().value!);
    kept.set(source, templates);
  }
  return engines[mode].render(templates, scope);
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
  const [subject, bodyHtml, bodyText, preheader] = await Promise.all([
    renderTemplate(template.subject, scope, "text"),
    renderTemplate(template.body, scope, "html"),
    renderTemplate(template.body, scope, "text"),
    renderTemplate(template.preheader, scope, "text"),
  ]);
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
