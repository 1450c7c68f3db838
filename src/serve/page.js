// vanban serve: the page. No framework, no build step; every text Vietnamese.
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const token = new URLSearchParams(location.search).get("t");
  let info = { max_upload: 50 * 1024 * 1024, theo_doi: false };
  let doc = null;       // the workbook's state from the server
  let zoom = 1;
  let seq = 0;          // the latest preview asked for wins
  let returned = null;  // the units' returned progress forms, as collect read them

  function url(path, params) {
    const q = new URLSearchParams(params || {});
    if (token) q.set("t", token);
    const s = q.toString();
    return s ? path + "?" + s : path;
  }

  async function api(path, opts, params) {
    let res;
    try {
      res = await fetch(url(path, params), opts);
    } catch (e) {
      throw new Error("không kết nối được với vanban serve (máy chủ đã tắt?). Chạy lại lệnh rồi tải lại trang.");
    }
    let body = null;
    try { body = await res.json(); } catch (e) { body = null; }
    if (!res.ok) {
      const err = new Error((body && body.loi) || ("lỗi " + res.status));
      err.details = (body && body.chi_tiet) || [];
      err.status = res.status;
      throw err;
    }
    return body;
  }

  function want() {
    const loai = document.querySelector("input[name=loai]:checked").value;
    const p = { loai };
    if (loai === "bao-cao") {
      p.quy = $("quy").value;
      if ($("nam").value.trim()) p.nam = $("nam").value.trim();
      if ($("ngay").value.trim()) p.ngay = $("ngay").value.trim();
    }
    if ($("don-vi").value) p.don_vi = $("don-vi").value;
    else if (loai === "bao-cao" && returned && returned.dung_duoc && $("dung-tien-do").checked) p.tien_do = 1;
    return p;
  }

  // The quarter the forms are for: the report's (step 3), never a unit's.
  function period() {
    const p = want();
    delete p.don_vi;
    delete p.tien_do;
    return p;
  }

  function message(text, kind) {
    const box = $("thong-bao");
    box.textContent = text;
    box.className = "thong-bao" + (kind ? " " + kind : "");
    box.classList.toggle("an", !text);
  }

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function showList(d) {
    const list = $("danh-sach");
    list.replaceChildren();
    const sum = $("tom-tat");
    if (d.so_loi > 0) {
      sum.textContent = d.so_loi + " lỗi, " + d.so_canh_bao + " cảnh báo. Sửa các lỗi trong Excel, lưu lại" +
        (d.id === "tep" ? " — trang tự cập nhật." : ", rồi chọn lại tệp.");
      sum.className = "nho co-loi";
    } else {
      sum.textContent = "Không có lỗi" + (d.so_canh_bao ? ", " + d.so_canh_bao + " cảnh báo (vẫn lập được văn bản)." : ".");
      sum.className = "nho tot";
    }
    for (const g of d.nhom) problems(list, g.trang ? "Trang " + g.trang : "Tệp", g.muc);
  }

  // A heading and its problems: each with its cell, message and fix.
  function problems(list, title, items) {
    list.append(el("h3", "", title));
    const ul = el("ul");
    for (const m of items) {
      const li = el("li", m.muc);
      li.append(el("span", "nhan", m.muc === "loi" ? "Lỗi" : "Cảnh báo"));
      if (m.o) { li.append(el("code", "o", m.o)); li.append(": "); }
      li.append(m.thong_bao);
      if (m.cach_sua) li.append(el("div", "sua", "→ " + m.cach_sua));
      ul.append(li);
    }
    list.append(ul);
  }

  function showDoc(d) {
    doc = d;
    $("ten-tep").textContent = "Tệp: " + d.ten;
    $("theo-doi").classList.toggle("an", d.id !== "tep");
    showList(d);
    const sel = $("don-vi");
    const keep = sel.value;
    sel.replaceChildren(el("option", "", "Cả cơ quan (văn bản chung)"));
    sel.firstChild.value = "";
    for (const u of d.don_vi) {
      const o = el("option", "", u.ma + " — " + u.ten);
      o.value = u.ma;
      sel.append(o);
    }
    if (d.don_vi.some((u) => u.ma === keep)) sel.value = keep;
    if (d.nam && !$("nam").value) $("nam").placeholder = String(d.nam);
    $("tai-zip").classList.toggle("an", d.don_vi.length === 0);
    if (!returned || returned.id !== d.id) returned = null;
    refreshForms();
  }

  function showForms(r) {
    returned = r;
    const sum = $("tom-tat-tien-do");
    const list = $("ds-tien-do");
    list.replaceChildren();
    const n = r ? r.tep.length : 0;
    $("dung-tien-do-nhan").classList.toggle("an", !(r && r.dung_duoc));
    $("bo-tien-do").classList.toggle("an", n === 0);
    const total = $("tai-tong-hop");
    total.classList.toggle("an", n === 0);
    total.classList.toggle("tat", !(r && r.dung_duoc));
    if (r && r.dung_duoc) total.href = url("/api/doc/" + doc.id + "/tien-do/tong-hop", period());
    else total.removeAttribute("href");
    if (n === 0) {
      sum.textContent = "Chưa nhận biểu mẫu nào.";
      sum.className = "nho";
      return;
    }
    if (r.so_loi > 0) {
      sum.textContent = "Đã nhận " + n + " tệp; " + r.so_loi + " lỗi: sửa trong tệp của đơn vị (hoặc bỏ tệp đó) rồi thả lại. Báo cáo chưa tính các biểu mẫu này.";
      sum.className = "nho co-loi";
    } else {
      sum.textContent = "Đã nhận " + n + " tệp (" + (r.ky || "") + "): " + (r.tom_tat || "");
      sum.className = "nho tot";
    }
    if (r.chua_gui.length) {
      list.append(el("h3", "", "Chưa gửi (" + r.chua_gui.length + ")"));
      const ul = el("ul");
      for (const u of r.chua_gui) ul.append(el("li", "", u.ma + " — " + u.ten));
      list.append(ul);
    }
    const groups = new Map();
    for (const m of r.muc) {
      const k = m.tep || "";
      if (!groups.has(k)) groups.set(k, []);
      groups.get(k).push(m);
    }
    for (const [file, items] of groups) problems(list, file ? "Tệp " + file : "Chung", items);
    if (r.da_gui.length) {
      list.append(el("h3", "", "Đã gửi (" + r.da_gui.length + ")"));
      const ul = el("ul");
      for (const u of r.da_gui) ul.append(el("li", "", u.ma + " — " + u.ten + ": " + u.tep + (u.khong_doi ? " (không thay đổi số liệu)" : "")));
      list.append(ul);
    }
  }

  // The forms' section: shown for a quarterly report of a workbook with units.
  async function refreshForms() {
    const show = !!doc && doc.don_vi.length > 0 && doc.so_loi === 0 && want().loai === "bao-cao";
    $("buoc-tien-do").classList.toggle("an", !show);
    if (show) {
      const p = period();
      $("ky-tien-do").textContent = "quý " + ["I", "II", "III", "IV"][Number(p.quy) - 1];
      $("tai-bieu-mau").href = url("/api/doc/" + doc.id + "/bieu-mau", p);
      $("tai-bieu-mau").classList.remove("tat");
      try {
        const r = await api("/api/doc/" + doc.id + "/tien-do", {}, p);
        r.id = doc.id;
        showForms(r);
      } catch (e) {
        showForms(null);
        $("tom-tat-tien-do").textContent = e.message;
      }
    }
    refresh();
  }

  async function addForms(files) {
    if (!doc || !files || !files.length) return;
    const id = doc.id;
    let r = null;
    $("tom-tat-tien-do").textContent = "Đang đọc " + files.length + " tệp…";
    for (const f of files) {
      try {
        r = await api("/api/doc/" + id + "/tien-do", { method: "POST", body: f }, Object.assign({ name: f.name }, period()));
      } catch (e) {
        $("tom-tat-tien-do").textContent = "Tệp «" + f.name + "»: " + e.message;
        $("tom-tat-tien-do").className = "nho co-loi";
        return;
      }
    }
    if (!doc || doc.id !== id) return;
    r.id = id;
    showForms(r);
    refresh();
  }

  function setDownloads(ok) {
    for (const id of ["tai-pdf", "tai-docx", "tai-zip"]) {
      const a = $(id);
      a.classList.toggle("tat", !ok);
      if (!ok) a.removeAttribute("href");
    }
    if (!ok || !doc) return;
    const p = want();
    $("tai-pdf").href = url("/api/doc/" + doc.id + "/pdf", p);
    $("tai-docx").href = url("/api/doc/" + doc.id + "/docx", p);
    const z = Object.assign({}, p);
    delete z.don_vi;
    $("tai-zip").href = url("/api/doc/" + doc.id + "/zip", z);
  }

  async function refresh() {
    $("chon-bao-cao").classList.toggle("an", want().loai !== "bao-cao");
    if (!doc) return;
    const pages = $("trang");
    if (doc.so_loi > 0) {
      pages.replaceChildren();
      $("canh-bao-ve").classList.add("an");
      setDownloads(false);
      message("Chưa xem trước được: tệp còn " + doc.so_loi + " lỗi (xem bước 2). Văn bản chỉ được lập khi không còn lỗi nào.", "do");
      return;
    }
    const mine = ++seq;
    const p = want();
    pages.classList.add("cu");
    message("Đang dựng trang…");
    let r;
    try {
      r = await api("/api/doc/" + doc.id + "/preview", {}, p);
    } catch (e) {
      if (mine !== seq) return;
      pages.classList.remove("cu");
      pages.replaceChildren();
      setDownloads(false);
      message("Không lập được văn bản: " + e.message + (e.details.length > 1 ? "\n" + e.details.slice(1).join("\n") : ""), "do");
      return;
    }
    if (mine !== seq) return;
    const imgs = [];
    for (let i = 1; i <= r.so_trang; i++) {
      const img = new Image();
      img.alt = "Trang " + i;
      img.className = "trang-van-ban";
      img.src = url("/api/doc/" + doc.id + "/page/" + i, Object.assign({ v: r.phien_ban }, p));
      imgs.push(img);
    }
    await Promise.all(imgs.map((img) => img.decode().catch(() => {})));
    if (mine !== seq) return;
    pages.replaceChildren(...imgs);
    pages.classList.remove("cu");
    pages.dataset.phienBan = String(r.phien_ban);
    const w = $("canh-bao-ve");
    w.textContent = r.canh_bao.join("\n");
    w.classList.toggle("an", r.canh_bao.length === 0);
    message(p.tien_do ? "Báo cáo này tính theo " + returned.da_gui.length + " biểu mẫu các đơn vị gửi về (mục 5)." : "");
    setDownloads(true);
  }

  async function upload(file) {
    if (!file) return;
    if (file.size > info.max_upload) {
      message("Tệp «" + file.name + "» lớn quá giới hạn " + Math.round(info.max_upload / 1048576) + " MB; bỏ bớt ảnh hoặc trang thừa rồi chọn lại.", "do");
      return;
    }
    message("Đang đọc tệp «" + file.name + "»…");
    try {
      const d = await api("/api/upload", { method: "POST", body: file }, { name: file.name });
      showDoc(d);
    } catch (e) {
      message(e.message, "do");
    }
  }

  function setZoom(z) {
    zoom = Math.min(3, Math.max(0.3, z));
    $("trang").style.setProperty("--ti-le", String(zoom));
    $("ti-le").textContent = Math.round(zoom * 100) + "%";
  }

  $("tep").addEventListener("change", (e) => { upload(e.target.files[0]); e.target.value = ""; });
  const zone = $("vung-tha");
  for (const t of ["dragenter", "dragover"]) zone.addEventListener(t, (e) => { e.preventDefault(); zone.classList.add("dang-keo"); });
  for (const t of ["dragleave", "drop"]) zone.addEventListener(t, () => zone.classList.remove("dang-keo"));
  zone.addEventListener("drop", (e) => { e.preventDefault(); upload(e.dataTransfer.files[0]); });
  // A file dropped anywhere else does not make the browser leave the page.
  window.addEventListener("dragover", (e) => e.preventDefault());
  window.addEventListener("drop", (e) => { e.preventDefault(); upload(e.dataTransfer.files[0]); });
  for (const r of document.querySelectorAll("input[name=loai]")) r.addEventListener("change", refreshForms);
  for (const id of ["quy", "nam", "ngay"]) $(id).addEventListener("change", refreshForms);
  for (const id of ["don-vi", "dung-tien-do"]) $(id).addEventListener("change", refresh);
  $("tep-tien-do").addEventListener("change", (e) => { addForms([...e.target.files]); e.target.value = ""; });
  const fzone = $("vung-tien-do");
  for (const t of ["dragenter", "dragover"]) fzone.addEventListener(t, (e) => { e.preventDefault(); e.stopPropagation(); fzone.classList.add("dang-keo"); });
  for (const t of ["dragleave", "drop"]) fzone.addEventListener(t, () => fzone.classList.remove("dang-keo"));
  fzone.addEventListener("drop", (e) => { e.preventDefault(); e.stopPropagation(); addForms([...e.dataTransfer.files]); });
  $("bo-tien-do").addEventListener("click", async () => {
    if (!doc) return;
    try { await api("/api/doc/" + doc.id + "/tien-do", { method: "DELETE" }); } catch (e) { /* shown below */ }
    refreshForms();
  });
  $("nho-lai").addEventListener("click", () => setZoom(zoom / 1.2));
  $("to-len").addEventListener("click", () => setZoom(zoom * 1.2));

  async function start() {
    try { info = await api("/api/info"); } catch (e) { message(e.message, "do"); return; }
    if (info.theo_doi) {
      try { showDoc(await api("/api/doc/tep")); } catch (e) { message(e.message, "do"); }
      const es = new EventSource(url("/api/events"));
      es.addEventListener("doi", async () => {
        if (doc && doc.id !== "tep") return;
        try { showDoc(await api("/api/doc/tep")); } catch (e) { message(e.message, "do"); }
      });
    }
  }
  start();
})();
