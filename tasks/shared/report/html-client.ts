/**
 * The report page's script, as text: it renders the matrix from the JSON the page embeds. Rows are built lazily, a
 * block of accounts at a time as it nears the viewport, so a page of 10,000 accounts opens as fast as one of 40;
 * printing renders every block first. It reads data with textContent and writes with textContent only: account
 * names and error messages can never become markup.
 */
export const CLIENT_SCRIPT = `(() => {
  const BLOCK = 200;
  const ROW_PX = 40;
  const { types, outcomes, groups, total } = JSON.parse(document.getElementById('report-data').textContent);
  const matrix = document.getElementById('matrix');
  const outcomeFilter = document.getElementById('outcome');
  const search = document.getElementById('search');
  const shown = document.getElementById('shown');
  const blocks = new Map();
  document.documentElement.style.setProperty('--types', String(types.length));
  const observer = 'IntersectionObserver' in window
    ? new IntersectionObserver((seen) => seen.forEach((s) => s.isIntersecting && fill(s.target)), { rootMargin: '1500px 0px' })
    : undefined;

  const el = (tag, className, text) => {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  };

  function rowOf([id, name, cells, guarded], outcome) {
    const row = el('div', 'row');
    row.dataset.account = id;
    const nameCell = el('span', 'name', name);
    if (guarded) nameCell.append(el('small', 'guard', 'guardrail'));
    row.append(el('span', 'id', id), nameCell);
    cells.forEach(([index, detail, source, notApplied], column) => {
      const label = outcomes[index];
      const cell = el('span', 'cell o-' + label);
      cell.dataset.type = types[column];
      cell.dataset.outcome = label;
      if (outcome && outcome !== label) cell.classList.add('dim');
      if (notApplied) cell.classList.add('not-applied');
      cell.append(el('b', '', notApplied ? label + ' (not applied)' : label));
      if (detail) cell.append(el('small', 'detail', detail));
      if (source) cell.append(el('small', 'source', source));
      row.append(cell);
    });
    return row;
  }

  function fill(block) {
    const pending = blocks.get(block);
    if (!pending) return;
    blocks.delete(block);
    observer?.unobserve(block);
    block.replaceChildren(...pending.accounts.map((account) => rowOf(account, pending.outcome)));
    block.classList.remove('placeholder');
    block.style.removeProperty('height');
  }

  const fillAll = () => [...blocks.keys()].forEach(fill);

  function render() {
    const outcome = outcomeFilter.value;
    const wanted = outcomes.indexOf(outcome);
    const query = search.value.trim().toLowerCase();
    const matches = ([id, name, cells]) =>
      (wanted < 0 || cells.some(([index]) => index === wanted)) && (!query || id.includes(query) || name.toLowerCase().includes(query));
    observer?.disconnect();
    blocks.clear();
    const sections = [];
    let count = 0;
    for (const [ou, accounts] of groups) {
      const matching = accounts.filter(matches);
      if (matching.length === 0) continue;
      count += matching.length;
      const section = el('section', 'group');
      section.append(el('h3', '', ou + ' (' + matching.length + (matching.length === 1 ? ' account)' : ' accounts)')));
      for (let start = 0; start < matching.length; start += BLOCK) {
        const block = el('div', 'block placeholder');
        const slice = matching.slice(start, start + BLOCK);
        block.style.height = slice.length * ROW_PX + 'px';
        blocks.set(block, { accounts: slice, outcome });
        section.append(block);
      }
      sections.push(section);
    }
    matrix.replaceChildren(...sections);
    shown.textContent = count + ' of ' + total + ' accounts shown';
    if (observer) [...blocks.keys()].forEach((block) => observer.observe(block));
    else fillAll();
  }

  outcomeFilter.addEventListener('change', render);
  search.addEventListener('input', render);
  window.addEventListener('beforeprint', fillAll);
  render();
})();`;
