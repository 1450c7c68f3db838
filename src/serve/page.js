// vanban serve: the page. No framework, no build step; every text Vietnamese.
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const token = new URLSearchParams(location.search).get("t");
  let info = { max_upload: 50 * 1024 * 1024, theo_doi: false };
  let doc = null;       // the workbook's state from the server
  let zoom = 1;
  let seq = 0;          // the latest preview asked for wins

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
    for (const g of d.nhom) {
      list.append(el("h3", "", g.trang ? "Trang " + g.trang : "Tệp"));
      const ul = el("ul");
      for (const m of g.muc) {
        const li = el("li", m.muc);
        li.append(el("span", "nhan", m.muc === "loi" ? "Lỗi" : "Cảnh báo"));
        if (m.o) { li.append(el("code", "o", m.o)); li.append(": "); }
        li.append(m.thong_bao);
        if (m.cach_sua) li.append(el("div", "sua", "→ " + m.cach_sua));
        ul.append(li);
      }
      list.append(ul);
    }
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
    message("");
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
  for (const r of document.querySelectorAll("input[name=loai]")) r.addEventListener("change", refresh);
  for (const id of ["quy", "don-vi"]) $(id).addEventListener("change", refresh);
  for (const id of ["nam", "ngay"]) $(id).addEventListener("change", refresh);
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
