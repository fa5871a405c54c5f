// Loads a product's reviews from the app proxy when the block nears the viewport and writes
// them as text (textContent only: nothing a reviewer typed can become markup).
(() => {
  const el = (tag, className, text) => {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text != null) node.textContent = text;
    return node;
  };
  // "2026-11-20" in the page's language; the day is a calendar date, so read it as UTC.
  const date = (day) => {
    try {
      return new Date(day).toLocaleDateString(document.documentElement.lang || undefined, { dateStyle: "medium", timeZone: "UTC" });
    } catch {
      return day;
    }
  };
  const stars = (rating, prefix) => {
    const wrap = el("span", `${prefix}__stars`, "★★★★★");
    const fill = el("span", `${prefix}__fill`, "★★★★★");
    fill.style.width = `${(rating / 5) * 100}%`;
    wrap.prepend(fill);
    return wrap;
  };

  function start(root) {
    const text = JSON.parse(root.querySelector("[data-aftercare-text]").textContent);
    const body = root.querySelector(".aftercare-reviews__body");
    const state = { page: 1, sort: "newest" };
    const list = el("div", "aftercare-reviews__list");
    const more = el("button", "aftercare-reviews__more", text.more);
    more.type = "button";

    const review = (r) => {
      const item = el("article", "aftercare-review");
      item.append(stars(r.rating, "aftercare-review"));
      item.lastChild.setAttribute("role", "img");
      item.lastChild.setAttribute("aria-label", text.stars.replace("{rating}", r.rating));
      if (r.title) item.append(el("p", "aftercare-review__title", r.title));
      item.append(el("p", "aftercare-review__body", r.body));
      if (r.photos.length) {
        const photos = el("div", "aftercare-review__photos");
        for (const p of r.photos) {
          const link = el("a");
          Object.assign(link, { href: p.url, target: "_blank", rel: "noopener" });
          const img = el("img");
          Object.assign(img, { src: p.url, width: 96, height: 96, loading: "lazy", alt: "" });
          link.append(img);
          photos.append(link);
        }
        item.append(photos);
      }
      const meta = el("p", "aftercare-review__meta", `${r.author} · ${date(r.date)}`);
      if (r.verified) meta.append(" · ", el("span", "aftercare-review__verified", text.verified));
      item.append(meta);
      if (r.reply) {
        const reply = el("div", "aftercare-review__reply");
        reply.append(el("strong", null, text.reply), el("p", null, r.reply));
        item.append(reply);
      }
      return item;
    };

    async function load(reset) {
      const url = `${root.dataset.endpoint}?product_id=${encodeURIComponent(root.dataset.productId)}&sort=${state.sort}&page=${state.page}`;
      let data;
      try {
        const response = await fetch(url, { headers: { Accept: "application/json" } });
        if (!response.ok) throw new Error(String(response.status));
        data = await response.json();
      } catch {
        body.replaceChildren(el("p", null, text.failed));
        return;
      }
      if (reset) {
        if (data.count === 0) {
          body.replaceChildren();
          return;
        }
        const histogram = el("div", "aftercare-histogram");
        for (const n of [5, 4, 3, 2, 1]) {
          const bar = el("span", "aftercare-histogram__bar");
          const fill = el("span");
          fill.style.width = `${(data.histogram[n] / data.count) * 100}%`;
          bar.append(fill);
          histogram.append(el("span", null, `${n} ★`), bar, el("span", null, String(data.histogram[n])));
        }
        const label = el("label", "aftercare-reviews__sort", `${text.sort} `);
        const select = el("select");
        for (const key of ["newest", "highest", "lowest", "photos"]) {
          const option = el("option", null, text[key]);
          option.value = key;
          option.selected = key === state.sort;
          select.append(option);
        }
        select.addEventListener("change", () => {
          state.sort = select.value;
          state.page = 1;
          load(true);
        });
        label.append(select);
        list.replaceChildren();
        body.replaceChildren(histogram, label, list, more);
      }
      list.append(...data.reviews.map(review));
      more.hidden = data.page >= data.pages;
    }

    // The forms need this script: they show once it runs (their space was kept).
    root.classList.add("is-ready");
    postForm(root.querySelector("[data-aftercare-write] form"), text, (data) => text[data.status] || text.pending);
    const qa = root.querySelector("[data-aftercare-qa]");
    if (qa) questions(qa, root.dataset.productId, text);

    more.addEventListener("click", () => {
      state.page += 1;
      load(false);
    });
    load(true);
  }

  // Questions and answers: fetched the first time the shopper opens them, a page at a time.
  function questions(box, productId, text) {
    const list = box.querySelector(".aftercare-qa__list");
    const items = el("div");
    const more = el("button", "aftercare-reviews__more", text.more_questions);
    more.type = "button";
    let page = 0;
    const answer = (a) => {
      const node = el("div", "aftercare-review__reply");
      node.append(el("strong", null, a.kind === "store" ? text.store_answer : text.buyer_answer.replace("{author}", a.author)), el("p", null, a.body));
      return node;
    };
    const question = (q) => {
      const item = el("article", "aftercare-review");
      item.append(el("p", "aftercare-review__title", q.body), el("p", "aftercare-review__meta", `${q.author} · ${date(q.date)}`));
      if (q.answers.length) item.append(...q.answers.map(answer));
      else item.append(el("p", "aftercare-review__meta", text.unanswered));
      return item;
    };
    async function load() {
      page += 1;
      let data;
      try {
        const response = await fetch(`${box.dataset.endpoint}?product_id=${encodeURIComponent(productId)}&page=${page}`, {
          headers: { Accept: "application/json" },
        });
        if (!response.ok) throw new Error(String(response.status));
        data = await response.json();
      } catch {
        page -= 1;
        list.replaceChildren(el("p", null, text.questions_failed));
        return;
      }
      if (page === 1) list.replaceChildren(data.count ? items : el("p", null, text.no_questions), more);
      items.append(...data.questions.map(question));
      more.hidden = data.page >= data.pages;
    }
    more.addEventListener("click", load);
    box.addEventListener("toggle", () => box.open && page === 0 && load());
    postForm(box.querySelector("form"), text, () => text.asked);
  }

  // Posts a form through the proxy; `thanks` says what to tell the shopper once it is in.
  function postForm(form, text, thanks) {
    const status = form.querySelector(".aftercare-form__status");
    const button = form.querySelector("[type=submit]");
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      form.querySelectorAll(".aftercare-form__error").forEach((node) => node.remove());
      button.disabled = true;
      status.textContent = text.sending;
      let code = 0;
      let data = {};
      try {
        const response = await fetch(form.action, { method: "POST", body: new FormData(form), headers: { Accept: "application/json" } });
        code = response.status;
        data = await response.json();
      } catch {
        // offline or not JSON: the message below says it did not go through
      }
      button.disabled = false;
      if (code === 201 || code === 409) {
        form.replaceWith(el("p", "aftercare-form__done", code === 409 ? text.already : thanks(data)));
        return;
      }
      status.textContent = code === 429 ? text.limited : data.errors ? "" : text.unsent;
      for (const [field, message] of Object.entries(data.errors || {})) {
        (form.querySelector(`[data-field="${field}"]`) || status).append(el("p", "aftercare-form__error", message));
      }
      const invalid = form.querySelector(".aftercare-form__error");
      if (invalid) invalid.parentElement.scrollIntoView({ block: "center" });
    });
  }

  const roots = document.querySelectorAll("[data-aftercare-reviews]");
  const observer =
    "IntersectionObserver" in window
      ? new IntersectionObserver(
          (entries) => {
            for (const entry of entries) {
              if (!entry.isIntersecting) continue;
              observer.unobserve(entry.target);
              start(entry.target);
            }
          },
          { rootMargin: "400px" },
        )
      : null;
  roots.forEach((root) => (observer ? observer.observe(root) : start(root)));
})();
