/*
 * Glow: a live map of download and share events, drawn from the public aggregate files that the
 * Kindling s3-sink writes (<data>/<namespace>/<type>/{summary.json,latest.json,minutes/...}).
 *
 * Plain browser JavaScript, no build step, no third-party code. The only network requests besides
 * the page's own files are GETs to the public bucket (cross-origin, without credentials).
 */
(function () {
  "use strict";

  var DOCTYPES = {
    "glow/download": { label: "downloads", title: "Total downloads" },
    "glow/share": { label: "shares", title: "Total shares" },
  };
  var DEFAULT_DOCTYPE = "glow/download";
  // Seconds between polls; the sink rewrites summary/latest about once a minute, so a few
  // seconds keeps the counter lively without hammering the bucket.
  var DEFAULT_INTERVAL_S = 5;
  // Data older than this is flagged: the pipeline (or the sink) has probably stopped.
  var DEFAULT_STALE_S = 300;
  var TOP_N = 10;
  // A poll that has no answer after this long (or twice the interval) counts as an error.
  var DEFAULT_TIMEOUT_S = 15;
  var SVG_NS = "http://www.w3.org/2000/svg";

  var CONTINENTS = {
    AF: "Africa",
    AN: "Antarctica",
    AS: "Asia",
    EU: "Europe",
    NA: "North America",
    OC: "Oceania",
    SA: "South America",
  };

  // Natural Earth draws these areas without an ISO numeric id; GeoIP databases report them
  // under the codes below, so they are shaded with those countries.
  var UNCODED = { Kosovo: "XK", "N. Cyprus": "CY", Somaliland: "SO" };

  // ---------------------------------------------------------------- settings

  function settings() {
    var params = new URLSearchParams(window.location.search);
    var cfg = window.KINDLING_CONFIG || {};
    var data = params.get("data") || cfg.data || "";
    var doctype = params.get("doctype") || DEFAULT_DOCTYPE;
    if (!DOCTYPES[doctype]) doctype = DEFAULT_DOCTYPE;
    return {
      data: data.replace(/\/+$/, ""),
      doctype: doctype,
      intervalMs: 1000 * positive(params.get("interval"), DEFAULT_INTERVAL_S),
      staleMs: 1000 * positive(params.get("stale"), DEFAULT_STALE_S),
      timeoutMs: 1000 * positive(params.get("timeout"), DEFAULT_TIMEOUT_S),
    };
  }

  function positive(text, fallback) {
    var n = Number(text);
    return text !== null && isFinite(n) && n > 0 ? n : fallback;
  }

  // ---------------------------------------------------------------- projection

  // Robinson projection by interpolation in Robinson's table (every 5° of latitude:
  // parallel length, distance from the equator).
  var ROBINSON = [
    [1.0, 0.0], [0.9986, 0.062], [0.9954, 0.124], [0.99, 0.186], [0.9822, 0.248],
    [0.973, 0.31], [0.96, 0.372], [0.9427, 0.434], [0.9216, 0.4958], [0.8962, 0.5571],
    [0.8679, 0.6176], [0.835, 0.6769], [0.7986, 0.7346], [0.7597, 0.7903], [0.7186, 0.8435],
    [0.6732, 0.8936], [0.6213, 0.9394], [0.5722, 0.9761], [0.5322, 1.0],
  ];
  var R = 150; // SVG units per earth radius
  var NORTH = 84; // crop: the map shows latitudes NORTH..SOUTH
  var SOUTH = -57;

  function project(lon, lat) {
    var a = Math.min(Math.abs(lat), 90) / 5;
    var i = Math.min(Math.floor(a), 17);
    var f = a - i;
    var plen = ROBINSON[i][0] + (ROBINSON[i + 1][0] - ROBINSON[i][0]) * f;
    var pdfe = ROBINSON[i][1] + (ROBINSON[i + 1][1] - ROBINSON[i][1]) * f;
    var x = 0.8487 * R * plen * (lon * Math.PI / 180);
    var y = 1.3523 * R * pdfe * (lat < 0 ? 1 : -1);
    return [x, y];
  }

  function viewBox() {
    var w = 0.8487 * R * Math.PI;
    var top = project(0, NORTH)[1];
    var bottom = project(0, SOUTH)[1];
    return [-w - 2, top, 2 * w + 4, bottom - top].map(round1).join(" ");
  }

  function round1(v) {
    return Math.round(v * 10) / 10;
  }

  // ---------------------------------------------------------------- map (TopoJSON)

  /** Decodes the quantized, delta-encoded arcs of a TopoJSON topology into [lon, lat] points. */
  function decodeArcs(topo) {
    var t = topo.transform;
    return topo.arcs.map(function (arc) {
      var x = 0;
      var y = 0;
      return arc.map(function (p) {
        if (!t) return p;
        x += p[0];
        y += p[1];
        return [x * t.scale[0] + t.translate[0], y * t.scale[1] + t.translate[1]];
      });
    });
  }

  function pathData(points, shift) {
    return (
      "M" +
      points
        .map(function (p) {
          var xy = project(p[0] + shift, Math.max(SOUTH - 5, Math.min(NORTH + 5, p[1])));
          return round1(xy[0]) + "," + round1(xy[1]);
        })
        .join("L") +
      "Z"
    );
  }

  /**
   * world-atlas keeps Russia and Fiji whole across the antimeridian. Their rings are unwrapped
   * into continuous longitudes beyond ±180° and drawn a second time shifted by 360°; the map's
   * clip path (the sphere outline) cuts off whatever lies outside.
   */
  function ringPath(ring, arcs) {
    var pts = [];
    ring.forEach(function (index, k) {
      var arc = index < 0 ? arcs[~index].slice().reverse() : arcs[index];
      // consecutive arcs share their end points
      pts = pts.concat(k === 0 ? arc : arc.slice(1));
    });
    var lon0 = 0;
    var min = Infinity;
    var max = -Infinity;
    var unwrapped = pts.map(function (p, i) {
      var lon = p[0];
      if (i > 0) {
        while (lon - lon0 > 180) lon -= 360;
        while (lon - lon0 < -180) lon += 360;
      }
      lon0 = lon;
      min = Math.min(min, lon);
      max = Math.max(max, lon);
      return [lon, p[1]];
    });
    var d = pathData(unwrapped, 0);
    if (max > 180) d += pathData(unwrapped, -360);
    if (min < -180) d += pathData(unwrapped, 360);
    return d;
  }

  function geometryPath(geom, arcs) {
    var polygons = geom.type === "Polygon" ? [geom.arcs] : geom.type === "MultiPolygon" ? geom.arcs : [];
    return polygons
      .map(function (rings) {
        return rings
          .map(function (ring) {
            return ringPath(ring, arcs);
          })
          .join("");
      })
      .join("");
  }

  function countryCode(geom) {
    var iso = window.GLOW_ISO3166 || {};
    if (geom.id !== undefined && iso[geom.id]) return iso[geom.id][0];
    var name = geom.properties && geom.properties.name;
    return UNCODED[name] || null;
  }

  function svg(name, attrs) {
    var el = document.createElementNS(SVG_NS, name);
    Object.keys(attrs || {}).forEach(function (k) {
      el.setAttribute(k, attrs[k]);
    });
    return el;
  }

  function drawSphere(group) {
    var left = [];
    var right = [];
    for (var lat = NORTH + 5; lat >= SOUTH - 5; lat -= 5) {
      left.push(project(-180, lat));
      right.unshift(project(180, lat));
    }
    var d =
      "M" +
      left.concat(right)
        .map(function (p) {
          return round1(p[0]) + "," + round1(p[1]);
        })
        .join("L") +
      "Z";
    group.appendChild(svg("path", { d: d, class: "sphere" }));
    var clip = svg("clipPath", { id: "map-clip" });
    clip.appendChild(svg("path", { d: d }));
    group.appendChild(clip);
  }

  function drawCountries(topo, group) {
    var arcs = decodeArcs(topo);
    var byCode = {};
    topo.objects.countries.geometries.forEach(function (geom) {
      if (geom.id === "010") return; // Antarctica lies outside the cropped map
      var code = countryCode(geom);
      var path = svg("path", { d: geometryPath(geom, arcs), class: "country shade-0" });
      var title = svg("title");
      var name = code ? countryName(code, geom.properties.name) : geom.properties.name;
      title.textContent = name;
      path.appendChild(title);
      if (code) {
        path.setAttribute("data-country", code);
        (byCode[code] = byCode[code] || []).push({ path: path, title: title, name: name });
      }
      group.appendChild(path);
    });
    return byCode;
  }

  // ---------------------------------------------------------------- names and formatting

  var displayNames = null;
  try {
    displayNames = new Intl.DisplayNames(["en"], { type: "region" });
  } catch (e) {
    displayNames = null; // older browsers: fall back to the vendored ISO table
  }
  var ISO_BY_ALPHA2 = null;

  function countryName(code, fallback) {
    if (displayNames) {
      try {
        var n = displayNames.of(code);
        if (n && n !== code) return n;
      } catch (e) {
        // not a valid region code for Intl; use the table
      }
    }
    if (!ISO_BY_ALPHA2) {
      ISO_BY_ALPHA2 = {};
      var iso = window.GLOW_ISO3166 || {};
      Object.keys(iso).forEach(function (num) {
        ISO_BY_ALPHA2[iso[num][0]] = iso[num][1];
      });
    }
    return ISO_BY_ALPHA2[code] || fallback || code;
  }

  var numberFormat = new Intl.NumberFormat("en-US");

  function fmt(n) {
    return numberFormat.format(n);
  }

  // ---------------------------------------------------------------- fetching

  /**
   * One polled JSON object: GET with If-None-Match once an ETag is known. Returns
   * {status: "ok"|"unchanged"|"missing", data}. Throws on network errors and unexpected statuses.
   */
  function Poller(url) {
    this.url = url;
    this.etag = null;
    this.body = null;
    this.data = null;
    // answers so far, by kind (visible as glow.pollers.summary.answers from the console)
    this.answers = { ok: 0, notModified: 0, missing: 0, conditionalFailed: 0 };
    this.conditional = true;
  }

  Poller.prototype.poll = function (signal) {
    var self = this;
    var conditional = Boolean(this.conditional && this.etag);
    return this.request(conditional, signal).catch(function (e) {
      if (!conditional || (e && e.name === "AbortError")) throw e;
      // Some servers (S3Proxy among them) answer 304 without the CORS headers, which the browser
      // reports as a network error. If a plain GET works, the condition was the problem: stop
      // sending it for this file. If the plain GET fails too, the network is down; keep it.
      return self.request(false, signal).then(function (result) {
        self.conditional = false;
        self.answers.conditionalFailed++;
        return result;
      });
    });
  };

  Poller.prototype.request = function (conditional, signal) {
    var self = this;
    var headers = {};
    if (conditional) headers["If-None-Match"] = this.etag;
    return fetch(this.url, {
      headers: headers,
      // the page does its own revalidation; "no-store" keeps the browser cache from adding or
      // swallowing conditional requests
      cache: "no-store",
      credentials: "omit",
      mode: "cors",
      signal: signal,
    }).then(function (res) {
      if (res.status === 304) {
        self.answers.notModified++;
        return { status: "unchanged", data: self.data };
      }
      // S3 answers 403 for a missing key when anonymous users may not list the bucket
      if (res.status === 404 || res.status === 403) {
        self.answers.missing++;
        self.etag = null;
        self.body = null;
        self.data = null;
        return { status: "missing", data: null, code: res.status };
      }
      if (!res.ok) throw new Error(self.url + ": HTTP " + res.status);
      self.answers.ok++;
      var etag = res.headers.get("ETag");
      return res.text().then(function (text) {
        self.etag = etag;
        if (text === self.body) return { status: "unchanged", data: self.data };
        var data = JSON.parse(text);
        self.body = text;
        self.data = data;
        return { status: "ok", data: data };
      });
    });
  };

  function getJson(url, signal) {
    return fetch(url, { credentials: "omit", mode: "cors", signal: signal }).then(function (res) {
      if (res.status === 404 || res.status === 403) return null;
      if (!res.ok) throw new Error(url + ": HTTP " + res.status);
      return res.json();
    });
  }

  var MINUTE = "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}Z";

  /**
   * The newest minute named by latest.json as the s3-sink writes it: {"latest_minute":
   * "<minute>", "latest": "<ns>/<type>/minutes/<minute>.json"} (relative to the bucket). Only the
   * minute is taken: minute files live at <prefix>/minutes/<minute>.json, and a tampered
   * latest.json cannot send the page elsewhere.
   */
  function latestMinute(latest, prefix) {
    if (!latest || typeof latest !== "object") return null;
    var candidates = [
      [latest.latest_minute, new RegExp("^(" + MINUTE + ")$")],
      [latest.latest, new RegExp("^(?:" + prefix + "/)?minutes/(" + MINUTE + ")\\.json$")],
      [latest.latest, new RegExp("^(" + MINUTE + ")$")],
    ];
    for (var i = 0; i < candidates.length; i++) {
      var m = typeof candidates[i][0] === "string" && candidates[i][1].exec(candidates[i][0]);
      if (m) return m[1];
    }
    return null;
  }

  // ---------------------------------------------------------------- the page

  function Glow(conf) {
    this.conf = conf;
    this.el = {
      status: document.getElementById("status"),
      total: document.getElementById("total"),
      totalLabel: document.getElementById("total-label"),
      updated: document.getElementById("updated"),
      topCountries: document.getElementById("top-countries"),
      otherCountries: document.getElementById("other-countries"),
      topContinents: document.getElementById("top-continents"),
      topSubdivisions: document.getElementById("top-subdivisions"),
      minute: document.getElementById("minute"),
      map: document.getElementById("map"),
      sphere: document.getElementById("map-sphere"),
      countries: document.getElementById("map-countries"),
      dots: document.getElementById("map-dots"),
      chart: document.getElementById("minutes-chart"),
    };
    this.countryPaths = {};
    this.timer = null;
    this.generation = 0;
    this.shownTotal = 0;
    this.reducedMotion =
      window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  }

  Glow.prototype.start = function () {
    var self = this;
    this.el.map.setAttribute("viewBox", viewBox());
    drawSphere(this.el.sphere);
    fetch("vendor/world-atlas/countries-110m.json")
      .then(function (res) {
        if (!res.ok) throw new Error("map data: HTTP " + res.status);
        return res.json();
      })
      .then(function (topo) {
        self.countryPaths = drawCountries(topo, self.el.countries);
        if (self.summary) self.shade(self.summary);
      })
      .catch(function (e) {
        // the numbers still work without the outlines
        if (window.console) console.warn("Glow: map outlines unavailable", e);
      });
    Array.prototype.forEach.call(document.querySelectorAll("[data-doctype]"), function (b) {
      b.addEventListener("click", function () {
        self.switchTo(b.getAttribute("data-doctype"));
      });
    });
    this.switchTo(this.conf.doctype, true);
  };

  Glow.prototype.switchTo = function (doctype, initial) {
    if (!DOCTYPES[doctype]) return;
    if (!initial && doctype === this.doctype) return;
    this.doctype = doctype;
    this.generation++;
    if (this.abort) this.abort.abort();
    clearTimeout(this.timer);
    Array.prototype.forEach.call(document.querySelectorAll("[data-doctype]"), function (b) {
      b.setAttribute("aria-pressed", String(b.getAttribute("data-doctype") === doctype));
    });
    this.el.totalLabel.textContent = DOCTYPES[doctype].title;
    document.title = "Glow — live " + DOCTYPES[doctype].label + " map";
    if (!initial) {
      var params = new URLSearchParams(window.location.search);
      params.set("doctype", doctype);
      history.replaceState(null, "", "?" + params.toString());
    }
    // forget the previous doctype's numbers at once, so they are never shown under the new label
    this.summary = null;
    this.minuteName = null;
    this.render(null);
    this.renderMinute(null);
    this.renderMinutesChart(null);
    this.setStatus("loading", "Loading " + DOCTYPES[doctype].label + "…");
    if (!this.conf.data) {
      this.setStatus("error", "No data location: open this page with ?data=<public bucket URL>.");
      return;
    }
    var base = this.conf.data + "/" + doctype;
    this.pollers = { summary: new Poller(base + "/summary.json"), latest: new Poller(base + "/latest.json") };
    this.base = base;
    this.tick(this.generation);
  };

  Glow.prototype.tick = function (generation) {
    var self = this;
    var abort = typeof AbortController === "function" ? new AbortController() : null;
    this.abort = abort;
    var signal = abort ? abort.signal : undefined;
    // a request that hangs would stop the polling; give up on it after a while instead
    var timedOut = false;
    var watchdog = abort
      ? setTimeout(function () {
          timedOut = true;
          abort.abort();
        }, Math.max(this.conf.timeoutMs, 2 * this.conf.intervalMs))
      : null;
    Promise.all([this.pollers.summary.poll(signal), this.pollers.latest.poll(signal)])
      .then(function (results) {
        if (generation !== self.generation) return null;
        var summary = results[0];
        var latest = results[1];
        if (summary.status === "missing") {
          self.summary = null;
          self.render(null);
          self.renderMinute(null);
          self.renderMinutesChart(null);
          self.setStatus(
            "empty",
            "No data yet for " +
              DOCTYPES[self.doctype].label +
              (summary.code === 403
                ? " (the bucket answered 403: nothing written yet, or the files are not public)."
                : ".")
          );
          return null;
        }
        if (summary.status === "ok") {
          self.summary = summary.data;
          self.render(summary.data);
        }
        self.updateFreshness(summary.data, latest.data);
        if (latest.status !== "unchanged") self.renderMinutesChart(latest.data);
        if (latest.status === "missing") {
          self.renderMinute(null);
          return null;
        }
        return self.loadMinute(latest.data, signal, generation);
      })
      .catch(function (e) {
        if (generation !== self.generation) return;
        if (e && e.name === "AbortError" && !timedOut) return;
        var why = timedOut ? "no answer in time" : e && e.message ? e.message : String(e);
        self.setStatus("error", "Cannot reach the data: " + why);
      })
      .then(function () {
        clearTimeout(watchdog);
        if (generation !== self.generation) return;
        self.timer = setTimeout(function () {
          self.tick(generation);
        }, self.conf.intervalMs);
      });
  };

  Glow.prototype.loadMinute = function (latest, signal, generation) {
    var self = this;
    var minute = latestMinute(latest, this.doctype);
    var name = minute ? "minutes/" + minute + ".json" : null;
    if (!name) {
      this.renderMinute(null);
      return null;
    }
    if (name === this.minuteName) return null;
    return getJson(this.base + "/" + name, signal).then(function (minute) {
      if (generation !== self.generation) return;
      self.minuteName = minute ? name : null;
      self.renderMinute(minute);
    });
  };

  Glow.prototype.updateFreshness = function (summary, latest) {
    var times = [summary && summary.updated_at, latest && latest.updated_at]
      .map(function (t) {
        return t ? Date.parse(t) : NaN;
      })
      .filter(function (t) {
        return isFinite(t);
      });
    var label = DOCTYPES[this.doctype].label;
    if (!times.length) {
      this.setStatus("live", "Live " + label + ".");
      this.el.updated.textContent = "";
      return;
    }
    var newest = Math.max.apply(null, times);
    var when = new Date(newest);
    this.el.updated.textContent = "Updated " + when.toISOString().replace(/\.\d+Z$/, "Z").replace("T", " ");
    var age = Date.now() - newest;
    if (age > this.conf.staleMs) {
      this.setStatus("stale", "Stale: no new " + label + " for " + duration(age) + ".");
    } else {
      this.setStatus("live", "Live " + label + ".");
    }
  };

  function duration(ms) {
    var m = Math.round(ms / 60000);
    if (m < 120) return m + " minutes";
    var h = Math.round(m / 60);
    if (h < 48) return h + " hours";
    return Math.round(h / 24) + " days";
  }

  Glow.prototype.setStatus = function (state, text) {
    var s = this.el.status;
    if (s.getAttribute("data-state") !== state || s.textContent !== text) {
      s.setAttribute("data-state", state);
      s.textContent = text;
    }
  };

  // ---------------------------------------------------------------- rendering

  function counts(obj) {
    var out = [];
    if (!obj || typeof obj !== "object") return out;
    Object.keys(obj).forEach(function (k) {
      var v = Number(obj[k]);
      // zero rows (the sink writes "other": 0) say nothing worth a line
      if (isFinite(v) && v > 0) out.push({ key: k, count: v });
    });
    out.sort(function (a, b) {
      return b.count - a.count || (a.key < b.key ? -1 : 1);
    });
    return out;
  }

  function fillRanking(list, rows, attr, nameOf) {
    var items = rows.map(function (r) {
      var li = document.createElement("li");
      li.setAttribute(attr, r.key);
      li.setAttribute("data-count", String(r.count));
      var name = document.createElement("span");
      name.className = "name";
      name.textContent = nameOf(r.key);
      var count = document.createElement("span");
      count.className = "count";
      count.textContent = fmt(r.count);
      li.appendChild(name);
      li.appendChild(document.createTextNode(" "));
      li.appendChild(count);
      return li;
    });
    list.replaceChildren.apply(list, items);
  }

  Glow.prototype.render = function (summary) {
    var total = summary && isFinite(Number(summary.total)) ? Number(summary.total) : 0;
    this.setTotal(total);
    var countries = counts(summary && summary.by_country);
    var other = countries.filter(function (r) {
      return r.key === "other";
    });
    countries = countries.filter(function (r) {
      return /^[A-Z]{2}$/.test(r.key);
    });
    fillRanking(this.el.topCountries, countries.slice(0, TOP_N), "data-country", function (k) {
      return countryName(k, k);
    });
    if (other.length && other[0].count > 0) {
      this.el.otherCountries.hidden = false;
      this.el.otherCountries.setAttribute("data-count", String(other[0].count));
      this.el.otherCountries.textContent =
        "+ " + fmt(other[0].count) + " from countries with too few to list";
    } else {
      this.el.otherCountries.hidden = true;
      this.el.otherCountries.textContent = "";
    }
    fillRanking(
      this.el.topContinents,
      counts(summary && summary.by_continent),
      "data-continent",
      function (k) {
        return CONTINENTS[k] || (k === "other" ? "Other" : k);
      }
    );
    fillRanking(
      this.el.topSubdivisions,
      counts(summary && summary.by_subdivision)
        .filter(function (r) {
          return r.key !== "other";
        })
        .slice(0, TOP_N),
      "data-subdivision",
      function (k) {
        var cc = k.split("-")[0];
        return k + (/^[A-Z]{2}$/.test(cc) ? " (" + countryName(cc, cc) + ")" : "");
      }
    );
    this.shade(summary);
  };

  Glow.prototype.shade = function (summary) {
    var paths = this.countryPaths;
    var byCountry = (summary && summary.by_country) || {};
    var max = 0;
    Object.keys(byCountry).forEach(function (k) {
      if (k !== "other") max = Math.max(max, Number(byCountry[k]) || 0);
    });
    Object.keys(paths).forEach(function (code) {
      var v = Number(byCountry[code]) || 0;
      // log scale: a few big countries would otherwise leave everyone else blank
      var shade = v > 0 && max > 0 ? Math.max(1, Math.ceil((5 * Math.log(1 + v)) / Math.log(1 + max))) : 0;
      paths[code].forEach(function (p) {
        p.path.setAttribute("class", "country shade-" + shade);
        p.path.setAttribute("data-count", String(v));
        p.title.textContent = p.name + ": " + fmt(v);
      });
    });
  };

  Glow.prototype.setTotal = function (total) {
    var el = this.el.total;
    el.setAttribute("data-count", String(total));
    var from = this.shownTotal;
    this.shownTotal = total;
    if (this.raf) cancelAnimationFrame(this.raf);
    // no animation frames run in a hidden tab; show the number at once there
    if (this.reducedMotion || document.hidden || from >= total || total - from > 1e9) {
      el.textContent = fmt(total);
      return;
    }
    // count up like an odometer over a second
    var start = null;
    var self = this;
    var step = function (now) {
      if (start === null) start = now;
      var f = Math.min(1, (now - start) / 1000);
      el.textContent = fmt(Math.round(from + (total - from) * f));
      if (f < 1) self.raf = requestAnimationFrame(step);
    };
    this.raf = requestAnimationFrame(step);
  };

  Glow.prototype.renderMinute = function (minute) {
    var dots = this.el.dots;
    var label = DOCTYPES[this.doctype] ? DOCTYPES[this.doctype].label : "events";
    if (!minute) {
      dots.replaceChildren();
      this.el.minute.textContent = "No minute data yet.";
      this.el.minute.removeAttribute("data-minute");
      return;
    }
    var locations = Array.isArray(minute.by_location) ? minute.by_location : [];
    var max = 1;
    locations.forEach(function (l) {
      max = Math.max(max, num(l && l.count) || 0);
    });
    // Like the original Glow, a new minute is replayed: its places light up one by one over
    // most of a minute instead of all at once. The first minute shown appears at once.
    var replay = !this.reducedMotion && dots.childNodes.length > 0;
    var circles = [];
    locations.forEach(function (l) {
      var lat = num(l && l.lat);
      var lon = num(l && l.lon);
      var c = num(l && l.count);
      // places below the privacy floor come without coordinates
      if (!isFinite(lat) || !isFinite(lon) || !(c > 0) || Math.abs(lat) > 90) return;
      var p = project(lon, lat);
      var circle = svg("circle", {
        cx: round1(p[0]),
        cy: round1(p[1]),
        r: round1(1.5 + 5 * Math.sqrt(c / max)),
        class: "dot",
        "data-count": String(c),
      });
      var t = svg("title");
      t.textContent = lat.toFixed(1) + "°, " + lon.toFixed(1) + "°: " + fmt(c);
      circle.appendChild(t);
      if (replay) circle.style.animationDelay = (Math.random() * 50).toFixed(1) + "s";
      circles.push(circle);
    });
    dots.replaceChildren.apply(dots, circles);
    var total = Number(minute.total) || 0;
    this.el.minute.setAttribute("data-minute", String(minute.minute || ""));
    this.el.minute.textContent =
      fmt(total) + " " + label + " in the minute " + minuteLabel(minute.minute) +
      " (" + circles.length + " places shown" +
      (num(minute.location_other) > 0 ? ", " + fmt(num(minute.location_other)) + " from places too small to show" : "") +
      ")";
  };

  var CHART_MINUTES = 30;

  /**
   * Events per minute for the recent minutes, when latest.json lists them with totals (the
   * s3-sink's "minutes": [{"minute", "total"}, ...]); hidden otherwise.
   */
  Glow.prototype.renderMinutesChart = function (latest) {
    var chart = this.el.chart;
    var re = new RegExp("^" + MINUTE + "$");
    var rows = (latest && Array.isArray(latest.minutes) ? latest.minutes : [])
      .filter(function (m) {
        return m && typeof m.minute === "string" && re.test(m.minute) && num(m.total) >= 0;
      })
      .sort(function (a, b) {
        return a.minute < b.minute ? -1 : 1;
      })
      .slice(-CHART_MINUTES);
    if (!rows.length) {
      chart.replaceChildren();
      chart.setAttribute("hidden", "");
      return;
    }
    var max = Math.max.apply(
      null,
      rows.map(function (m) {
        return num(m.total);
      }).concat([1])
    );
    var w = 300 / CHART_MINUTES;
    var offset = 300 - rows.length * w; // newest minute at the right edge
    var bars = rows.map(function (m, i) {
      var h = Math.max(1, (56 * num(m.total)) / max);
      var bar = svg("rect", {
        x: round1(offset + i * w + 0.5),
        y: round1(60 - h),
        width: round1(w - 1),
        height: round1(h),
        class: "bar",
        "data-minute": m.minute,
        "data-count": String(num(m.total)),
      });
      var t = svg("title");
      t.textContent = minuteLabel(m.minute) + ": " + fmt(num(m.total));
      bar.appendChild(t);
      return bar;
    });
    chart.replaceChildren.apply(chart, bars);
    var last = rows[rows.length - 1];
    chart.setAttribute(
      "aria-label",
      "Per minute, last " + rows.length + " minutes: at most " + fmt(max) + "; " +
        minuteLabel(last.minute) + ": " + fmt(num(last.total))
    );
    chart.removeAttribute("hidden");
  };

  /** Number(null) is 0, which would put a dot at 0°, 0°; missing values become NaN instead. */
  function num(v) {
    return v === null || v === undefined || v === "" ? NaN : Number(v);
  }

  function minuteLabel(m) {
    var t = Date.parse(m);
    if (!isFinite(t)) return String(m || "");
    return new Date(t).toISOString().slice(0, 16).replace("T", " ") + " UTC";
  }

  function boot() {
    var glow = new Glow(settings());
    window.glow = glow; // handy from the console
    glow.start();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", boot);
  } else {
    boot();
  }
})();
