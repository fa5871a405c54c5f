// The render sandbox from the module's side: no file reaches a template, every limit answers
// with the line and a reason, and the pool's answers go to the jobs that asked.
import { describe, expect, it } from "vitest";
import { OUTPUT_LIMIT } from "./liquid";
import { renderEmail, renderTemplate, TemplateError } from "./render";

const failure = (source: string, scope: object = {}) =>
  renderTemplate(source, scope, "html").then(
    () => null,
    (error: unknown) => (error instanceof TemplateError ? { line: error.line, message: error.message } : error),
  );

describe("the render sandbox", () => {
  it("refuses every tag that reads a file, on its line, whatever the name", async () => {
    for (const [tag, name] of [
      ["render", "package.json"],
      ["include", "/etc/passwd"],
      ["layout", "../../.env"],
      ["include", "prisma/dev.sqlite"],
    ]) {
      expect(await failure(`<p>a</p>\n\n{% ${tag} "${name}" %}`)).toEqual({
        line: 3,
        message: `{% ${tag} %} is not available in emails: write the content into this template instead`,
      });
    }
  });

  it("stops loops, growing lists and texts, and oversized output with the reason", async () => {
    expect(await failure("{% for a in (1..999) %}{% for b in (1..999) %}{% for c in (1..999) %}x{% endfor %}{% endfor %}{% endfor %}")).toMatchObject({
      line: 1,
      message: expect.stringMatching(/takes too long to render|builds too much/),
    });
    expect(await failure("{% assign a = 'x' | split: ',' %}{% for i in (1..40) %}{% assign a = a | concat: a %}{% endfor %}")).toMatchObject({
      message: expect.stringContaining("builds too much"),
    });
    expect(await failure("{% assign s = 'xx' %}{% for i in (1..40) %}{% assign s = s | append: s %}{% endfor %}")).toMatchObject({
      message: expect.stringContaining("builds too much"),
    });
    const big = Math.ceil(OUTPUT_LIMIT / 100) + 1;
    expect(await failure(`{% for i in (1..${big}) %}${"x".repeat(100)}{% endfor %}`)).toEqual({
      line: null,
      message: expect.stringContaining("renders too much text"),
    });
  });

  it("names the part of an email that failed, and renders the rest of the queue meanwhile", async () => {
    const layout = { brand: { name: "S", color: "#000000", logoUrl: null, contactEmail: null }, footer: "f", unsubscribeUrl: "https://u.test" };
    const bad = renderEmail({ subject: "{{ a | nope }}", body: "b", preheader: "p" }, {}, layout);
    await expect(bad).rejects.toMatchObject({ part: "subject", line: 1, message: "undefined filter: nope" });
    const many = await Promise.all(Array.from({ length: 100 }, (_, i) => renderTemplate("<p>{{ n }}</p>", { n: i }, "html")));
    expect(many).toEqual(Array.from({ length: 100 }, (_, i) => `<p>${i}</p>`));
  });
});
