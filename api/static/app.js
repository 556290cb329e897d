/* 案鉴 page behaviour: JSON API calls with the session's CSRF token. No inline scripts (CSP). */
"use strict";
const csrf = document.querySelector('meta[name="csrf-token"]')?.content || "";

async function api(method, url, body) {
  const opts = { method, headers: { "X-CSRF-Token": csrf, Accept: "application/json" }, credentials: "same-origin" };
  if (body instanceof FormData) opts.body = body;
  else if (body !== undefined) { opts.body = JSON.stringify(body); opts.headers["Content-Type"] = "application/json"; }
  const res = await fetch(url, opts);
  if (!res.ok) {
    let msg = `请求失败（${res.status}）`;
    try { const j = await res.json(); if (j.error) msg = j.error.message; } catch (e) { /* not JSON */ }
    throw new Error(msg);
  }
  return res;
}

function say(el, text, isError) {
  if (!el) return;
  el.textContent = text;
  el.className = "js-status " + (isError ? "alert alert-error" : "muted");
}

function statusNear(el) {
  return el.closest(".panel, main")?.querySelector(".js-status") || document.querySelector(".js-status");
}

// 加入汇编 (search results, case page)
document.querySelectorAll(".js-basket").forEach((btn) => {
  btn.addEventListener("click", async () => {
    const id = Number(btn.dataset.id);
    const on = btn.getAttribute("aria-pressed") === "true";
    try {
      await api("POST", "/api/collections/basket", on ? { remove: [id] } : { add: [id] });
      btn.setAttribute("aria-pressed", on ? "false" : "true");
      btn.textContent = on ? "加入汇编" : "已加入汇编";
    } catch (e) { alert(e.message); }
  });
});

// 案件: accept or correct tags
async function patchCase(id, field, value, reason) {
  return api("PATCH", `/api/cases/${id}`, { field, value, reason });
}
// After a save the tags panel and the history are redrawn in place (/cases/{id}/review): no reload, the
// reader stays where they were in the judgment's text.
async function redrawReview(id, message) {
  const res = await api("GET", `/cases/${id}/review`);
  const area = document.getElementById("review-area");
  const y = window.scrollY;
  area.outerHTML = await res.text();
  bindReview(document.getElementById("review-area"));
  unmarkDropped();
  window.scrollTo(0, y);
  const st = document.querySelector("#review-area .js-status");
  say(st, message);
  st?.focus?.();
}
// A cause the reviewer removed no longer highlights its evidence in the text.
function unmarkDropped() {
  const holder = document.querySelector("#review-area [data-causes]");
  if (!holder) return;
  const kept = new Set(holder.dataset.causes ? holder.dataset.causes.split(",") : []);
  const lost = holder.dataset.outcome === "agency_lost";
  document.querySelectorAll("mark.evidence").forEach((m) => {
    if (!lost || !kept.has(m.dataset.cause)) m.replaceWith(document.createTextNode(m.textContent));
  });
}
function bindReview(root) {
  if (!root) return;
  root.querySelectorAll(".js-accept").forEach((btn) => {
    btn.addEventListener("click", async () => {
      const st = statusNear(btn);
      btn.disabled = true;
      try {
        await patchCase(btn.dataset.id, "outcome", btn.dataset.outcome, "人工确认：标注无误");
        if (btn.dataset.outcome === "agency_lost") {
          const causes = btn.dataset.causes ? btn.dataset.causes.split(",") : [];
          await patchCase(btn.dataset.id, "loss_causes", causes, "人工确认：标注无误");
        }
        await redrawReview(btn.dataset.id, "已确认：标注无误，已记入更正记录。");
      } catch (e) { btn.disabled = false; say(st, e.message, true); }
    });
  });
  root.querySelectorAll(".js-correct").forEach((form) => {
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const st = statusNear(form);
      const id = form.dataset.id;
      const reason = form.reason.value.trim();
      const outcome = form.outcome.value;
      const causes = [...form.querySelectorAll('input[name="cause"]:checked')].map((c) => c.value);
      const before = form.dataset.causes ? form.dataset.causes.split(",") : [];
      const changes = [];
      for (const name of ["outcome", "action_type", "field"]) {
        const sel = form[name];
        if (sel && sel.value !== sel.dataset.current) changes.push([name, sel.value]);
      }
      if (outcome === "agency_lost" && causes.slice().sort().join() !== before.slice().sort().join()) changes.push(["loss_causes", causes]);
      if (!changes.length) { say(st, "没有改动：如标注无误，请点“确认无误”。", true); return; }
      try {
        for (const [field, value] of changes) await patchCase(id, field, value, reason);
        await redrawReview(id, "更正已保存，已记入更正记录。");
      } catch (e) { say(st, e.message, true); }
    });
  });
}
bindReview(document.getElementById("review-area"));
document.querySelectorAll(".js-page-select").forEach((sel) => {
  sel.addEventListener("change", () => {
    const img = document.getElementById(`page-img-${sel.dataset.doc}`);
    img.src = `/api/documents/${sel.dataset.doc}/pages/${sel.value}.png`;
    img.alt = img.alt.replace(/第 \d+ 页/, `第 ${sel.value} 页`);
  });
});

