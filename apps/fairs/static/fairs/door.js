// The door of a recruitment fair (入场签到). Every scan gets its own key on this device and
// is kept in localStorage until the server has answered it; scans are sent whenever the
// network allows (a resent scan carries the same key, so the server counts it once).
(function () {
  "use strict";
  var root = document.getElementById("door");
  if (!root) return;
  var syncUrl = root.dataset.sync;
  var csrf = root.dataset.csrf;
  var store = "jiuye-door-" + root.dataset.fair;
  var input = document.getElementById("scan");
  var statusLine = document.getElementById("door-status");
  var log = document.getElementById("door-log");
  var sending = false;
  var ID = /^\d{17}[\dXx]$/;
  var LABEL = {
    pending: "待上传",
    ok: "已签到",
    already: "此前已签到",
    not_registered: "未报名",
    invalid: "无效",
  };

  function load() {
    try {
      return JSON.parse(localStorage.getItem(store) || "[]");
    } catch (e) {
      return [];
    }
  }
  function save(scans) {
    localStorage.setItem(store, JSON.stringify(scans.slice(-2000)));
  }
  function uuid4() {
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) {
      return (x + 0x100).toString(16).slice(1);
    }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }
  function localIso(d) {
    var off = -d.getTimezoneOffset();
    var sign = off >= 0 ? "+" : "-";
    function p(n) { return (n < 10 ? "0" : "") + n; }
    return d.getFullYear() + "-" + p(d.getMonth() + 1) + "-" + p(d.getDate()) + "T" + p(d.getHours()) + ":" +
      p(d.getMinutes()) + ":" + p(d.getSeconds()) + sign + p(Math.floor(Math.abs(off) / 60)) + ":" + p(Math.abs(off) % 60);
  }

  function render() {
    var scans = load();
    var pending = scans.filter(function (s) { return s.state === "pending"; }).length;
    document.getElementById("door-pending").textContent = pending ? "待上传 " + pending + " 条" : "全部已上传";
    document.getElementById("door-net").textContent = navigator.onLine ? "在线" : "离线";
    while (log.firstChild) log.removeChild(log.firstChild);
    scans.slice(-30).reverse().forEach(function (s) {
      var li = document.createElement("li");
      li.className = "scan " + s.state;
      li.dataset.key = s.key;
      var who = s.answer && s.answer.name ? s.answer.name + " " : "";
      var what = s.code ? "入场码" : "身份证 " + s.id_number.slice(0, 4) + "…" + s.id_number.slice(-2);
      var msg = s.answer ? s.answer.message : LABEL.pending;
      li.textContent = s.at.slice(11, 16) + " " + what + " " + who + "· " + (LABEL[s.state] || s.state) +
        (s.answer && s.answer.message && s.answer.message !== LABEL[s.state] ? "(" + msg + ")" : "");
      log.appendChild(li);
    });
  }

  function send() {
    if (sending) return;
    var scans = load();
    var batch = scans.filter(function (s) { return s.state === "pending"; }).slice(0, 100);
    if (!batch.length) return;
    sending = true;
    fetch(syncUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify({
        scans: batch.map(function (s) {
          return s.code ? { key: s.key, code: s.code, at: s.at } : { key: s.key, id_number: s.id_number, at: s.at };
        }),
      }),
    })
      .then(function (r) {
        if (r.status === 403 || r.redirected) throw new Error("login");
        return r.json().then(function (body) {
          if (!r.ok) throw new Error(body.error || "server");
          return body;
        });
      })
      .then(function (body) {
        var byKey = {};
        body.answers.forEach(function (a) { byKey[a.key] = a; });
        var now = load();
        now.forEach(function (s) {
          var a = byKey[s.key];
          if (a) { s.state = a.status; s.answer = a; }
        });
        save(now);
        document.getElementById("door-admitted").textContent = "已入场 " + body.admitted + " 人";
        var last = body.answers[body.answers.length - 1];
        if (last) statusLine.textContent = (last.name ? last.name + ":" : "") + last.message;
        sending = false;
        render();
        send();
      })
      .catch(function (e) {
        sending = false;
        statusLine.textContent = e.message === "login" ? "登录已过期,请重新登录后再上传(记录仍保存在本机)"
          : "网络不可用,扫描已保存在本机,恢复后自动上传";
        render();
      });
  }

  function scan(text) {
    text = (text || "").trim();
    if (!text) return;
    var s = { key: uuid4(), at: localIso(new Date()), state: "pending" };
    if (ID.test(text)) s.id_number = text.toUpperCase(); else s.code = text;
    var scans = load();
    scans.push(s);
    save(scans);
    statusLine.textContent = "已记录,正在上传…";
    render();
    send();
  }

  document.getElementById("scan-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    scan(input.value);
    input.value = "";
    input.focus();
  });
  window.addEventListener("online", function () { render(); send(); });
  window.addEventListener("offline", render);
  setInterval(send, 10000);

  // a phone's camera, where the browser can read QR codes itself
  var cameraButton = document.getElementById("camera");
  if ("BarcodeDetector" in window && navigator.mediaDevices) {
    cameraButton.hidden = false;
    cameraButton.addEventListener("click", function () {
      var video = document.getElementById("camera-view");
      var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
      var lastCode = "";
      navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (stream) {
        video.srcObject = stream;
        video.hidden = false;
        video.play();
        (function tick() {
          detector.detect(video).then(function (codes) {
            if (codes.length && codes[0].rawValue !== lastCode) {
              lastCode = codes[0].rawValue;
              scan(lastCode);
            }
            setTimeout(tick, 300);
          }).catch(function () { setTimeout(tick, 1000); });
        })();
      }).catch(function () { statusLine.textContent = "无法使用摄像头,请用扫码枪或手工输入"; });
    });
  }
  render();
  send();
})();
