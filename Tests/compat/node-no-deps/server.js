// A Node server with nothing but the standard library, started by `npm start` (no Procfile).
const http = require("http");

const server = http.createServer((request, response) => {
  response.setHeader("Content-Type", "application/json");
  response.end(JSON.stringify({ node: process.version, env: process.env.NODE_ENV, path: request.url }) + "\n");
});
server.listen(Number(process.env.PORT), () => console.log(`listening on ${process.env.PORT}`));
