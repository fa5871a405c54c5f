// The dispatch benchmark's baseline: the least a sender can do with nodemailer. It reads the
// messages the app rendered and recorded as sent (subject, HTML, text, recipient; not the
// earlier sends the benchmark seeds for the frequency cap, which carry no mail) from the
// benchmark's database before the clock starts, then hands them all at once to a pooled
// nodemailer transport built from SMTP_URL exactly as app/modules/messaging/mailer.ts builds
// it (pool=true unless the URL says otherwise, so the same connection count), with the same
// headers the app sends. What the app spends beyond this is claiming, composing, recording.
// Env: DATABASE_URL (file:...), SMTP_URL, SHOPIFY_APP_URL. Prints one JSON line: what it
// sent, when it started and finished, and the CPU time it spent sending (ms).
import Database from "better-sqlite3";
import nodemailer from "nodemailer";

const file = process.env.DATABASE_URL.replace(/^file:/, "");
const db = new Database(file, { readonly: true });
const rows = db
  .prepare(
    `SELECT m.id, m.toAddress, m.subject, m.html, m.text, s.name, s.shop, s.contactEmail
       FROM "Message" m JOIN "Shop" s ON s.shop = m.shop
      WHERE m.status = 'sent' AND m.html IS NOT NULL ORDER BY m.sentAt, m.id`,
  )
  .all();
db.close();

const host = new URL(process.env.SHOPIFY_APP_URL).hostname;
const mails = rows.map((row) => ({
  messageId: `<${row.id}@${host}>`,
  from: { name: row.name ?? row.shop, address: process.env.MAIL_FROM ?? `followups@${host}` },
  replyTo: row.contactEmail ?? undefined,
  to: row.toAddress,
  subject: row.subject,
  html: row.html,
  text: row.text,
  // The text part ends with the unsubscribe link the app put in the List-Unsubscribe header.
  list: { unsubscribe: { url: /Unsubscribe: (\S+)\n$/.exec(row.text)[1], comment: "Unsubscribe" } },
  headers: { "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" },
}));

const url = new URL(process.env.SMTP_URL);
if (!url.searchParams.has("pool")) url.searchParams.set("pool", "true");
const transport = nodemailer.createTransport(url.toString());

const cpuFrom = process.cpuUsage();
const started = performance.timeOrigin + performance.now();
const results = await Promise.allSettled(mails.map((mail) => transport.sendMail(mail)));
const finished = performance.timeOrigin + performance.now();
const cpu = process.cpuUsage(cpuFrom);
transport.close();

const failures = results.filter((result) => result.status === "rejected");
console.log(
  JSON.stringify({
    sent: results.length - failures.length,
    failed: failures.length,
    firstError: failures[0]?.reason?.message ?? null,
    started,
    finished,
    cpuMs: (cpu.user + cpu.system) / 1000,
  }),
);
