#!/usr/bin/env python3
"""Run Larch's pre_edge + autobk on spectra, for the xas benchmark and the pinned test reference.

usage: /usr/bin/python3 scripts/xas-larch-reference.py [--repeat N] [--extras] [--out FILE.json] SPECTRUM.xdi ...
       /usr/bin/python3 scripts/xas-larch-reference.py --athena OUT.prj NI.xdi CU.xdi

Each spectrum is read with numpy, sorted by energy and near-duplicate energies (< 0.01 eV from the
first point of a group) are averaged -- the same clean-up exafsnn does (src/xas/prepare.ts) -- so
both codes see identical mu(E). Settings: rbkg=1, kweight=2, dk=0.1, hanning, kstep=0.05,
nclamp=3, clamp_lo=0, clamp_hi=1 (exafsnn's defaults; Larch's own autobk default kweight is 1).
Prints one JSON document: {"larch_version", "results": [{"file", "e0", "edge_step", "k", "chi",
"seconds", "first_seconds"}]} where seconds is the best-of-N wall time of pre_edge + autobk only
and first_seconds the first of those calls (the very first spectrum's includes lazy imports).
--extras adds Larch's ftwindow shapes (k = 0..20 step 0.05, xmin 3, xmax 14, dx 1; gaussian dx 3)
and an xftf (k 3-14, dk 1, hanning, kweight 2) + xftr (R 1-3, dr 0.1, hanning) of the first
spectrum's chi(k).
--athena writes a gzipped Athena project with the first 700 points of each spectrum, labelled
"Ni foil" / "Cu foil" (for reader tests).
"""
import json
import sys
import time
import warnings

import numpy as np

warnings.filterwarnings('ignore')
import larch  # noqa: E402
from larch import Group  # noqa: E402
from larch.xafs import pre_edge, autobk  # noqa: E402


def read_mu(path):
    rows = []
    with open(path, 'r', encoding='utf-8', errors='replace') as fh:
        for line in fh:
            t = line.strip()
            if not t or t.startswith('#'):
                continue
            rows.append([float(x.replace('D', 'e').replace('d', 'e')) for x in t.split()[:2]])
    d = np.array(rows)
    order = np.argsort(d[:, 0], kind='stable')
    e, m = d[order, 0], d[order, 1]
    eo, mo = [], []
    i = 0
    while i < len(e):
        j = i + 1
        while j < len(e) and e[j] - e[i] < 0.01:
            j += 1
        eo.append(e[i:j].mean())
        mo.append(m[i:j].mean())
        i = j
    return np.array(eo), np.array(mo)


def r6(a):
    return [float('%.8g' % x) for x in a]


def make_extras(res):
    from larch.xafs import ftwindow, xftf, xftr
    x = 0.05 * np.arange(401)
    wins = {}
    for w in ('hanning', 'fhanning', 'parzen', 'welch', 'sine', 'gaussian', 'kaiser', 'bessel'):
        dx = 3 if w == 'gaussian' else (0.1 if w == 'fhanning' else 1)
        wins[w] = dict(dx=dx, w=r6(ftwindow(x, xmin=3, xmax=14, dx=dx, window=w)))
    g = Group(k=np.array(res['k']), chi=np.array(res['chi']))
    xftf(g, kmin=3, kmax=14, dk=1, window='hanning', kweight=2, rmax_out=10)
    xftr(g, rmin=1, rmax=3, dr=0.1, window='hanning', qmax_out=20)
    return dict(k_grid=dict(start=0, step=0.05, n=401), windows=wins,
                xftf=dict(file=res['file'], opts=dict(kmin=3, kmax=14, dk=1, window='hanning', kweight=2, rmax_out=10),
                          r=r6(g.r), chir_re=r6(g.chir_re), chir_im=r6(g.chir_im), chir_mag=r6(g.chir_mag)),
                xftr=dict(opts=dict(rmin=1, rmax=3, dr=0.1, window='hanning', qmax_out=20),
                          q=r6(g.q), chiq_re=r6(g.chiq_re), chiq_im=r6(g.chiq_im)))


