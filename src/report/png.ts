/**
 * SVG → PNG in Node through @resvg/resvg-js (a prebuilt native renderer shipped in its npm
 * package). Loaded lazily: when it is missing or fails, callers fall back to SVG only.
 */
import { createRequire } from 'node:module';

type ResvgCtor = new (svg: string, opts?: Record<string, unknown>) => { render(): { asPng(): Uint8Array } };

let cached: ResvgCtor | null | undefined;

/** The resvg renderer, or null (with the reason in `pngUnavailableReason`) when it cannot load. */
export function loadResvg(): ResvgCtor | null {
  if (cached !== undefined) return cached;
  try {
    const req = createRequire(import.meta.url);
    cached = (req('@resvg/resvg-js') as { Resvg: ResvgCtor }).Resvg;
  } catch (e) {
    pngUnavailableReason = (e as Error).message.split('\n')[0];
    cached = null;
  }
  return cached;
}

export let pngUnavailableReason = '';

/**
 * Render an SVG document to PNG at `scale` × its nominal size (2 = crisp on high-DPI screens).
 * Returns null when resvg is not available.
 */
export function svgToPng(svg: string, scale = 2): Uint8Array | null {
  const Resvg = loadResvg();
  if (!Resvg) return null;
  const r = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    background: '#ffffff',
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
  });
  return r.render().asPng();
}
