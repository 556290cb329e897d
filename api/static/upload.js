/* 上传: drag and drop many files, then poll the batch and show each file's state and any rejection reason. */
"use strict";
(function () {
  const zone = document.getElementById("dropzone");
  if (!zone) return;
  const input = document.getElementById("file-input");
  const tbody = document.querySelector("#upload-table tbody");
  const st = document.querySelector(".js-status");
  const STATE = { queued: "排队中", running: "处理中", done: "已完成", failed: "失败", retrying: "重试中" };
  const STATUS = { stored: "已入库", linked: "已关联", duplicate: "重复文件", rejected: "已拒收", failed: "处理失败" };

  zone.addEventListener("click", () => input.click());
  zone.addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); input.click(); } });
  zone.addEventListener("dragover", (e) => { e.preventDefault(); zone.classList.add("over"); });
  zone.addEventListener("dragleave", () => zone.classList.remove("over"));
  zone.addEventListener("drop", (e) => { e.preventDefault(); zone.classList.remove("over"); send(e.dataTransfer.files); });
  input.addEventListener("change", () => { send(input.files); input.value = ""; });

  // text and attribute values alike: a file name may hold quotes (a " must not end an attribute)
  function esc(s) {
    return (s == null ? "" : String(s)).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;").replace(/'/g, "&#39;");
  }

  async function send(files) {
    if (!files || !files.length) return;
    const fd = new FormData();
    for (const f of files) fd.append("files", f, f.name);
    st.textContent = `正在上传 ${files.length} 个文件……`;
    try {
      const res = await api("POST", "/api/uploads", fd);
      const data = await res.json();
      st.textContent = `已提交 ${data.files} 个文件（批次 ${data.batch_id}），后台处理中。`;
      poll(data.batch_id);
    } catch (e) { say(st, e.message, true); }
  }

  function render(batch) {
    tbody.querySelector("tr.empty")?.remove();
    for (const f of batch.files) {
      let row = tbody.querySelector(`tr[data-job="${f.job_id}"]`);
      if (!row) { row = document.createElement("tr"); row.dataset.job = f.job_id; tbody.appendChild(row); }
      const pct = Math.round((f.progress || (f.state === "done" || f.state === "failed" ? 1 : 0)) * 100);
      let result = "";
      if (f.status) result = STATUS[f.status] || f.status;
      if (f.judgment_id && (f.status === "stored" || f.status === "linked" || f.status === "duplicate"))
        result += ` · <a href="/cases/${f.judgment_id}">查看案件</a>`;
      if (f.message && (f.status === "rejected" || f.state === "failed")) result += `：${esc(f.message)}`;
      else if (f.status === "rejected" && f.reason) result += `：${esc(f.reason)}`;
      row.innerHTML = `<td>${esc(f.filename)}</td><td class="state-${esc(f.state)}">${esc(STATE[f.state] || f.state)}</td>` +
        `<td><progress max="100" value="${pct}" aria-label="${esc(f.filename)} 进度">${pct}%</progress></td><td>${result}</td>`;
    }
  }

  async function poll(batchId) {
    try {
      const res = await api("GET", `/api/uploads/${batchId}`);
      const batch = await res.json();
      render(batch);
      if (batch.finished) { st.textContent = `批次 ${batchId} 已处理完毕。`; return; }
    } catch (e) { say(st, e.message, true); }
    setTimeout(() => poll(batchId), 1000);
  }
})();
