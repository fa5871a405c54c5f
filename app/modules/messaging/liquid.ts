// The Liquid engine for templates a merchant writes, and the only code that parses or renders
// them. It runs inside a render thread (render-pool.ts), never on a server's main thread.
// Every {{ value }} is HTML-escaped (outputEscape), so a customer's name or a product title can
// never inject markup; the email tags below print only markup they build themselves, escaping
// every value they put in it. The engine has no file system and limits what a template may
// cost; the thread's hard timeout and heap cap stand behind those limits.
import { Liquid, Tag, Value, type Context, type Emitter, type TagToken, type TopLevelToken, type Template } from "liquidjs";
import { escapeHtml, safeUrl } from "./html";

export type Mode = "html" | "text";
export type SummaryItem = { title: string; variant: string | null; quantity: number; price: string };
export type ReviewItem = { title: string; variant: string | null; links: string[] };
export type ReorderItem = { title: string; variant: string | null; quantity: number; remind: Record<string, string> };
export type ProductCardItem = { title: string; url: string | null; image: string | null; image_alt: string; price: string };

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
              .map(
                (i) => `- ${i.quantity} × ${i.title}${i.variant ? ` (${i.variant})` : ""}\n  Not yet? Choose when we remind you: ${safeUrl(i.remind.choose)}`,
              )
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

/** Tags that would read a file: none is allowed, and each says so where it is used. */
const FILE_TAGS = ["render", "include", "layout"] as const;
function refuseFileTags(engine: Liquid): void {
  for (const name of FILE_TAGS) {
    engine.registerTag(
      name,
      class extends Tag {
        constructor(token: TagToken, remain: TopLevelToken[], liquid: Liquid) {
          super(token, remain, liquid);
          throw new Error(`{% ${name} %} is not available in emails: write the content into this template instead`);
        }
        render(): void {}
      },
    );
  }
}

/** Characters one parse may read: far above the editor's own limits on a subject and a body. */
export const PARSE_LIMIT = 100_000;
/** Milliseconds one render may take, checked by Liquid between nodes. */
export const RENDER_MS = 1_000;
/** What Liquid counts as allocated (list and text sizes) in one render; an email needs a few thousand. */
export const MEMORY_LIMIT = 1_000_000;
/** Characters one rendered template may have: Gmail already clips a message at about 100 KB. */
export const OUTPUT_LIMIT = 256_000;

// liquidjs's limit messages, said for the merchant.
const LIMIT_MESSAGES: Record<string, string> = {
  "template render limit exceeded": `takes too long to render (over ${RENDER_MS / 1000} s): look for loops inside loops`,
  "memory alloc limit exceeded": "builds too much to render: look for loops that grow a list or a text",
  "parse length limit exceeded": "is too long to read",
};

/** No files: `templates` replaces the file system with these (none), so no name can reach the disk. */
const NO_FILES: Record<string, string> = {};

function createEngine(mode: Mode): Liquid {
  const engine = new Liquid({
    outputEscape: mode === "html" ? "escape" : undefined,
    strictFilters: true,
    ownPropertyOnly: true,
    templates: NO_FILES,
    parseLimit: PARSE_LIMIT,
    renderLimit: RENDER_MS,
    memoryLimit: MEMORY_LIMIT,
  });
  refuseFileTags(engine);
  registerEmailTags(engine, mode);
  registerProductTags(engine, mode);
  return engine;
}

const engines: Partial<Record<Mode, Liquid>> = {};
/** The engine of a mode, made on first use (nothing is built when this file is imported). */
const engineFor = (mode: Mode): Liquid => (engines[mode] ??= createEngine(mode));

// Parsed templates are kept (a parsed template is only read while rendering), so the same
// few templates are not parsed again for every email. Oldest out first beyond the limit.
const PARSED_KEPT = 500;
const parsed: Record<Mode, Map<string, Template[]>> = { html: new Map(), text: new Map() };

function parse(source: string, mode: Mode): Template[] {
  const kept = parsed[mode];
  let templates = kept.get(source);
  if (!templates) {
    templates = engineFor(mode).parse(source);
    if (kept.size >= PARSED_KEPT) kept.delete(kept.keys().next().value!);
    kept.set(source, templates);
  }
  return templates;
}

export type Part = { source: string; mode: Mode };
/** A template that failed: which part (its index, null when not known), the line when Liquid knows it, and why. */
export type PartFailure = { index: number | null; line: number | null; message: string };
export type PartsResult = { ok: true; outputs: string[] } | ({ ok: false } & PartFailure);

/** A Liquid error as the merchant reads it: its line, and the message without liquidjs's position suffix. */
function failure(index: number, error: unknown): PartFailure {
  const liquid = error as { token?: { getPosition?: () => [number, number] }; originalError?: Error; message?: string };
  const line = liquid.token?.getPosition?.()[0] ?? null;
  const raw = (liquid.originalError?.message ?? liquid.message ?? String(error)).replace(/, line:\d+, col:\d+$/, "");
  return { index, line, message: LIMIT_MESSAGES[raw] ? `This template ${LIMIT_MESSAGES[raw]}.` : raw };
}

/** Renders the parts in order with one scope; the first that fails ends it. */
export async function renderParts(parts: Part[], scope: object): Promise<PartsResult> {
  const outputs: string[] = [];
  for (const [index, { source, mode }] of parts.entries()) {
    try {
      const output: string = await engineFor(mode).render(parse(source, mode), scope);
      if (output.length > OUTPUT_LIMIT) {
        return {
          ok: false,
          index,
          line: null,
          message: `This template renders too much text (over ${OUTPUT_LIMIT / 1000} K characters): look for long loops.`,
        };
      }
      outputs.push(output);
    } catch (error) {
      return { ok: false, ...failure(index, error) };
    }
  }
  return { ok: true, outputs };
}
