// Calls images.edit of the official openai npm SDK (v5) as its README
// shows, with fs.createReadStream files (which the SDK labels
// application/octet-stream), against an OpenAI-compatible base URL, and
// prints what came back as one JSON line.
//
//   NODE_PATH=DIR/node_modules node edit.mjs BASE_URL MODEL PROMPT IMAGE [MASK]
//
// The SDK is found through NODE_PATH (ES module imports ignore it, so it is
// loaded with require). The API key is OPENAI_API_KEY, as for any SDK user.
import fs from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const OpenAI = require('openai');

const [baseURL, model, prompt, image, mask] = process.argv.slice(2);
const client = new OpenAI({ baseURL, maxRetries: 0, timeout: 60_000 });
const params = { model, prompt, image: fs.createReadStream(image) };
if (mask) params.mask = fs.createReadStream(mask);
if (model === 'dall-e-2') params.response_format = 'b64_json';
try {
  const res = await client.images.edit(params);
  console.log(JSON.stringify({ results: res.data.length, b64: res.data.map((d) => (d.b64_json ?? '').length) }));
} catch (err) {
  console.log(JSON.stringify({ status: err.status ?? 0, error: String(err.message ?? err) }));
  process.exitCode = 1;
}