// 汇编
document.querySelectorAll(".js-remove").forEach((btn) => {
  btn.addEventListener("click", async () => {
    try { await api("POST", "/api/collections/basket", { remove: [Number(btn.dataset.id)] }); location.reload(); }
    catch (e) { alert(e.message); }
  });
});
document.querySelector(".js-clear")?.addEventListener("click", async () => {
  if (!confirm("确定清空已选案件？")) return;
  await api("POST", "/api/collections/basket", { clear: true });
  location.reload();
});
document.querySelector(".js-add-ids")?.addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const ids = ev.target.ids.value.split(/[,，\s]+/).filter((x) => /^\d+$/.test(x)).map(Number);
  try { await api("POST", "/api/collections/basket", { add: ids }); location.reload(); }
  catch (e) { alert(e.message); }
});
document.querySelector(".js-export")?.addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const form = ev.target;
  const st = statusNear(form);
  say(st, "正在生成文档……");
  try {
    const res = await api("POST", "/api/collections/export", { title: form.title.value, kind: form.kind.value, format: form.format.value, period: form.period.value || null, ids: [] });
    const blob = await res.blob();
    const cd = res.headers.get("Content-Disposition") || "";
    const m = cd.match(/filename\*=UTF-8''([^;]+)/);
    const a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = m ? decodeURIComponent(m[1]) : `汇编.${form.format.value}`;
    document.body.appendChild(a); a.click(); a.remove();
    say(st, `已生成：${a.download}`);
  } catch (e) { say(st, e.message, true); }
});

// 单位
document.querySelector(".js-add-agency")?.addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const f = ev.target;
  try {
    await api("POST", "/api/agencies", { name: f.name.value, aliases: f.aliases.value.split(/[,，、]/).map((s) => s.trim()).filter(Boolean) });
    location.reload();
  } catch (e) { say(document.querySelector(".js-status"), e.message, true); }
});
document.querySelectorAll(".js-resolve").forEach((btn) => {
  btn.addEventListener("click", async () => {
    try {
      await api("POST", "/api/agencies/unmatched/resolve", { name: btn.dataset.name, agency_id: btn.dataset.agency ? Number(btn.dataset.agency) : null });
      location.reload();
    } catch (e) { say(document.querySelector(".js-status"), e.message, true); }
  });
});
document.querySelectorAll(".js-add-unmatched").forEach((btn) => {
  btn.addEventListener("click", async () => {
    try { await api("POST", "/api/agencies/unmatched/add", { name: btn.dataset.name }); location.reload(); }
    catch (e) { say(document.querySelector(".js-status"), e.message, true); }
  });
});
document.querySelectorAll(".js-edit-agency").forEach((f) => {
  f.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const body = { kind: f.kind.value, level: f.level.value, parent: f.parent.value, field: f.field.value, ours: f.ours.checked };
    try { await api("PATCH", `/api/agencies/${f.dataset.id}`, body); location.reload(); }
    catch (e) { say(document.querySelector(".js-status"), e.message, true); }
  });
});
document.querySelector(".js-import-agencies")?.addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const data = new FormData();
  data.append("file", ev.target.file.files[0]);
  const status = document.querySelector(".js-status");
  say(status, "正在导入…", false);
  try {
    const res = await api("POST", "/api/agencies/import", data);
    const j = await res.json();
    say(status, `已导入 ${j.imported} 行，名录现有 ${j.agencies} 个单位。`, false);
    setTimeout(() => location.reload(), 1200);
  } catch (e) { say(status, e.message, true); }
});
document.querySelector(".js-scan")?.addEventListener("click", async () => {
  try { await api("POST", "/api/agencies/scan"); location.reload(); }
  catch (e) { say(document.querySelector(".js-status"), e.message, true); }
});
// 案件: "查看原件" opens the original's panel
function openOriginal() {
  const d = document.getElementById("original");
  if (d && location.hash === "#original") { d.open = true; d.scrollIntoView(); }
}
window.addEventListener("hashchange", openOriginal);
openOriginal();
document.querySelector(".js-open-original")?.addEventListener("click", () => {
  const d = document.getElementById("original");
  if (d) d.open = true;
});
// 出错页: "返回上一页" goes back when there is a page to go back to (the link itself leads to 检索)
document.querySelectorAll(".js-back").forEach((a) => {
  a.addEventListener("click", (ev) => {
    if (history.length > 1 && document.referrer && new URL(document.referrer).origin === location.origin) {
      ev.preventDefault();
      history.back();
    }
  });
});
// 检索: on a phone the facets come after the results, folded; open beside them on a wide screen
document.querySelectorAll(".facets-box").forEach((d) => {
  if (window.matchMedia("(max-width: 1000px)").matches) d.open = false;
});
// Tables marked .reflow become one card a row on a phone (app.css); each cell is labelled with its column's heading
document.querySelectorAll("table.reflow").forEach((t) => {
  const head = t.tHead?.rows[0];
  if (!head) return;
  const labels = [...head.cells].map((c) => c.textContent.trim());
  for (const body of t.tBodies) {
    for (const row of body.rows) {
      [...row.cells].forEach((td, i) => {
        if (!td.dataset.label && td.colSpan === 1 && labels[i]) td.dataset.label = labels[i];
        if (!td.textContent.trim() && !td.querySelector("input, button, select, img")) td.classList.add("blank");
      });
    }
  }
});
