/* 上传: drag and drop many files, then poll the batch and show each file's state in words (the same words
   as the server's: api/services/uploads.file_outcome) and the batch's summary. The batch page (/upload/ID)
   uses the same table and keeps itself current until every file is finished. */
"use strict";
(function () {
  const table = document.getElementById("upload-table");
  if (!table) return;
  const tbody = table.querySelector("tbody");
  const summary = document.querySelector(".js-summary");
  const st = document.querySelector(".js-status");
  const zone = document.getElementById("dropzone");

  // text and attribute values alike: a file name may hold quotes (a " must not end an attribute)
  function esc(s) {
    return (s == null ? "" : String(s)).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;").replace(/'/g, "&#39;");
  }

  function render(batch) {
    tbody.querySelector("tr.empty")?.remove();
    for (const f of batch.files) {
      let row = tbody.querySelector(`tr[data-job="${f.job_id}"]`);
      if (!row) { row = document.createElement("tr"); row.dataset.job = f.job_id; tbody.appendChild(row); }
      const o = f.outcome;
      const finished = f.state === "done" || f.state === "failed";
      const pct = Math.round((f.progress || (finished ? 1 : 0)) * 100);
      let detail = esc(o.detail);
      if (f.judgment_id && (o.group === "stored" || o.group === "duplicate"))
        detail += `${detail ? " · " : ""}<a href="/cases/${f.judgment_id}">查看案件</a>`;
      const when = f.created_at ? ` · ${esc(f.created_at.slice(0, 16).replace("T", " "))}` : "";
      row.innerHTML = `<td data-label="文件">${esc(f.filename)}<br><span class="muted small">${esc(f.kind_zh)} · ${esc(f.size_zh)}${when}</span></td>` +
        `<td data-label="状态" class="state-${esc(f.state)} tone-${esc(o.tone)}">${esc(o.word)}</td>` +
        `<td data-label="进度"><progress max="100" value="${pct}" aria-label="${esc(f.filename)} 进度">${pct}%</progress></td>` +
        `<td data-label="说明">${detail}</td>`;
    }
    if (summary) {
      const why = batch.reasons.map((r) => `${r.reason} ${r.count} 个`).join("；");
      summary.textContent = batch.summary_zh + (why ? `；未通过原因：${why}` : "") + (batch.finished ? "" : "（仍在处理，本页会自动更新）");
    }
  }

  async function poll(batchId) {
    try {
      const res = await api("GET", `/api/uploads/${batchId}`);
      const batch = await res.json();
      render(batch);
      if (batch.finished) { if (st) st.textContent = `第 ${batchId} 批已处理完毕，可在“以往批次”或批次页中再次查看。`; return; }
    } catch (e) { if (st) say(st, e.message, true); }
    setTimeout(() => poll(batchId), 1000);
  }

  if (table.dataset.batch && table.dataset.finished === "0") poll(table.dataset.batch);
  if (!zone) return;
  const input = document.getElementById("file-input");
  zone.addEventListener("click", () => input.click());
  zone.addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); input.click(); } });
  zone.addEventListener("dragover", (e) => { e.preventDefault(); zone.classList.add("over"); });
  zone.addEventListener("dragleave", () => zone.classList.remove("over"));
  zone.addEventListener("drop", (e) => { e.preventDefault(); zone.classList.remove("over"); send(e.dataTransfer.files); });
  input.addEventListener("change", () => { send(input.files); input.value = ""; });

  async function send(files) {
    if (!files || !files.length) return;
    const fd = new FormData();
    for (const f of files) fd.append("files", f, f.name);
    st.textContent = `正在上传 ${files.length} 个文件……`;
    try {
      const res = await api("POST", "/api/uploads", fd);
      const data = await res.json();
      st.innerHTML = `已提交 ${data.files} 个文件（<a href="/upload/${esc(data.batch_id)}">第 ${esc(data.batch_id)} 批</a>），后台处理中。`;
      tbody.innerHTML = "";
      poll(data.batch_id);
    } catch (e) { say(st, e.message, true); }
  }
})();
