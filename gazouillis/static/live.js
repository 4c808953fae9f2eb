// Live pages: new posts announced by a "N new posts" bar, and the notifications badge kept current.
// Subscribes through GET /live (server-sent events, authenticated by the session cookie) to the stream the
// timeline is marked with: <div id="timeline" data-stream="user|public:local|hashtag|list" data-tag="…"
// data-list="…">. Clicking the bar fetches the posts' HTML from /live/posts and puts it on top.
(function () {
  "use strict";
  var script = document.currentScript;
  var strings = {
    one: (script && script.dataset.one) || "1 new post",
    many: (script && script.dataset.many) || "%(count)s new posts",
  };

  function start() {
    var timeline = document.querySelector("[data-stream]");
    var signedIn = document.querySelector('a[href="/notifications"]') !== null;
    var params = new URLSearchParams();
    if (timeline) {
      params.set("stream", timeline.dataset.stream);
      if (timeline.dataset.tag) params.set("tag", timeline.dataset.tag);
      if (timeline.dataset.list) params.set("list", timeline.dataset.list);
    } else if (signedIn) {
      params.set("stream", "user:notification");
    } else {
      return;
    }
    if (typeof EventSource === "undefined") return;
    var source = new EventSource("/live?" + params.toString());
    var pending = [];
    var bar = timeline ? makeBar(timeline) : null;

    source.addEventListener("update", function (event) {
      if (!bar) return;
      var id;
      try { id = JSON.parse(event.data).id; } catch (e) { return; }
      if (!id || pending.indexOf(id) >= 0 || document.getElementById("post-" + id)) return;
      pending.push(id);
      showBar();
    });
    source.addEventListener("delete", function (event) {
      var id = String(event.data).trim();
      pending = pending.filter(function (p) { return p !== id; });
      var shown = document.getElementById("post-" + id);
      if (shown) shown.remove();
      if (bar) showBar();
    });
    source.addEventListener("notification", bumpBadge);
    window.addEventListener("pagehide", function () { source.close(); });

    function makeBar(timeline) {
      var region = document.createElement("div");
      region.className = "live-bar";
      region.setAttribute("aria-live", "polite");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "secondary live-button";
      button.hidden = true;
      button.addEventListener("click", function () { insert(timeline, button); });
      region.appendChild(button);
      timeline.parentNode.insertBefore(region, timeline);
      return button;
    }

    function showBar() {
      if (!pending.length) { bar.hidden = true; bar.textContent = ""; return; }
      bar.textContent = pending.length === 1 ? strings.one : strings.many.replace("%(count)s", pending.length);
      bar.hidden = false;
    }

    function insert(timeline, button) {
      var ids = pending.slice(0, 40);
      var context = timeline.dataset.stream === "user" || timeline.dataset.stream === "list" ? "home" : "public";
      fetch("/live/posts?context=" + context + "&ids=" + ids.join(","), { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.text() : ""; })
        .then(function (html) {
          pending = pending.filter(function (p) { return ids.indexOf(p) < 0; });
          var holder = document.createElement("div");
          holder.innerHTML = html;
          var posts = Array.prototype.slice.call(holder.children);
          posts.reverse().forEach(function (post) {
            if (!document.getElementById(post.id)) timeline.insertBefore(post, timeline.firstChild);
            if (window.htmx) window.htmx.process(post);
          });
          var empty = document.getElementById("timeline-empty");
          if (empty && posts.length) empty.remove();
          showBar();
          if (posts.length) {
            var first = timeline.querySelector("article.post");
            if (first) { first.setAttribute("tabindex", "-1"); first.focus(); }
          } else {
            button.focus();
          }
        });
    }
  }

  function bumpBadge() {
    var badge = document.getElementById("notifications-badge");
    if (!badge) {
      var link = document.querySelector('a[href="/notifications"]');
      if (!link) return;
      badge = document.createElement("span");
      badge.id = "notifications-badge";
      badge.className = "badge";
      badge.dataset.count = "0";
      link.appendChild(badge);
    }
    var count = (parseInt(badge.dataset.count || badge.textContent, 10) || 0) + 1;
    badge.dataset.count = String(count);
    var shown = badge.querySelector('[aria-hidden="true"]');
    var spoken = badge.querySelector(".visually-hidden");
    if (shown) shown.textContent = count > 99 ? "99+" : String(count);
    if (spoken) spoken.textContent = spoken.textContent.replace(/\d+/, String(count));
    if (!shown && !spoken) badge.textContent = String(count);
    badge.hidden = false;
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
