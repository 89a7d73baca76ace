// Health check without curl (the image has none), for the container
// HEALTHCHECK and the chart's `helm test` pod.
//
//   node healthcheck.js                      GET http://127.0.0.1:$PORT/health/live
//   node healthcheck.js /health/ready        another path on the local port
//   node healthcheck.js http://svc/health/ready   a full URL (helm test)
//   node healthcheck.js <path or URL> api.example.com   with this Host header (ALLOWED_HOSTS)
//
// Exit 0 on HTTP 200, 1 on any other status, a timeout (4 s) or a socket error.
'use strict';
const http = require('node:http');

const port = Number(process.env.PORT || 3000);
const target = process.argv[2] || '/health/live';
const url = target.startsWith('http://') ? new URL(target) : new URL(target, `http://127.0.0.1:${port}`);
const headers = process.argv[3] ? { host: process.argv[3] } : {};
const request = http.get(url, { timeout: 4000, headers }, (response) => {
  response.resume();
  if (response.statusCode !== 200) process.stderr.write(`${url.href}: HTTP ${response.statusCode}\n`);
  process.exit(response.statusCode === 200 ? 0 : 1);
});
request.on('timeout', () => request.destroy(new Error('timed out')));
request.on('error', (error) => {
  process.stderr.write(`${url.href}: ${error.message}\n`);
  process.exit(1);
});
