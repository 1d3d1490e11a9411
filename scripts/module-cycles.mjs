// The import graph between the server's modules (src/server/modules/*): each
// module a node, an arrow where a file of one imports a file of another. It
// prints every cycle (a strongly connected set of modules, with the imports
// that tie it) and exits 1 when there is one. `npm run check:modules`.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'server', 'modules');

function* sources(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* sources(path);
    else if (name.endsWith('.ts') && !name.endsWith('.test.ts')) yield path;
  }
}

const moduleOf = (path) => relative(root, path).split(sep)[0];
/** module → module → the imports behind the arrow */
const arrows = new Map();
for (const file of sources(root)) {
  const from = moduleOf(file);
  const text = readFileSync(file, 'utf8');
  for (const [, spec] of text.matchAll(/^\s*(?:import|export)\b[^'"]*?\bfrom\s+'(\.{1,2}\/[^']+)'/gm)) {
    const target = normalize(join(dirname(file), spec));
    if (!target.startsWith(root + sep)) continue;
    const to = moduleOf(target);
    if (to === from) continue;
    if (!arrows.has(from)) arrows.set(from, new Map());
    const ties = arrows.get(from);
    if (!ties.has(to)) ties.set(to, []);
    ties.get(to).push(`${relative(root, file)} → ${relative(root, target)}`);
  }
}

// Tarjan's strongly connected components.
const modules = readdirSync(root).filter((m) => statSync(join(root, m)).isDirectory());
let counter = 0;
const index = new Map();
const low = new Map();
const stack = [];
const onStack = new Set();
const cycles = [];
function visit(m) {
  index.set(m, counter);
  low.set(m, counter++);
  stack.push(m);
  onStack.add(m);
  for (const to of arrows.get(m)?.keys() ?? []) {
    if (!index.has(to)) {
      visit(to);
      low.set(m, Math.min(low.get(m), low.get(to)));
    } else if (onStack.has(to)) low.set(m, Math.min(low.get(m), index.get(to)));
  }
  if (low.get(m) === index.get(m)) {
    const component = [];
    let top;
    do {
      top = stack.pop();
      onStack.delete(top);
      component.push(top);
    } while (top !== m);
    if (component.length > 1) cycles.push(component.sort());
  }
}
for (const m of modules) if (!index.has(m)) visit(m);

const count = [...arrows.values()].reduce((n, ties) => n + ties.size, 0);
if (cycles.length === 0) {
  console.log(`${modules.length} modules, ${count} arrows between them, no cycle`);
  process.exit(0);
}
for (const component of cycles) {
  console.log(`cycle: ${component.join(', ')}`);
  for (const from of component)
    for (const [to, imports] of arrows.get(from) ?? []) if (component.includes(to)) for (const line of imports) console.log(`  ${from} → ${to}: ${line}`);
}
process.exit(1);
