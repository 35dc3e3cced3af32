// The storefront page. Plain JavaScript on purpose: no toolchain for a newcomer to install.
'use strict';

const basket = new Map(); // sku -> {product, quantity}
const seenInstances = new Map(); // "taskId @ AZ" of service-b -> times seen
let traceSku = null; // the product the "Trace a request" button asks for: a call that reaches service-b

const money = (cents, currency) =>
  new Intl.NumberFormat('en-US', { style: 'currency', currency: currency || 'USD' }).format(cents / 100);

// Every answer carries the hops that served it in the X-Path header (the path trace, beside the domain
// answer, never in it): a JSON array, the sidecar's hop first.
function hopsOf(response) {
  try {
    return JSON.parse(response.headers.get('X-Path') || '[]');
  } catch (error) {
    return [];
  }
}

// With tracing on, every answer names its trace in a traceresponse header (W3C Trace Context Level 2:
// version-traceid-spanid-flags): the id to look up in the trace viewer or the X-Ray console, when the flags say the
// request was sampled; an unsampled one left its id in the logs only.
function traceOf(response) {
  const fields = (response.headers.get('traceresponse') || '').split('-');
  return fields.length === 4 ? { id: fields[1], sampled: (parseInt(fields[3], 16) & 1) === 1 } : null;
}

async function api(method, path, body) {
  const response = await fetch(path, {
    method,
    headers: body ? { 'Content-Type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  const type = response.headers.get('Content-Type') || '';
  const payload = type.includes('json') ? await response.json() : await response.text();
  if (!response.ok) {
    const detail = payload && payload.detail ? payload.detail : `HTTP ${response.status}`;
    throw new Error(`${response.status} ${payload.title || ''}: ${detail}`);
  }
  return { payload, path: hopsOf(response), trace: traceOf(response) };
}

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  Object.entries(attributes).forEach(([key, value]) => {
    if (key === 'class') node.className = value; else node.setAttribute(key, value);
  });
  children.flat(Infinity).forEach((child) => node.append(child instanceof Node ? child : document.createTextNode(String(child))));
  return node;
}

function showError(error) {
  const box = document.getElementById('error');
  box.textContent = error ? error.message : '';
  box.hidden = !error;
}

function hopCard(title, hop, role) {
  const rows = hop ? [
    ['task', hop.taskId], ['AZ', hop.availabilityZone], ['IP', `${hop.privateIp}:${hop.port}`],
    ['time', hop.elapsedMs == null ? '–' : `${hop.elapsedMs.toFixed(2)} ms`],
  ] : [];
  if (hop && hop.discovery) rows.push(['discovery', hop.discovery], ['picked', hop.pickedInstance || '–']);
  return element('li', { class: `hop ${role}`, 'data-container': hop ? hop.container : role },
    element('h3', {}, title),
    element('dl', {}, rows.map(([k, v]) => [element('dt', {}, k), element('dd', {}, v)])));
}

function drawTraceId(trace) {
  const line = document.getElementById('trace-id');
  line.textContent = !trace ? '' : trace.sampled ? `trace ${trace.id}`
    : `trace ${trace.id}: not sampled (in the logs only, no spans were kept)`;
}

function drawPath({ path, trace }) {
  drawTraceId(trace);
  const list = document.getElementById('path');
  list.replaceChildren();
  const alb = element('li', { class: 'hop alb', 'data-container': 'alb' },
    element('h3', {}, 'ALB'),
    element('p', { class: 'muted' }, 'public subnets; the only way in'));
  list.append(alb);
  path.forEach((hop) => {
    list.append(element('li', { class: 'arrow', 'aria-hidden': 'true' }, '→'));
    list.append(hopCard(hop.container, hop, hop.container));
  });
  const b = path.find((hop) => hop.container === 'service-b');
  if (b) {
    const key = `${b.taskId} @ ${b.availabilityZone} (${b.privateIp}:${b.port})`;
    seenInstances.set(key, (seenInstances.get(key) || 0) + 1);
    document.getElementById('instances').textContent = 'service-b instances seen: ' +
      [...seenInstances].map(([name, count]) => `${name} ×${count}`).join(', ');
  }
}

async function trace() {
  try {
    drawPath(await api('GET', `/api/products/${encodeURIComponent(traceSku)}`));
    showError(null);
  } catch (error) { showError(error); }
}

function drawBasket() {
  const list = document.getElementById('basket');
  list.replaceChildren(...[...basket.values()].map(({ product, quantity }) => {
    const input = element('input', { type: 'number', min: '1', max: '999', value: String(quantity),
      'aria-label': `Quantity of ${product.name}` });
    input.addEventListener('change', () => {
      basket.get(product.sku).quantity = Number(input.value);
    });
    const remove = element('button', { type: 'button', class: 'secondary' }, 'Remove');
    remove.addEventListener('click', () => { basket.delete(product.sku); drawBasket(); });
    return element('li', { 'data-sku': product.sku }, element('span', {}, product.name), input, remove);
  }));
  document.getElementById('basket-empty').hidden = basket.size > 0;
  document.getElementById('quote').disabled = basket.size === 0;
}

function drawQuote(quote) {
  const rows = quote.lines.map((line) => element('tr', {},
    element('td', {}, line.name), element('td', {}, line.quantity),
    element('td', {}, money(line.lineTotalCents, quote.currency)),
    element('td', {}, line.discountCents ? `−${money(line.discountCents, quote.currency)} (${line.discountPercent}%)` : '–')));
  const table = element('table', { class: 'quote', id: 'quote-table' },
    element('thead', {}, element('tr', {}, ['Item', 'Qty', 'Amount', 'Discount'].map((h) => element('th', {}, h)))),
    element('tbody', {}, rows),
    element('tfoot', {},
      element('tr', {}, element('td', { colspan: '2' }, 'Subtotal'), element('td', {}, money(quote.subtotalCents, quote.currency)), element('td', {}, `−${money(quote.discountCents, quote.currency)}`)),
      element('tr', { class: 'total' }, element('td', { colspan: '3' }, 'Total'), element('td', { id: 'quote-total' }, money(quote.totalCents, quote.currency)))));
  document.getElementById('quote-result').replaceChildren(table);
}

async function getQuote() {
  const items = [...basket.values()].map(({ product, quantity }) => ({ sku: product.sku, quantity }));
  try {
    const quoted = await api('POST', '/api/quotes', { items });
    drawQuote(quoted.payload);
    drawPath(quoted);
    showError(null);
  } catch (error) { showError(error); }
}

async function loadProducts() {
  const list = document.getElementById('products');
  try {
    const products = (await api('GET', '/api/products')).payload;
    traceSku = products.length ? products[0].sku : null;
    list.replaceChildren(...products.map((product) => {
      const add = element('button', { type: 'button', 'data-sku': product.sku }, 'Add');
      add.addEventListener('click', () => {
        const line = basket.get(product.sku) || { product, quantity: 0 };
        line.quantity += 1;
        basket.set(product.sku, line);
        drawBasket();
      });
      return element('li', { class: 'product' },
        element('div', {}, element('div', { class: 'name' }, product.name), element('div', { class: 'desc' }, product.description)),
        element('span', { class: 'price' }, money(product.unitPriceCents, product.currency)), add);
    }));
  } catch (error) {
    list.replaceChildren(element('li', { class: 'error' }, error.message));
  }
}

document.getElementById('trace').addEventListener('click', trace);
document.getElementById('quote').addEventListener('click', getQuote);
drawBasket();
loadProducts().then(() => { if (traceSku) trace(); });
