// The frame of the pages shoppers reach from emails: light, fast, readable on a phone, in
// the store's name. Plain HTML and inline styles: no admin UI kit, no script needed.
import type { ReactNode } from "react";

export const shopperStyles = `
  body { margin:0; background:#f4f4f1; font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif; color:#202223; }
  main { max-width:520px; margin:0 auto; padding:32px 16px; }
  .card { background:#fff; border-radius:12px; padding:28px 24px; box-shadow:0 1px 2px rgba(0,0,0,.06); }
  h1 { font-size:22px; margin:0 0 12px; }
  p { line-height:1.55; }
  .store { font-weight:700; color:#2c6e49; margin-bottom:16px; }
  button, .button { display:inline-block; background:#2c6e49; color:#fff; border:0; border-radius:6px; padding:12px 20px; font-size:16px; font-weight:600; cursor:pointer; text-decoration:none; }
  textarea { width:100%; box-sizing:border-box; min-height:110px; border:1px solid #c9cccf; border-radius:6px; padding:10px; font:inherit; margin:8px 0 14px; }
  .scale { display:grid; grid-template-columns:repeat(11,1fr); gap:4px; margin:16px 0 6px; }
  .scale a { display:block; text-align:center; padding:10px 0; border:1px solid #2c6e49; border-radius:4px; color:#2c6e49; text-decoration:none; font-weight:600; }
  .scale a.chosen { background:#2c6e49; color:#fff; }
  .ends { display:flex; justify-content:space-between; font-size:12px; color:#6d7175; }
  .muted { color:#6d7175; font-size:14px; }
  .review-form label { display:block; font-weight:600; margin:14px 0 6px; }
  .review-form input[type=text], .review-form input:not([type]), .review-form textarea { width:100%; box-sizing:border-box; border:1px solid #c9cccf; border-radius:6px; padding:10px; font:inherit; }
  .review-form textarea { margin:0; min-height:130px; }
  .review-form input[type=file] { font-size:15px; max-width:100%; }
  .review-form button { margin-top:18px; width:100%; }
  .stars { border:0; padding:0; margin:0; }
  .stars legend { font-weight:600; margin-bottom:4px; padding:0; }
  .star-row { display:flex; flex-direction:row-reverse; justify-content:flex-end; gap:2px; }
  .star-row input { position:absolute; opacity:0; width:1px; height:1px; }
  .star-row label { margin:0; font-size:40px; line-height:1; color:#c9cccf; cursor:pointer; padding:2px; }
  .star-row input:checked ~ label, .star-row span:has(input:checked) ~ span label { color:#2c6e49; }
  .star-row input:focus-visible + label { outline:2px solid #2c6e49; border-radius:4px; }
  .visually-hidden { position:absolute; width:1px; height:1px; overflow:hidden; clip:rect(0 0 0 0); white-space:nowrap; }
  .error { color:#b42318; font-size:14px; margin:6px 0 0; }
  .choices { display:flex; flex-wrap:wrap; gap:8px; }
  .survey fieldset { border:0; padding:0; margin:0 0 16px; }
  .survey legend { font-weight:600; margin-bottom:6px; padding:0; }
  .survey label.choice { font-size:15px; padding:8px 12px; cursor:pointer; }
  .survey label[for=text] { display:block; font-weight:600; }
  .choice { display:inline-block; padding:10px 14px; border:1px solid #2c6e49; border-radius:6px; background:#fff; color:#2c6e49; text-decoration:none; font-size:16px; font-weight:600; }
`;

export function ShopperPage({ store, children }: { store: string | null; children: ReactNode }) {
  return (
    <main>
      {/* Raw, not a text child: React would escape the quotes in font names, which a <style> element never unescapes. */}
      <style dangerouslySetInnerHTML={{ __html: shopperStyles }} />
      <div className="card">
        {store ? <div className="store">{store}</div> : null}
        {children}
      </div>
    </main>
  );
}
