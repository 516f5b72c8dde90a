import { renderMathText } from '../src/lib/core/latex';
let salt = 0;
function time(label: string, make: (s: number) => string) {
  const runs: number[] = []; let bytes = 0; let len = 0;
  for (let r = 0; r < 6; r++) { const text = make(++salt); len = text.length; const t0 = performance.now(); bytes = renderMathText(text).length; runs.push(performance.now() - t0); }
  console.log(label.padEnd(28), len, 'chars ->', bytes, 'bytes; first', runs[0].toFixed(1), 'ms, warm median', runs.slice(1).sort((a,b)=>a-b)[2].toFixed(1), 'ms');
}
time('100 x spans', (s) => Array.from({ length: 100 }, (_, i) => `$x_{${i + s}}$`).join(' '));
const heavy = '\\frac{\\sqrt{a^2+b^2}}{\\sum_{i=1}^{n} x_i}';
time('45 heavy spans (2000 math)', (s) => Array.from({ length: 45 }, (_, i) => `$${heavy}+${i + s}$`).join(' '));
time('matrix 2000 chars', (s) => `$\\begin{pmatrix}${Array.from({length:31},()=>Array(31).fill('a').join('&')).join('\\\\')}\\end{pmatrix}+${s}$`);
time('matrix 1000 chars', (s) => `$\\begin{pmatrix}${Array.from({length:22},()=>Array(22).fill('a').join('&')).join('\\\\')}\\end{pmatrix}+${s}$`);
const nested = (d: number): string => d === 0 ? 'x' : `\\frac{${nested(d - 1)}}{${nested(d - 1)}}`;
time('nested frac 2000', (s) => `$${nested(8).slice(0,0)}${nested(7)}+${s}$`);
time('sqrt chain 2000', (s) => `$${'\\sqrt{'.repeat(150)}x${'}'.repeat(150)}+${s}$`);
time('big ops 2000', (s) => `$${'\\sum_{i}^{n}\\prod'.repeat(110)}+${s}$`);
time('accents 2000', (s) => `$${'\\widehat{\\overline{x}}'.repeat(85)}+${s}$`);
time('left right 2000', (s) => `$${'\\left(\\left[x\\right]\\right)'.repeat(70)}+${s}$`);
time('text plain 10000', (s) => `word${s} `.repeat(1250));
