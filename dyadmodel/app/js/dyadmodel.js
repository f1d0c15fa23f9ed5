/* dyadmodel page-side numerics (window.dyadmodel); generated models register in .models.
 *
 * rk45        Dormand-Prince 5(4) with scipy's RK45 step control (solve_ivp) and the
 *             default tolerances of dyadmodel.simulate (rtol 1e-8, atol 1e-10).
 * field       the vector field on a grid, as plotly line segments (arrows).
 * nullclines  marching squares on the grid of f_i, linear interpolation on cell edges.
 * equilibria  damped Newton from a grid of starts, deduplicated, classified like
 *             dyadmodel.classify; never certified (certified: false).
 * solve       J x = b by Gaussian elimination with partial pivoting (null if singular);
 *             eigenvalues and classify are exported too.
 * Nothing here evaluates text: models are functions printed from sympy by dyadmodel.
 */
(function () {
  "use strict";
  const root = typeof window !== "undefined" ? window : globalThis;
  const dm = (root.dyadmodel = root.dyadmodel || {});
  dm.models = dm.models || {};
  dm.DEFAULTS = { rtol: 1e-8, atol: 1e-10, max_step: Infinity, max_steps: 200000 };
  const DIVERGENCE = 1e6;

  // ---------------------------------------------------------------- helpers
  function rmsNorm(v) {
    let s = 0;
    for (let i = 0; i < v.length; i++) s += v[i] * v[i];
    return Math.sqrt(s / v.length);
  }
  function num(v) {
    if (v === "inf") return Infinity;
    if (v === "-inf") return -Infinity;
    return v === null ? NaN : v;
  }
  dm.num = num;

  // ---------------------------------------------------------------- RK45 (scipy's)
  const C = [0, 1 / 5, 3 / 10, 4 / 5, 8 / 9, 1];
  const A = [
    [],
    [1 / 5],
    [3 / 40, 9 / 40],
    [44 / 45, -56 / 15, 32 / 9],
    [19372 / 6561, -25360 / 2187, 64448 / 6561, -212 / 729],
    [9017 / 3168, -355 / 33, 46732 / 5247, 49 / 176, -5103 / 18656],
  ];
  const B = [35 / 384, 0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84];
  const E = [-71 / 57600, 0, 71 / 16695, -71 / 1920, 17253 / 339200, -22 / 525, 1 / 40];
  const P = [
    [1, -8048581381 / 2820520608, 8663915743 / 2820520608, -12715105075 / 11282082432],
    [0, 0, 0, 0],
    [0, 131558114200 / 32700410799, -68118460800 / 10900136933, 87487479700 / 32700410799],
    [0, -1754552775 / 470086768, 14199869525 / 1410260304, -10690763975 / 1880347072],
    [0, 127303824393 / 49829197408, -318862633887 / 49829197408, 701980252875 / 199316789632],
    [0, -282668133 / 205662961, 2019193451 / 616988883, -1453857185 / 822651844],
    [0, 40617522 / 29380423, -110615467 / 29380423, 69997945 / 29380423],
  ];
  const SAFETY = 0.9, MIN_FACTOR = 0.2, MAX_FACTOR = 10, ERR_EXP = -1 / 5;

  function initialStep(f, t0, y0, f0, tBound, maxStep, rtol, atol) {
    const n = y0.length;
    const length = Math.abs(tBound - t0);
    if (length === 0) return 0;
    const scale = y0.map((v) => atol + Math.abs(v) * rtol);
    const d0 = rmsNorm(y0.map((v, i) => v / scale[i]));
    const d1 = rmsNorm(f0.map((v, i) => v / scale[i]));
    let h0 = d0 < 1e-5 || d1 < 1e-5 ? 1e-6 : (0.01 * d0) / d1;
    h0 = Math.min(h0, length);
    const dir = Math.sign(tBound - t0);
    const y1 = new Array(n);
    for (let i = 0; i < n; i++) y1[i] = y0[i] + h0 * dir * f0[i];
    const f1 = f(t0 + h0 * dir, y1);
    const d2 = rmsNorm(f1.map((v, i) => (v - f0[i]) / scale[i])) / h0;
    const h1 =
      d1 <= 1e-15 && d2 <= 1e-15 ? Math.max(1e-6, h0 * 1e-3) : Math.pow(0.01 / Math.max(d1, d2), 1 / 5);
    return Math.min(100 * h0, h1, length, maxStep);
  }

  function nextAfter(t, dir) {
    // the spacing of doubles at t (scipy's min_step uses np.nextafter)
    if (t === 0) return dir * Number.MIN_VALUE;
    const buf = new Float64Array(1);
    const bits = new BigInt64Array(buf.buffer);
    buf[0] = t;
    bits[0] += (t > 0) === dir > 0 ? 1n : -1n;
    return buf[0];
  }

  // One segment [t0, t1] with a fixed input function; appends to out. Returns status.
  function segment(f, t0, y0, t1, o, out, tEval, budget) {
    const n = y0.length;
    const dir = t1 >= t0 ? 1 : -1;
    let t = t0, y = y0.slice();
    let fy = f(t, y);
    budget.nfev += 1;
    let hAbs = initialStep(f, t0, y, fy, t1, o.max_step, o.rtol, o.atol);
    budget.nfev += 1;
    const K = new Array(7);
    const yt = new Array(n);
    while (dir * (t1 - t) > 0) {
      if (budget.steps++ >= o.max_steps) {
        return { status: -1, message: `the step budget max_steps = ${o.max_steps} ran out at t = ${t}` };
      }
      const minStep = 10 * Math.abs(nextAfter(t, dir) - t);
      if (hAbs > o.max_step) hAbs = o.max_step;
      else if (hAbs < minStep) hAbs = minStep;
      let accepted = false, rejected = false, yNew, fNew, h, tNew;
      while (!accepted) {
        if (hAbs < minStep) return { status: -1, message: `required step size is less than spacing between numbers at t = ${t}` };
        h = hAbs * dir;
        tNew = t + h;
        if (dir * (tNew - t1) > 0) tNew = t1;
        h = tNew - t;
        hAbs = Math.abs(h);
        K[0] = fy;
        for (let s = 1; s < 6; s++) {
          const a = A[s];
          for (let i = 0; i < n; i++) {
            let acc = 0;
            for (let j = 0; j < s; j++) acc += K[j][i] * a[j];
            yt[i] = y[i] + acc * h;
          }
          K[s] = f(t + C[s] * h, yt);
        }
        yNew = new Array(n);
        for (let i = 0; i < n; i++) {
          let acc = 0;
          for (let j = 0; j < 6; j++) acc += K[j][i] * B[j];
          yNew[i] = y[i] + h * acc;
        }
        fNew = f(t + h, yNew);
        K[6] = fNew;
        budget.nfev += 6;
        let s2 = 0;
        for (let i = 0; i < n; i++) {
          let acc = 0;
          for (let j = 0; j < 7; j++) acc += K[j][i] * E[j];
          const sc = o.atol + Math.max(Math.abs(y[i]), Math.abs(yNew[i])) * o.rtol;
          const e = (acc * h) / sc;
          s2 += e * e;
        }
        const errNorm = Math.sqrt(s2 / n);
        if (!Number.isFinite(errNorm)) {
          return { status: -1, message: `the right-hand side is not finite near t = ${t}` };
        }
        if (errNorm < 1) {
          let factor = errNorm === 0 ? MAX_FACTOR : Math.min(MAX_FACTOR, SAFETY * Math.pow(errNorm, ERR_EXP));
          if (rejected) factor = Math.min(1, factor);
          hAbs *= factor;
          accepted = true;
        } else {
          hAbs *= Math.max(MIN_FACTOR, SAFETY * Math.pow(errNorm, ERR_EXP));
          rejected = true;
        }
      }
      if (tEval) {
        // dense output (scipy's RkDenseOutput): y_old + h * (K^T P) [s, s^2, s^3, s^4]
        while (tEval.k < tEval.times.length && dir * (tEval.times[tEval.k] - tNew) <= 0) {
          const te = tEval.times[tEval.k++];
          const s = (te - t) / h;
          const pw = [s, s * s, s * s * s, s * s * s * s];
          const ye = new Array(n);
          for (let i = 0; i < n; i++) {
            let acc = 0;
            for (let j = 0; j < 7; j++) {
              const q = P[j][0] * pw[0] + P[j][1] * pw[1] + P[j][2] * pw[2] + P[j][3] * pw[3];
              acc += K[j][i] * q;
            }
            ye[i] = y[i] + h * acc;
          }
          out.t.push(te);
          out.x.push(ye);
        }
      } else {
        out.t.push(tNew);
        out.x.push(yNew.slice());
      }
      t = tNew;
      y = yNew;
      fy = fNew;
      for (let i = 0; i < n; i++) {
        if (!Number.isFinite(y[i]) || Math.abs(y[i]) > DIVERGENCE) {
          return { status: -1, message: `the state left |x| < ${DIVERGENCE} at t = ${t}` };
        }
      }
    }
    return { status: 0, message: "The solver successfully reached the end of the integration interval." };
  }

  /* rk45(m, x0, p, u, t0, t1, opts) -> {t: [...], x: [[...], ...], status, message, nfev}
   * u: array (constant inputs) or function t -> array (then give opts.breakpoints for its
   * jumps: it is evaluated at the middle of each piece between them). opts.t_eval: output
   * times (dense output, as solve_ivp's t_eval); without it, every accepted step. */
  dm.rk45 = function (m, x0, p, u, t0, t1, opts) {
    const o = Object.assign({}, dm.DEFAULTS, opts || {});
    const uOf = typeof u === "function" ? u : () => u || [];
    const cuts = [t0];
    for (const b of o.breakpoints || []) if ((b - t0) * (t1 - b) > 0) cuts.push(b);
    cuts.push(t1);
    cuts.sort((a, b) => (t1 >= t0 ? a - b : b - a));
    const out = { t: [t0], x: [x0.slice()] };
    let tEval = null;
    if (o.t_eval) {
      tEval = { times: o.t_eval, k: 0 };
      out.t = [];
      out.x = [];
      while (tEval.k < o.t_eval.length && o.t_eval[tEval.k] === t0) {
        out.t.push(t0);
        out.x.push(x0.slice());
        tEval.k++;
      }
    }
    const budget = { nfev: 0, steps: 0 };
    let y = x0.slice();
    let res = { status: 0, message: "" };
    for (let k = 0; k + 1 < cuts.length; k++) {
      const a = cuts[k], b = cuts[k + 1];
      if (a === b) continue;
      const uk = typeof u === "function" ? uOf(0.5 * (a + b)) : uOf(a);
      const f = (t, x) => m.rhs(t, x, p, uk);
      const before = out.x.length;
      res = segment(f, a, y, b, o, out, tEval, budget);
      if (res.status < 0) break;
      if (tEval) {
        y = segmentEnd(f, a, y, b, o, out, before);
      } else {
        y = out.x[out.x.length - 1].slice();
      }
    }
    return { t: out.t, x: out.x, status: res.status, message: res.message, nfev: budget.nfev };
  };
  // With t_eval the last state is not stored: integrate the piece again to find it only
  // when t_eval did not end there (cheap and rare: breakpoints are few).
  function segmentEnd(f, a, y, b, o, out, before) {
    if (out.t.length > before && out.t[out.t.length - 1] === b) return out.x[out.x.length - 1].slice();
    const tmp = { t: [], x: [] };
    segment(f, a, y, b, o, tmp, null, { nfev: 0, steps: 0 });
    return tmp.x[tmp.x.length - 1].slice();
  }

  // ---------------------------------------------------------------- the plane
  function plane(m, fixed) {
    const n = m.states.length;
    const f = fixed || {};
    const ix = f.ix === undefined ? 0 : f.ix;
    const iy = f.iy === undefined ? 1 : f.iy;
    const base = f.state
      ? f.state.slice()
      : m.states.map((s) => 0.5 * (num(s.domain[0]) + num(s.domain[1])));
    if (base.length !== n) throw new Error(`fixed.state has ${base.length} entries; the model has ${n} states`);
    return { ix, iy, base };
  }

  /* field(m, p, u, xs, ys, fixed) -> {x, y, dx, dy, speed, segments: {x, y}, path}: arrows
   * of 0.8 cell (direction only) as plotly line coordinates (null between arrows) and
   * as one SVG path string (for a layout shape of type "path"). */
  dm.field = function (m, p, u, xs, ys, fixed) {
    const { ix, iy, base } = plane(m, fixed);
    const pts = { x: [], y: [], dx: [], dy: [], speed: [] };
    const x = base.slice();
    for (let j = 0; j < ys.length; j++) {
      for (let i = 0; i < xs.length; i++) {
        x[ix] = xs[i];
        x[iy] = ys[j];
        const d = m.rhs(0, x, p, u || []);
        pts.x.push(xs[i]);
        pts.y.push(ys[j]);
        pts.dx.push(d[ix]);
        pts.dy.push(d[iy]);
        pts.speed.push(Math.hypot(d[ix], d[iy]));
      }
    }
    const hx = xs.length > 1 ? Math.abs(xs[1] - xs[0]) : 1;
    const hy = ys.length > 1 ? Math.abs(ys[1] - ys[0]) : 1;
    const seg = { x: [], y: [] };
    for (let k = 0; k < pts.x.length; k++) {
      const sp = pts.speed[k];
      if (!Number.isFinite(sp) || sp === 0) continue;
      // direction in units of the cell (so arrows look right whatever the aspect)
      let ux = pts.dx[k] / hx, uy = pts.dy[k] / hy;
      const len = Math.hypot(ux, uy);
      ux /= len;
      uy /= len;
      const L = 0.8;
      const x0 = pts.x[k] - 0.5 * L * ux * hx, y0 = pts.y[k] - 0.5 * L * uy * hy;
      const x1 = pts.x[k] + 0.5 * L * ux * hx, y1 = pts.y[k] + 0.5 * L * uy * hy;
      const hl = 0.3;
      const c = Math.cos(0.45), s = Math.sin(0.45);
      const ax = -ux * c + uy * s, ay = -ux * s - uy * c;
      const bx = -ux * c - uy * s, by = ux * s - uy * c;
      seg.x.push(x0, x1, x1 + hl * ax * hx, null, x1, x1 + hl * bx * hx, null);
      seg.y.push(y0, y1, y1 + hl * ay * hy, null, y1, y1 + hl * by * hy, null);
    }
    pts.segments = seg;
    // the same arrows as one SVG path in data coordinates (a plotly layout shape draws
    // it far faster than a scatter trace with a gap between every arrow)
    const parts = [];
    let pen = false;
    for (let i = 0; i < seg.x.length; i++) {
      if (seg.x[i] === null) {
        pen = false;
        continue;
      }
      parts.push((pen ? "L" : "M") + seg.x[i].toPrecision(6) + "," + seg.y[i].toPrecision(6));
      pen = true;
    }
    pts.path = parts.join("");
    return pts;
  };

  function chain(segs, points) {
    const adj = new Map();
    segs.forEach((s, i) => {
      for (const k of s) {
        if (!adj.has(k)) adj.set(k, []);
        adj.get(k).push(i);
      }
    });
    const used = new Uint8Array(segs.length);
    const lines = [];
    const walk = (startKey, i0) => {
      const keys = [startKey];
      let key = startKey, i = i0;
      while (i !== undefined && !used[i]) {
        used[i] = 1;
        const s = segs[i];
        const next = s[0] === key ? s[1] : s[0];
        keys.push(next);
        key = next;
        i = adj.get(key).find((j) => !used[j]);
      }
      return keys;
    };
    for (const [k, list] of adj) if (list.length === 1 && !used[list[0]]) lines.push(walk(k, list[0]));
    for (let i = 0; i < segs.length; i++) if (!used[i]) lines.push(walk(segs[i][0], i));
    return lines.map((keys) => ({ x: keys.map((k) => points.get(k)[0]), y: keys.map((k) => points.get(k)[1]) }));
  }

  // The zero of f on the edge from a (f = va) to b (f = vb), va and vb of opposite signs:
  // linear interpolation, refined by the Illinois variant of regula falsi inside the
  // bracket. Returns [s, |f|] with s in [0, 1] the position along the edge.
  function edgeZero(f, va, vb) {
    let s0 = 0, s1 = 1, f0 = va, f1 = vb, side = 0, s = va / (va - vb), fs = f(s);
    for (let it = 0; it < 40 && fs !== 0 && s1 - s0 > 1e-13; it++) {
      if ((fs > 0) === (f0 > 0)) {
        s0 = s;
        f0 = fs;
        if (side === -1) f1 *= 0.5;
        side = -1;
      } else {
        s1 = s;
        f1 = fs;
        if (side === 1) f0 *= 0.5;
        side = 1;
      }
      s = (s0 * f1 - s1 * f0) / (f1 - f0);
      if (!(s > s0 && s < s1)) s = 0.5 * (s0 + s1);
      fs = f(s);
    }
    return [s, Math.abs(fs)];
  }

  function contour(F, xs, ys, value) {
    // F[j][i] at (xs[i], ys[j]); returns polylines of F = 0. Every crossing is polished
    // on its edge (edgeZero); one whose |F| stays above 1e-8 of the larger |F| at the
    // edge's ends is a pole, not a zero: dropped, the line is split there.
    const points = new Map();
    const poles = new Set();
    const segs = [];
    const pos = (v) => v > 0;
    const edge = (key, xa, ya, va, xb, yb, vb) => {
      if (!points.has(key)) {
        const g = (s) => value(xa + s * (xb - xa), ya + s * (yb - ya));
        const [s, r] = edgeZero(g, va, vb);
        points.set(key, [xa + s * (xb - xa), ya + s * (yb - ya)]);
        if (!(r <= 1e-8 * Math.max(Math.abs(va), Math.abs(vb)))) poles.add(key);
      }
      return key;
    };
    for (let j = 0; j + 1 < ys.length; j++) {
      for (let i = 0; i + 1 < xs.length; i++) {
        const a = F[j][i], b = F[j][i + 1], c = F[j + 1][i + 1], d = F[j + 1][i];
        if (!(Number.isFinite(a) && Number.isFinite(b) && Number.isFinite(c) && Number.isFinite(d))) continue;
        const pa = pos(a), pb = pos(b), pc = pos(c), pd = pos(d);
        const cut = [];
        const x0 = xs[i], x1 = xs[i + 1], y0 = ys[j], y1 = ys[j + 1];
        if (pa !== pb) cut.push(["B", edge(`h${i},${j}`, x0, y0, a, x1, y0, b)]);
        if (pb !== pc) cut.push(["R", edge(`v${i + 1},${j}`, x1, y0, b, x1, y1, c)]);
        if (pd !== pc) cut.push(["T", edge(`h${i},${j + 1}`, x0, y1, d, x1, y1, c)]);
        if (pa !== pd) cut.push(["L", edge(`v${i},${j}`, x0, y0, a, x0, y1, d)]);
        if (cut.length === 2) segs.push([cut[0][1], cut[1][1]]);
        else if (cut.length === 4) {
          const k = Object.fromEntries(cut);
          const pm = pos(value(0.5 * (x0 + x1), 0.5 * (y0 + y1)));
          if (pm === pa) {
            segs.push([k.B, k.R]); // cut off corners b and d
            segs.push([k.T, k.L]);
          } else {
            segs.push([k.L, k.B]); // cut off corners a and c
            segs.push([k.R, k.T]);
          }
        }
      }
    }
    return chain(
      segs.filter((sg) => !poles.has(sg[0]) && !poles.has(sg[1])),
      points
    );
  }

  /* nullclines(m, p, u, xs, ys, fixed) -> [{state, index, lines: [{x, y}], x, y}] for the
   * horizontal and the vertical state (zero sets of their derivatives). Each crossing
   * on a grid edge (linear interpolation) is polished by regula falsi (Illinois) in
   * its bracket; sign changes at poles (|f| does not fall) are dropped. */
  dm.nullclines = function (m, p, u, xs, ys, fixed) {
    const { ix, iy, base } = plane(m, fixed);
    const uu = u || [];
    const x = base.slice();
    const Fx = [], Fy = [];
    for (let j = 0; j < ys.length; j++) {
      const rx = new Float64Array(xs.length), ry = new Float64Array(xs.length);
      for (let i = 0; i < xs.length; i++) {
        x[ix] = xs[i];
        x[iy] = ys[j];
        const d = m.rhs(0, x, p, uu);
        rx[i] = d[ix];
        ry[i] = d[iy];
      }
      Fx.push(rx);
      Fy.push(ry);
    }
    const at = (k) => (cx, cy) => {
      x[ix] = cx;
      x[iy] = cy;
      return m.rhs(0, x, p, uu)[k];
    };
    return [ix, iy].map((k, w) => {
      const lines = contour(w === 0 ? Fx : Fy, xs, ys, at(k));
      const flat = { x: [], y: [] };
      for (const l of lines) {
        flat.x.push(...l.x, null);
        flat.y.push(...l.y, null);
      }
      return { state: m.states[k].name, index: k, lines, x: flat.x, y: flat.y };
    });
  };

  // ---------------------------------------------------------------- linear algebra
  // solve(J, b): J x = b by Gaussian elimination with partial pivoting; null when J is
  // singular or the solution is not finite.
  function solve(J, b) {
    const n = b.length;
    const M = J.map((r, i) => [...r, b[i]]);
    for (let c = 0; c < n; c++) {
      let piv = c;
      for (let r = c + 1; r < n; r++) if (Math.abs(M[r][c]) > Math.abs(M[piv][c])) piv = r;
      if (!(Math.abs(M[piv][c]) > 0)) return null;
      [M[c], M[piv]] = [M[piv], M[c]];
      for (let r = c + 1; r < n; r++) {
        const fct = M[r][c] / M[c][c];
        for (let k = c; k <= n; k++) M[r][k] -= fct * M[c][k];
      }
    }
    const x = new Array(n);
    for (let r = n - 1; r >= 0; r--) {
      let s = M[r][n];
      for (let k = r + 1; k < n; k++) s -= M[r][k] * x[k];
      x[r] = s / M[r][r];
    }
    return x.every(Number.isFinite) ? x : null;
  }
  dm.solve = solve;

  // eigenvalues: closed form for 1 and 2 states; characteristic polynomial (Faddeev-
  // LeVerrier) and Durand-Kerner iteration beyond, polished by Newton on the polynomial.
  function eigenvalues(J) {
    const n = J.length;
    if (n === 1) return [{ re: J[0][0], im: 0 }];
    if (n === 2) {
      const tr = J[0][0] + J[1][1], det = J[0][0] * J[1][1] - J[0][1] * J[1][0];
      const disc = 0.25 * tr * tr - det;
      if (disc >= 0) {
        const r = Math.sqrt(disc);
        const l1 = 0.5 * tr + (tr >= 0 ? r : -r);
        const l2 = l1 !== 0 ? det / l1 : 0.5 * tr - (tr >= 0 ? r : -r);
        return [{ re: l1, im: 0 }, { re: l2, im: 0 }].sort((a, b) => a.re - b.re);
      }
      const w = Math.sqrt(-disc);
      return [{ re: 0.5 * tr, im: -w }, { re: 0.5 * tr, im: w }];
    }
    // characteristic polynomial lambda^n + c1 lambda^(n-1) + ... + cn
    const coef = [1];
    let Mk = J.map((r) => r.map(() => 0));
    const I = J.map((r, i) => r.map((_, j) => (i === j ? 1 : 0)));
    let prev = 1;
    for (let k = 1; k <= n; k++) {
      // M_k = J M_{k-1} + c_{k-1} I ; c_k = -tr(J M_k) / k
      const Mnew = J.map((_, i) => J.map((__, j) => {
        let s = 0;
        for (let l = 0; l < n; l++) s += J[i][l] * Mk[l][j];
        return s + prev * I[i][j];
      }));
      let tr = 0;
      for (let i = 0; i < n; i++) for (let l = 0; l < n; l++) tr += J[i][l] * Mnew[l][i];
      prev = -tr / k;
      coef.push(prev);
      Mk = Mnew;
    }
    const cadd = (a, b) => ({ re: a.re + b.re, im: a.im + b.im });
    const csub = (a, b) => ({ re: a.re - b.re, im: a.im - b.im });
    const cmul = (a, b) => ({ re: a.re * b.re - a.im * b.im, im: a.re * b.im + a.im * b.re });
    const cdiv = (a, b) => {
      const d = b.re * b.re + b.im * b.im;
      return { re: (a.re * b.re + a.im * b.im) / d, im: (a.im * b.re - a.re * b.im) / d };
    };
    const poly = (z) => coef.reduce((acc, c) => cadd(cmul(acc, z), { re: c, im: 0 }), { re: 0, im: 0 });
    const dpoly = (z) => {
      let acc = { re: 0, im: 0 };
      for (let k = 0; k < n; k++) acc = cadd(cmul(acc, z), { re: coef[k] * (n - k), im: 0 });
      return acc;
    };
    const bound = 1 + Math.max(...coef.slice(1).map(Math.abs));
    let z = Array.from({ length: n }, (_, k) => {
      const ang = (2 * Math.PI * k) / n + 0.4;
      return { re: 0.5 * bound * Math.cos(ang), im: 0.5 * bound * Math.sin(ang) };
    });
    for (let it = 0; it < 500; it++) {
      let moved = 0;
      z = z.map((zi, i) => {
        let den = { re: 1, im: 0 };
        z.forEach((zj, j) => {
          if (j !== i) den = cmul(den, csub(zi, zj));
        });
        const step = cdiv(poly(zi), den);
        moved = Math.max(moved, Math.hypot(step.re, step.im) / (1 + Math.hypot(zi.re, zi.im)));
        return csub(zi, step);
      });
      if (moved < 1e-15) break;
    }
    z = z.map((zi) => {
      for (let k = 0; k < 3; k++) {
        const d = dpoly(zi);
        if (Math.hypot(d.re, d.im) === 0) break;
        const next = csub(zi, cdiv(poly(zi), d));
        if (!(Number.isFinite(next.re) && Number.isFinite(next.im))) break;
        zi = next;
      }
      return zi;
    });
    const scale = Math.max(1, ...z.map((w) => Math.hypot(w.re, w.im)));
    for (const w of z) if (Math.abs(w.im) <= 1e-12 * scale) w.im = 0;
    return z.sort((a, b) => a.re - b.re || a.im - b.im);
  }
  dm.eigenvalues = eigenvalues;

  // dyadmodel.classify with its default options (rtol 1e-8, atol 1e-12)
  const CL_RTOL = 1e-8, CL_ATOL = 1e-12;
  function classify(lam, J) {
    if (J && J.length === 2) {
      const scale = Math.max(1, ...J.flat().map(Math.abs));
      const tol1 = CL_ATOL + CL_RTOL * scale, tol2 = CL_ATOL + CL_RTOL * scale * scale;
      const tau = J[0][0] + J[1][1];
      const delta = J[0][0] * J[1][1] - J[0][1] * J[1][0];
      const disc = tau * tau - 4 * delta;
      if (Math.abs(delta) <= tol2) {
        if (tau < -tol1) return { kind: "non-hyperbolic", stable: null };
        if (tau > tol1) return { kind: "non-hyperbolic", stable: false };
        return { kind: "non-hyperbolic", stable: null };
      }
      if (delta < 0) return { kind: "saddle", stable: false };
      if (Math.abs(tau) <= tol1) return { kind: "centre", stable: null };
      const sign = tau < 0 ? "stable" : "unstable";
      const shape = Math.abs(disc) <= tol2 ? "degenerate node" : disc > 0 ? "node" : "focus";
      return { kind: `${sign} ${shape}`, stable: tau < 0 };
    }
    const tol = CL_ATOL + CL_RTOL * Math.max(1, ...lam.map((z) => Math.hypot(z.re, z.im)));
    const ns = lam.filter((z) => z.re < -tol).length;
    const nu = lam.filter((z) => z.re > tol).length;
    const nn = lam.length - ns - nu;
    const cplx = lam.some((z) => Math.abs(z.im) > tol);
    const stable = nu > 0 ? false : nn > 0 ? null : true;
    if (nn > 0) {
      const neutral = lam.filter((z) => Math.abs(z.re) <= tol);
      const centre = lam.length === 2 && nn === 2 && neutral.every((z) => Math.abs(z.im) > tol);
      return { kind: centre ? "centre" : "non-hyperbolic", stable };
    }
    const shape = cplx ? "focus" : "node";
    if (nu === 0) return { kind: `stable ${shape}`, stable };
    if (ns === 0) return { kind: `unstable ${shape}`, stable };
    return { kind: cplx ? "saddle-focus" : "saddle", stable };
  }
  dm.classify = classify;

  /* equilibria(m, p, u, box, opts) -> [{x, kind, stable, eigenvalues: [{re, im}],
   * residual, certified: false}] sorted by the first state. box: one [lo, hi] per state
   * (default: the plotting ranges). opts.per_axis: starts per axis (default 16 for two
   * states, 8 for three, fewer beyond: at most about 2000 starts). Roots outside the box
   * or the states' validity are dropped. */
  dm.equilibria = function (m, p, u, box, opts) {
    const o = opts || {};
    const n = m.states.length;
    const uu = u || [];
    const B = box || m.states.map((s) => [num(s.domain[0]), num(s.domain[1])]);
    const k = o.per_axis || (n <= 2 ? 16 : n === 3 ? 8 : Math.max(2, Math.floor(Math.pow(2000, 1 / n))));
    const f = (x) => m.rhs(0, x, p, uu);
    const J = (x) => m.jac(0, x, p, uu);
    const width = B.map(([lo, hi]) => hi - lo);
    const inside = (x) =>
      x.every((v, i) => {
        const tol = 1e-9 * Math.max(1, Math.abs(width[i]));
        const va = num(m.states[i].validity[0]), vb = num(m.states[i].validity[1]);
        return v >= B[i][0] - tol && v <= B[i][1] + tol && v >= va - tol && v <= vb + tol;
      });
    const norm = (v) => Math.max(...v.map(Math.abs));
    const found = [];
    const total = Math.pow(k, n);
    const idx = new Array(n).fill(0);
    for (let s = 0; s < total; s++) {
      let r = s;
      for (let i = 0; i < n; i++) {
        idx[i] = r % k;
        r = Math.floor(r / k);
      }
      let x = idx.map((q, i) => B[i][0] + ((q + 0.5) / k) * width[i]);
      let fx = f(x);
      let fn = norm(fx);
      let ok = false;
      for (let it = 0; it < 60 && Number.isFinite(fn); it++) {
        const dx = solve(J(x), fx);
        if (!dx) break;
        let lam = 1, xn, fnn, fxn;
        for (let bt = 0; bt < 12; bt++) {
          xn = x.map((v, i) => v - lam * dx[i]);
          fxn = f(xn);
          fnn = norm(fxn);
          if (fnn < fn || fnn === 0) break;
          lam *= 0.5;
        }
        if (!(fnn <= fn)) {
          // no decrease: converged when the Newton step is already tiny
          ok = norm(dx) <= 1e-9 * (1 + norm(x));
          break;
        }
        const small = norm(dx.map((v) => v * lam)) <= 1e-13 * (1 + norm(x));
        x = xn;
        fx = fxn;
        fn = fnn;
        if (small || fn === 0) {
          ok = true;
          break;
        }
        if (norm(x) > 1e8) break;
      }
      if (!ok || !(fn <= 1e-9 * Math.max(1, norm(x)))) continue;
      if (!inside(x)) continue;
      if (found.some((e) => norm(e.x.map((v, i) => v - x[i])) <= 1e-7 * (1 + norm(x)))) continue;
      found.push({ x: x.slice(), residual: fn });
    }
    return found
      .map((e) => {
        const Jx = J(e.x);
        const lam = eigenvalues(Jx);
        const c = classify(lam, Jx);
        return { x: e.x, kind: c.kind, stable: c.stable, eigenvalues: lam, residual: e.residual, certified: false };
      })
      .sort((a, b) => {
        for (let i = 0; i < n; i++) if (a.x[i] !== b.x[i]) return a.x[i] - b.x[i];
        return 0;
      });
  };
})();
