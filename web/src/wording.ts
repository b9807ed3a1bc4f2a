/**
 * Error messages of src/xas name command-line flags ("--e0 8000 eV lies outside ...", "choose one
 * with --group LABEL"); the app has no flags but fields and buttons, so the same message is shown
 * with the app's words for them.
 */
const WORDS: Array<[RegExp, string]> = [
  [/--e0\b/g, 'E₀ (processing settings)'],
  [/--rbkg\b/g, 'rbkg (processing settings)'],
  [/--kweight\b/g, 'k-weight (processing settings)'],
  [/--ft-kmin\b/g, 'FT k range start (processing settings)'],
  [/--ft-kmax\b/g, 'FT k range end (processing settings)'],
  [/--ft-kweight\b/g, 'k-weight (processing settings)'],
  [/--ft-(dk|window)\b/g, 'the FT $1'],
  [/--kmax\b/g, 'the spline k range end'],
  [/--element\/--edge/g, 'the element and edge named in the file'],
  [/--element\b/g, 'the element named in the file'],
  [/--edge\b/g, 'the edge named in the file'],
  [
    /choose one with --group LABEL \(or its number\)/g,
    'this app reads one record per file: save the record you want from Athena on its own',
  ],
  [/--group LABEL|--group N|--group\b/g, 'the record'],
  [/--mu COL or --i0 COL --itrans COL/g, 'columns named mutrans, i0 + itrans, mufluor or i0 + ifluor'],
  [/--(mu|i0|itrans|ifluor)\b/g, 'the $1 column'],
  [/\(the command line does this itself\)/g, ''],
];

export function forApp(message: string): string {
  let m = message;
  for (const [re, w] of WORDS) m = m.replace(re, w);
  return m;
}
