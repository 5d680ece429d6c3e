// Waits until Hearth's /readyz answers 200 (every plugin started and the store answers).
// Usage: node wait-ready.js URL SECONDS — exits 0 when ready; 1 after SECONDS, printing the
// last answer (which names what is not ready).
'use strict';

async function main() {
  const [url, seconds] = process.argv.slice(2);
  const deadline = Date.now() + Number(seconds) * 1000;
  let last = 'no answer';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      const text = await response.text();
      if (response.ok) return 0;
      last = `${response.status} ${text}`;
    } catch (error) {
      last = error.message;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  console.error(`e2e: ${url} is not ready: ${last}`);
  return 1;
}

main().then((code) => process.exit(code));
