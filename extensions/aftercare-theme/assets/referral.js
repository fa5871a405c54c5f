// Refer a friend: loads the program from the app proxy and shows what the friend and the
// customer get; a signed-in customer gets their link to copy or share, and their friends.
// Text only (textContent); share links are built with encodeURIComponent.
(() => {
  for (const root of document.querySelectorAll("[data-aftercare-referral]")) {
    const text = JSON.parse(root.querySelector("[data-aftercare-text]").textContent);
    const $ = (name) => root.querySelector(`[data-${name}]`);
    const fill = (s, values) => s.replace(/\{(\w+)\}/g, (_, key) => values[key] ?? "");
    const lang = document.documentElement.lang || undefined;

    function render(data) {
      const program = data.program;
      if (program.status === "off") {
        $("offer").textContent = text.off;
        return;
      }
      $("offer").textContent = fill(text.offer, { friend: program.friend_reward, reward: program.advocate_reward });
      const guest = $("guest");
      if (guest) guest.hidden = false;
      const body = $("body");
      if (!body || !data.url) return;
      body.hidden = false;
      $("link").value = data.url;
      $("code").textContent = data.code;
      const message = `${fill(text.message, { friend: program.friend_reward })} ${data.url}`;
      $("email").href = `mailto:?body=${encodeURIComponent(message)}`;
      $("whatsapp").href = `https://wa.me/?text=${encodeURIComponent(message)}`;
      const share = $("share");
      if (navigator.share) {
        share.hidden = false;
        share.addEventListener("click", () => navigator.share({ text: message }).catch(() => {}));
      }
      $("status").textContent = data.code_status === "ready" ? "" : text.issuing;
      const friends = data.friends > 0 ? fill(text.friends, { count: data.friends.toLocaleString(lang) }) : text.none;
      $("friends").textContent = data.pending > 0 ? `${friends} ${fill(text.waiting, { count: data.pending.toLocaleString(lang) })}` : friends;
    }

    const copy = $("copy");
    copy?.addEventListener("click", async () => {
      const link = $("link");
      try {
        await navigator.clipboard.writeText(link.value);
      } catch {
        link.select();
        document.execCommand("copy");
      }
      $("status").textContent = text.copied;
    });

    fetch(root.dataset.endpoint, { headers: { Accept: "application/json" } })
      .then((response) => (response.ok ? response.json() : Promise.reject(new Error(String(response.status)))))
      .then(render)
      .catch(() => {
        $("offer").textContent = text.failed;
      });
  }
})();
