// A small reverse proxy for `npm run start:distributed`: the contract on one port, routed to the four
// services by deploy/routes.json, the same table nginx uses in docker-compose and Kubernetes.
const http = require('node:http');
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

const table = JSON.parse(readFileSync(join(__dirname, '..', 'routes.json'), 'utf8'));
const routes = table.routes.map((r) => ({ re: new RegExp(r.pattern), port: Number(process.env[`PORT_${r.service.replace('-', '_').toUpperCase()}`] ?? table.services[r.service]) }));
const port = Number(process.env.PORT ?? 3000);

http
  .createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const route = routes.find((r) => r.re.test(path));
    if (!route) {
      res.writeHead(404, { 'content-type': 'application/problem+json' });
      return res.end(JSON.stringify({ status: 404, code: 'NOT_FOUND', title: 'Not Found', detail: `No service serves ${path}` }));
    }
    const upstream = http.request({ host: '127.0.0.1', port: route.port, path: req.url, method: req.method, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => {
      if (res.headersSent) return res.destroy();
      res.writeHead(503, { 'content-type': 'application/problem+json' });
      res.end(JSON.stringify({ status: 503, code: 'SERVICE_UNAVAILABLE', title: 'Service Unavailable', detail: 'The service for this path is not answering' }));
    });
    req.pipe(upstream);
  })
  .listen(port, '127.0.0.1', () => console.log(JSON.stringify({ msg: 'router listening', port })));
