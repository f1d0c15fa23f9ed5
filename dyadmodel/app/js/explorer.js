/* The serverless explorer page (dyadmodel export-explorer): everything computed here.
 *
 * Reads its configuration from <script type="application/json" id="dm-config">, the
 * model from window.dyadmodel.models and draws with plotly (inlined in the page). Text
 * from the model (names, meanings) reaches the page through textContent only.
 */
(function () {
  "use strict";
  const dm = window.dyadmodel;
  const cfg = JSON.parse(document.getElementById("dm-config").textContent);
  const m = dm.models[cfg.model];
  const n = m.states.length;
  const num = dm.num;
  const timings = { portrait: [], trajectory: [], stress: [], click: [] };
  const state = {
    p: cfg.params.slice(),
    u: m.inputs.map((q) => num(q.default)),
    ix: 0,
    iy: 1,
    slice: cfg.slice_state.slice(),
    starts: [],
    eqs: [],
    nullclineTraces: [],
    trajectoryTraces: [],
    equilibriumTrace: null,
    layout: null,
  };
  window.dmExplorer = { cfg, state, timings, ready: false, t0: performance.now() };

  const $ = (id) => document.getElementById(id);
  const el = (tag, attrs, text) => {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    if (text !== undefined) e.textContent = text;
    return e;
  };
  const fmt = (v) => (Number.isFinite(v) ? Number(v.toPrecision(4)).toString() : String(v));
  const linspace = (a, b, k) => Array.from({ length: k }, (_, i) => a + ((b - a) * i) / (k - 1));

  // ------------------------------------------------------------------ controls
  function slider(container, id, label, title, lo, hi, step, value, onChange, check) {
    const row = el("div", { class: "row" });
    const lab = el("label", { for: id, title: title || "" }, label);
    const range = el("input", { type: "range", id, min: lo, max: hi, step, value });
    const box = el("input", { type: "text", id: id + "-value", value: fmt(value), size: 7 });
    const msg = el("div", { class: "msg", id: id + "-msg" });
    range.addEventListener("input", () => {
      box.value = fmt(Number(range.value));
      msg.textContent = "";
      onChange(Number(range.value));
    });
    box.addEventListener("change", () => {
      const v = Number(box.value.trim());
      const why = box.value.trim() === "" || !Number.isFinite(v) ? "expected a finite number" : check(v);
      if (why) {
        msg.textContent = `${label} = ${box.value}: ${why}`;
        return;
      }
      msg.textContent = "";
      range.value = v;
      onChange(v);
    });
    row.append(lab, range, box, msg);
    container.append(row);
    return { range, box };
  }

  function paramCheck(q) {
    const lo = num(q.bounds[0]), hi = num(q.bounds[1]);
    return (v) => {
      if (v < lo || (v === lo && !q.lower_inclusive) || v > hi) {
        const l = q.lower_inclusive && Number.isFinite(lo) ? "[" : "(";
        return `outside the bounds ${l}${q.bounds[0]}, ${q.bounds[1]}${Number.isFinite(hi) ? "]" : ")"}`;
      }
      return "";
    };
  }

  const sliders = [];
  m.params.forEach((q, k) => {
    const [lo, hi, step] = cfg.ranges[k];
    sliders.push(
      slider($("params"), "p-" + k, q.name, q.meaning, lo, hi, step, state.p[k], (v) => {
        state.p[k] = v;
        schedule();
      }, paramCheck(q))
    );
  });

  if (n > 2) {
    const sel = $("plane");
    const mk = (id, which) => {
      const s = el("select", { id });
      m.states.forEach((st, i) => {
        const o = el("option", { value: i }, st.name);
        if (i === which) o.selected = true;
        s.append(o);
      });
      return s;
    };
    const sx = mk("x-state", 0), sy = mk("y-state", 1);
    sel.append(el("span", {}, "horizontal "), sx, el("span", {}, " vertical "), sy);
    const held = el("div", { id: "held" });
    sel.append(held);
    const buildHeld = () => {
      held.textContent = "";
      held.append(el("div", { class: "note" }, "Other states held at (the plane is a slice; equilibria and trajectories are of the full system, projected):"));
      m.states.forEach((st, i) => {
        if (i === state.ix || i === state.iy) return;
        const lo = num(st.domain[0]), hi = num(st.domain[1]);
        slider(held, "s-" + i, st.name, st.meaning, lo, hi, (hi - lo) / 400, state.slice[i], (v) => {
          state.slice[i] = v;
          schedule();
        }, (v) => (v < lo || v > hi ? `outside the plotted range [${lo}, ${hi}]` : ""));
      });
    };
    const change = () => {
      const a = Number(sx.value), b = Number(sy.value);
      if (a === b) {
        $("plane-msg").textContent = "choose two different states";
        return;
      }
      $("plane-msg").textContent = "";
      state.ix = a;
      state.iy = b;
      buildHeld();
      schedule();
    };
    sx.addEventListener("change", change);
    sy.addEventListener("change", change);
    buildHeld();
  }

  $("reset").addEventListener("click", () => {
    state.p = cfg.params.slice();
    sliders.forEach((s, k) => {
      s.range.value = state.p[k];
      s.box.value = fmt(state.p[k]);
    });
    schedule();
  });
  $("clear").addEventListener("click", () => {
    state.starts = [];
    schedule();
  });

  // ------------------------------------------------------------------ the portrait
  const gd = $("portrait");
  const fixed = () => ({ ix: state.ix, iy: state.iy, state: state.slice });

  function trajectory(x0) {
    const t0 = performance.now();
    const r = dm.rk45(m, x0, state.p, state.u, 0, cfg.trajectory_time, {});
    timings.trajectory.push(performance.now() - t0);
    return r;
  }

  // The field is one SVG path in a layout shape (drawn far faster by plotly than a
  // scatter trace with a gap between every arrow); the other layers are traces.
  function trajectoryTrace(x0, k) {
    const { ix, iy } = state;
    const r = trajectory(x0);
    return {
      type: "scatter", mode: "lines", x: r.x.map((v) => v[ix]), y: r.x.map((v) => v[iy]),
      name: "trajectories (click the plane)", legendgroup: "trajectories", showlegend: k === 0,
      line: { color: "#CC79A7", width: 2 }, hovertemplate: `from (${fmt(x0[ix])}, ${fmt(x0[iy])})` + (r.status < 0 ? ` (stopped: ${r.message})` : "") + "<extra></extra>",
      meta: { role: "trajectory", status: r.status, start: x0, t: r.t },
    };
  }

  function portrait() {
    const { ix, iy } = state;
    const bx = [num(m.states[ix].domain[0]), num(m.states[ix].domain[1])];
    const by = [num(m.states[iy].domain[0]), num(m.states[iy].domain[1])];
    const fxs = linspace(bx[0], bx[1], cfg.field_grid), fys = linspace(by[0], by[1], cfg.field_grid);
    const nxs = linspace(bx[0], bx[1], cfg.nullcline_grid), nys = linspace(by[0], by[1], cfg.nullcline_grid);
    const field = dm.field(m, state.p, state.u, fxs, fys, fixed());
    const ncl = dm.nullclines(m, state.p, state.u, nxs, nys, fixed());
    state.eqs = dm.equilibria(m, state.p, state.u, null);
    state.nullclineTraces = [
      { type: "scatter", mode: "lines", x: ncl[0].x, y: ncl[0].y, name: `${ncl[0].state}-nullcline`, line: { color: "#0072B2", width: 2.5 }, hoverinfo: "skip", meta: { role: "x-nullcline" } },
      { type: "scatter", mode: "lines", x: ncl[1].x, y: ncl[1].y, name: `${ncl[1].state}-nullcline`, line: { color: "#E69F00", width: 2.5, dash: "dash" }, hoverinfo: "skip", meta: { role: "y-nullcline" } },
    ];
    state.trajectoryTraces = state.starts.map(trajectoryTrace);
    const eq = state.eqs;
    state.equilibriumTrace = {
      type: "scatter", mode: "markers", x: eq.map((e) => e.x[ix]), y: eq.map((e) => e.x[iy]),
      name: "equilibria (Newton, not certified)",
      marker: {
        size: 12, line: { color: "black", width: 1.5 },
        color: eq.map((e) => (e.stable === true ? "black" : e.stable === false ? "white" : "grey")),
        symbol: eq.map((e) => (e.kind.startsWith("saddle") ? "diamond" : "circle")),
      },
      text: eq.map((e) => `${e.kind} (not certified)`), hoverinfo: "text", meta: { role: "equilibria" },
    };
    state.layout = layout(bx, by, field.path);
  }

  function draw() {
    return Plotly.react(gd, [...state.nullclineTraces, ...state.trajectoryTraces, state.equilibriumTrace], state.layout, { displaylogo: false, responsive: false, doubleClick: "reset" });
  }

  function layout(bx, by, path) {
    const sx = m.states[state.ix], sy = m.states[state.iy];
    return {
      title: { text: n > 2 ? `${sx.name} vs ${sy.name} (other states held)` : cfg.title, font: { size: 15 } },
      xaxis: { title: { text: sx.name }, range: bx, zeroline: false, showgrid: false, ticks: "outside", showline: true },
      yaxis: { title: { text: sy.name }, range: by, zeroline: false, showgrid: false, ticks: "outside", showline: true },
      width: 620, height: 560, margin: { l: 60, r: 20, t: 50, b: 100 }, plot_bgcolor: "white",
      legend: { orientation: "h", y: -0.16 }, clickmode: "none",
      shapes: path ? [{ type: "path", path, layer: "below", line: { color: "rgba(110,110,110,0.6)", width: 1 }, name: "vector field" }] : [],
      uirevision: `${state.ix}:${state.iy}`,
    };
  }

  function table() {
    const body = $("eq-table").querySelector("tbody");
    body.textContent = "";
    state.eqs.forEach((e, k) => {
      const tr = el("tr");
      const eig = e.eigenvalues.map((z) => (z.im === 0 ? fmt(z.re) : `${fmt(z.re)} ${z.im >= 0 ? "+" : "−"} ${fmt(Math.abs(z.im))}i`));
      for (const text of [String(k + 1), e.x.map((v, i) => `${m.states[i].name} = ${fmt(v)}`).join(", "), e.kind, eig.join(", "), "no (Newton in the page)"]) tr.append(el("td", {}, text));
      body.append(tr);
    });
    const count = state.eqs.length === 1 ? "1 equilibrium" : `${state.eqs.length} equilibria`;
    $("eq-note").textContent = `${count} found by Newton's method from a grid of starts in the plotted range; not certified (a search, not a proof).`;
    certifiedTable();
  }

  function certifiedTable() {
    const c = cfg.certified;
    if (!c) return;
    const k = m.params.findIndex((q) => q.name === c.param);
    const others = state.p.every((v, i) => i === k || v === cfg.params[i]);
    const box = $("cert");
    box.textContent = "";
    if (!others) {
      box.append(el("p", { class: "note" }, `Certified equilibria (dyadmodel.equilibria) were computed over ${c.param} with the other parameters at their exported values; move the other sliders back (Reset) to see them.`));
      return;
    }
    let best = 0;
    c.values.forEach((v, i) => {
      if (Math.abs(v - state.p[k]) < Math.abs(c.values[best] - state.p[k])) best = i;
    });
    const rows = c.rows[best];
    box.append(el("p", { class: "note" }, `Certified by dyadmodel.equilibria at ${c.param} = ${fmt(c.values[best])} (the grid value nearest the slider): ${c.completeness[best]}`));
    const t = el("table", { class: "eq", id: "cert-table" });
    const h = el("tr");
    for (const s of ["#", "state", "kind", "label", "certified"]) h.append(el("th", {}, s));
    const head = el("thead");
    head.append(h);
    t.append(head);
    const b = el("tbody");
    rows.forEach((r, i) => {
      const tr = el("tr");
      for (const s of [String(i + 1), r.state, r.kind, r.label, r.certified]) tr.append(el("td", {}, s));
      b.append(tr);
    });
    t.append(b);
    box.append(t);
  }

  let pending = false;
  function schedule() {
    if (pending) return; // coalesce: one redraw per frame, never a queue of stale ones
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      redraw();
    });
  }

  function redraw() {
    const t0 = performance.now();
    portrait();
    draw();
    table();
    timings.portrait.push(performance.now() - t0);
    if (m.inputs.length) scheduleStress();
  }

  // the stress panel follows after the portrait has been painted, never before it
  let stressPending = false;
  function scheduleStress() {
    if (stressPending) return;
    stressPending = true;
    setTimeout(() => {
      stressPending = false;
      stress();
    }, 0);
  }

  // a click anywhere on the plane launches a trajectory (pixel -> data through the axes)
  gd.addEventListener("click", (ev) => {
    const drag = gd.querySelector(".nsewdrag");
    if (!drag) return;
    const r = drag.getBoundingClientRect();
    if (ev.clientX < r.left || ev.clientX > r.right || ev.clientY < r.top || ev.clientY > r.bottom) return;
    const xa = gd.layout.xaxis.range, ya = gd.layout.yaxis.range;
    const cx = xa[0] + ((ev.clientX - r.left) / r.width) * (xa[1] - xa[0]);
    const cy = ya[1] - ((ev.clientY - r.top) / r.height) * (ya[1] - ya[0]);
    launch(cx, cy);
  });

  function launch(cx, cy) {
    const x0 = state.slice.slice();
    x0[state.ix] = cx;
    x0[state.iy] = cy;
    const t0 = performance.now();
    // only the new trajectory is computed; the other layers are reused as they are
    state.starts.push(x0);
    state.trajectoryTraces.push(trajectoryTrace(x0, state.trajectoryTraces.length));
    if (state.starts.length > cfg.max_trajectories) {
      state.starts.shift();
      state.trajectoryTraces.shift();
      state.trajectoryTraces.forEach((t, k) => (t.showlegend = k === 0));
    }
    draw();
    timings.click.push(performance.now() - t0);
  }
  window.dmExplorer.launch = launch;

  // ------------------------------------------------------------------ stress pulse
  function stress() {
    const msg = $("stress-msg");
    const read = (id) => Number($(id).value.trim() === "" ? NaN : $(id).value.trim());
    const t0 = read("pulse-start"), dur = read("pulse-duration"), size = read("pulse-size");
    const q = m.inputs[0];
    const lo = num(q.bounds[0]), hi = num(q.bounds[1]);
    let why = "";
    if (![t0, dur, size].every(Number.isFinite)) why = "expected three finite numbers";
    else if (t0 < 0 || t0 > cfg.max_pulse_time || dur <= 0 || dur > cfg.max_pulse_time) why = `expected 0 <= start <= ${cfg.max_pulse_time} and 0 < duration <= ${cfg.max_pulse_time}`;
    else if (size < lo || size > hi || Math.abs(size) > cfg.max_stress_size) why = `size ${size}: expected a value in [${q.bounds[0]}, ${q.bounds[1]}] with |size| <= ${cfg.max_stress_size}`;
    if (why) {
      msg.textContent = `stress pulse start = ${$("pulse-start").value}, duration = ${$("pulse-duration").value}, size = ${$("pulse-size").value}: ${why}`;
      return;
    }
    msg.textContent = "";
    const stable = state.eqs.filter((e) => e.stable === true);
    const sel = $("pulse-from");
    const keep = sel.value;
    sel.textContent = "";
    stable.forEach((e, i) => sel.append(el("option", { value: i }, `${e.kind} at (${e.x.map(fmt).join(", ")})`)));
    if (!stable.length) sel.append(el("option", { value: "slice" }, "no stable equilibrium: the held state"));
    if (keep && Number(keep) < stable.length) sel.value = keep;
    const from = stable.length ? stable[Number(sel.value) || 0].x : state.slice;
    const tEnd = t0 + dur + 60;
    const base = m.inputs.map((qq) => num(qq.default));
    const pulse = (t) => {
      const u = base.slice();
      u[0] = t >= t0 && t < t0 + dur ? size : base[0];
      return u;
    };
    const times = Array.from(new Set([...linspace(0, tEnd, 1201), t0, t0 + dur])).sort((a, b) => a - b);
    const s0 = performance.now();
    const r = dm.rk45(m, from, state.p, pulse, 0, tEnd, { breakpoints: [t0, t0 + dur], t_eval: times });
    timings.stress.push(performance.now() - s0);
    const colors = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00"];
    const traces = m.states.map((st, i) => ({
      type: "scatter", mode: "lines", x: r.t, y: r.x.map((v) => v[i]), name: st.name,
      line: { color: colors[i % colors.length], width: 2 }, meta: { role: "state", index: i },
    }));
    traces.push({
      type: "scatter", mode: "lines", x: r.t, y: r.t.map((t) => pulse(t)[0]), name: q.name, yaxis: "y2",
      line: { color: "grey", dash: "dot", width: 1.5, shape: "hv" }, meta: { role: "input" },
    });
    Plotly.react($("stress-plot"), traces, {
      title: { text: `Stress pulse of size ${fmt(size)} from t = ${fmt(t0)} for ${fmt(dur)}` + (r.status < 0 ? ` (stopped: ${r.message})` : ""), font: { size: 14 } },
      xaxis: { title: { text: "time" } }, yaxis: { title: { text: "state" } },
      yaxis2: { title: { text: q.name }, overlaying: "y", side: "right", showgrid: false },
      width: 620, height: 360, plot_bgcolor: "white", margin: { l: 60, r: 60, t: 50, b: 50 },
      legend: { orientation: "h", y: -0.25 },
    }, { displaylogo: false });
  }
  if (m.inputs.length) {
    for (const id of ["pulse-start", "pulse-duration", "pulse-size"]) $(id).addEventListener("change", stress);
    $("pulse-from").addEventListener("change", stress);
  }

  redraw();
  window.dmExplorer.ready = true;
})();
