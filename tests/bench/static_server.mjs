// A plain static file server for the search benchmarks: HTTP/1.1 with
// keep-alive, as any web host or CDN serves `public/` (Python's
// http.server, used before, answers HTTP/1.0 one connection per request
// and took 30–80 ms per file under a browser's parallel requests, which
// measured the server rather than the search).
//   node static_server.mjs DIR PORT
import { createServer } from 'node:http';
import { createReadStream, statSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';

const [dir, port] = process.argv.slice(2);
const types = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css',
  '.json': 'application/json', '.bin': 'application/octet-stream', '.svg': 'image/svg+xml', '.csv': 'text/csv; charset=utf-8',
  '.wasm': 'application/wasm', '.png': 'image/png', '.txt': 'text/plain; charset=utf-8',
};
createServer((req, res) => {
  let path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname));
  if (path.includes('..')) return res.writeHead(400).end();
  let file = join(dir, path);
  try {
    if (statSync(file).isDirectory()) file = join(file, 'index.html');
    const size = statSync(file).size;
    res.writeHead(200, { 'content-type': types[extname(file)] || 'application/octet-stream', 'content-length': size });
    createReadStream(file).pipe(res);
  } catch {
    res.writeHead(404).end('not found');
  }
}).listen(Number(port), '127.0.0.1');
