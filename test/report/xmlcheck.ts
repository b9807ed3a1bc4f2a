/**
 * A strict little well-formedness check for the SVG/XHTML fragments we generate (no XML parser
 * ships with Node): every tag closes in order, attributes are quoted and not repeated, '&' only
 * starts a known entity, and no '<' appears in text.
 */
export function checkWellFormed(xml: string, voidHtml = false): string[] {
  const errors: string[] = [];
  const stack: string[] = [];
  const VOID = new Set(['meta', 'link', 'br', 'img', 'input', 'hr', 'col', 'source', 'wbr']);
  const re =
    /<!--[\s\S]*?-->|<!DOCTYPE[^>]*>|<\?[\s\S]*?\?>|<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|<script[^>]*>[\s\S]*?<\/script>/g;
  let last = 0;
  let m: RegExpExecArray | null;
  const text = (t: string, at: number) => {
    if (t.includes('<')) errors.push(`stray '<' in text near offset ${at}`);
    for (const e of t.matchAll(/&([^;\s]*);?/g)) {
      if (!/^(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+)$/.test(e[1]) || !e[0].endsWith(';'))
        errors.push(`bad entity ${e[0]} near offset ${at}`);
    }
  };
  while ((m = re.exec(xml))) {
    text(xml.slice(last, m.index), last);
    last = re.lastIndex;
    if (!m[2]) continue; // comment, doctype, script block
    const [, close, name, attrs, self] = m;
    const seen = new Set<string>();
    for (const a of attrs.matchAll(/([\w:.-]+)\s*=\s*("[^"]*"|'[^']*')/g)) {
      if (seen.has(a[1])) errors.push(`<${name}> repeats attribute ${a[1]}`);
      seen.add(a[1]);
      text(a[2].slice(1, -1).replace(/</g, ''), m.index);
      if (a[2].includes('<')) errors.push(`'<' inside attribute ${a[1]} of <${name}>`);
    }
    if (close) {
      const top = stack.pop();
      if (top !== name) errors.push(`</${name}> closes <${top ?? 'nothing'}> at offset ${m.index}`);
    } else if (!self && !(voidHtml && VOID.has(name.toLowerCase()))) stack.push(name);
  }
  text(xml.slice(last), last);
  if (stack.length) errors.push(`unclosed: ${stack.join(' > ')}`);
  return errors;
}
