// The loyalty launcher: opens a panel and, the first time, loads the program from the app proxy.
// A signed-in customer sees their points, redeems rewards (POST reward_id) and reads their
// history; codes appear here once Shopify has created them. Text only (textContent).
(() => {
  const root = document.querySelector("[data-aftercare-loyalty]");
  if (!root) return;
  const text = JSON.parse(root.querySelector("[data-aftercare-text]").textContent);
  const launcher = root.querySelector(".aftercare-loyalty__launcher");
  const panel = root.querySelector(".aftercare-loyalty__panel");
  const body = panel.querySelector(".aftercare-loyalty__body");
  const earn = panel.querySelector("[data-earn]");
  const endpoint = root.dataset.endpoint;
  const fill = (s, values) => s.replace(/\{(\w+)\}/g, (_, key) => values[key] ?? "");
  const el = (tag, className, content) => {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (content != null) node.textContent = content;
    return node;
  };
  const lang = document.documentElement.lang || undefined;
  const number = (n) => n.toLocaleString(lang);
  let loaded = null;

  function render(data, notice) {
    const program = data.program;
    const unit = (1).toLocaleString(lang, { style: "currency", currency: program.currency });
    const digits = new Intl.NumberFormat(lang, { style: "currency", currency: program.currency }).resolvedOptions().maximumFractionDigits;
    earn.textContent = program.status === "off" ? text.off : fill(text.earn, { points: number(program.points_per_unit), amount: unit });
    if (!body || !data.customer) return;
    const c = data.customer;
    const parts = [];
    const points = el("p", "aftercare-loyalty__balance");
    points.append(el("strong", null, number(c.balance)), ` ${text.balance}`);
    parts.push(points);
    if (c.pending > 0)
      parts.push(el("p", "aftercare-loyalty__muted", fill(text.pending, { days: program.approve_after_delivery_days, count: number(c.pending) })));
    if (c.tier) {
      const t = c.tier;
      const money = (minor) => (minor / 10 ** digits).toLocaleString(lang, { style: "currency", currency: program.currency });
      const tier = el("div", "aftercare-loyalty__tier");
      tier.append(el("p", null, fill(text.tier, { name: t.name, multiplier: number(t.multiplier) })));
      if (t.perks) tier.append(el("p", "aftercare-loyalty__muted", t.perks));
      if (t.next) {
        const bar = el("progress");
        bar.max = t.spend + t.next.spend_to_go;
        bar.value = t.spend;
        tier.append(bar, el("p", "aftercare-loyalty__muted", fill(text.next_tier, { amount: money(t.next.spend_to_go), name: t.next.name })));
      } else tier.append(el("p", "aftercare-loyalty__muted", text.top_tier));
      parts.push(tier);
    }
    if (!c.birthday && program.bonuses.birthday > 0) parts.push(birthdayForm(program.bonuses.birthday));
    if (notice) parts.push(el("p", "aftercare-loyalty__notice", notice));
    if (data.rewards.length) {
      parts.push(el("h3", null, text.rewards));
      const list = el("ul", "aftercare-loyalty__rewards");
      for (const reward of data.rewards) {
        const item = el("li");
        item.append(el("span", null, reward.name), el("span", "aftercare-loyalty__muted", fill(text.cost, { points: number(reward.points) })));
        const button = el("button", "aftercare-loyalty__button", text.redeem);
        button.type = "button";
        if (c.balance < reward.points) {
          button.disabled = true;
          button.title = fill(text.short, { points: number(reward.points - c.balance) });
        }
        button.addEventListener("click", () => redeem(reward.id, button));
        item.append(button);
        list.append(item);
      }
      parts.push(list);
    }
    if (data.redemptions?.length) {
      parts.push(el("h3", null, text.your_rewards));
      const list = el("ul", "aftercare-loyalty__codes");
      const state = { ready: text.credited, refused: text.refused, issuing: text.issuing };
      for (const r of data.redemptions) list.append(el("li", null, `${r.name}: ${r.code ?? state[r.status]}`));
      parts.push(list);
    }
    if (c.history.length) {
      parts.push(el("h3", null, text.history));
      const list = el("ul", "aftercare-loyalty__history");
      for (const h of c.history) {
        const item = el("li");
        item.append(el("span", null, h.reason), el("span", h.pending ? "aftercare-loyalty__muted" : null, `${h.points > 0 ? "+" : ""}${number(h.points)}`));
        list.append(item);
      }
      parts.push(list);
    }
    body.replaceChildren(...parts);
  }

  function birthdayForm(points) {
    const form = el("form", "aftercare-loyalty__birthday");
    form.append(el("p", null, fill(text.birthday, { points: number(points) })));
    const pick = (name, label, count, option) => {
      const select = el("select");
      select.name = name;
      select.setAttribute("aria-label", label);
      select.append(el("option", null, label));
      select.options[0].value = "";
      for (let i = 1; i <= count; i++) {
        const item = el("option", null, option(i));
        item.value = String(i);
        select.append(item);
      }
      return select;
    };
    const monthName = (m) => new Date(2000, m - 1, 1).toLocaleString(lang, { month: "long" });
    const save = el("button", "aftercare-loyalty__button", text.birthday_save);
    save.type = "submit";
    form.append(pick("month", text.birthday_month, 12, monthName), pick("day", text.birthday_day, 31, String), save);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      save.disabled = true;
      try {
        const response = await fetch(`${endpoint}/birthday`, { method: "POST", body: new URLSearchParams(new FormData(form)) });
        const answer = await response.json();
        await load(response.status === 201 ? text.birthday_saved : answer.error || text.failed);
      } catch {
        save.disabled = false;
      }
    });
    return form;
  }

  async function load(notice) {
    const response = await fetch(endpoint, { headers: { Accept: "application/json" } });
    if (!response.ok) throw new Error(String(response.status));
    render(await response.json(), notice);
  }

  async function redeem(rewardId, button) {
    button.disabled = true;
    try {
      const response = await fetch(`${endpoint}/redeem`, { method: "POST", body: new URLSearchParams({ reward_id: rewardId }) });
      const answer = await response.json();
      await load(response.status === 201 ? text.redeemed : answer.error || text.failed);
    } catch {
      button.disabled = false;
      (body || earn).append(el("p", "aftercare-loyalty__notice", text.failed));
    }
  }

  const open = (opened) => {
    panel.hidden = !opened;
    launcher.setAttribute("aria-expanded", String(opened));
    if (opened) {
      panel.querySelector("[data-close]").focus();
      loaded ??= load().catch(() => {
        loaded = null;
        earn.textContent = text.failed;
      });
    } else launcher.focus();
  };
  launcher.addEventListener("click", () => open(panel.hidden));
  panel.querySelector("[data-close]").addEventListener("click", () => open(false));
  root.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && !panel.hidden) open(false);
  });
})();
