/**
 * Optional PNG export of a chart's SVG with @resvg/resvg-js: a Rust renderer
 * shipped as prebuilt per-platform registry packages (nothing compiled or
 * downloaded at install). Loaded on first use so SVG/HTML reports never need it.
 */
export async function svgToPng(svg: string, scale = 2): Promise<Buffer> {
  const { Resvg } = await import('@resvg/resvg-js');
  // System fonts: the SVG names a sans-serif stack; resvg falls back to any installed sans face.
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    background: 'white',
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
  });
  return resvg.render().asPng();
}
