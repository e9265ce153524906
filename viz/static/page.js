/* paperkg graph page: draws the embedded graph with vis-network and wires up tooltips, the
   search box, the type filters and the details panel.

   Text from papers (names, aliases, titles) only ever reaches the document through
   textContent, option values or vis-network's canvas: never as HTML. Links to reference
   vocabularies become anchors built with setAttribute, only for http(s) IRIs. */
(function () {
  "use strict";

  var payload = JSON.parse(document.getElementById("graph-data").textContent);
  var view = payload.view || { focus: [], rings: [], regions: [] };
  var REGION_MIN = 3;  // members a region needs to be drawn and named
  var REGION_PX = { min: 14, max: 22 };  // a region's name on screen: bigger for bigger regions
  // labels start hidden: placeLabels() shows those that can be read at the current zoom
  payload.nodes.forEach(function (n) { n.short = n.label; n.label = ""; });
  var nodes = new vis.DataSet(payload.nodes);
  var edges = new vis.DataSet(payload.edges);
  var statusBox = document.getElementById("status");
  // exposed for scripting and for the browser tests
  var page = (window.paperkg = { nodes: nodes, edges: edges, network: null, settled: false,
                                 settleMs: null, lastFound: null, labelled: [], regionNames: [] });

  function element(tag, className, text) {
    var el = document.createElement(tag);
    if (className) el.className = className;
    if (text !== undefined && text !== null) el.textContent = String(text);
    return el;
  }

  function plural(n, word) {
    return n + " " + word + (n === 1 ? "" : "s");
  }

  // the node's links to reference vocabularies as anchors opening a new tab; null when none
  function linkList(n) {
    var links = (n.links || []).filter(function (l) { return /^https?:\/\//i.test(String(l.iri)); });
    if (!links.length) return null;
    var box = element("div", "links", "links: ");
    links.forEach(function (l, i) {
      if (i) box.appendChild(document.createTextNode(" · "));
      var a = element("a", null, l.source || l.iri);
      a.setAttribute("href", String(l.iri));
      a.setAttribute("title", l.iri + (l.match === "close" ? " (close match)" : " (exact match)"));
      a.setAttribute("target", "_blank");
      a.setAttribute("rel", "noopener noreferrer");
      box.appendChild(a);
      if (l.match === "close") box.appendChild(document.createTextNode(" (close)"));
    });
    return box;
  }

  function nodeTooltip(n) {
    var box = element("div", "tip");
    box.appendChild(element("div", "tip-name", n.name));
    var facts = (n.kind || "untyped") + (n.kind === "Paper" ? "" : " · " + plural(n.papers, "paper"));
    if (n.community) facts += " · " + n.community;
    box.appendChild(element("div", "tip-meta", facts));
    if (n.aliases && n.aliases.length) {
      box.appendChild(element("div", "tip-aliases", "also: " + n.aliases.join(", ")));
    }
    if (n.titles && n.titles.length) {
      var list = element("ul", "tip-titles");
      n.titles.forEach(function (t) { list.appendChild(element("li", null, t)); });
      box.appendChild(list);
    }
    var links = linkList(n);
    if (links) box.appendChild(links);
    return box;
  }

  function edgeTooltip(e) {
    var from = nodes.get(e.from), to = nodes.get(e.to);
    var box = element("div", "tip");
    box.appendChild(element("div", "tip-name",
      from.name + " — " + (e.relation || "linked") + " — " + to.name));
    if (e.cooccurrences) {
      box.appendChild(element("div", "tip-meta",
        "together in " + plural(e.cooccurrences, "paper")));
    }
    return box;
  }

  nodes.update(nodes.get().map(function (n) { return { id: n.id, title: nodeTooltip(n) }; }));
  edges.update(edges.get().map(function (e) { return { id: e.id, title: edgeTooltip(e) }; }));

  // -- drawing: every node comes with its position (laid out when the page was written) ------

  var options = payload.options;
  // square-root scaling: a hub in 200 papers should not dwarf everything else
  options.nodes.scaling.customScalingFunction = function (min, max, total, value) {
    return max === min ? 0.5 : Math.sqrt((value - min) / (max - min));
  };
  var network = (page.network = new vis.Network(
    document.getElementById("graph"), { nodes: nodes, edges: edges }, options));

  function settled() {
    openView();
    placeLabels();
    page.settled = true;
    page.settleMs = Math.round(performance.now());
    document.documentElement.setAttribute("data-settled", "true");
    statusBox.textContent = nodes.length
      ? "Drag to move, scroll to zoom (more names appear); hover or click a node for details."
      : "Nothing to show: the selection is empty.";
  }

  if (nodes.length === 0) {
    settled();
  } else {
    network.once("afterDrawing", settled);
  }

  // -- the opening view: the focus at the centre with its first ring in sight, else everything --

  function focusCentre() {
    var at = network.getPositions(view.focus);
    var x = 0, y = 0;
    view.focus.forEach(function (id) { x += at[id].x; y += at[id].y; });
    return { x: x / view.focus.length, y: y / view.focus.length };
  }

  function openView() {
    if (!nodes.length) return;
    var box = document.getElementById("graph").getBoundingClientRect();
    if (!view.focus.length) {
      fitRegions(box);
      return;
    }
    var reach = view.rings.length ? view.rings[0].outer + 90 : 200;  // the first ring and its labels
    var scale = Math.min(box.width, box.height) / (2 * reach);
    network.moveTo({ position: focusCentre(), scale: Math.min(Math.max(scale, 0.05), 1.5), animation: false });
  }

  // the communities' regions, faint discs under the graph
  network.on("beforeDrawing", function (ctx) {
    ctx.save();
    (view.regions || []).forEach(function (region) {
      if (region.size < REGION_MIN) return;
      ctx.beginPath();
      ctx.arc(region.x, region.y, region.r, 0, 2 * Math.PI);
      ctx.fillStyle = document.body.classList.contains("color-by-community") ? region.color : "#000000";
      ctx.globalAlpha = document.body.classList.contains("color-by-community") ? 0.08 : 0.035;
      ctx.fill();
    });
    ctx.restore();
  });

  // their names over the graph, as placed by placeLabels; drawn as canvas text, never as markup
  network.on("afterDrawing", function (ctx) {
    ctx.save();
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    ctx.lineJoin = "round";
    page.regionNames.forEach(function (label) {
      ctx.font = "600 " + label.size + "px system-ui, sans-serif";
      ctx.lineWidth = label.size / 4;
      ctx.strokeStyle = "rgba(255, 255, 255, 0.85)";
      ctx.strokeText(label.text, label.x, label.y);
      ctx.fillStyle = "rgba(60, 60, 60, 0.62)";
      ctx.fillText(label.text, label.x, label.y);
    });
    ctx.restore();
  });

  // everything in the window: the nodes and the drawn regions around them (names at their top)
  function fitRegions(box) {
    var at = network.getPositions();
    var x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    function grow(x, y, r) {
      x0 = Math.min(x0, x - r); x1 = Math.max(x1, x + r);
      y0 = Math.min(y0, y - r); y1 = Math.max(y1, y + r);
    }
    Object.keys(at).forEach(function (id) { grow(at[id].x, at[id].y, 30); });
    (view.regions || []).forEach(function (region) {
      if (region.size >= REGION_MIN) grow(region.x, region.y, region.r);
    });
    var scale = 0.98 * Math.min(box.width / (x1 - x0), box.height / (y1 - y0));
    network.moveTo({ position: { x: (x0 + x1) / 2, y: (y0 + y1) / 2 }, scale: Math.min(scale, 1.5), animation: false });
  }

  // rings by distance and a halo around the focus, drawn under the graph
  network.on("beforeDrawing", function (ctx) {
    if (!view.focus.length) return;
    var centre = focusCentre();
    ctx.save();
    view.rings.forEach(function (ring) {
      var middle = (ring.inner + ring.outer) / 2;
      var width = ring.outer - ring.inner + 60;
      ctx.beginPath();
      ctx.arc(centre.x, centre.y, middle, 0, 2 * Math.PI);
      ctx.lineWidth = width;
      ctx.strokeStyle = ring.distance % 2 ? "rgba(0, 114, 178, 0.05)" : "rgba(0, 0, 0, 0.035)";
      ctx.stroke();
    });
    ctx.lineWidth = 3;
    ctx.strokeStyle = "rgba(230, 159, 0, 0.9)";
    ctx.fillStyle = "rgba(230, 159, 0, 0.25)";
    view.focus.forEach(function (id) {
      var node = network.body.nodes[id];
      if (!node) return;
      ctx.beginPath();
      ctx.arc(node.x, node.y, node.options.size + 14, 0, 2 * Math.PI);
      ctx.fill();
      ctx.stroke();
    });
    ctx.restore();
  });

  // -- labels: as many as can be read at the current zoom, none overlapping ------------------

  var LABEL_PX = { focus: 20, top: 16, rest: 13 };  // on-screen sizes, whatever the zoom
  var TOP_RANKS = 12;
  var measure = document.createElement("canvas").getContext("2d");
  var focusIds = {};
  view.focus.forEach(function (id) { focusIds[id] = true; });

  function labelPx(n) {
    if (focusIds[n.id]) return LABEL_PX.focus;
    return n.rank < TOP_RANKS ? LABEL_PX.top : LABEL_PX.rest;
  }

  function placeLabels() {
    if (!nodes.length) return;
    var scale = network.getScale();
    var box = document.getElementById("graph").getBoundingClientRect();
    var all = nodes.get({ filter: function (n) { return !n.hidden && n.short; } });
    all.sort(function (a, b) {
      return (focusIds[b.id] ? 1 : 0) - (focusIds[a.id] ? 1 : 0) || a.rank - b.rank;
    });
    var at = network.getPositions(all.map(function (n) { return n.id; }));
    var cell = 64, taken = {}, shown = {}, changes = [];
    function key(i, j) { return i + "," + j; }
    function free(r) {
      for (var i = Math.floor(r.x0 / cell); i <= Math.floor(r.x1 / cell); i++) {
        for (var j = Math.floor(r.y0 / cell); j <= Math.floor(r.y1 / cell); j++) {
          var here = taken[key(i, j)] || [];
          for (var k = 0; k < here.length; k++) {
            var o = here[k];
            if (r.x0 < o.x1 && o.x0 < r.x1 && r.y0 < o.y1 && o.y0 < r.y1) return false;
          }
        }
      }
      return true;
    }
    function take(r) {
      for (var i = Math.floor(r.x0 / cell); i <= Math.floor(r.x1 / cell); i++) {
        for (var j = Math.floor(r.y0 / cell); j <= Math.floor(r.y1 / cell); j++) {
          (taken[key(i, j)] = taken[key(i, j)] || []).push(r);
        }
      }
    }
    placeRegionNames(scale, box, free, take);
    all.forEach(function (n) {
      var px = labelPx(n);
      var dom = network.canvasToDOM(at[n.id]);
      if (dom.x < -200 || dom.y < -50 || dom.x > box.width + 200 || dom.y > box.height + 50) return;
      measure.font = px + "px system-ui, sans-serif";
      var width = measure.measureText(n.short).width + 6;
      var body = network.body.nodes[n.id];
      var top = dom.y + (body ? body.options.size * scale : 8) + 2;
      var r = { x0: dom.x - width / 2, x1: dom.x + width / 2, y0: top, y1: top + px * 1.25 };
      if (focusIds[n.id] || free(r)) {
        take(r);
        shown[n.id] = px;
      }
    });
    nodes.get().forEach(function (n) {
      var px = shown[n.id];
      var label = px ? n.short : "";
      var size = px ? px / scale : 14;
      if (n.label !== label || (px && Math.abs(((n.font && n.font.size) || 0) - size) > 0.01)) {
        changes.push({ id: n.id, label: label, font: focusIds[n.id] ? { size: size, background: "#FFE9B0" } : { size: size } });
      }
    });
    if (changes.length) nodes.update(changes);
    page.labelled = Object.keys(shown);
  }
  page.placeLabels = placeLabels;

  // each region's name inside the top of its disc, as many leading entities as fit its width,
  // largest regions first; a name that would cover another is left out (zoom in for it)
  function placeRegionNames(scale, box, free, take) {
    var placed = [];
    (view.regions || []).forEach(function (region) {
      if (region.size < REGION_MIN) return;
      var radius = region.r * scale;
      var px = Math.max(REGION_PX.min, Math.min(REGION_PX.max, radius / 6));
      measure.font = "600 " + px + "px system-ui, sans-serif";
      var text = region.names[0], width = measure.measureText(text).width;
      for (var i = 1; i < region.names.length; i++) {
        var longer = text + " \u00b7 " + region.names[i];
        var longerWidth = measure.measureText(longer).width;
        if (longerWidth > 1.6 * radius) break;
        text = longer;
        width = longerWidth;
      }
      var top = network.canvasToDOM({ x: region.x, y: region.y - region.r });
      var r = { x0: top.x - width / 2 - 4, x1: top.x + width / 2 + 4, y0: top.y + px / 2, y1: top.y + px * 1.8 };
      if (r.x1 < 0 || r.y1 < 0 || r.x0 > box.width || r.y0 > box.height || !free(r)) return;
      take(r);
      placed.push({ text: text, px: px, size: px / scale, x: region.x, y: region.y - region.r + px / 2 / scale });
    });
    page.regionNames = placed;
  }

  var labelTimer = null;
  network.on("zoom", function () {
    clearTimeout(labelTimer);
    labelTimer = setTimeout(placeLabels, 120);
  });
  network.on("dragEnd", function (params) { if (!params.nodes.length) placeLabels(); });
  network.on("animationFinished", placeLabels);

  // -- details panel -------------------------------------------------------------------------

  var details = document.getElementById("details");

  function showDetails(id) {
    var n = nodes.get(id);
    if (!n) { details.hidden = true; return; }
    document.getElementById("details-name").textContent = n.name;
    document.getElementById("details-meta").textContent =
      (n.kind || "untyped") + (n.kind === "Paper" ? "" : " · " + plural(n.papers, "paper")) +
      (n.community ? " · community: " + n.community : "");
    document.getElementById("details-aliases").textContent =
      n.aliases && n.aliases.length ? "Also: " + n.aliases.join(", ") : "";
    var links = document.getElementById("details-links");
    links.replaceChildren();
    var list = linkList(n);
    if (list) links.appendChild(list);
    var titles = document.getElementById("details-titles");
    titles.replaceChildren();
    (n.titles || []).forEach(function (t) { titles.appendChild(element("li", null, t)); });
    var around = document.getElementById("details-neighbours");
    around.replaceChildren();
    var neighbours = network.getConnectedNodes(id).map(function (m) { return nodes.get(m); })
      .filter(function (m) { return m && !m.hidden; })
      .sort(function (a, b) { return b.papers - a.papers || a.name.localeCompare(b.name); });
    if (neighbours.length) around.appendChild(element("h3", null, "Linked to"));
    neighbours.slice(0, 15).forEach(function (m) {
      var button = element("button", "neighbour", m.name);
      button.type = "button";
      button.addEventListener("click", function () { focusNode(m.id); });
      around.appendChild(button);
    });
    details.hidden = false;
  }

  network.on("selectNode", function (params) { showDetails(params.nodes[0]); });
  network.on("deselectNode", function (params) {
    if (!params.nodes.length) details.hidden = true;
  });

  function focusNode(id) {
    var n = nodes.get(id);
    if (n.hidden) showNode(n);
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 1.0),
                        animation: { duration: 400, easingFunction: "easeInOutQuad" } });
    page.lastFound = id;
    showDetails(id);
  }

  // -- search by name or alias ---------------------------------------------------------------

  // Every name and alias on the page comes with its key, computed in Python by the graph's own
  // normaliser (node.keys, from kg.page_graph with kg.names.lookup_key: case, accents, LaTeX escapes, punctuation and a plural last
  // word do not matter), so a name picked from the list finds exactly what `kg lookup` finds.
  // Text typed freely is keyed here the same way except for two rules: the plural of the last
  // word is undone by trying the key without a final "s", "es" or "ies" -> "y" after the key
  // itself (Python's rule knows exceptions such as "analyses" -> "analysis"), and a trailing
  // "dataset"/"model"/"corpus"/"benchmark" after a name is kept (Python drops it); a prefix or
  // substring of a key still finds such names.
  var LATEX_ACCENT = /\\[`'"^~=.uvHckbd]\s*\{?\s*([A-Za-z])\s*\}?/g;

  function key(text) {
    var words = String(text).replace(LATEX_ACCENT, "$1").replace(/[{}]/g, "")
      .normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase()
      .split(/[^\p{L}\p{N}]+/u).filter(Boolean);
    // numbers stay apart from each other, as in Python: "Llama 3.1" is not "Llama 31"
    return words.reduce(function (k, w) {
      return k + (/\d$/.test(k) && /^\d/.test(w) ? "." : "") + w;
    }, "");
  }

  function singularKeys(k) {
    var forms = [];
    if (/ies$/.test(k) && k.length > 4) forms.push(k.slice(0, -3) + "y");
    if (/es$/.test(k) && k.length > 4) forms.push(k.slice(0, -2));
    if (/s$/.test(k) && k.length > 3) forms.push(k.slice(0, -1));
    return forms;
  }

  var names = [];  // [key, node id] for every label and alias
  var typed = new Map();  // a name as listed -> its key from Python
  var datalist = document.getElementById("search-names");
  nodes.get().forEach(function (n) {
    var keys = n.keys || {};
    [n.name].concat(n.aliases || []).forEach(function (name) {
      var k = Object.prototype.hasOwnProperty.call(keys, name) ? keys[name] : key(name);
      names.push([k, n.id]);
      typed.set(name, k);
      var option = document.createElement("option");
      option.value = name;
      if (name !== n.name) option.label = n.name;
      datalist.appendChild(option);
    });
  });

  function findNode(query) {
    var wanted = typed.has(query) ? typed.get(query) : key(query);
    if (!wanted) return null;
    var singulars = singularKeys(wanted);
    var tests = [
      function (k) { return k === wanted; },
      function (k) { return singulars.indexOf(k) >= 0; },
      function (k) { return k.indexOf(wanted) === 0; },
      function (k) { return k.indexOf(wanted) >= 0; },
    ];
    for (var i = 0; i < tests.length; i++) {
      var hits = names.filter(function (entry) { return tests[i](entry[0]); })
        .map(function (entry) { return nodes.get(entry[1]); });
      if (hits.length) {
        hits.sort(function (a, b) { return b.papers - a.papers || a.name.localeCompare(b.name); });
        return hits[0].id;
      }
    }
    return null;
  }

  var search = document.getElementById("search");
  function runSearch() {
    var id = findNode(search.value);
    if (id === null) {
      statusBox.textContent = "No entity matches \u201c" + search.value + "\u201d.";
      return;
    }
    focusNode(id);
    statusBox.textContent = "Found " + nodes.get(id).name + ".";
  }
  document.getElementById("search-form").addEventListener("submit", function (event) {
    event.preventDefault();
    runSearch();
  });
  // picking a suggestion from the list replaces the whole value: search at once
  search.addEventListener("input", function (event) {
    if (event.inputType === "insertReplacementText") runSearch();
  });

  // -- type filters and the month slider -------------------------------------------------------

  // A node is shown when its type is ticked and, with the slider, when it had appeared by the
  // chosen month (node.first, YYYY-MM: an entity's first dated paper, a paper's date; a node
  // without one is always shown). A link is shown when both its ends are: the store keeps no
  // date for a link itself, and it cannot be older than either end.
  var boxes = Array.prototype.slice.call(document.querySelectorAll("input.type-filter"));
  var slider = document.getElementById("month");
  var months = slider ? slider.dataset.months.split(" ") : [];
  var monthShown = document.getElementById("month-shown");

  function asOf() {
    return slider ? months[Number(slider.value)] : null;
  }

  function applyFilters() {
    var hiddenTypes = {};
    boxes.forEach(function (box) { if (!box.checked) hiddenTypes[box.dataset.type] = true; });
    var until = asOf();
    var hiddenNodes = {};
    var shown = 0;
    var all = nodes.get();
    nodes.update(all.map(function (n) {
      var hide = hiddenTypes[n.kind] === true || (until !== null && n.first !== "" && n.first > until);
      if (hide) hiddenNodes[n.id] = true;
      else shown += 1;
      return { id: n.id, hidden: hide };
    }));
    edges.update(edges.get().map(function (e) {
      return { id: e.id, hidden: e.minor === true || hiddenNodes[e.from] === true || hiddenNodes[e.to] === true };
    }));
    var selected = network.getSelectedNodes();
    if (selected.length && hiddenNodes[selected[0]]) {
      network.unselectAll();
      details.hidden = true;
    }
    if (slider) {
      monthShown.textContent = until;
      statusBox.textContent = "As of " + until + ": " + shown + " of " + all.length + " nodes.";
    }
    placeLabels();
  }

  // a search for a hidden node shows its type again, and moves the slider to its month
  function showNode(n) {
    boxes.forEach(function (box) { if (box.dataset.type === n.kind) box.checked = true; });
    if (slider && n.first !== "" && n.first > asOf()) slider.value = String(months.indexOf(n.first));
    applyFilters();
  }

  boxes.forEach(function (box) { box.addEventListener("change", applyFilters); });
  if (slider) slider.addEventListener("input", applyFilters);
})();