VARIANTS = [
    # (spectrum file, pre_edge kwargs, autobk kwargs): non-default settings of every kind
    ('Ni_foil_LISA_300K.xdi', dict(e0=8335.0, pre1=-150, pre2=-40, norm1=100, norm2=900, nnorm=1),
     dict(rbkg=0.9, kweight=3, dk=0.5, win='kaiser', nknots=12)),
    ('Fe_foil_LISA.xdi', dict(), dict(rbkg=1.0, kweight=2, nclamp=0, win='parzen', dk=1)),
    ('Cu_foil_LISA.xdi', dict(), dict(rbkg=1.3, kweight=1, kmax=13.0, kmin=0.5)),
    ('Co_foil_LISA.xdi', dict(nnorm=0), dict(rbkg=1.1, kweight=2, clamp_lo=1, clamp_hi=10)),
]


def make_variants(files):
    out = []
    for fname, pre_kws, bk_kws in VARIANTS:
        path = [f for f in files if f.endswith(fname)]
        if not path:
            continue
        e, m = read_mu(path[0])
        g = Group(energy=e, mu=m)
        pre_edge(g, **pre_kws)
        autobk(g, calc_uncertainties=False, **bk_kws)
        out.append(dict(file=fname, pre_edge=pre_kws, autobk=bk_kws, e0=float(g.e0),
                        edge_step=float(g.edge_step), chisqr=float(g.autobk_details.chisqr),
                        k=[round(float(x), 6) for x in g.k], chi=[float('%.6g' % x) for x in g.chi]))
    return out


def write_athena(path, files):
    from larch.io import create_athena
    prj = create_athena(path)
    for f in files:
        e, m = read_mu(f)
        label = f.split('/')[-1].split('_')[0] + ' foil'
        g = Group(energy=e[:700], mu=m[:700], filename=label)
        pre_edge(g)
        prj.add_group(g)
    prj.save(use_gzip=True)


def main(argv):
    repeat = 1
    out = None
    extras = False
    athena = None
    files = []
    i = 0
    while i < len(argv):
        if argv[i] == '--extras':
            extras = True; i += 1
        elif argv[i] == '--athena':
            athena = argv[i + 1]; i += 2
        elif argv[i] == '--repeat':
            repeat = int(argv[i + 1]); i += 2
        elif argv[i] == '--out':
            out = argv[i + 1]; i += 2
        else:
            files.append(argv[i]); i += 1
    if athena:
        write_athena(athena, files)
        return
    results = []
    for f in files:
        e, m = read_mu(f)
        best = float('inf')
        first = None
        g = None
        for _ in range(repeat):
            g = Group(energy=e.copy(), mu=m.copy())
            t0 = time.perf_counter()
            pre_edge(g)
            autobk(g, rbkg=1.0, kweight=2, dk=0.1, win='hanning', kstep=0.05,
                   nclamp=3, clamp_lo=0, clamp_hi=1, calc_uncertainties=False)
            dt = time.perf_counter() - t0
            first = dt if first is None else first
            best = min(best, dt)
        results.append(dict(file=f.split('/')[-1], e0=float(g.e0), edge_step=float(g.edge_step),
                            k=[round(float(x), 6) for x in g.k],
                            chi=[float('%.6g' % x) for x in g.chi], seconds=best,
                            first_seconds=first))
    doc = dict(larch_version=larch.__version__,
               settings=dict(rbkg=1, kweight=2, dk=0.1, window='hanning', kstep=0.05, nclamp=3,
                             clamp_lo=0, clamp_hi=1, merge_tol_ev=0.01),
               results=results)
    if extras:
        doc['extras'] = make_extras(results[0])
        doc['variants'] = make_variants(files)
    text = json.dumps(doc)
    if out:
        with open(out, 'w') as fh:
            fh.write(text + '\n')
    else:
        sys.stdout.write(text + '\n')


if __name__ == '__main__':
    main(sys.argv[1:])
