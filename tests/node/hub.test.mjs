// The Hub lookup's pure parts (web/src/hub.js, web/build.mjs): which ids it
// accepts, and which origin a build may open in its CSP.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_HUB_ORIGIN, parseRepoId, hubReachable } from '../../web/src/hub.js';
import { hubOrigin } from '../../web/build.mjs';

test('model ids: org/model, a pasted Hub address, or one .gguf of a repository; nothing else', () => {
  assert.deepEqual(parseRepoId('Qwen/Qwen3-8B'), { repo: 'Qwen/Qwen3-8B', file: '' });
  assert.deepEqual(parseRepoId(' https://huggingface.co/meta-llama/Llama-3.1-8B-Instruct '), { repo: 'meta-llama/Llama-3.1-8B-Instruct', file: '' });
  assert.deepEqual(parseRepoId('unsloth/Qwen3-8B-GGUF/Qwen3-8B-Q4_K_M.gguf'), { repo: 'unsloth/Qwen3-8B-GGUF', file: 'Qwen3-8B-Q4_K_M.gguf' });
  assert.deepEqual(parseRepoId('org/repo/sub/dir/x.gguf'), { repo: 'org/repo', file: 'sub/dir/x.gguf' });
  for (const bad of ['', 'llama', 'a/b/c', 'a/b/c.safetensors', '../etc/passwd', 'a/..', 'org/model?x=1', 'org/model#h', 'https://evil.example/a/b', 'a b/c', 'org/model/../../x.gguf', 'javascript:alert(1)/x'])
    assert.equal(parseRepoId(bad), null, bad);
});

test('the lookup runs only where the page was served, never from a file', () => {
  assert.equal(hubReachable({ protocol: 'https:' }), true);
  assert.equal(hubReachable({ protocol: 'file:' }), false);
});

test('a build opens the real Hub, or one http(s) origin named for a test, and refuses anything else', () => {
  assert.equal(hubOrigin({}), DEFAULT_HUB_ORIGIN);
  assert.equal(hubOrigin({ LLMMEM_HUB_ORIGIN: 'http://127.0.0.1:8123' }), 'http://127.0.0.1:8123');
  for (const bad of ['http://127.0.0.1:8123/', 'https://a.example/path', "https://a.example; script-src *", 'ftp://a.example', 'not a url'])
    assert.throws(() => hubOrigin({ LLMMEM_HUB_ORIGIN: bad }), /LLMMEM_HUB_ORIGIN|Invalid URL/, bad);
});
